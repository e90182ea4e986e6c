/**
 * Kernel lines seen during one run, to anchor raw dmesg by the same messages in a journal or
 * syslog: `journalctl -k` and `/var/log/syslog` kernel lines carry a wall time but no uptime; raw
 * dmesg carries the uptime but no wall time; a message that occurs once on each side of one host
 * is the same line, and gives a (wall − uptime) pair (src/time/boot-placement.ts takes their
 * minimum: a logging delay only ever adds).
 *
 * Bounded: past `limit` distinct messages per side and host, further ones are not indexed (the
 * pairs already found are plenty; a ring buffer holds far fewer lines).
 */
import type { PairGroup } from '../../time/boot-placement.js';
import { hostKey } from './hosts.js';

/** Kernel messages are compared with whitespace runs collapsed (journald and dmesg pad differently). */
export function kernelMessageKey(message: string): string {
  // Nearly every message is already in that form: it is then its own key, not a copy (the twins
  // step keys every kernel row of a boot and of its journal by this: 600,000 copies at 1M lines).
  return isCollapsed(message) ? message : message.replace(/\s+/g, ' ').trim();
}

/** No whitespace but single spaces between other characters: `kernelMessageKey` would change nothing. */
function isCollapsed(message: string): boolean {
  const n = message.length;
  for (let i = 0; i < n; i++) {
    const c = message.charCodeAt(i);
    if (c === 0x20) {
      if (i === 0 || i === n - 1 || message.charCodeAt(i + 1) === 0x20) return false;
    } else if (isSpace(c)) return false;
  }
  return true;
}

/** The characters JavaScript's `\s` matches (so the hash below agrees with `kernelMessageKey`). */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Two independent 32-bit hashes of `kernelMessageKey(message)`, computed without building that
 * string. The index keeps only these 64 bits per message, not the text: a false match needs two
 * different messages, one on each side, with equal 64-bit hashes — at the bound of 500 000 per side
 * about 2.5e11 / 1.8e19 ≈ 1e-8 per boot, and it would still have to be the extreme pair to move
 * the placement. Written into `out[0]`, `out[1]`.
 */
export function kernelMessageHash(message: string, out: Uint32Array): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  let n = 0;
  let pendingSpace = false;
  for (let i = 0; i < message.length; i++) {
    let c = message.charCodeAt(i);
    if (isSpace(c)) {
      pendingSpace = n > 0; // leading whitespace is trimmed; a run collapses to one space
      continue;
    }
    if (pendingSpace) {
      h1 = Math.imul(h1 ^ 0x20, 0x01000193);
      h2 = Math.imul(h2 ^ 0x20, 0x5bd1e995);
      h2 ^= h2 >>> 15;
      n++;
      pendingSpace = false; // trailing whitespace never gets here: it is trimmed
    }
    h1 = Math.imul(h1 ^ c, 0x01000193);
    c = Math.imul(c, 0xcc9e2d51);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
    n++;
  }
  out[0] = fmix32(h1 ^ n);
  out[1] = fmix32(h2 ^ Math.imul(n, 0x27d4eb2d));
}

/**
 * One side of the index (one host's wall-clock lines, or one boot's raw lines): message hash →
 * instant, or "ambiguous" once a message was seen twice. Entries sit in typed arrays in insertion
 * order (24 bytes each with the open-addressing slots, against ~250 for a Map of strings, and no
 * reference to the line's text, whose slice would keep a whole read chunk alive).
 */
export class MessageSide {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  private value = new Float64Array(1024);
  private slots = new Int32Array(2048).fill(-1);
  size = 0;

  constructor(private readonly limit: number) {}

  add(h: Uint32Array, v: number): void {
    const hi = h[0]!;
    const lo = h[1]!;
    const mask = this.slots.length - 1;
    let s = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    for (;;) {
      const e = this.slots[s]!;
      if (e === -1) break;
      if (this.hi[e] === hi && this.lo[e] === lo) {
        this.value[e] = NaN; // seen twice: never matched
        return;
      }
      s = (s + 1) & mask;
    }
    if (this.size >= this.limit) return;
    const e = this.size++;
    if (e === this.hi.length) this.growEntries();
    this.hi[e] = hi;
    this.lo[e] = lo;
    this.value[e] = v;
    this.slots[s] = e;
    if (this.size * 2 > this.slots.length) this.rehash();
  }

  /** The instant of a message seen exactly once, or NaN (never seen, seen twice). */
  get(hi: number, lo: number): number {
    const mask = this.slots.length - 1;
    let s = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    for (;;) {
      const e = this.slots[s]!;
      if (e === -1) return NaN;
      if (this.hi[e] === hi && this.lo[e] === lo) return this.value[e]!;
      s = (s + 1) & mask;
    }
  }

  /** Calls `fn` for each message seen exactly once, in the order first seen. */
  forEachOnce(fn: (hi: number, lo: number, v: number) => void): void {
    for (let e = 0; e < this.size; e++) {
      const v = this.value[e]!;
      if (!Number.isNaN(v)) fn(this.hi[e]!, this.lo[e]!, v);
    }
  }

