/**
 * A seeded PRNG (mulberry32) for the permutation test: the same seed gives the same shifts, so the
 * same input gives byte-identical `chance` values run after run. Math.random would not.
 */

export const DEFAULT_SEED = 0x5eed_c0de;

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` offsets in [0, 1), the shares of the observed span by which the windows are shifted. */
export function shiftFractions(seed: number, count: number): Float64Array {
  const next = mulberry32(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = next();
  return out;
}
