/** "Did you mean …?" for mistyped option names and filter values. */

/** Edit distance (insert, delete, substitute, swap of neighbours), capped for speed. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known words closest to `typed`: within a third of its length in edits (at least 1, at most
 * 3), or that it is a prefix of; the nearest ones only, at most three.
 */
export function closest(typed: string, known: Iterable<string>): string[] {
  const t = typed.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(t.length / 3)));
  const scored: [string, number][] = [];
  for (const k of new Set(known)) {
    const kl = k.toLowerCase();
    if (kl === t) continue;
    const d = kl.startsWith(t) && t.length >= 2 ? 0.5 : editDistance(t, kl);
    if (d <= limit) scored.push([k, d]);
  }
  if (!scored.length) return [];
  // Only the nearest: `kernal` suggests `kernel`, not also everything two edits away.
  const best = Math.min(...scored.map(([, d]) => d));
  return scored.filter(([, d]) => d === best).sort((a, b) => a[0].localeCompare(b[0])).slice(0, 3).map(([k]) => k);
}

/** ` (did you mean x or y?)`, or nothing. */
export function didYouMean(typed: string, known: Iterable<string>, prefix = ''): string {
  const c = closest(typed, known);
  return c.length ? `; did you mean ${c.map((x) => prefix + x).join(' or ')}?` : '';
}