  private growEntries(): void {
    const n = this.hi.length * 2;
    const grow = <A extends Uint32Array | Float64Array>(a: A, b: A): A => (b.set(a), b);
    this.hi = grow(this.hi, new Uint32Array(n));
    this.lo = grow(this.lo, new Uint32Array(n));
    this.value = grow(this.value, new Float64Array(n));
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let e = 0; e < this.size; e++) {
      let s = (this.hi[e]! ^ Math.imul(this.lo[e]!, 0x9e3779b1)) & mask;
      while (slots[s] !== -1) s = (s + 1) & mask;
      slots[s] = e;
    }
    this.slots = slots;
  }
}

export class KernelLineIndex {
  private readonly wall = new Map<string, { byMessage: MessageSide; subSecond: boolean; any: boolean }>();
  private readonly raw = new Map<number, { byMessage: MessageSide; host: string }>();
  private readonly h = new Uint32Array(2);

  constructor(private readonly limit = 500_000) {}

  /** A kernel line with a wall-clock instant and no uptime stamp. `subSecond`: its stamp had a fraction. */
  addWall(host: string, message: string, wallUs: number, subSecond: boolean): void {
    const k = hostKey(host);
    let side = this.wall.get(k);
    if (!side) this.wall.set(k, (side = { byMessage: new MessageSide(this.limit), subSecond: true, any: false }));
    side.any = true;
    if (!subSecond) side.subSecond = false;
    kernelMessageHash(message, this.h);
    side.byMessage.add(this.h, wallUs);
  }

  /** A line of boot segment `bootId` (any id the caller keeps) with only an uptime stamp. */
  addRaw(bootId: number, host: string, message: string, uptimeUs: number): void {
    let side = this.raw.get(bootId);
    if (!side) this.raw.set(bootId, (side = { byMessage: new MessageSide(this.limit), host }));
    kernelMessageHash(message, this.h);
    side.byMessage.add(this.h, uptimeUs);
  }

  /** Boot segments indexed so far. */
  boots(): number[] {
    return [...this.raw.keys()];
  }

  /**
   * The matched pairs of one boot segment of this run against a host's stored wall-clock kernel
   * lines (journal, syslog: stored by this run or an earlier one), or null.
   */
  pairsAgainst(bootId: number, wall: readonly { message: string; tsUs: number }[]): PairGroup | null {
    const r = this.raw.get(bootId);
    if (!r || wall.length === 0) return null;
    return pairGroup(r.byMessage, wallSide(wall, this.limit), wall, r.host);
  }

  /**
   * The matched pairs of one boot segment against its host's wall-clock kernel lines, or null:
   * one (wall − uptime) per message seen exactly once on each side (as `matchedPairs` in
   * src/time/boot-placement.ts does with the texts).
   */
  pairsFor(bootId: number): PairGroup | null {
    const r = this.raw.get(bootId);
    if (!r) return null;
    const w = this.wall.get(hostKey(r.host));
    if (!w) return null;
    const pairs: number[] = [];
    r.byMessage.forEachOnce((hi, lo, uptimeUs) => {
      const wallUs = w.byMessage.get(hi, lo);
      if (!Number.isNaN(wallUs)) pairs.push(wallUs - uptimeUs);
    });
    if (pairs.length === 0) return null;
    return {
      kind: 'matched-lines',
      pairsUs: pairs,
      resolutionUs: w.subSecond ? 1 : 1_000_000,
      source: `${pairs.length} kernel message${pairs.length === 1 ? '' : 's'} matched to the same lines of ${r.host}'s journal or syslog (the earliest pair: a logging delay only adds)`,
    };
  }
}

function wallSide(wall: readonly { message: string; tsUs: number }[], limit: number): MessageSide {
  const side = new MessageSide(limit);
  const h = new Uint32Array(2);
  for (const w of wall) {
    kernelMessageHash(w.message, h);
    side.add(h, w.tsUs);
  }
  return side;
}

function pairGroup(raw: MessageSide, wall: MessageSide, wallLines: readonly { tsUs: number }[], host: string): PairGroup | null {
  const pairs: number[] = [];
  raw.forEachOnce((hi, lo, uptimeUs) => {
    const wallUs = wall.get(hi, lo);
    if (!Number.isNaN(wallUs)) pairs.push(wallUs - uptimeUs);
  });
  if (pairs.length === 0) return null;
  // Whole-second stamps (syslog) make a pair good to a second; a stamp with a fraction, to its digits.
  const subSecond = wallLines.every((w) => w.tsUs % 1_000_000 !== 0);
  return {
    kind: 'matched-lines',
    pairsUs: pairs,
    resolutionUs: subSecond ? 1 : 1_000_000,
    source: `${pairs.length} kernel message${pairs.length === 1 ? '' : 's'} matched to the same lines of ${host}'s journal or syslog (the earliest pair: a logging delay only adds)`,
  };
}

/**
 * A stored boot's raw lines (an earlier run's dmesg, still unplaced) against its host's stored
 * wall-clock kernel lines: the same rule (a message exactly once on each side), or null.
 */
export function matchStoredBoot(raw: readonly { message: string; uptimeUs: number }[], wall: readonly { message: string; tsUs: number }[], host: string, limit = 500_000): PairGroup | null {
  if (raw.length === 0 || wall.length === 0) return null;
  const side = new MessageSide(limit);
  const h = new Uint32Array(2);
  for (const r of raw) {
    kernelMessageHash(r.message, h);
    side.add(h, r.uptimeUs);
  }
  return pairGroup(side, wallSide(wall, limit), wall, host);
}
