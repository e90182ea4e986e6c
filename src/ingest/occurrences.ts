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
 * log, so a window that large loses nothing real. The table starts small and doubles as keys
 * arrive: a section of three lines (one of 100,000 tiny files) must not allocate and clear the
 * 2.5 MB a full table takes (#17: that alone was a tenth of such an ingest's time, in GC).
 */
export const MAX_KEYS = 50_000;
const MAX_SLOTS = 1 << 17; // ≥ 2.5 × MAX_KEYS, a power of two for the mask
const FIRST_SLOTS = 1 << 6;

export class OccurrenceCounter {
  private tkeys = new Float64Array(FIRST_SLOTS);
  private dhashes = new Float64Array(FIRST_SLOTS);
  /** Occurrences seen so far; 0 marks an empty slot. */
  private counts = new Int32Array(FIRST_SLOTS);
  private mask = FIRST_SLOTS - 1;
  private keys = 0;

  /** The 0-based occurrence of this key: 0 the first time, 1 the second ... */
  next(tkey: number, dhash: number): number {
    let slot = this.find(tkey, dhash);
    const n = this.counts[slot]!;
    if (n !== 0) {
      this.counts[slot] = n + 1;
      return n;
    }
    // A new key: the same rule as a map that is cleared as soon as it holds more than MAX_KEYS.
    if (++this.keys > MAX_KEYS) {
      this.counts.fill(0);
      this.keys = 0;
      return 0;
    }
    if (this.keys * 5 > (this.mask + 1) * 2 && this.mask + 1 < MAX_SLOTS) {
      this.grow();
      slot = this.find(tkey, dhash);
    }
    this.tkeys[slot] = tkey;
    this.dhashes[slot] = dhash;
    this.counts[slot] = 1;
    return 0;
  }

  /** The key's slot, or the empty slot where it would go. */
  private find(tkey: number, dhash: number): number {
    // dhash is already a good hash; folding in tkey's low bits spreads equal messages at other instants.
    let slot = (dhash ^ (tkey % 0x40000000) ^ Math.floor(tkey / 0x40000000)) & this.mask;
    for (;;) {
      if (this.counts[slot] === 0) return slot;
      if (this.tkeys[slot] === tkey && this.dhashes[slot] === dhash) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const { tkeys, dhashes, counts } = this;
    const size = (this.mask + 1) * 2;
    this.tkeys = new Float64Array(size);
    this.dhashes = new Float64Array(size);
    this.counts = new Int32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0) continue;
      const slot = this.find(tkeys[i]!, dhashes[i]!);
      this.tkeys[slot] = tkeys[i]!;
      this.dhashes[slot] = dhashes[i]!;
      this.counts[slot] = counts[i]!;
    }
  }
}
