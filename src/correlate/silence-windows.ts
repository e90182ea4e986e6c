/**
 * Outage windows from silences. Each stream's candidate silences (src/correlate/streams.ts) are
 * combined across independent streams of the host: the outage lies where every member was quiet
 * (after the latest "last line before", before the earliest "first line after"), and the chance that
 * all of them were quiet there by accident is the product of each one's chance of a gap that long
 * (independent origins: one per program, one per remote address). A window is found when that
 * chance, corrected for every gap tested on the host, is below FAMILY_ALPHA; a network witness that
 * kept its pace through the window refutes it (the host answered).
 */
import type { Silence, Stream } from './streams.js';
import { carriesOnThrough } from './streams.js';
import { logTailProbability, significant } from './silence.js';

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
      const length = joint.endUs - joint.startUs;
      const onset = Math.min(...joint.members.map((m) => Math.max(0, m.startUs + m.tail.thresholdUs - joint.startUs)));
      const end = Math.min(...joint.members.map((m) => Math.max(0, joint.endUs - (m.endUs - m.tail.thresholdUs))));
      found.push({
        host,
        startUs: joint.startUs,
        endUs: joint.endUs,
        logP: joint.logP,
        tests,
        members: [...joint.members].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0)),
        onsetUncertaintyUs: Math.min(length, onset),
        endUncertaintyUs: Math.min(length, end),
      });
    }
  }
  return found.sort((a, b) => a.startUs - b.startUs);
}
