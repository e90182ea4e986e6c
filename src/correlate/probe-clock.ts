/**
 * A probe's clock against the other sources. A probe runs on another machine with its own clock; if
 * that clock is minutes off, every down window it logs sits at one constant offset from the silences
 * the host's network witnesses show.
 *
 * Each edge of a probe window bounds the offset once it is paired with a witness's silence: a probe
 * sees an onset up to one poll late (its first failed poll comes 0..poll after the onset), and a
 * silence places the onset between the witness's last line before and the instant its next line was
 * due. So a pair (probe window, silence) allows the offsets where both of its edges agree, an
 * interval as wide as the poll plus the silence's edge spreads: one pair with a 5 s poll and a
 * scanner every 3 s pins the offset to seconds. The offset is the one most windows agree on, with the
 * fewest windows it puts where a witness line shows the host answered; it is refined to the middle
 * of what every matched pair allows, and that interval's half-width is its uncertainty.
 *
 * Silences here are every witness gap that is a candidate on its own stream (P ≤ CANDIDATE_P), not
 * only those significant after the host's correction: a probe window of the same length at one
 * constant offset is what makes a modest gap evidence.
 */
import type { ProbeWindow } from './probe.js';
import type { SilenceWindow } from './silence-windows.js';
import { type Stream, carriesOnThrough } from './streams.js';
import { lowerBound } from './series.js';
import type { GapTail } from './silence.js';
import { median } from './stats.js';

/**
 * Offsets further than this are not looked for: a clock minutes off is a drift; hours off is a wrong
 * zone (whole hours, which the time alignment names), and the further the search, the likelier some
 * offset lines up a window by accident.
 */
export const MAX_OFFSET_US = 3600 * 1_000_000;
/** Log clocks stamp whole seconds: each edge is known to a second on either clock. */
const CLOCK_RESOLUTION_US = 2_000_000;
export interface ProbeClock {
  /** Positive when the probe's clock runs ahead: true time = probe time − offset. */
  offsetUs: number;
  /** Half the width of the offsets every matched pair allows (plus the clocks' resolution). */
  uncertaintyUs: number;
  /** Probe windows matched at the offset (indices), and the silence each matched. */
  matched: { window: number; silence: number }[];
  /** Windows matched with no offset, for comparison. */
  matchedAtZero: number;
  /** Windows a witness line contradicts at no offset, and at the offset. */
  contradictedAtZero: number;
  contradicted: number;
  /** The poll used (stated, or estimated from the matched edges when the log does not say). */
  pollUs: number;
  pollKnown: boolean;
  /** The silences the windows were matched against (witness gaps). */
  targets: Target[];
  /** Whether the probe is used realigned (its pairs agree on one offset) or not at all. */
  realigned: boolean;
}

/** A witness gap: the host unheard from `startUs` to `endUs`, its edges known to within their spreads. */
export interface Target {
  startUs: number;
  endUs: number;
  /** How long after `startUs` the onset may lie (the stream's next line was due), and before `endUs` the end. */
  onsetSpreadUs: number;
  endSpreadUs: number;
  /** Event index of the last line before (evidence). */
  beforeIndex: number;
  /** Targets that overlap are one outage: a window matches at most one of a group. */
  group: number;
  /** A silence window the host's test found (not only a candidate gap of one stream). */
  significant: boolean;
}

/**
 * The probe's poll interval: `interval_s` when its lines say, else the median spacing of its lines
 * (a probe that logs every check), but never more than its shortest down window (a window lasts at
 * least one poll; a log of transitions alone says no more than that).
 */
export function pollIntervalOf(windows: readonly ProbeWindow[], lineTimes: readonly number[]): number {
  return pollOf(windows, lineTimes).pollUs;
}

function pollOf(windows: readonly ProbeWindow[], lineTimes: readonly number[]): { pollUs: number; known: boolean } {
  const stated = windows.map((w) => w.intervalUs).filter((v): v is number => v !== null);
  if (stated.length > 0) return { pollUs: median(stated), known: true };
  const spacing: number[] = [];
  for (let k = 1; k < lineTimes.length; k++) if (lineTimes[k]! > lineTimes[k - 1]!) spacing.push(lineTimes[k]! - lineTimes[k - 1]!);
  let shortest = Infinity;
  for (const w of windows) if (w.openIndex >= 0 && w.closeIndex >= 0) shortest = Math.min(shortest, w.endUs - w.startUs);
  const typical = spacing.length > 0 ? median(spacing) : Infinity;
  // A log of every poll has lines far closer than its windows are long; a log of transitions has
  // about one line per window edge, so its spacing says nothing about the poll.
  if (typical < shortest) return { pollUs: typical, known: true };
  if (!Number.isFinite(shortest)) return { pollUs: 0, known: false };
  return { pollUs: gridPoll(spacing, shortest), known: false };
}

