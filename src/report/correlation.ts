import type { Burst, Finding, Outage } from '../correlate/types.js';
import { formatDuration, isoToMs } from './time.js';

/**
 * How one signal lines up with one outage window, for the correlation tables. The correlator has
 * already judged the finding; this only shows the reader, window by window, where its bursts fell.
 */

/**
 * How far before an onset a burst may start and still count as leading it. Bridge churn and handler
 * timeouts precede the symptom by seconds to a few minutes; ten minutes keeps a slow build-up visible
 * without pairing every window with some unrelated burst.
 */
export const LEAD_TOLERANCE_S = 600;

export type Alignment = { hit: true; deltaS: number } | { hit: false };

interface Interval {
  startMs: number;
  endMs: number;
}

/** A finding's bursts as millisecond intervals; evidence instants stand in when it has no bursts. */
export function signalIntervals(finding: Finding): Interval[] {
  const fromBursts = finding.bursts.flatMap((b: Burst) => interval(b.start, b.end));
  if (fromBursts.length > 0) return fromBursts;
  return finding.evidence.flatMap((e) => interval(e.ts, e.ts));
}

function interval(start: string, end: string): Interval[] {
  const s = isoToMs(start);
  const e = isoToMs(end);
  if (s === null) return [];
  return [{ startMs: s, endMs: e === null || e < s ? s : e }];
}

/** How recent a burst before the onset must be to be read as leading it rather than as an earlier, separate one. */
export const LEAD_PREFERENCE_S = 300;

/**
 * Where a signal stands against one window: a burst already running at the onset, or one that started
 * shortly before it, leads (the latest such start); otherwise the burst nearest the onset within the
 * lead tolerance and the window. Negative delta leads.
 */
export function alignToWindow(intervals: readonly Interval[], outage: Outage): Alignment {
  const onset = isoToMs(outage.start);
  const end = isoToMs(outage.end);
  if (onset === null || end === null) return { hit: false };
  let leading: number | null = null;
  let best: number | null = null;
  for (const iv of intervals) {
    if (iv.endMs < onset - LEAD_TOLERANCE_S * 1000 || iv.startMs > end) continue;
    const delta = (iv.startMs - onset) / 1000;
    if (iv.startMs <= onset && iv.endMs >= onset - LEAD_PREFERENCE_S * 1000 && (leading === null || delta > leading)) leading = delta;
    if (best === null || Math.abs(delta) < Math.abs(best) || (Math.abs(delta) === Math.abs(best) && delta < best)) {
      best = delta;
    }
  }
  const chosen = leading ?? best;
  return chosen === null ? { hit: false } : { hit: true, deltaS: chosen };
}

/** `hit, leads by 45 s` / `hit, at onset` / `hit, lags by 2.5 min` / `miss`. */
export function describeAlignment(a: Alignment): string {
  if (!a.hit) return 'miss';
  if (Math.round(a.deltaS) === 0) return 'hit, at onset';
  return a.deltaS < 0 ? `hit, leads by ${formatDuration(a.deltaS)}` : `hit, lags by ${formatDuration(a.deltaS)}`;
}

/** `p = 0.004`: the share of random shifts of the windows that hit as many onsets. */
export function describeChance(chance: number | null): string {
  if (chance === null || !Number.isFinite(chance)) return 'not computed';
  if (chance <= 0) return 'p = 0 (no random shift of the windows hit as many onsets)';
  if (chance < 0.001) return `p = ${chance.toExponential(1)}`;
  return `p = ${chance.toFixed(3)}`;
}
