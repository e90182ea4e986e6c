/**
 * Outage windows from silences. Each stream's candidate silences (src/correlate/streams.ts) are
 * combined across independent streams of the host: the outage lies where every member was quiet
 * (after the latest "last line before", before the earliest "first line after"), and the chance that
 * all of them were quiet there by accident is the product of each one's chance of a gap that long
 * (independent origins: one per program, one per remote address). A window is found when that
 * chance, corrected for every gap tested on the host, is below FAMILY_ALPHA; a network witness that
 * kept its pace through the window refutes it (the host answered), and every line of another witness
 * heard inside the members' silence cuts it there (the host answered then): the edges move inward to
 * such lines, and a line in the middle splits it (piecesOf).
 */
import type { Silence, Stream } from './streams.js';
import { carriesOnThrough } from './streams.js';
import { lowerBound, upperBound } from './series.js';
import { BLOCK_GAPS, logTailProbability, significant } from './silence.js';

export interface SilenceWindow {
  host: string;
  startUs: number;
  endUs: number;
  /** Natural log of the joint chance of the members' silence over the window. */
  logP: number;
  /** Gaps tested on the host (the Bonferroni factor). */
  tests: number;
  members: Silence[];
  /**
   * How far after `startUs` the onset may lie: the host was seen up at `startUs`, and each member
   * would most likely have logged again within its typical gap (its 75th-percentile gap).
   */
  onsetUncertaintyUs: number;
  /** How far before `endUs` the host may have come back, likewise. */
  endUncertaintyUs: number;
  /** The line the start stands on: the last heard before the silence, a member's or another witness's. */
  startEdge: WindowEdge;
  /** The line the end stands on: the first heard after it. */
  endEdge: WindowEdge;
  /**
   * Other witnesses' lines heard inside the members' joint silence, which moved an edge inward or
   * split the silence (evidence: the host answered then), in time order.
   */
  witnessedInside: WindowEdge[];
}

/** A witness line that bounds a window (or was heard inside the members' silence). */
export interface WindowEdge {
  stream: string;
  /** Event index of the line (file:line evidence). */
  index: number;
  tsUs: number;
}

interface Joint {
  startUs: number;
  endUs: number;
  logP: number;
  members: Silence[];
}

function jointOf(members: readonly Silence[]): Joint | null {
  let startUs = -Infinity;
  let endUs = Infinity;
  for (const m of members) {
    startUs = Math.max(startUs, m.startUs);
    endUs = Math.min(endUs, m.endUs);
  }
  if (!(startUs < endUs)) return null;
  let logP = 0;
  for (const m of members) logP += logTailProbability(m.tail, endUs - startUs);
  return { startUs, endUs, logP, members: [...members] };
}

function overlapsSpan(s: Silence, j: { startUs: number; endUs: number }): boolean {
  return s.startUs < j.endUs && j.startUs < s.endUs;
}

/** Greedy: from a seed, add the best silence of each other origin while the joint chance falls. */
function growFrom(seed: Silence, pool: readonly Silence[]): Joint {
  let best = jointOf([seed])!;
  const others = pool
    .filter((s) => s !== seed && s.origin !== seed.origin && overlapsSpan(s, seed))
    .sort((a, b) => a.logP - b.logP);
  const usedOrigins = new Set([seed.origin]);
  for (const s of others) {
    if (usedOrigins.has(s.origin)) continue;
    const next = jointOf([...best.members, s]);
    if (next && next.logP < best.logP) {
      best = next;
      usedOrigins.add(s.origin);
    }
  }
  return best;
}


/** A line of another witness stream heard inside a joint silence. */
interface Heard {
  stream: Stream;
  /** Its position in the stream's series. */
  k: number;
  tsUs: number;
}

/** Every line of the host's other witness streams strictly inside (a, b), in time order. */
function heardInside(witnesses: readonly Stream[], a: number, b: number): Heard[] {
  const out: Heard[] = [];
  for (const w of witnesses) {
    const ts = w.series.ts;
    const hi = lowerBound(ts, b);
    for (let k = upperBound(ts, a); k < hi; k++) out.push({ stream: w, k, tsUs: ts[k]! });
  }
  return out.sort((x, y) => x.tsUs - y.tsUs || (x.stream.key < y.stream.key ? -1 : x.stream.key > y.stream.key ? 1 : 0));
}

function edgeOf(h: Heard): WindowEdge {
  return { stream: h.stream.key, index: h.stream.series.eventIndex[h.k]!, tsUs: h.tsUs };
}

/** The local tail threshold of a stream's k-th gap (0 without a fit): its next line is due within it. */
function thresholdAt(s: Stream, k: number): number {
  if (k < 0 || k >= s.gaps.length) return 0;
  return s.tails[Math.floor(k / BLOCK_GAPS)]?.thresholdUs ?? 0;
}

/**
 * The pieces of a joint silence that other witnesses leave: every line they were heard at inside it
 * proves the host answered then, so the outage lies between two such instants (or a member's edge).
 * Each piece is tested again with the members' chance of a silence that long; the pieces that stay
 * significant are windows. A line near an edge leaves a short piece there that is no window (the
 * edge moves inward past it); a line in the middle leaves two pieces, each a window only if its own
 * silence is significant.
 */
