/** Small numeric helpers and time formatting shared by the correlator's modules. */

export const SECOND_US = 1_000_000;
export const MINUTE_US = 60 * SECOND_US;

/**
 * ISO-8601 UTC with milliseconds and `Z`, the only time format corr prints. Data fields are converted
 * only by contract-json.ts; other callers quote an instant inside a sentence.
 */
export function iso(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}

export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  const sorted = Array.from(values).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The q-quantile (0..1) of an ascending array, nearest rank. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Standard deviation over mean; how far a "period" is from a metronome. */
export function coefficientOfVariation(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  if (mean === 0) return NaN;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return Math.sqrt(sq / values.length) / mean;
}

/** Seconds between two instants, rounded to 0.1 s so JSON output stays short and stable. */
export function seconds(us: number): number {
  return Math.round(us / 100_000) / 10;
}

/** Rounds to 3 decimals (shares, rates). */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export interface Interval {
  startUs: number;
  endUs: number;
}

/** Merges intervals (any order) into a sorted disjoint union. */
export function unionOf(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.startUs - b.startUs || a.endUs - b.endUs);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.startUs <= last.endUs) last.endUs = Math.max(last.endUs, iv.endUs);
    else out.push({ startUs: iv.startUs, endUs: iv.endUs });
  }
  return out;
}

export function totalLength(intervals: readonly Interval[]): number {
  let sum = 0;
  for (const iv of intervals) sum += iv.endUs - iv.startUs;
  return sum;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.startUs <= b.endUs && b.startUs <= a.endUs;
}
