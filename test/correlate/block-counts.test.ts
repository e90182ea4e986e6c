/**
 * blockCounts' fast path (runs read off a gap tree, edges as two sorted typed arrays, rooms swept by
 * distinct positions) against the computation it replaced, copied here as it stood (clusters of the
 * whole series per interval, a union, one sorted list of edge objects, every edge walked per room):
 * the same bits, on many generated series, blocks and domains — dense and sparse series, series longer
 * than the tree's two levels, zero-width and overlapping intervals, fractional instants, blocks wider
 * than a stretch. `forEachRun` is held to `clusters` the same way.
 */
import { describe, expect, it } from 'vitest';
import { clusters } from '../../src/correlate/bursts.js';
import { BlockMemo, blockCounts, exactChance, forEachRun, leadChance, leadChanceFloor, upperTailOfCounts } from '../../src/correlate/judge.js';
import { mulberry32 } from '../../src/correlate/prng.js';
import type { Series } from '../../src/correlate/series.js';
import { type Interval, totalLength, unionOf } from '../../src/correlate/stats.js';

type Domain = Interval | readonly Interval[];
const domainOf = (d: Domain): readonly Interval[] => (Array.isArray(d) ? (d as readonly Interval[]) : [d as Interval]);

/** blockCounts before the seventh round of #18, verbatim but for its name. */
function blockCountsReference(s: Series, intervals: readonly Interval[], span: Domain): Float64Array {
  const m = intervals.length;
  const out = new Float64Array(m + 1);
  const blockStart = Math.min(...intervals.map((iv) => iv.startUs));
  const blockEnd = Math.max(...intervals.map((iv) => iv.endUs));
  const width = Math.max(0, blockEnd - blockStart);
  const rooms = domainOf(span)
    .map((d) => ({ startUs: d.startUs, endUs: d.endUs - width }))
    .filter((r) => r.endUs > r.startUs);
  const length = totalLength(rooms);
  if (s.ts.length === 0) {
    out[0] = 1;
    return out;
  }
  if (length <= 0) {
    out[m] = 1;
    return out;
  }
  const edges: { at: number; step: number }[] = [];
  for (const iv of intervals) {
    const w = Math.max(0, iv.endUs - iv.startUs);
    const o = iv.startUs - blockStart;
    const runs = clusters(s, Math.max(1, w) + 1);
    for (const r of unionOf(runs.map((c) => ({ startUs: c.startUs - w - o, endUs: c.endUs - o })))) {
      edges.push({ at: r.startUs, step: 1 }, { at: r.endUs, step: -1 });
    }
  }
  edges.sort((a, b) => a.at - b.at || b.step - a.step);
  const before = new Int32Array(edges.length + 1);
  for (let k = 0; k < edges.length; k++) before[k + 1] = before[k]! + edges[k]!.step;
  for (const room of rooms) {
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid]!.at > room.startUs) hi = mid;
      else lo = mid + 1;
    }
    let count = before[lo]!;
    let at = room.startUs;
    for (let k = lo; k < edges.length && at < room.endUs; k++) {
      const e = edges[k]!;
      if (e.at > at) {
        const to = Math.min(e.at, room.endUs);
        out[Math.min(m, Math.max(0, count))]! += to - at;
        at = to;
      }
      count += e.step;
    }
    if (at < room.endUs) out[Math.min(m, Math.max(0, count))]! += room.endUs - at;
  }
  for (let c = 0; c <= m; c++) out[c] = out[c]! / length;
  return out;
}

const T0 = Date.UTC(2026, 4, 20) * 1000;
const MIN = 60_000_000;
/** Widths the blocks often have, and steps the series often take (each + 1: the run's gap exactly). */
const PALETTE = [1, 20e6, MIN, 2 * MIN, 5 * MIN];

function seriesOf(ts: number[]): Series {
  ts.sort((a, b) => a - b);
  const n = ts.length;
  const prefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) prefix[k + 1] = k + 1;
  return { ts: Float64Array.from(ts), weight: new Float64Array(n).fill(1), prefix, eventIndex: new Int32Array(n), total: n };
}

