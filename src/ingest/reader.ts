/**
 * Streams the lines of one input file, plain or gzip, in batches.
 *
 * Why a hand-written splitter instead of `readline`: it works on Buffers (so a NUL byte, invalid
 * UTF-8 or a 10 MB line are seen and counted rather than silently mangled), yields lines in batches
 * (one await per few thousand lines, not per line), and bounds everything: line length, and the
 * decompressed size of a `.gz` (a gzip bomb stops with a warning instead of filling memory or disk).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { emptyGunzipReport, gunzipMembers } from './gunzip.js';
import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

/** Longest line kept whole; the rest of a longer line is cut off (and counted in a warning). */
export const MAX_LINE_BYTES = 64 * 1024;
/**
 * A `.gz` may expand at most this many times its own size, and never past MAX_GZIP_BYTES. Measured
 * here with gzip -6: the real logs of ../shared/corpus compress 4-6×, the benchmark bundle 7-14×, and
 * a file of one identical log line repeated 200,000 times 294× — the most compressible thing that is
 * still a log. deflate's own ceiling is 1032× (runs of one byte, such as a gigabyte of newlines, which
 * cost minutes of CPU to read line by line). 400× lets every log through and stops such bombs early.
 */
export const MAX_GZIP_RATIO = 400;
export const MAX_GZIP_BYTES = 4 * 1024 * 1024 * 1024;
const BATCH_LINES = 4096;
/** What a NUL byte of the input becomes in a line. */
export const NUL_SYMBOL = '\u2400';

export interface LineBatch {
  /** 1-based number of the first line of the batch in the (decompressed) file. */
  firstLine: number;
  lines: string[];
}

export interface ReadReport {
  /** Lines that were longer than MAX_LINE_BYTES and were cut. */
  truncatedLines: number;
  /** Lines holding bytes that are not UTF-8 (decoded with U+FFFD in their place). */
  invalidUtf8Lines: number;
  /** Lines holding NUL bytes (kept, each NUL replaced by U+2400 SYMBOL FOR NULL). */
  nulLines: number;
  /** Set when the decompressed stream was stopped at the bound (gzip bomb) or was corrupt/truncated. */
  stoppedEarly: string | null;
  /** Why it stopped, in a few words ("corrupt gzip data", "the gzip stream is truncated", ...). */
  stopCause: string | null;
  /** Total decompressed bytes read. */
  bytes: number;
  /** How the bytes were read, when not plain UTF-8 with LF ends (a BOM, UTF-16, CR-only ends, gzip members, garbage). */
  notices: string[];
}

export type InputKind = { kind: 'text'; gzip: boolean } | { kind: 'binary'; what: string };

const GZIP_MAGIC = [0x1f, 0x8b];

/** Look at the first bytes of a file: gzip, text, or binary (and what it looks like). */
export async function sniffFile(path: string): Promise<InputKind> {
  // Read synchronously: 8 KiB is one page-cache copy, while each asynchronous call is a round trip
  // through the thread pool — for 100,000 tiny files most of the run's wall time (#17).
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(8192);
    const bytesRead = readSync(fd, head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    if (bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
      // A .gz of a binary file (an initrd, a core dump) is binary too: look at what it holds.
      const inner = gunzipHead(bytes);
      const what = inner ? classifyBytes(inner) : null;
      if (what && what.kind === 'binary') return { kind: 'binary', what: `gzip-compressed ${what.what}` };
      return { kind: 'text', gzip: true };
    }
    return classifyBytes(bytes);
  } finally {
    closeSync(fd);
  }
}

