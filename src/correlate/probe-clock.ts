/**
 * A probe's clock against the other sources. A probe runs on another machine with its own clock; if
 * that clock is minutes off, every down window it logs sits at one constant offset from the silences
 * the host's own streams show. The offset is the one that lines up the most probe windows with
 * silences at both edges (onset with onset, recovery with recovery, each within the two edges'
 * uncertainties), refined as the median of the matched edges' differences. It is reported only when
 * at least MIN_MATCHED_WINDOWS windows agree on it, when it lines up more windows than no offset
 * does, and when it is larger than the matching tolerance (smaller is no offset the data can show).
 */
import type { ProbeWindow } from './probe.js';
import type { SilenceWindow } from './silence-windows.js';
import { median } from './stats.js';

/** One constant offset across windows needs at least two of them: one pair lines up by accident. */
export const MIN_MATCHED_WINDOWS = 2;
/** Offsets further than this are not looked for: a probe a day off is a wrong zone, not a drift. */
export const MAX_OFFSET_US = 6 * 3600 * 1_000_000;
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

function toleranceFor(w: ProbeWindow, s: SilenceWindow): { onset: number; end: number } {
  const poll = w.intervalUs ?? 0;
  return { onset: poll + s.onsetUncertaintyUs + CLOCK_RESOLUTION_US, end: poll + s.endUncertaintyUs + CLOCK_RESOLUTION_US };
}

function matchesAt(windows: readonly ProbeWindow[], silences: readonly SilenceWindow[], offsetUs: number): { window: number; silence: number }[] {
  const out: { window: number; silence: number }[] = [];
  const used = new Set<number>();
  windows.forEach((w, i) => {
    let best = -1;
    let bestErr = Infinity;
    silences.forEach((s, j) => {
      if (used.has(j)) return;
      const tol = toleranceFor(w, s);
      const onsetErr = Math.abs(w.startUs - offsetUs - s.startUs);
      const endErr = Math.abs(w.endUs - offsetUs - s.endUs);
      if (onsetErr > tol.onset || endErr > tol.end) return;
      if (onsetErr + endErr < bestErr) {
        best = j;
        bestErr = onsetErr + endErr;
      }
    });
    if (best >= 0) {
      used.add(best);
      out.push({ window: i, silence: best });
    }
  });
  return out;
}

/** The probe's clock offset against the host's silences, or null when the data shows none. */
export function estimateProbeClock(windows: readonly ProbeWindow[], silences: readonly SilenceWindow[]): ProbeClock | null {
  const closed = windows.filter((w) => w.closeIndex >= 0 && w.openIndex >= 0);
  if (closed.length < MIN_MATCHED_WINDOWS || silences.length < MIN_MATCHED_WINDOWS) return null;
  // Candidate offsets: every probe onset minus every silence onset within reach.
  const candidates = new Set<number>();
  for (const w of closed) for (const s of silences) {
    const d = w.startUs - s.startUs;
    if (Math.abs(d) <= MAX_OFFSET_US) candidates.add(d);
  }
  const atZero = matchesAt(windows, silences, 0).length;
  let best: { offsetUs: number; matched: { window: number; silence: number }[] } | null = null;
  for (const d of [...candidates].sort((a, b) => Math.abs(a) - Math.abs(b) || a - b)) {
    const matched = matchesAt(windows, silences, d);
    if (!best || matched.length > best.matched.length) best = { offsetUs: d, matched };
  }
  if (!best || best.matched.length < MIN_MATCHED_WINDOWS || best.matched.length <= atZero) return null;
  // Refine: the median of every matched edge's difference, then match again at it.
  const diffs: number[] = [];
  for (const m of best.matched) {
    diffs.push(windows[m.window]!.startUs - silences[m.silence]!.startUs);
    diffs.push(windows[m.window]!.endUs - silences[m.silence]!.endUs);
  }
  let offsetUs = median(diffs);
  let matched = matchesAt(windows, silences, offsetUs);
  if (matched.length < best.matched.length) {
    offsetUs = best.offsetUs;
    matched = best.matched;
  }
  const residuals: number[] = [];
  const tolerances: number[] = [];
  for (const m of matched) {
    const w = windows[m.window]!;
    const s = silences[m.silence]!;
    residuals.push(Math.abs(w.startUs - offsetUs - s.startUs), Math.abs(w.endUs - offsetUs - s.endUs));
    const tol = toleranceFor(w, s);
    tolerances.push(tol.onset, tol.end);
  }
  const toleranceUs = median(tolerances);
  if (Math.abs(offsetUs) <= toleranceUs) return null;
  const residualUs = median(residuals);
  return { offsetUs, matched, matchedAtZero: atZero, residualUs, toleranceUs, realigned: residualUs <= toleranceUs };
}

/** The windows on the other sources' clock. */
export function realign(windows: readonly ProbeWindow[], offsetUs: number): ProbeWindow[] {
  return windows.map((w) => ({ ...w, startUs: w.startUs - offsetUs, endUs: w.endUs - offsetUs }));
}
