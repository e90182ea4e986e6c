/**
 * A probe's clock against the other sources. A probe runs on another machine with its own clock; if
 * that clock is minutes off, every down window it logs sits at one constant offset from the silences
 * the host's own streams show. The offset is the one that lines up the most probe windows with
 * silences (midpoint with midpoint and duration with duration, within the edges' uncertainties: the
 * probe's poll, the silences' gaps), refined as the median of the matched midpoints' differences. It is reported only when
 * at least MIN_MATCHED_WINDOWS windows agree on it, when it lines up more windows than no offset
 * does, and when it is larger than the matching tolerance (smaller is no offset the data can show).
 */
import type { ProbeWindow } from './probe.js';
import type { SilenceWindow } from './silence-windows.js';
import { type Stream, carriesOnThrough } from './streams.js';
import { median } from './stats.js';

/** One constant offset across windows needs at least two of them: one pair lines up by accident. */
export const MIN_MATCHED_WINDOWS = 2;
/**
 * Offsets further than this are not looked for: a clock minutes off is a drift; hours off is a wrong
 * zone (whole hours, which the time alignment names), and the further the search, the likelier some
 * offset lines up two windows by accident.
 */
export const MAX_OFFSET_US = 3600 * 1_000_000;
/** Edges are matched within their uncertainties plus the resolution of log clocks (1 s each side). */
const CLOCK_RESOLUTION_US = 2_000_000;

export interface ProbeClock {
  /** Positive when the probe's clock runs ahead: true time = probe time − offset. */
  offsetUs: number;
  /** Probe windows matched at the offset (indices), and the silence each matched. */
  matched: { window: number; silence: number }[];
  /** Windows matched with no offset, for comparison. */
  matchedAtZero: number;
  /** Median absolute residual of the matched edges after the offset. */
  residualUs: number;
  toleranceUs: number;
  /** Whether the probe is used realigned (its residuals fit the tolerance) or not at all. */
  realigned: boolean;
}

/**
 * Edges are compared through each window's midpoint and duration: a probe sees an outage up to one
 * poll late at both ends (its midpoint is late by half a poll, give or take half a poll), a stream's
 * silence starts up to one gap early and ends up to one gap late (its midpoint is right, give or take
 * half those gaps). So the probe's midpoint less half a poll and the silence's midpoint agree within
 * half the sum of those uncertainties, and the durations within their sum.
 */
function toleranceFor(pollUs: number, s: SilenceWindow): { mid: number; duration: number } {
  const spread = pollUs + s.onsetUncertaintyUs + s.endUncertaintyUs;
  return { mid: spread / 2 + CLOCK_RESOLUTION_US, duration: spread + CLOCK_RESOLUTION_US };
}

const mid = (w: { startUs: number; endUs: number }): number => (w.startUs + w.endUs) / 2;

function matchesAt(windows: readonly ProbeWindow[], pollUs: number, silences: readonly SilenceWindow[], offsetUs: number): { window: number; silence: number }[] {
  const out: { window: number; silence: number }[] = [];
  const used = new Set<number>();
  windows.forEach((w, i) => {
    if (w.openIndex < 0 || w.closeIndex < 0) return;
    let best = -1;
    let bestErr = Infinity;
    silences.forEach((s, j) => {
      if (used.has(j)) return;
      const tol = toleranceFor(pollUs, s);
      const midErr = Math.abs(mid(w) - pollUs / 2 - offsetUs - mid(s));
      const durationErr = Math.abs(w.endUs - w.startUs - (s.endUs - s.startUs));
      if (midErr > tol.mid || durationErr > tol.duration) return;
      if (midErr < bestErr) {
        best = j;
        bestErr = midErr;
      }
    });
    if (best >= 0) {
      used.add(best);
      out.push({ window: i, silence: best });
    }
  });
  return out;
}

/**
 * The probe's poll interval: `interval_s` when its lines say, else the median spacing of its lines
 * (a probe that logs every check), but never more than its shortest down window (a window lasts at
 * least one poll; a log of transitions alone says no more than that).
 */