/**
 * The poll of a log of transitions only. A probe that polls on a fixed beat logs every transition at
 * one of its polls, so every spacing between its lines is a whole number of polls (to the stamps'
 * resolution): the poll is at most the longest period on which every line lies, and at most the
 * shortest window. A period that long fitting every spacing by accident has chance about
 * (2 × resolution / period) per spacing.
 */
export function gridPoll(spacing: readonly number[], shortestUs: number): number {
  const diffs = spacing.filter((d) => d > CLOCK_RESOLUTION_US);
  if (diffs.length < 2) return shortestUs;
  const least = Math.min(...diffs, shortestUs);
  for (let k = 1; least / k >= CLOCK_RESOLUTION_US * 2; k++) {
    const p = least / k;
    if (diffs.every((d) => Math.abs(d - Math.round(d / p) * p) <= CLOCK_RESOLUTION_US)) return p;
  }
  return shortestUs;
}

/** How often the onset may lie further after a witness's last line than `recurrenceBound` allows. */
export const RECURRENCE_MISS = 0.01;

/**
 * How long after a witness's last line an onset can lie, or before its first line after the end:
 * the time from an instant to the stream's previous (or next) event, exceeded with chance
 * RECURRENCE_MISS. At an instant that has nothing to do with the stream (an outage's onset), that
 * time is the backward recurrence time of the stream's renewal process: P(B > x) = ∫ₓ^∞ S(u) du / m.
 * Under the fitted tail (share s of gaps beyond the threshold θ, exponential excess of scale σ) and
 * the mean gap m = 2·s·(θ + σ) (the tail is the longest gaps covering half the time), that is
 * σ·e^(−(x−θ)/σ) / (2(θ + σ)) for x ≥ θ. For a Poisson stream it is 3.0 mean gaps; the threshold
 * alone (1.7 mean gaps) is passed one time in five, and then the true offset is outside the pair's
 * interval: a 148 s scanner was last heard 407 s before an outage of the simulator's seed 1116,
 * and a 172 s one first heard again 196 s after one of seed 1058. For a regular stream the bound is
 * its threshold: its tail is its jitter.
 */
export function recurrenceBound(tail: GapTail): number {
  const theta = tail.thresholdUs;
  const sigma = tail.scaleUs;
  return theta + sigma * Math.max(0, Math.log(sigma / (2 * RECURRENCE_MISS * (theta + sigma))));
}

/** Witness gaps to align on: the host's silence windows and every candidate gap of a witness stream. */
function targetsOf(silences: readonly SilenceWindow[], witnesses: readonly Stream[]): Target[] {
  const list: Omit<Target, 'group'>[] = [];
  for (const s of silences) {
    list.push({ startUs: s.startUs, endUs: s.endUs, onsetSpreadUs: s.onsetUncertaintyUs, endSpreadUs: s.endUncertaintyUs, beforeIndex: s.members[0]?.beforeIndex ?? -1, significant: true });
  }
  for (const w of witnesses) {
    for (const c of w.silences) {
      const length = c.endUs - c.startUs;
      const due = Math.min(length, recurrenceBound(c.tail));
      list.push({ startUs: c.startUs, endUs: c.endUs, onsetSpreadUs: due, endSpreadUs: due, beforeIndex: c.beforeIndex, significant: false });
    }
  }
  list.sort((a, b) => a.startUs - b.startUs || a.endUs - b.endUs);
  const out: Target[] = [];
  let group = -1;
  let groupEnd = -Infinity;
  for (const t of list) {
    if (t.startUs >= groupEnd) group++;
    groupEnd = Math.max(groupEnd, t.endUs);
    out.push({ ...t, group });
  }
  return out;
}

const closed = (w: ProbeWindow): boolean => w.openIndex >= 0 && w.closeIndex >= 0;

/**
 * The offsets a (window, target) pair allows: the probe's first failed poll is 0..poll after the
 * onset, which lies 0..onsetSpread after the target's start; its first good poll is 0..poll after the
 * end, which lies 0..endSpread before the target's end.
 */