/** A series over [T0, T0 + spanMin): steady stretches, bursts, lone events, repeats of an instant. */
function randomSeries(next: () => number, spanMin: number, fractional: boolean): Series {
  const ts: number[] = [];
  const stamp = (x: number) => (fractional ? x + Math.floor(next() * 4) / 4 + (next() < 0.1 ? next() : 0) : Math.round(x));
  const shape = next();
  const n = shape < 0.2 ? Math.floor(next() * 8) : shape < 0.7 ? Math.floor(next() * 400) : 1500 + Math.floor(next() * 3500);
  let t = T0 + next() * spanMin * MIN * 0.2;
  for (let k = 0; k < n && t < T0 + spanMin * MIN; k++) {
    const mode = next();
    // Mostly short steps (one run at a gap of minutes), sometimes a jump (a new run at most gaps).
    // A step of exactly a palette width + 1 sits on the edge of a run at that width's gap.
    t += mode < 0.25 ? PALETTE[Math.floor(next() * PALETTE.length)]! + 1 : mode < 0.6 ? next() * 20e6 : mode < 0.9 ? next() * 3 * MIN : next() * 60 * MIN;
    ts.push(stamp(t));
    if (next() < 0.05) ts.push(stamp(t)); // the same instant twice
  }
  return seriesOf(ts.filter((x) => x < T0 + spanMin * MIN));
}

function randomBlock(next: () => number, spanMin: number): Interval[] {
  const m = 1 + Math.floor(next() * 6);
  let at = T0 + next() * spanMin * MIN * 0.9;
  const out: Interval[] = [];
  for (let k = 0; k < m; k++) {
    const width = next() < 0.3 ? PALETTE[Math.floor(next() * PALETTE.length)]! : next() < 0.1 ? 0 : next() < 0.5 ? Math.round(next() * 6 * MIN) : Math.round(next() * 40 * MIN);
    out.push({ startUs: at, endUs: at + width });
    // The next zone: usually after this one, sometimes overlapping it.
    at += next() < 0.2 ? width / 2 : width + Math.round(next() * 10 * MIN);
  }
  return out;
}

function randomDomain(next: () => number, spanMin: number): Domain {
  const span = { startUs: T0, endUs: T0 + spanMin * MIN };
  if (next() < 0.4) return span;
  const pieces = 1 + Math.floor(next() * 5);
  const cuts = Array.from({ length: pieces * 2 }, () => T0 + Math.round(next() * spanMin * MIN)).sort((a, b) => a - b);
  const out: Interval[] = [];
  for (let k = 0; k + 1 < cuts.length; k += 2) if (cuts[k + 1]! > cuts[k]!) out.push({ startUs: cuts[k]!, endUs: cuts[k + 1]! });
  return out.length > 0 ? out : span;
}

const bits = (a: Float64Array) => Array.from(a, (x) => (Object.is(x, -0) ? '-0' : x.toString()));

describe('blockCounts, fast path against the straightforward sweep', () => {
  it('gives the same bits on 3000 generated series, blocks and domains', () => {
    const next = mulberry32(18_07);
    let nontrivial = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const spanMin = 60 + Math.floor(next() * 3 * 1440);
      const s = randomSeries(next, spanMin, trial % 3 === 0);
      const domain = randomDomain(next, spanMin);
      const block = randomBlock(next, spanMin);
      const fast = blockCounts(s, block, domain);
      const reference = blockCountsReference(s, block, domain);
      expect(bits(fast), `trial ${trial}`).toEqual(bits(reference));
      if (reference.filter((x) => x > 0).length >= 3) nontrivial++;
    }
    // Not vacuous: most trials spread the block over several counts.
    expect(nontrivial).toBeGreaterThan(1000);
  });

  it('asks the same series at many gaps (the tree built once) and still agrees', () => {
    const next = mulberry32(42);
    const s = randomSeries(() => 0.9, 5, false); // the dense shape: thousands of events
    const dense = seriesOf(Array.from({ length: 40_000 }, (_, k) => T0 + k * 7e6 + (k % 97 === 0 ? 30 * MIN : 0) + Math.floor(next() * 1e6)));
    for (const series of [s, dense]) {
      for (let trial = 0; trial < 60; trial++) {
        const block = randomBlock(next, 4000);
        const domain = randomDomain(next, 5000);
        expect(bits(blockCounts(series, block, domain))).toEqual(bits(blockCountsReference(series, block, domain)));
      }
    }
  });
});

