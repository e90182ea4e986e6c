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

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: relative error under 1e-15 over the range the tests use). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The regularized incomplete beta function I_x(a, b), by its continued fraction (modified Lentz),
 * taken directly for x below (a + 1)/(a + b + 2) and through I_x(a, b) = 1 − I_(1−x)(b, a) above it,
 * where the fraction converges fast. It gives binomial tails without summing n terms (a brute-force
 * campaign has a million attempts).
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBetaFraction(1 - x, b, a, front);
  return incompleteBetaFraction(x, a, b, front);
}

function incompleteBetaFraction(x: number, a: number, b: number, front: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    // Even step, then odd step, of the fraction's terms.
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    f *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return (front * f) / a;
}

/** P(X ≥ k) for X ~ Binomial(n, p): I_p(k, n − k + 1) for 1 ≤ k ≤ n. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n || p <= 0) return 0;
  if (p >= 1) return 1;
  return Math.min(1, Math.max(0, incompleteBeta(p, k, n - k + 1)));
}
