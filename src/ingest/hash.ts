/**
 * A fast 52-bit string hash for the dedup key (two FNV-1a variants side by side). It only has to
 * tell apart messages that share a host, source and instant (the other parts of the key), so a
 * collision would need two different messages in the same microsecond: 52 bits make that
 * negligible. 52 bits keep it an exact JavaScript number and an SQLite INTEGER.
 */
export function hash52(...parts: string[]): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let p = 0; p < parts.length; p++) {
    const s = parts[p]!;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    // Separator so ('ab','c') and ('a','bc') differ.
    h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
    h2 = Math.imul(h2 ^ 0x1f, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0) * 0x100000 + ((h2 >>> 0) & 0xfffff);
}

/** hash52(host, source, message): the dedup key's hash of one event. */
export function eventHash(host: string, source: string, message: string): number {
  return hash52(host, source, message);
}
