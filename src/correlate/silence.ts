import { quantileSorted } from './stats.js';

/**
 * Silence as a statistical test. A stream's gaps are modelled as a renewal process fitted to the
 * stream in its own neighbourhood: the gap distribution's body is taken as observed and its upper
 * tail as exponential beyond a threshold (peaks over threshold: the longest gaps covering half the
 * neighbourhood's time, TAIL_TIME_SHARE). For a
 * Poisson stream that is exact (P(no event for g) = e^(−λg)); for a regular, jittered stream the
 * tail is light and a gap of a few periods is already very surprising; for a bursty stream the
 * pauses between bursts sit in the fitted tail and make its scale long, so ordinary pauses are not.
 *
 * The fit is robust to bursts and to other outages nearby: the threshold is set by time share, and
 * the tail's scale is the mean excess over it once outliers are dropped (robustScale), so another
 * outage among the neighbours does not stretch it.
 */

/**
 * The tail is fitted to the longest gaps of the neighbourhood that together cover half its time, and
 * at least MIN_TAIL_GAPS of them. For a Poisson stream those are the gaps above 1.68 mean gaps (the
 * top 19 %), whose excess is again exponential with the stream's mean: the fit is exact. For a bursty
 * stream they are the pauses between bursts, not the quick lines inside one (which are most gaps but
 * little time), so the pauses set the scale.
 */
export const TAIL_TIME_SHARE = 0.5;
/** At least 8 gaps in the tail: fewer make its scale a guess. */
export const MIN_TAIL_GAPS = 8;
/** Blocks of this many consecutive gaps share one fit ... */
export const BLOCK_GAPS = 32;
/** ... read from the block and this many blocks on either side (160 gaps: the stream's neighbourhood). */
export const NEIGHBOUR_BLOCKS = 2;
/** An excess is an outlier when fewer than this many that long are expected among the tail's. */
export const OUTLIER_EXPECTED = 0.01;
/** A fit needs at least this many gaps: twice the tail's, so the tail is a part of the stream. */
export const MIN_FIT_GAPS = 2 * MIN_TAIL_GAPS;
/**
 * Timestamps of most logs have one-second resolution: a stream logged every 8 s shows gaps of 7, 8
 * and 9 s, never a continuum, so the tail's scale is never taken below the clock's resolution.
 */
export const MIN_SCALE_US = 1_000_000;

export interface GapTail {
  /** The tail threshold: the longest gap below the tail. */
  thresholdUs: number;
  /** Share of the neighbourhood's gaps in the tail. */
  shareAbove: number;
  /** Scale of the exponential tail beyond the threshold (robustScale). */
  scaleUs: number;
  /** Median gap of the neighbourhood (the stream's local pace). */
  medianUs: number;
}

/**
 * The exponential scale of excesses (ascending): their mean (the maximum-likelihood estimate, the
 * most precise there is) after dropping outliers — excesses so long that, at the scale the shorter
 * ones give, fewer than OUTLIER_EXPECTED of them would be expected among this many. Another outage
 * in the neighbourhood is such an outlier; it would otherwise stretch the scale and hide this one.
 *
 * The shorter ones' scale is found by a forward search: from the shorter half up, each excess is
 * tested against the scale of those below it, estimated as what they are, the k shortest of n
 * (the censored maximum-likelihood estimate, (Σ x₍ᵢ₎ + (n − k)·x₍ₖ₎) / k, which knows the others are
 * longer); the first excess that is an outlier at that scale and at the one the median gives, and
 * everything above it, are dropped. A search from the top would let two outages hide each other; a
 * scale from the median alone is a guess from a handful of gaps:
 * on 13 tail gaps of a Poisson scanner (mean 9 s) it came out at 2.5 s, dropped the tail's own 39
 * and 47 s gaps as outliers, and made an ordinary 47 s pause an outage (the simulator's seed 156).
 */
export function robustScale(excess: readonly number[]): number {
  const n = excess.length;
  if (n === 0) return 0;
  const limitFactor = Math.log(n / OUTLIER_EXPECTED);
  const fromMedian = quantileSorted(excess, 0.5) / Math.LN2;
  let k = Math.max(1, Math.ceil(n / 2));
  let sum = 0;
  for (let i = 0; i < k; i++) sum += excess[i]!;
  while (k < n) {
    // An outlier at both scales: either can come out low by chance, the median's from a handful of
    // gaps, the censored one from whole-second stamps (a regular stream's excesses are mostly 0 s
    // and 1 s, where the seed fixture's 8 s scanner keeps its own 19 s gap in its tail).
    const censored = (sum + (n - k) * excess[k - 1]!) / k;
    if (excess[k]! > Math.max(censored, fromMedian) * limitFactor) break;
    sum += excess[k]!;
    k++;
  }
  return sum / k;
}

/** Fits the tail to a neighbourhood of gaps (any order). Null when there are too few. */
export function fitTail(gaps: ArrayLike<number>): GapTail | null {
  if (gaps.length < MIN_FIT_GAPS) return null;
  const desc = Float64Array.from(gaps).sort().reverse();
  let total = 0;
  for (const g of desc) total += g;
  let covered = 0;
  let count = 0;
  while (count < desc.length - 1 && (count < MIN_TAIL_GAPS || covered < TAIL_TIME_SHARE * total)) covered += desc[count++]!;
  const thresholdUs = desc[count]!;
  const excess: number[] = [];
  for (let k = count - 1; k >= 0; k--) excess.push(desc[k]! - thresholdUs);
  return {
    thresholdUs,
    shareAbove: count / desc.length,
    scaleUs: Math.max(MIN_SCALE_US, robustScale(excess)),
    medianUs: desc[desc.length >> 1]!,
  };
}

/** Natural log of the probability of a gap at least `lengthUs` long under the fitted tail (≤ 0). */
export function logTailProbability(tail: GapTail, lengthUs: number): number {
  if (lengthUs <= tail.thresholdUs) return 0;
  return Math.log(tail.shareAbove) - (lengthUs - tail.thresholdUs) / tail.scaleUs;
}

/**
 * The fits of a stream's gaps, one per block of BLOCK_GAPS consecutive gaps, each read from the block
 * and NEIGHBOUR_BLOCKS blocks on either side. Linear in the stream's length: a million-point stream is fitted
 * in 30 000 small sorts, not a million.
 */
export function blockTails(gaps: Float64Array): (GapTail | null)[] {
  const blocks = Math.ceil(gaps.length / BLOCK_GAPS);
  const tails: (GapTail | null)[] = [];
  for (let b = 0; b < blocks; b++) {
    const from = Math.max(0, (b - NEIGHBOUR_BLOCKS) * BLOCK_GAPS);
    const to = Math.min(gaps.length, (b + 1 + NEIGHBOUR_BLOCKS) * BLOCK_GAPS);
    tails.push(fitTail(gaps.subarray(from, to)));
  }
  return tails;
}

/** Probability below which a gap is a candidate (one stream alone, before any correction). */
export const CANDIDATE_P = 0.05;
/**
 * Family-wise error of the silence test on one host: a window is found when the probability of its
 * silence by chance, times the number of gaps tested on the host (Bonferroni), is at most this.
 */
export const FAMILY_ALPHA = 0.01;

/** Whether a joint log-probability is significant when `tests` gaps were tested. */
export function significant(logP: number, tests: number): boolean {
  return logP + Math.log(Math.max(1, tests)) <= Math.log(FAMILY_ALPHA);
}