export function pollIntervalOf(windows: readonly ProbeWindow[], lineTimes: readonly number[]): number {
  const stated = windows.map((w) => w.intervalUs).filter((v): v is number => v !== null);
  if (stated.length > 0) return median(stated);
  const spacing: number[] = [];
  for (let k = 1; k < lineTimes.length; k++) if (lineTimes[k]! > lineTimes[k - 1]!) spacing.push(lineTimes[k]! - lineTimes[k - 1]!);
  let shortest = Infinity;
  for (const w of windows) if (w.openIndex >= 0 && w.closeIndex >= 0) shortest = Math.min(shortest, w.endUs - w.startUs);
  const typical = spacing.length > 0 ? median(spacing) : Infinity;
  const poll = Math.min(typical, shortest);
  return Number.isFinite(poll) ? poll : 0;
}

/** Probe windows (shifted by the offset) through which a network witness kept its pace. */
function contradictedAt(windows: readonly ProbeWindow[], witnesses: readonly Stream[], offsetUs: number): number {
  let n = 0;
  for (const w of windows) {
    if (witnesses.some((s) => carriesOnThrough(s, w.startUs - offsetUs, w.endUs - offsetUs))) n++;
  }
  return n;
}

/**
 * The probe's clock offset against the host's silences, or null when the data shows none. An offset
 * is scored by the windows it lines up with silences minus the windows it puts where a network
 * witness kept its pace (the host answered then): a wrong offset that happens to line up two
 * windows puts the others where the host was plainly up.
 */
export function estimateProbeClock(
  windows: readonly ProbeWindow[],
  lineTimes: readonly number[],
  silences: readonly SilenceWindow[],
  witnesses: readonly Stream[],
): ProbeClock | null {
  const closed = windows.filter((w) => w.closeIndex >= 0 && w.openIndex >= 0);
  if (closed.length < MIN_MATCHED_WINDOWS || silences.length < MIN_MATCHED_WINDOWS) return null;
  const pollUs = pollIntervalOf(windows, lineTimes);
  // Candidate offsets: every probe midpoint minus every silence midpoint within reach.
  const candidates = new Set<number>();
  for (const w of closed) for (const s of silences) {
    const d = mid(w) - pollUs / 2 - mid(s);
    if (Math.abs(d) <= MAX_OFFSET_US) candidates.add(d);
  }
  const atZero = matchesAt(windows, pollUs, silences, 0).length;
  const scoreAtZero = atZero - contradictedAt(windows, witnesses, 0);
  let best: { offsetUs: number; matched: { window: number; silence: number }[]; contradicted: number } | null = null;
  for (const d of [...candidates].sort((a, b) => Math.abs(a) - Math.abs(b) || a - b)) {
    const matched = matchesAt(windows, pollUs, silences, d);
    if (matched.length < MIN_MATCHED_WINDOWS || (best && matched.length <= best.matched.length - best.contradicted)) continue;
    const contradicted = contradictedAt(windows, witnesses, d);
    if (!best || matched.length - contradicted > best.matched.length - best.contradicted) best = { offsetUs: d, matched, contradicted };
  }
  if (!best || best.matched.length < MIN_MATCHED_WINDOWS) return null;
  // The offset must explain more than no offset does, and line up more windows than it contradicts.
  if (best.matched.length - best.contradicted <= scoreAtZero || best.contradicted >= best.matched.length) return null;
  // Refine: the median of the matched midpoints' differences, then match again at it.
  const diffsOf = (m: readonly { window: number; silence: number }[]): number[] => m.map((x) => mid(windows[x.window]!) - pollUs / 2 - mid(silences[x.silence]!));
  let offsetUs = median(diffsOf(best.matched));
  let matched = matchesAt(windows, pollUs, silences, offsetUs);
  if (matched.length < best.matched.length) {
    offsetUs = best.offsetUs;
    matched = best.matched;
  }
  const residuals = diffsOf(matched).map((d) => Math.abs(d - offsetUs));
  const toleranceUs = median(matched.map((m) => toleranceFor(pollUs, silences[m.silence]!).mid));
  if (Math.abs(offsetUs) <= toleranceUs) return null;
  const residualUs = median(residuals);
  return { offsetUs, matched, matchedAtZero: atZero, residualUs, toleranceUs, realigned: residualUs <= toleranceUs };
}

/** The windows on the other sources' clock. */
export function realign(windows: readonly ProbeWindow[], offsetUs: number): ProbeWindow[] {
  return windows.map((w) => ({ ...w, startUs: w.startUs - offsetUs, endUs: w.endUs - offsetUs }));
}
