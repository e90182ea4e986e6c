/**
 * The read worker, seen from the thread that stores: `ReadWorker` starts read-worker.ts once per
 * run, asks it to read one file at a time (section-read.ts: read, split, parse, fold, the record
 * refiners) and hands each batch it sends back, unpacked, to the pipeline — which runs the event
 * refiners and inserts, one transaction per section, as when it reads the file itself. Reading and
 * parsing then run on the other core while this one inserts.
 *
 * Back-pressure: the worker sends a batch per 4,096 lines read and waits once MAX_IN_FLIGHT of them
 * are not yet acknowledged, so memory stays flat whatever the file's size. Anything thrown while a
 * batch is applied (a section read again, Ctrl-C, a store error) ends the worker at once: its read
 * is abandoned with the section's transaction, and the next file starts a fresh worker.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParsedEvent } from '../model/event.js';
import type { RawTime } from '../model/time.js';
import { PackedFields } from '../store/writer.js';
import { CODES, LENS, NULL, NUMS, OP_CLOSE, OP_EVENTS, OP_OPEN, OP_READ, type FileReadMessage, type PackedBatch, type WorkerMessage } from './event-pack.js';
import type { PendingEvent } from './refiners.js';
import type { FileRead, FileReadEnd, SectionSink } from './section-read.js';
import { formatByName } from './formats/index.js';

/** Files smaller than this are read in the pipeline's thread (a worker's round trips would cost more than they save). */
const MIN_BYTES = 4 * 1024 * 1024;

const WORKER_URL = new URL('./read-worker.js', import.meta.url);
const YOUNG_MB = 8;

/**
 * Whether this run reads in a worker: CORR_INGEST_THREADS=0 says never; the compiled worker must be
 * there (not when the pipeline runs from its TypeScript source, as in the unit tests).
 */
export function workerReadable(): boolean {
  if (process.env.CORR_INGEST_THREADS === '0') return false;
  return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
}

/** The least file size read in the worker (CORR_INGEST_WORKER_MIN_BYTES, for tests: 0 sends every file). */
export function workerMinBytes(): number {
  const v = process.env.CORR_INGEST_WORKER_MIN_BYTES;
  const n = v === undefined || v === '' ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : MIN_BYTES;
}

/** The read as the worker gets it, or null when a section's format is not one the worker's registry holds by that name. */
export function readMessage(job: FileRead): FileReadMessage | null {
  const sections: FileReadMessage['sections'] = [];
  for (const p of job.sections) {
    if (p.format !== null && formatByName(p.format.name) !== p.format) return null;
    sections.push({ ...p, format: p.format?.name ?? null });
  }
  return { ...job, sections };
}

export class ReadWorker {
  private worker: Worker | null = null;
  private id = 0;
  private current: ((m: WorkerMessage) => void) | null = null;
  private failed: ((e: Error) => void) | null = null;

  /**
   * Read one file in the worker: each batch goes to `sink` (events unpacked) as it comes; at the
   * end `end` gets what readSections returns in the pipeline's own thread.
   */
  read(job: FileReadMessage, sink: SectionSink, end: (e: FileReadEnd) => void): Promise<void> {
    const w = this.start();
    const id = ++this.id;
    testReport(job.path);
    const unpacker = new EventUnpacker();
    // Held while a read is on: nothing else may be keeping the event loop alive meanwhile.
    w.ref();
    const idle = (): void => {
      this.current = null;
      this.failed = null;
      w.unref();
    };
    return new Promise<void>((resolve, reject) => {
      const fail = (e: unknown): void => {
        idle();
        // Its read is of no use any more, and may be far ahead: end it (the next file starts another).
        this.stop();
        reject(e);
      };
      this.failed = fail;
      this.current = (m) => {
        if (m.id !== id) return;
        try {
          if (m.type === 'batch') {
            // Where the pipeline's own read looks for Ctrl-C: before each batch of lines.
            sink.beforeBatch?.();
            apply(m.batch, unpacker, sink);
            w.postMessage({ type: 'ack', id });
          } else if (m.type === 'end') {
            idle();
            end({ lastLine: m.lastLine, sha256: m.sha256, read: m.read, finish: () => (apply(m.tail, unpacker, sink), m.last) });
            resolve();
          } else {
            idle();
            reject(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}));
          }
        } catch (e) {
          fail(e);
        }
      };
      w.postMessage({ type: 'read', id, job });
    });
  }

  /** End the worker (the run is over, or its read was abandoned). */
  stop(): void {
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // A small young generation: the worker's garbage is short-lived (a line's pieces, a batch's
    // parts); at V8's default the 1M bench ingest peaked at 220–240 MB RSS, at 8 MB 208 MB.
    const w = new Worker(WORKER_URL, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
    // Between reads it never keeps the process alive by itself (see read: held while a read is on).
    w.unref();
    w.on('message', (m: WorkerMessage) => {
      if (this.worker === w) this.current?.(m);
    });
    const died = (e: Error): void => {
      if (this.worker !== w) return;
      this.worker = null;
      this.failed?.(e);
    };
    w.on('error', died);
    w.on('exit', (code) => died(new Error(`the read worker stopped (exit code ${code})`)));
    this.worker = w;
    return w;
  }
}