function allowed(w: ProbeWindow, t: Target, pollUs: number): { lo: number; hi: number } {
  const d1 = w.startUs - t.startUs;
  const d2 = w.endUs - t.endUs;
  return {
    lo: Math.max(d1 - t.onsetSpreadUs - pollUs, d2 - pollUs) - CLOCK_RESOLUTION_US,
    hi: Math.min(d1, d2 + t.endSpreadUs) + CLOCK_RESOLUTION_US,
  };
}

interface Match {
  window: number;
  target: number;
  lo: number;
  hi: number;
}

function matchesAt(windows: readonly ProbeWindow[], targets: readonly Target[], pollUs: number, offsetUs: number): Match[] {
  const out: Match[] = [];
  const usedGroups = new Set<number>();
  windows.forEach((w, i) => {
    if (!closed(w)) return;
    let best: Match | null = null;
    let bestErr = Infinity;
    targets.forEach((t, j) => {
      if (usedGroups.has(t.group)) return;
      const a = allowed(w, t, pollUs);
      if (offsetUs < a.lo || offsetUs > a.hi) return;
      const err = Math.abs(offsetUs - (a.lo + a.hi) / 2);
      if (err < bestErr) {
        best = { window: i, target: j, lo: a.lo, hi: a.hi };
        bestErr = err;
      }
    });
    if (best !== null) {
      usedGroups.add(targets[(best as Match).target]!.group);
      out.push(best);
    }
  });
  return out;
}

/**
 * Windows that, shifted by the offset, are contradicted: a witness kept its pace through it, or a
 * witness line falls where the probe says the host was surely down (after its first failed poll and
 * before the last poll that could still have failed, one poll before its first good one).
 */
function contradictedAt(windows: readonly ProbeWindow[], witnesses: readonly Stream[], pollUs: number, offsetUs: number): Set<number> {
  const out = new Set<number>();
  windows.forEach((w, i) => {
    const a = w.startUs - offsetUs;
    const b = w.endUs - offsetUs;
    const coreFrom = a + CLOCK_RESOLUTION_US;
    const coreTo = (closed(w) ? b - pollUs : b) - CLOCK_RESOLUTION_US;
    const lineInCore = coreTo > coreFrom && witnesses.some((s) => {
      const k = lowerBound(s.series.ts, coreFrom);
      return k < s.series.ts.length && s.series.ts[k]! <= coreTo;
    });
    if (lineInCore || witnesses.some((s) => carriesOnThrough(s, a, b))) out.add(i);
  });
  return out;
}

/** Windows lined up at an offset and not contradicted there (a window a witness contradicts lines up nothing). */
function scoreAt(windows: readonly ProbeWindow[], targets: readonly Target[], witnesses: readonly Stream[], pollUs: number, offsetUs: number): { matches: Match[]; contradicted: number; score: number } {
  const bad = contradictedAt(windows, witnesses, pollUs, offsetUs);
  const matches = matchesAt(windows, targets, pollUs, offsetUs).filter((m) => !bad.has(m.window));
  return { matches, contradicted: bad.size, score: matches.length - bad.size };
}

/**
 * The probe's clock offset against the host's witnesses, or null when the data shows none. Offsets
 * are scored by the windows they line up (and a witness does not contradict) minus the windows they
 * put where a witness shows the host answered. An offset is kept when it beats no offset by that
 * score and either lines up two windows or more, or no offset is contradicted (a single pair then
 * says by how much). It must also be larger than its own uncertainty plus half a poll.
 */
