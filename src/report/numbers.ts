/**
 * Minimum and maximum of a list without spreading it into arguments: `Math.min(...xs)` throws a
 * RangeError once a list passes about a hundred thousand elements, and a report over a large store
 * can have that many timeline rows.
 */
export function minOf(xs: readonly number[]): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}

export function maxOf(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}
