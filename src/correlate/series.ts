/**
 * A signal as the correlator sees it: sorted instants with weights (a `message repeated N times` row
 * weighs N), plus prefix sums so "how many events between a and b" is two binary searches. Every
 * judgement (windows, bursts, permutation test) is built on these queries, which keeps the engine
 * O(n log n) on a million events.
 */
import type { EventRow } from '../model/event.js';
import { type EventTable, asTable, weightOfCount } from './event-table.js';

export interface Series {
  /** UTC microseconds, ascending. */
  ts: Float64Array;
  weight: Float64Array;
  /** prefix[i] = sum of weight[0..i). */
  prefix: Float64Array;
  /** Index of each point in the events array the engine was given (for evidence lines). */
  eventIndex: Int32Array;
  total: number;
}

/** How many events a row stands for. A missing or nonsensical count is one event. */
export function rowWeight(e: EventRow): number {
  return weightOfCount(e.count);
}

/**
 * Builds a series from event indices in ascending order (the engine's events are sorted by time, so
 * indices in ascending order are points in time order). `weightOf` returns 0 to leave an event out.
 */
export function buildSeries(
  eventsOrTable: readonly EventRow[] | EventTable,
  indices: ArrayLike<number>,
  weightOf?: (i: number) => number,
): Series {
  const events = asTable(eventsOrTable);
  const weightAt = weightOf ?? ((i: number) => events.weight(i));
  // Two passes into typed arrays: a million-point series is built without a million boxed numbers.
  const weights = new Float64Array(indices.length);
  let size = 0;
  for (let k = 0; k < indices.length; k++) {
    const w = weightAt(indices[k]!);
    weights[k] = w;
    if (w > 0) size++;
  }
  const ts = new Float64Array(size);
  const weight = new Float64Array(size);
  const eventIndex = new Int32Array(size);
  const prefix = new Float64Array(size + 1);
  let j = 0;
  for (let k = 0; k < indices.length; k++) {
    const w = weights[k]!;
    if (w <= 0) continue;
    const i = indices[k]!;
    ts[j] = events.ts(i);
    weight[j] = w;
    eventIndex[j] = i;
    prefix[j + 1] = prefix[j]! + w;
    j++;
  }
  return { ts, weight, prefix, eventIndex, total: prefix[size]! };
}

/** First position whose instant is >= x. */
export function lowerBound(ts: Float64Array, x: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position whose instant is > x. */
export function upperBound(ts: Float64Array, x: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Weighted number of events with a <= t <= b. */
export function weightBetween(s: Series, a: number, b: number): number {
  if (b < a) return 0;
  return s.prefix[upperBound(s.ts, b)]! - s.prefix[lowerBound(s.ts, a)]!;
}

/** Weighted number of events with a < t < b (strictly inside). */
export function weightStrictlyInside(s: Series, a: number, b: number): number {
  const lo = upperBound(s.ts, a);
  const hi = lowerBound(s.ts, b);
  return hi > lo ? s.prefix[hi]! - s.prefix[lo]! : 0;
}

/** Position of the first point with a <= t <= b, or -1. */
export function firstBetween(s: Series, a: number, b: number): number {
  const k = lowerBound(s.ts, a);
  return k < s.ts.length && s.ts[k]! <= b ? k : -1;
}