export function estimateProbeClock(
  windows: readonly ProbeWindow[],
  lineTimes: readonly number[],
  silences: readonly SilenceWindow[],
  witnesses: readonly Stream[],
): ProbeClock | null {
  if (!windows.some(closed)) return null;
  const targets = targetsOf(silences, witnesses);
  if (targets.length === 0) return null;
  const poll = pollOf(windows, lineTimes);
  const pollUs = poll.pollUs;

  const zero = scoreAt(windows, targets, witnesses, pollUs, 0);

  // Candidates: the middle and both ends of what each pair allows (where two pairs' intervals
  // overlap, the overlap starts or ends at one of their ends).
  const candidates = new Set<number>();
  windows.forEach((w) => {
    if (!closed(w)) return;
    for (const t of targets) {
      const a = allowed(w, t, pollUs);
      if (a.lo > a.hi) continue;
      for (const d of [a.lo, (a.lo + a.hi) / 2, a.hi]) if (Math.abs(d) <= MAX_OFFSET_US) candidates.add(Math.round(d));
      // And the middle of each stretch of it that no witness line forbids (an offset must leave every
      // window uncontradicted, below; the pair's own middle may not). A stretch lies inside [lo, hi],
      // so a pair allowing nothing within MAX_OFFSET_US gives no candidate: skipping it changes no
      // result and saves the scan of every witness line (most pairs: targets span the whole store).
      if (a.hi < -MAX_OFFSET_US || a.lo > MAX_OFFSET_US) continue;
      for (const piece of feasiblePieces(windows, witnesses, pollUs, a.lo, a.hi)) {
        const d = (piece.lo + piece.hi) / 2;
        if (Math.abs(d) <= MAX_OFFSET_US) candidates.add(Math.round(d));
      }
    }
  });

  let best: { offsetUs: number; matches: Match[]; contradicted: number; score: number; lag: number } | null = null;
  for (const d of [...candidates].sort((a, b) => Math.abs(a) - Math.abs(b) || a - b)) {
    const at = scoreAt(windows, targets, witnesses, pollUs, d);
    // A wrong clock explains a probe's contradictions only if it explains them all: realigned, every
    // window is an outage no witness answered through. An offset that leaves one contradicted lines
    // up windows a probe lies about, or chance gaps (on seeds 1000..1199 every offset within 30 s of
    // the truth left none; the one that left one was 62 s off, and a metronome liar's "offset" of
    // 2929 s left 5).
    if (at.matches.length === 0 || at.contradicted > 0) continue;
    const lag = largestLag(windows, targets, at.matches, d);
    if (!best || at.score > best.score || (at.score === best.score && lag < best.lag)) best = { offsetUs: d, ...at, lag };
  }
  if (!best || best.score <= zero.score) return null;
  // One pair says by how much only when no offset is contradicted and its silence is one the host's
  // test found: a lone candidate gap (P ≤ 0.05 on one stream, dozens of them by chance in a long
  // stream) lines up with some window at some offset. Otherwise two windows must agree.
  // A gap is part of a silence the host's test found when its group (the gaps that overlap it) holds
  // one: a lone pair is then judged by that silence, whichever of its gaps the window matched best.
  const inSilence = (m: Match): boolean => targets.some((t) => t.significant && t.group === targets[m.target]!.group);
  if (best.matches.length < 2 && (zero.contradicted === 0 || !inSilence(best.matches[0]!))) return null;
  // A probe that nothing contradicts unshifted needs no shift to be consistent, so chance gaps are
  // all an offset would rest on: it is kept only when at least two windows line up with silences
  // the host's test found, more than do unshifted. (The simulator's seeds 1039 and 1086: truthful
  // probes with nothing contradicting them "shifted" by 1808 s and 1127 s because two windows met
  // candidate gaps there and one unshifted; every skewed probe of seeds 1000..1199 is contradicted
  // unshifted.)
  if (zero.contradicted === 0) {
    const significantMatches = best.matches.filter(inSilence).length;
    if (significantMatches < 2 || significantMatches <= zero.matches.filter(inSilence).length) return null;
  }

  // Refine: the middle of what every matched pair allows.
  const usedPoll = pollUs;
  let lo = -Infinity;
  let hi = Infinity;
  for (const m of best.matches) {
    const a = allowed(windows[m.window]!, targets[m.target]!, usedPoll);
    lo = Math.max(lo, a.lo);
    hi = Math.min(hi, a.hi);
  }
  const consistent = lo <= hi;
  // Within what the pairs allow, the offsets that put a witness line inside a window's core are out:
  // each such line is the host answering where the realigned probe says it was surely down. What
  // is left around the chosen offset is where the offset can lie.
  let offsetUs = best.offsetUs;
  let uncertaintyUs = Math.round(usedPoll / 2);
  if (consistent) {
    const piece = feasiblePiece(windows, witnesses, usedPoll, lo, hi, best.offsetUs);
    offsetUs = Math.round((piece.lo + piece.hi) / 2);
    uncertaintyUs = Math.round((piece.hi - piece.lo) / 2);
  }
  // A truthful probe's edges lag by 0..poll, so its windows sit half a poll late on average: an offset
  // within half a poll (plus what the pairs leave open) is that lag and the edges' spread, not a clock.
  if (Math.abs(offsetUs) <= uncertaintyUs + usedPoll / 2) return null;
  const matched = matchesAt(windows, targets, usedPoll, offsetUs);
  return {
    offsetUs,
    uncertaintyUs,
    matched: (matched.length >= best.matches.length ? matched : best.matches).map((m) => ({ window: m.window, silence: m.target })),
    matchedAtZero: zero.matches.length,
    contradictedAtZero: zero.contradicted,
    contradicted: contradictedAt(windows, witnesses, usedPoll, offsetUs).size,
    pollUs: usedPoll,
    pollKnown: poll.known,
    targets,
    realigned: consistent,
  };
}

