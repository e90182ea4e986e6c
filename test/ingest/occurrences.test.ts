/** The occurrence counter behind dedup: the k-th identical (tkey, dhash) in a section gets occ k-1. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_KEYS, OccurrenceCounter } from '../../src/ingest/occurrences.js';

/** The rule as first written: a string-keyed map, cleared once it holds more than MAX_KEYS keys. */
function reference(keys: [number, number][]): number[] {
  const seen = new Map<string, number>();
  return keys.map(([t, d]) => {
    const k = `${t}:${d}`;
    const occ = seen.get(k) ?? 0;
    seen.set(k, occ + 1);
    if (seen.size > MAX_KEYS) seen.clear();
    return occ;
  });
}

describe('OccurrenceCounter', () => {
  it('numbers repeats of one key and keeps other keys apart', () => {
    const c = new OccurrenceCounter();
    const got = [c.next(1_779_840_000_000_000, 42), c.next(1_779_840_000_000_000, 42), c.next(1_779_840_000_000_000, 43), c.next(1_779_840_000_000_001, 42), c.next(1_779_840_000_000_000, 42)];
    expect(got).toEqual([0, 1, 0, 0, 2]);
  });

  it('tells apart keys that land in the same slot, negative file keys included', () => {
    const c = new OccurrenceCounter();
    // Same low bits of the hash, different instants, and the negative keys of lines without time.
    const keys: [number, number][] = [[0, 5], [2 ** 30, 5], [-17, 5], [-17, 5 + 2 ** 17], [0, 5], [-17, 5]];
    expect(keys.map(([t, d]) => c.next(t, d))).toEqual([0, 0, 0, 0, 1, 1]);
  });

  it('agrees with the string-keyed map on random streams with many repeats', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 3 })), { maxLength: 300 }), (small) => {
        const keys = small.map(([t, d]) => [1_779_840_000_000_000 + t * 1_000_000, 2 ** 40 + d] as [number, number]);
        const c = new OccurrenceCounter();
        expect(keys.map(([t, d]) => c.next(t, d))).toEqual(reference(keys));
      }),
    );
  });

  it('starts afresh after MAX_KEYS distinct keys, exactly as the map did', () => {
    const keys: [number, number][] = [];
    for (let i = 0; i < MAX_KEYS + 10; i++) keys.push([1_000_000 + i, 7]);
    keys.push([1_000_000, 7], [1_000_000 + MAX_KEYS, 7], [1_000_000 + MAX_KEYS + 5, 7]);
    const c = new OccurrenceCounter();
    const got = keys.map(([t, d]) => c.next(t, d));
    expect(got).toEqual(reference(keys));
    expect(got.slice(-3)).toEqual([0, 0, 1]);
  });
});
