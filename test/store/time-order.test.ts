/**
 * The column load's time order (timeOrder: a natural merge sort of presorted runs) against the
 * comparator sort it replaced, on generated columns: sections stored one after another, each nearly
 * in time order, ties in time broken by id, ids in any order, a few rows and many.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/correlate/prng.js';
import { timeOrder } from '../../src/store/queries.js';

function comparatorOrder(ts: Float64Array, id: Uint32Array, n: number): Uint32Array | null {
  let sorted = true;
  for (let k = 1; k < n && sorted; k++) sorted = ts[k - 1]! < ts[k]! || (ts[k - 1] === ts[k] && id[k - 1]! < id[k]!);
  if (sorted) return null;
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  order.sort((a, b) => ts[a]! - ts[b]! || id[a]! - id[b]!);
  return order;
}

function columns(next: () => number): { ts: Float64Array; id: Uint32Array; n: number } {
  const sections = 1 + Math.floor(next() * 7);
  const ts: number[] = [];
  const ids: number[] = [];
  let nextId = 1;
  for (let s = 0; s < sections; s++) {
    const rows = Math.floor(next() * (next() < 0.2 ? 5 : 3000));
    let t = 1.78e15 + Math.floor(next() * 1e9);
    for (let r = 0; r < rows; r++) {
      // Mostly forward, sometimes the same instant (ties), sometimes a step back (disorder inside a section).
      const mode = next();
      t += mode < 0.1 ? 0 : mode < 0.15 ? -Math.floor(next() * 5e6) : Math.floor(next() * 2e6);
      ts.push(t);
      ids.push(next() < 0.05 ? 1_000_000 + Math.floor(next() * 1e6) * 7 + s : nextId++);
    }
  }
  // Distinct ids, as the store's are.
  const seen = new Set<number>();
  for (let k = 0; k < ids.length; k++) {
    while (seen.has(ids[k]!)) ids[k] = ids[k]! + 1;
    seen.add(ids[k]!);
  }
  return { ts: Float64Array.from(ts), id: Uint32Array.from(ids), n: ts.length };
}

describe('timeOrder', () => {
  it('orders rows as the comparator sort does, on 400 generated loads', () => {
    const next = mulberry32(0x18_07);
    let unsorted = 0;
    for (let trial = 0; trial < 400; trial++) {
      const { ts, id, n } = columns(next);
      const fast = timeOrder(ts, id, n);
      const reference = comparatorOrder(ts, id, n);
      if (reference === null) expect(fast, `trial ${trial}`).toBeNull();
      else {
        unsorted++;
        expect(Array.from(fast!), `trial ${trial}`).toEqual(Array.from(reference));
      }
    }
    expect(unsorted).toBeGreaterThan(300);
  });

  it('reads only the first n rows of longer columns', () => {
    const ts = Float64Array.from([5, 3, 4, 1, 0]);
    const id = Uint32Array.from([1, 2, 3, 4, 5]);
    expect(Array.from(timeOrder(ts, id, 3)!)).toEqual([1, 2, 0]);
    expect(timeOrder(ts, id, 1)).toBeNull();
    expect(timeOrder(ts, id, 0)).toBeNull();
  });
});
