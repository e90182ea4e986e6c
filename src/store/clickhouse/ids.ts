/**
 * Ids of the ClickHouse store. There is no transaction and no sequence to take the next number
 * from when several ingesters write at once, so rows are named by what they are: a file version by
 * its real path, content hash and generation; a section by its file and ordinal; a boot by its
 * section and segment. Two ingesters storing the same section write the same ids, and the
 * ReplacingMergeTree tables collapse their rows. Each id is 52 bits (exact in a JavaScript number).
 */
import { createHash, randomBytes } from 'node:crypto';

export function id52(...parts: (string | number)[]): number {
  const h = createHash('sha256').update(parts.map(String).join('\u0000')).digest();
  // 52 bits: the first 6.5 bytes.
  return h.readUIntBE(0, 6) * 16 + (h[6]! >> 4);
}

/**
 * The id of the n-th row under a base id (an attempt's events): a 52-bit mix of the two, as
 * collision-free as a random 52-bit name, without a SHA-256 per event (that was a tenth of an
 * ingester's CPU). Deterministic, like every id here.
 */
export function id52Of(base: number, n: number): number {
  const hi = Math.floor(base / 0x100000000);
  let a = Math.imul((base >>> 0) ^ Math.imul(n, 0x9e3779b1), 0x85ebca6b);
  let b = Math.imul((hi ^ Math.floor(n / 0x100000000) ^ (a >>> 13)) >>> 0, 0xc2b2ae35);
  a ^= b >>> 16;
  a = Math.imul(a, 0x27d4eb2f);
  b ^= a >>> 15;
  b = Math.imul(b, 0x165667b1);
  a ^= b >>> 13;
  // 20 bits of b above 32 bits of a: 52 bits.
  return ((b >>> 12) & 0xfffff) * 0x100000000 + (a >>> 0);
}

/** A section attempt's random name: rows of an attempt that never committed stay invisible. */
export function attemptId(): number {
  const b = randomBytes(7);
  return b.readUIntBE(0, 6) * 16 + (b[6]! >> 4) + 1;
}

let lastVer = 0;
/** Row versions for ReplacingMergeTree: increasing within a process, wall-clock µs across them. */
export function nextVer(): number {
  const now = Date.now() * 1000;
  lastVer = now > lastVer ? now : lastVer + 1;
  return lastVer;
}