/** The first decompressed bytes of a gzip stream's head, or null when they cannot be had (corrupt). */
function gunzipHead(compressed: Buffer): Buffer | null {
  try {
    // Z_SYNC_FLUSH: a head cut mid-stream is not an error here; the output is bounded by the input (8 KiB × 1032).
    const out = gunzipSync(compressed, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    return out.length > 0 ? out.subarray(0, 8192) : null;
  } catch {
    return null;
  }
}

/**
 * Text or binary, from the first bytes: many NULs, control bytes or bytes that are not UTF-8 mean
 * binary. A log line may carry a stray NUL, escape or Latin-1 byte; a binary file has them everywhere.
 */
export function classifyBytes(bytes: Buffer): InputKind {
  if (bytes.length === 0) return { kind: 'text', gzip: false };
  // UTF-16 with a byte-order mark is text, whatever its NUL bytes (Windows tools write logs so).
  const bom = utf16Bom(bytes);
  if (bom) return classifyBytes(Buffer.from(new TextDecoder(bom).decode(bytes.subarray(0, bytes.length - (bytes.length % 2))), 'utf8'));
  if (bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return { kind: 'binary', what: 'an ELF executable' };
  if (bytes.subarray(0, 16).toString('latin1').startsWith('SQLite format 3')) return { kind: 'binary', what: 'an SQLite database' };
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return { kind: 'binary', what: 'a zip archive' };
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return { kind: 'binary', what: 'a PNG image' };
  let control = 0;
  let nul = 0;
  for (const b of bytes) {
    if (b === 0) nul++;
    else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1b && b !== 0x0c && b !== 0x08 && b !== 0x07) control++;
  }
  let notUtf8 = 0;
  if (!isAscii(bytes) && !isUtf8(bytes)) {
    const text = bytes.toString('utf8');
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) notUtf8++;
  }
  if ((nul + control + notUtf8) / bytes.length > 0.1) {
    return { kind: 'binary', what: `binary data (${nul} NUL, ${control} control and ${notUtf8} non-UTF-8 bytes in the first ${bytes.length})` };
  }
  return { kind: 'text', gzip: false };
}

/**
 * Files said to be at most this large are read with synchronous calls: a read of a few KiB from the
 * page cache takes microseconds, while each asynchronous open, read and close is a round trip
 * through libuv's thread pool, which for 100,000 tiny files (three reads each: survey, host sample,
 * ingest) was half the run's wall time, more on a busy machine (#17). Larger files stay asynchronous
 * (a progress bar and Ctrl-C are served between their chunks).
 */
const SYNC_READ_BYTES = 256 * 1024;