describe('forEachRun', () => {
  it('finds the runs clusters() finds, at every gap, on series longer than the tree', () => {
    const next = mulberry32(7);
    for (let trial = 0; trial < 200; trial++) {
      const s = randomSeries(next, 1440, trial % 2 === 0);
      const gaps = [1, 2, 1e6, 20e6 + 1, 3 * MIN, 10 * MIN + 1, next() * 60 * MIN, 1e12, ...PALETTE.map((w) => w + 1)];
      for (const gap of gaps) {
        const runs: number[] = [];
        forEachRun(s, gap, (a, b) => runs.push(a, b));
        expect(runs, `trial ${trial} gap ${gap}`).toEqual(clusters(s, gap).flatMap((c) => [c.startUs, c.endUs]));
      }
    }
    const none: number[] = [];
    forEachRun(seriesOf([]), 5, (a, b) => none.push(a, b));
    expect(none).toEqual([]);
  });
});

describe('BlockMemo', () => {
  it('gives exactChance the answers it computes without it, for both tails and repeated blocks', () => {
    const next = mulberry32(99);
    let asked = 0;
    for (let trial = 0; trial < 300; trial++) {
      const spanMin = 600 + Math.floor(next() * 2 * 1440);
      const s = randomSeries(next, spanMin, trial % 2 === 0);
      const other = randomSeries(next, spanMin, false);
      const domain = randomDomain(next, spanMin);
      const zones = [...randomBlock(next, spanMin), ...randomBlock(next, spanMin)].sort((a, b) => a.startUs - b.startUs);
      const half = Math.ceil(zones.length / 2);
      const blocks = [zones.slice(0, half).map((_, k) => k), zones.slice(half).map((_, k) => half + k)].filter((b) => b.length > 0);
      const memo = new BlockMemo(domain);
      // Two series through one memo, each asked twice at several k: never the other's answers.
      for (const series of [s, other, s]) {
        for (let k = 1; k <= zones.length; k++) {
          expect(exactChance(series, zones, k, domain, blocks, memo)).toBe(exactChance(series, zones, k, domain, blocks));
          asked++;
        }
      }
      // A memo of another domain computes afresh.
      const elsewhere = { startUs: T0, endUs: T0 + spanMin * MIN };
      expect(exactChance(s, zones, 1, elsewhere, blocks, memo)).toBe(exactChance(s, zones, 1, elsewhere, blocks));
      expect(bits(memo.counts(s, zones, blocks, 0, domain))).toEqual(bits(blockCountsReference(s, zones.slice(0, half), domain)));
      // The lead test through one memo (its zones per reach remembered) and without it.
      const windows = zones.map((z) => ({ startUs: z.startUs + 5 * MIN, endUs: z.endUs + 5 * MIN + 1 }));
      const leadMemo = new BlockMemo(domain);
      expect(leadChance(s, windows, domain, blocks, leadMemo)).toBe(leadChance(s, windows, domain, blocks));
      expect(leadChanceFloor(s, windows, domain, blocks, leadMemo)).toBe(leadChanceFloor(s, windows, domain, blocks));
      expect(leadChance(other, windows, domain, blocks, leadMemo)).toBe(leadChance(other, windows, domain, blocks));
    }
    expect(asked).toBeGreaterThan(1000);
  });
});

describe('upperTailOfCounts', () => {
  it('is the straightforward convolution, bit for bit', () => {
    const reference = (distributions: readonly Float64Array[], k: number): number => {
      let dist = new Float64Array(k + 1);
      dist[0] = 1;
      for (const d of distributions) {
        const next = new Float64Array(k + 1);
        for (let j = 0; j <= k; j++) {
          if (dist[j] === 0) continue;
          for (let c = 0; c < d.length; c++) next[Math.min(k, j + c)]! += dist[j]! * d[c]!;
        }
        dist = next;
      }
      return dist[k]!;
    };
    const next = mulberry32(5);
    for (let trial = 0; trial < 2000; trial++) {
      const distributions = Array.from({ length: Math.floor(next() * 12) }, () => {
        const d = Float64Array.from({ length: 1 + Math.floor(next() * 5) }, () => (next() < 0.3 ? 0 : next()));
        const sum = d.reduce((a, b) => a + b, 0) || 1;
        return d.map((x) => x / sum);
      });
      const k = 1 + Math.floor(next() * 10);
      expect(upperTailOfCounts(distributions, k)).toBe(reference(distributions, k));
    }
  });
});