/**
 * A test hook, inert unless CORR_TEST_READ_WORKER_LOG names a file: each path read in the worker is
 * appended to it, so that a test comparing the two paths can tell the worker did read (docs/performance.md).
 */
function testReport(path: string): void {
  const log = process.env.CORR_TEST_READ_WORKER_LOG;
  if (log) appendFileSync(log, path + '\n');
}

/** Apply a batch's ops to the sink, in order. */
function apply(b: PackedBatch, unpacker: EventUnpacker, sink: SectionSink): void {
  unpacker.begin(b);
  const ops = b.ops;
  const out: { p: PendingEvent | null } = { p: null };
  let e = 0;
  let at = 0;
  for (let k = 0; k < ops.length; ) {
    switch (ops[k]) {
      case OP_EVENTS: {
        const n = ops[k + 1]!;
        for (let j = 0; j < n; j++) {
          at = unpacker.event(b, e++, at, out);
          sink.event(out.p!);
        }
        k += 2;
        break;
      }
      case OP_OPEN:
        sink.open(ops[k + 1]!);
        k += 2;
        break;
      case OP_CLOSE:
        sink.close(b.summaries[ops[k + 1]!]!);
        k += 2;
        break;
      case OP_READ:
        sink.read(ops[k + 1]!, ops[k + 2]!);
        k += 3;
        break;
      default:
        throw new Error(`read worker: unknown op ${ops[k]}`);
    }
  }
}

/** Placeholder time of an unpacked event: nothing after the record refiners reads it. */
const NO_TIME = { kind: 'none' } as unknown as RawTime;

/** The receiving side's dictionary. */
export class EventUnpacker {
  private dict: string[] = [];

  /** Take a batch's dictionary entries (call once per batch, before its events). */
  begin(b: PackedBatch): void {
    if (b.reset) this.dict = [];
    for (const s of b.dict) this.dict.push(s);
  }

  private str(c: number): string | null | undefined {
    return c >= 0 ? this.dict[c] : c === NULL ? null : undefined;
  }

  /** Event i of the batch; `at` is where its texts begin in b.text, and the return where the next one's do. */
  event(b: PackedBatch, i: number, at: number, out: { p: PendingEvent | null }): number {
    const nums = b.nums;
    const codes = b.codes;
    const lens = b.lens;
    const text = b.text;
    const flags = b.flags[i]!;
    const rawLen = lens[LENS * i]!;
    const raw = text.slice(at, at + rawLen);
    at += rawLen;
    const m = lens[LENS * i + 1]!;
    let message: string;
    if (m < 0) message = raw.slice(rawLen - (-1 - m));
    else {
      message = text.slice(at, at + m);
      at += m;
    }
    const f = lens[LENS * i + 2]!;
    let json: string | null = null;
    if (f >= 0) {
      json = text.slice(at, at + f);
      at += f;
    }
    const host = this.str(codes[CODES * i + 3]!);
    const event = {
      source: this.str(codes[CODES * i]!), kind: this.str(codes[CODES * i + 1]!), severity: this.str(codes[CODES * i + 2]!), message,
      fields: new PackedFields(json), host: host ?? undefined, uptimeUs: flags & 2 ? undefined : nums[NUMS * i + 2], repeated: nums[NUMS * i + 3],
      time: NO_TIME,
    } as unknown as ParsedEvent;
    out.p = {
      event, line: nums[NUMS * i]!, raw, message, time: NO_TIME, tsUs: flags & 1 ? null : nums[NUMS * i + 1]!, timeNote: this.str(codes[CODES * i + 4]!) as string | null,
      host: '', uptimeUs: null, segment: null, tkey: 0, dhash: 0, occ: 0,
    };
    return at;
  }
}