/** fileChunks for a small file: the same chunks, read synchronously (a file that grew is still read whole). */
function* smallFileChunks(path: string, sizeHint: number): Generator<Buffer, void, undefined> {
  const fd = openSync(path, 'r');
  try {
    const size = Math.max(4096, sizeHint + 1);
    for (;;) {
      const buf = Buffer.allocUnsafe(size);
      const bytesRead = readSync(fd, buf, 0, size, null);
      if (bytesRead === 0) return;
      yield bytesRead === size ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    closeSync(fd);
  }
}

/** Largest read: what a chunk of a large file is. */
const MAX_CHUNK = 1 << 20;

/**
 * The file's bytes in chunks, read until the end of file (a file that grew since it was looked at is
 * read whole: the caller compares line counts). A chunk is as large as the file was said to be, plus
 * one byte so that the first read usually sees everything: fs streams allocate their full 1 MiB
 * buffer for every read, which for 100,000 files of a few hundred bytes was most of the GC work.
 */
async function* fileChunks(path: string, sizeHint: number): AsyncGenerator<Buffer, void, undefined> {
  if (sizeHint <= SYNC_READ_BYTES) {
    yield* smallFileChunks(path, sizeHint);
    return;
  }
  const handle = await open(path, 'r');
  try {
    const size = Math.min(MAX_CHUNK, Math.max(4096, sizeHint + 1));
    for (;;) {
      const buf = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(buf, 0, size, null);
      if (bytesRead === 0) return;
      yield bytesRead === size ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

async function* tap(chunks: AsyncIterable<Buffer>, see: ((chunk: Buffer) => void) | undefined): AsyncGenerator<Buffer> {
  for await (const c of chunks) {
    see?.(c);
    yield c;
  }
}

function utf16Bom(bytes: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** Bytes looked at to decide how the text is encoded and how its lines end. */
const TEXT_HEAD_BYTES = 64 * 1024;

/**
 * The text as UTF-8 bytes with LF line ends, whatever it was written as: a UTF-8 byte-order mark is
 * removed (it would otherwise cost the first line its format), UTF-16 with a mark is decoded, and a
 * file whose head holds carriage returns but no line feed (classic Mac) has its CRs read as line
 * ends (else the whole file is one line, cut at 64 KiB). Each is said in the report's notices.
 */
async function* normalisedText(chunks: AsyncIterable<Buffer>, report: ReadReport): AsyncGenerator<Buffer> {
  const it = chunks[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  let done = false;
  while (head.length < TEXT_HEAD_BYTES) {
    const n = await it.next();
    if (n.done) {
      done = true;
      break;
    }
    head = head.length ? Buffer.concat([head, n.value]) : n.value;
    report.bytes += n.value.length;
  }
  const bom = utf16Bom(head);
  let decoder: TextDecoder | null = null;
  if (bom) {
    decoder = new TextDecoder(bom); // strips the mark itself
    report.notices.push(`decoded from ${bom.toUpperCase()} (byte-order mark)`);
  } else if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    head = head.subarray(3);
    report.notices.push('a UTF-8 byte-order mark at the start was removed');
  }
  const transcode = (b: Buffer, last: boolean): Buffer => (decoder ? Buffer.from(decoder.decode(b, { stream: !last }), 'utf8') : b);
  let first = transcode(head, done);
  const crOnly = first.indexOf(0x0a) === -1 && first.indexOf(0x0d) !== -1;
  if (crOnly) report.notices.push('lines end in a carriage return alone (CR, classic Mac): read as line ends');
  const ends = (b: Buffer): Buffer => {
    if (!crOnly) return b;
    for (let i = b.indexOf(0x0d); i !== -1; i = b.indexOf(0x0d, i + 1)) b[i] = 0x0a;
    return b;
  };
  // `ends` writes in place: never into a buffer the stream below may still own.
  if (first.length) yield ends(crOnly ? Buffer.from(first) : first);
  first = Buffer.alloc(0);
  if (done) return;
  for (;;) {
    const n = await it.next();
    if (n.done) break;
    report.bytes += n.value.length;
    const b = transcode(n.value, false);
    if (b.length) yield ends(crOnly ? Buffer.from(b) : b);
  }
  if (decoder) {
    const tail = transcode(Buffer.alloc(0), true);
    if (tail.length) yield ends(tail);
  }
}

/**
 * Yield the file's lines in batches. Line endings (`\n`, `\r\n`, and a lone trailing `\r`) are
 * removed; a last line without a final newline is still a line. `report` is filled as it goes.
 */
export async function* readLines(
  path: string,
  gzip: boolean,
  report: ReadReport,
  compressedSize = 0,
  onFileBytes?: (chunk: Buffer) => void,
): AsyncGenerator<LineBatch> {
  const raw = fileChunks(path, compressedSize);
  // The bytes as on disk (before gunzip), for a caller that hashes them in the same read.
  const onDisk = tap(raw, onFileBytes);
  let limit = Number.POSITIVE_INFINITY;
  const gz = emptyGunzipReport();
  let decoded: AsyncIterable<Buffer> = onDisk;
  if (gzip) {
    decoded = gunzipMembers(onDisk, gz);
    limit = Math.min(MAX_GZIP_BYTES, Math.max(compressedSize, 1) * MAX_GZIP_RATIO);
  }
  const stream = normalisedText(decoded, report);
  let carry: Buffer | null = null;
  let carryTruncated = false;
  let lineNo = 1;
  let batch: string[] = [];
  let batchStart = 1;

  const emit = (buf: Buffer, truncated: boolean): void => {
    let end = buf.length;
    if (end > 0 && buf[end - 1] === 0x0d) end--;
    let slice = end === buf.length ? buf : buf.subarray(0, end);
    if (truncated || slice.length > MAX_LINE_BYTES) {
      report.truncatedLines++;
      slice = slice.subarray(0, MAX_LINE_BYTES);
    }
    // One native check (ASCII is valid UTF-8): a JavaScript loop over every byte cost more than the decode.
    if (!isUtf8(slice)) report.invalidUtf8Lines++;
    let text = slice.toString('utf8');
    if (slice.indexOf(0) !== -1) {
      // SQLite's text functions (length, substr, LIKE) stop at a NUL, and a NUL in a message would
      // hide the rest of it: store the visible symbol for NUL (U+2400) in its place.
      report.nulLines++;
      text = text.replaceAll('\0', NUL_SYMBOL);
    }
    batch.push(text);
    lineNo++;
  };

  try {
    for await (const chunk of stream) {
      if (report.bytes > limit) {
        report.stopCause = 'a gzip bomb (bounded output)';
        report.stoppedEarly = `decompressed output passed ${limit} bytes (${MAX_GZIP_RATIO}× the file): stopped there, as a gzip bomb would`;
        break;
      }
      let start = 0;
      let nl = chunk.indexOf(0x0a, start);
      // The lines wholly inside this chunk, when they are plain ASCII without NUL (nearly every log):
      // one native check and one decode for all of them, then string slices, instead of a buffer
      // view, a UTF-8 check, a NUL search and a decode per line. ASCII makes characters bytes, so
      // the line bound and the results are exactly those of emit() below.
      const lastNl = nl === -1 ? -1 : chunk.lastIndexOf(0x0a);
      const fastFrom = carry ? nl + 1 : 0;
      if (lastNl > fastFrom && isAscii(chunk.subarray(fastFrom, lastNl)) && noNul(chunk, fastFrom, lastNl)) {
        if (carry) {
          emit(carryTruncated ? carry : Buffer.concat([carry, chunk.subarray(0, nl)]), carryTruncated);
          carry = null;
          carryTruncated = false;
          if (batch.length >= BATCH_LINES) {
            yield { firstLine: batchStart, lines: batch };
            batch = [];
            batchStart = lineNo;
          }
        }
        const text = chunk.toString('latin1', fastFrom, lastNl);
        let from = 0;
        for (;;) {
          const cut = text.indexOf('\n', from);
          let end = cut === -1 ? text.length : cut;
          if (end > from && text.charCodeAt(end - 1) === 0x0d) end--;
          if (end - from > MAX_LINE_BYTES) {
            report.truncatedLines++;
            end = from + MAX_LINE_BYTES;
          }
          batch.push(text.slice(from, end));
          lineNo++;
          if (batch.length >= BATCH_LINES) {
            yield { firstLine: batchStart, lines: batch };
            batch = [];
            batchStart = lineNo;
          }
          if (cut === -1) break;
          from = cut + 1;
        }
        start = lastNl + 1;
        nl = -1;
      }
      while (nl !== -1) {
        const piece = chunk.subarray(start, nl);
        if (carry) {
          emit(carryTruncated ? carry : Buffer.concat([carry, piece]), carryTruncated);
          carry = null;
          carryTruncated = false;
        } else {
          emit(piece, false);
        }
        start = nl + 1;
        nl = chunk.indexOf(0x0a, start);
        if (batch.length >= BATCH_LINES) {
          yield { firstLine: batchStart, lines: batch };
          batch = [];
          batchStart = lineNo;
        }
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        if (carryTruncated) {
          // Already past the line bound: drop the rest of this line until its newline.
        } else if (carry) {
          carry = Buffer.concat([carry, rest]);
        } else {
          carry = Buffer.from(rest);
        }
        if (carry && carry.length > MAX_LINE_BYTES) {
          carry = carry.subarray(0, MAX_LINE_BYTES + 1);
          carryTruncated = true;
        }
      }
    }
  } catch (e) {
    report.stopCause = describeError(e);
    report.stoppedEarly = `the file could not be read to its end (${report.stopCause}); the lines before were kept`;
  } finally {
    await raw.return(undefined);
  }
  if (gz.members > 1) report.notices.push(`${gz.members} gzip members, read one after another (as gzip -d does)`);
  if (gz.trailingGarbageBytes) report.notices.push(`${gz.trailingGarbageBytes} bytes of trailing garbage after the gzip data were ignored (as gzip -d does)`);
  if (gz.sizeMismatch) report.notices.push('a gzip member decoded to a length other than its trailer states: the file may be damaged');
  if (gz.truncated && !report.stoppedEarly) {
    report.stopCause = 'the gzip stream is truncated';
    report.stoppedEarly = 'the gzip stream is truncated (a half-copied file?): every line it held up to the cut was read';
  }
  if (carry) emit(carry, carryTruncated);
  if (batch.length) yield { firstLine: batchStart, lines: batch };
}

/** No NUL byte in bytes [from, to) of the chunk. */
function noNul(chunk: Buffer, from: number, to: number): boolean {
  const at = chunk.indexOf(0, from);
  return at === -1 || at >= to;
}

export function describeError(e: unknown): string {
  if (e && typeof e === 'object') {
    const err = e as { code?: string; message?: string };
    if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR') return 'corrupt gzip data';
    if (err.code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return 'text that is not valid in its encoding';
    if (err.message === 'unexpected end of file') return 'the gzip stream is truncated';
    if (err.code) return err.code + (err.message ? `: ${err.message.replace(/\s+/g, ' ')}` : '');
    if (err.message) return err.message.replace(/\s+/g, ' ');
  }
  return String(e);
}

export function emptyReadReport(): ReadReport {
  return { truncatedLines: 0, invalidUtf8Lines: 0, nulLines: 0, stoppedEarly: null, stopCause: null, bytes: 0, notices: [] };
}
