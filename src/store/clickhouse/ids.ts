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
