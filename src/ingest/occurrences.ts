/**
 * Counts, within one section, how many times each (tkey, dhash) dedup key has been seen, so the
 * k-th identical event of one file matches the k-th of another (genuine repeats are kept).
 *
 * Why not a Map keyed by a `${tkey}:${dhash}` string: building and hashing that string for every
 * event cost a third as much as the SQLite insert itself, and a Map keyed by the (non-small-integer)
 * numbers still boxes them. Both parts are exact integers below 2^53, so they live in typed arrays
 * of an open-addressing table: no allocation per event.
 *
 * Memory stays bounded: after MAX_KEYS distinct keys the counts start afresh (the table is sized
 * so it is never more than 40 % full). Identical (instant, text) pairs sit close together in a
 * log, so a window that large loses nothing real.
 */
export const MAX_KEYS = 50_000;
const SLOTS = 1 << 17; // ≥ 2.5 × MAX_KEYS, a power of two for the mask
const MASK = SLOTS - 1;

export class OccurrenceCounter {
  private readonly tkeys = new Float64Array(SLOTS);
  private readonly dhashes = new Float64Array(SLOTS);
  /** Occurrences seen so far; 0 marks an empty slot. */
  private readonly counts = new Int32Array(SLOTS);
  private keys = 0;

  /** The 0-based occurrence of this key: 0 the first time, 1 the second ... */
  next(tkey: number, dhash: number): number {
    // dhash is already a good hash; folding in tkey's low bits spreads equal messages at other instants.
    let slot = (dhash ^ (tkey % 0x40000000) ^ Math.floor(tkey / 0x40000000)) & MASK;
    for (;;) {
      const n = this.counts[slot]!;
      if (n === 0) break;
      if (this.tkeys[slot] === tkey && this.dhashes[slot] === dhash) {
        this.counts[slot] = n + 1;
        return n;
      }
      slot = (slot + 1) & MASK;
    }
    // A new key: the same rule as a map that is cleared as soon as it holds more than MAX_KEYS.
    if (++this.keys > MAX_KEYS) {
      this.counts.fill(0);
      this.keys = 0;
      return 0;
    }
    this.tkeys[slot] = tkey;
    this.dhashes[slot] = dhash;
    this.counts[slot] = 1;
    return 0;
  }
}