/**
 * The stretch of [lo, hi] around `at` that no witness line forbids: a line at x is inside window w's
 * core, shifted by δ, when ws − δ + res ≤ x ≤ we − poll − δ − res (the core of `contradictedAt`).
 * `at` itself is allowed (it was chosen with no window contradicted); when the nearest forbidden
 * stretches close in on it from both sides, what is between them is left.
 */
/** Offsets in [lo, hi] at which a witness line falls inside some window's core (see feasiblePiece). */
function forbiddenIn(windows: readonly ProbeWindow[], witnesses: readonly Stream[], pollUs: number, lo: number, hi: number): { lo: number; hi: number }[] {
  const out: { lo: number; hi: number }[] = [];
  for (const w of windows) {
    const coreEnd = (closed(w) ? w.endUs - pollUs : w.endUs) - CLOCK_RESOLUTION_US;
    const coreStart = w.startUs + CLOCK_RESOLUTION_US;
    if (coreEnd <= coreStart) continue;
    for (const s of witnesses) {
      const ts = s.series.ts;
      for (let k = lowerBound(ts, coreStart - hi); k < ts.length && ts[k]! <= coreEnd - lo; k++) out.push({ lo: coreStart - ts[k]!, hi: coreEnd - ts[k]! });
    }
  }
  return out;
}

/** The stretches of [lo, hi] no witness line forbids. */
export function feasiblePieces(windows: readonly ProbeWindow[], witnesses: readonly Stream[], pollUs: number, lo: number, hi: number): { lo: number; hi: number }[] {
  const forbidden = forbiddenIn(windows, witnesses, pollUs, lo, hi).sort((a, b) => a.lo - b.lo);
  const pieces: { lo: number; hi: number }[] = [];
  let from = lo;
  for (const f of forbidden) {
    if (f.lo > from) pieces.push({ lo: from, hi: Math.min(f.lo, hi) });
    from = Math.max(from, f.hi);
    if (from >= hi) break;
  }
  if (from < hi) pieces.push({ lo: from, hi });
  return pieces.filter((p) => p.hi > p.lo);
}

export function feasiblePiece(windows: readonly ProbeWindow[], witnesses: readonly Stream[], pollUs: number, lo: number, hi: number, at: number): { lo: number; hi: number } {
  let left = lo;
  let right = hi;
  for (const f of forbiddenIn(windows, witnesses, pollUs, lo, hi)) {
    if (f.hi < at) left = Math.max(left, f.hi);
    else if (f.lo > at) right = Math.min(right, f.lo);
  }
  return left <= right ? { lo: left, hi: right } : { lo: at, hi: at };
}

/** The lags of the matched edges at an offset: how late the probe saw each onset and each end (upper bounds). */
function lagsOf(windows: readonly ProbeWindow[], targets: readonly Target[], matches: readonly Match[], offsetUs: number): number[] {
  const lags: number[] = [];
  for (const m of matches) {
    const w = windows[m.window]!;
    const t = targets[m.target]!;
    lags.push(w.startUs - offsetUs - t.startUs, w.endUs - offsetUs - (t.endUs - t.endSpreadUs));
  }
  return lags;
}

function largestLag(windows: readonly ProbeWindow[], targets: readonly Target[], matches: readonly Match[], offsetUs: number): number {
  return Math.max(...lagsOf(windows, targets, matches, offsetUs));
}

/** The windows on the other sources' clock. */
export function realign(windows: readonly ProbeWindow[], offsetUs: number): ProbeWindow[] {
  return windows.map((w) => ({ ...w, startUs: w.startUs - offsetUs, endUs: w.endUs - offsetUs }));
}
