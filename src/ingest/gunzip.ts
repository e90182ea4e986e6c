/**
 * gzip decoding that reads like `gzip -d`: every member of a multi-member file (what `cat a.gz b.gz`
 * and log rotators make), trailing garbage after the last member ignored with a warning, and a
 * truncated last member decoded as far as it goes. Node's own Gunzip stream drops the output it had
 * decoded from the last input chunk when trailing garbage follows (1,749 of 3,000 lines of a test
 * file), and loses the tail of a truncated stream; this reader parses each member's header itself
 * and inflates its raw deflate body, which stops cleanly at the member's end.
 */
import { createInflateRaw, constants as zlibConstants, type InflateRaw } from 'node:zlib';

/** What the decoder noticed; the caller turns it into the file's warnings. */
export interface GunzipReport {
  members: number;
  /** Bytes after the last member that are not another member (gzip -d: "trailing garbage ignored"). */
  trailingGarbageBytes: number;
  /** The last member ended before its end (a half-copied file): decoded as far as it goes. */
  truncated: boolean;
  /** A member whose length field disagrees with what it decoded to. */
  sizeMismatch: boolean;
}

export class GzipFormatError extends Error {
  readonly code = 'Z_DATA_ERROR';
}

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/** The header's length, or 0 when more bytes are needed to know it. Throws when it is not a gzip header. */
function headerLength(b: Buffer): number {
  if (b.length < 10) return 0;
  if (b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8) throw new GzipFormatError('not a gzip member header');
  const flags = b[3]!;
  let p = 10;
  if (flags & FEXTRA) {
    if (b.length < p + 2) return 0;
    p += 2 + (b[p]! | (b[p + 1]! << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      const end = b.indexOf(0, p);
      if (end === -1) return 0;
      p = end + 1;
    }
  }
  if (flags & FHCRC) p += 2;
  return b.length >= p ? p : 0;
}

/** Decompressed chunks of a gzip file, member after member. */
export async function* gunzipMembers(compressed: AsyncIterable<Buffer>, report: GunzipReport): AsyncGenerator<Buffer> {
  const source = compressed[Symbol.asyncIterator]();
  let pending: Buffer = Buffer.alloc(0);
  let exhausted = false;
  const more = async (): Promise<boolean> => {
    if (exhausted) return false;
    const next = await source.next();
    if (next.done) {
      exhausted = true;
      return false;
    }
    pending = pending.length ? Buffer.concat([pending, next.value]) : next.value;
    return true;
  };

  for (;;) {
    // Header of the next member (or the end, or garbage).
    let hlen = 0;
    while (pending.length === 0 && (await more()));
    if (pending.length === 0) return;
    try {
      while ((hlen = headerLength(pending)) === 0) {
        if (!(await more())) break;
      }
    } catch (e) {
      if (report.members === 0) throw e;
      report.trailingGarbageBytes += pending.length;
      while (await more()) report.trailingGarbageBytes += pending.length, (pending = Buffer.alloc(0));
      return;
    }
    if (hlen === 0) {
      // A header cut short at the end of the file.
      if (report.members === 0) throw new GzipFormatError('the gzip header is truncated');
      report.truncated = true;
      return;
    }
    report.members++;
    pending = pending.subarray(hlen);

    // The member's deflate body: fed chunk by chunk, each write awaited, so when the inflater ends
    // only the last chunk written can hold bytes past the member's end.
    const inflater: InflateRaw = createInflateRaw({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const out: Buffer[] = [];
    let ended = false;
    let failure: Error | null = null;
    let wake: (() => void) | null = null;
    inflater.on('data', (c: Buffer) => {
      out.push(c);
      wake?.();
    });
    inflater.once('end', () => {
      ended = true;
      wake?.();
    });
    let writeDone: (() => void) | null = null;
    inflater.once('error', (e) => {
      failure = e;
      wake?.();
      writeDone?.(); // a write whose chunk failed never calls back
    });
    const settle = () => new Promise<void>((r) => (wake = r));
    let written = 0;
    let last: Buffer = Buffer.alloc(0);
    let decoded = 0;
    // No 'drain' wait is needed: each write is awaited through its callback before the next.
    const write = (chunk: Buffer) =>
      new Promise<void>((resolve) => {
        written += chunk.length;
        last = chunk;
        writeDone = resolve;
        if (failure) resolve();
        else inflater.write(chunk, () => resolve());
      });
    let chunk: Buffer | null = pending.length ? pending : null;
    pending = Buffer.alloc(0);
    const drain = function* () {
      while (out.length) {
        const c = out.shift()!;
        decoded += c.length;
        yield c;
      }
    };
    for (;;) {
      if (chunk) await write(chunk);
      yield* drain();
      if (failure) break;
      // The inflater took less than it was given: the member's deflate data ended inside this chunk.
      if (inflater.bytesWritten < written) {
        while (!ended && !failure) await settle();
        yield* drain();
        break;
      }
      const next = await source.next();
      if (next.done) {
        exhausted = true;
        inflater.end();
        while (!ended && !failure) await settle();
        yield* drain();
        break;
      }
      chunk = next.value;
    }
    if (failure) throw failure;
    // Bytes written past the member's deflate end: its 8-byte trailer, then maybe the next member.
    const consumed = inflater.bytesWritten;
    const past = written - consumed;
    pending = past > 0 ? Buffer.from(last.subarray(last.length - past)) : Buffer.alloc(0);
    while (pending.length < 8 && (await more()));
    if (pending.length < 8) {
      report.truncated = true;
      return;
    }
    if (pending.readUInt32LE(4) !== decoded % 2 ** 32) report.sizeMismatch = true;
    pending = pending.subarray(8);
  }
}

export function emptyGunzipReport(): GunzipReport {
  return { members: 0, trailingGarbageBytes: 0, truncated: false, sizeMismatch: false };
}