function piecesOf(host: string, joint: Joint, witnesses: readonly Stream[], tests: number): SilenceWindow[] {
  const members = [...joint.members].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  const memberKeys = new Set(members.map((m) => m.stream));
  const heard = heardInside(
    witnesses.filter((w) => !memberKeys.has(w.key)),
    joint.startUs,
    joint.endUs,
  );
  // The members' own edges: the latest "last line before" and the earliest "first line after".
  const startMember = members.reduce((a, b) => (b.startUs > a.startUs ? b : a));
  const endMember = members.reduce((a, b) => (b.endUs < a.endUs ? b : a));
  const memberStart: WindowEdge = { stream: startMember.stream, index: startMember.beforeIndex, tsUs: startMember.startUs };
  const memberEnd: WindowEdge = { stream: endMember.stream, index: endMember.afterIndex, tsUs: endMember.endUs };
  // Lines of one second are one instant (several witnesses at once bound the same piece).
  const instants: Heard[][] = [];
  for (const h of heard) {
    const last = instants[instants.length - 1];
    if (last && last[0]!.tsUs === h.tsUs) last.push(h);
    else instants.push([h]);
  }
  const witnessedInside = heard.map(edgeOf);
  const found: SilenceWindow[] = [];
  for (let p = 0; p <= instants.length; p++) {
    const before = p > 0 ? instants[p - 1]! : null;
    const after = p < instants.length ? instants[p]! : null;
    const startUs = before ? before[0]!.tsUs : joint.startUs;
    const endUs = after ? after[0]!.tsUs : joint.endUs;
    const length = endUs - startUs;
    let logP = 0;
    for (const m of members) logP += logTailProbability(m.tail, length);
    if (!significant(logP, tests)) continue;
    // The onset lies after the start and before the first instant some stream silent over the piece
    // would most likely have been heard again: a member's next line due, or the next line of the
    // witness heard at the start (its local tail threshold after it).
    // A member already overdue when another witness was heard says nothing of the onset: it was
    // silent past its next line's due instant while the host still answered, so only the members
    // still due after the new start, and the witness heard there, bound it. Untrimmed edges keep the
    // members' own rule (an overdue member there pins the onset to the start).
    const onset = before
      ? Math.min(...before.map((h) => thresholdAt(h.stream, h.k)), ...members.map((m) => m.startUs + m.tail.thresholdUs - startUs).filter((d) => d > 0))
      : Math.min(...members.map((m) => Math.max(0, m.startUs + m.tail.thresholdUs - startUs)));
    const end = after
      ? Math.min(...after.map((h) => thresholdAt(h.stream, h.k - 1)), ...members.map((m) => endUs - (m.endUs - m.tail.thresholdUs)).filter((d) => d > 0))
      : Math.min(...members.map((m) => Math.max(0, endUs - (m.endUs - m.tail.thresholdUs))));
    found.push({
      host,
      startUs,
      endUs,
      logP,
      tests,
      members,
      onsetUncertaintyUs: Math.min(length, onset),
      endUncertaintyUs: Math.min(length, end),
      startEdge: before ? edgeOf(before[0]!) : memberStart,
      endEdge: after ? edgeOf(after[0]!) : memberEnd,
      witnessedInside,
    });
  }
  return found;
}

export function silenceWindows(host: string, streams: readonly Stream[]): SilenceWindow[] {
  const tests = streams.reduce((n, s) => n + s.tests, 0);
  const candidates = streams.flatMap((s) => s.silences).sort((a, b) => a.startUs - b.startUs || a.endUs - b.endUs);
  // Clusters of transitively overlapping candidates: only those can combine.
  const clusters: Silence[][] = [];
  let clusterEnd = -Infinity;
  for (const c of candidates) {
    if (clusters.length > 0 && c.startUs < clusterEnd) {
      clusters[clusters.length - 1]!.push(c);
      clusterEnd = Math.max(clusterEnd, c.endUs);
    } else {
      clusters.push([c]);
      clusterEnd = c.endUs;
    }
  }
  const witnesses = streams.filter((s) => s.witness);
  const found: SilenceWindow[] = [];
  for (const cluster of clusters) {
    const seeds = [...cluster].sort((a, b) => a.logP - b.logP || a.startUs - b.startUs);
    const taken: Joint[] = [];
    for (const seed of seeds) {
      if (taken.some((j) => overlapsSpan(seed, j))) continue;
      const joint = growFrom(seed, cluster);
      if (!significant(joint.logP, tests)) continue;
      if (taken.some((j) => j.startUs < joint.endUs && joint.startUs < j.endUs)) continue;
      const memberStreams = new Set(joint.members.map((m) => m.stream));
      const refuted = witnesses.some((w) => !memberStreams.has(w.key) && carriesOnThrough(w, joint.startUs, joint.endUs));
      taken.push(joint);
      if (refuted) continue;
      found.push(...piecesOf(host, joint, witnesses, tests));
    }
  }
  return found.sort((a, b) => a.startUs - b.startUs);
}
