/**
 * Finished events (after the record refiners) packed for the trip from the read worker to the
 * thread that stores them: numbers in typed arrays, the long texts (raw line, message, fields as
 * JSON) in one string per batch, the short repeated ones (source, kind, severity, the named host,
 * the time note) as codes into a dictionary both sides grow alike. A structured clone of the
 * event objects would cost the receiving thread about what parsing them cost (docs/performance.md).
 *
 * Only what the event refiners and the row read of an event travels; EventUnpacker (read-thread.ts) rebuilds a
 * PendingEvent that reads the same to them (its `time` is a placeholder: the boot refiner reads
 * the uptime, which travels as `event.uptimeUs`; its `fields` is the JSON the writer would make).
 */
import type { ReadReport } from './reader.js';
import type { PendingEvent } from './refiners.js';
import type { FileRead, ParsedSection } from './section-read.js';

/** Batches sent and not yet acknowledged before the worker waits (each ~4,096 lines, ~1 MB). */
export const MAX_IN_FLIGHT = 4;

/** A file's read as sent to the worker: formats by name (the worker looks them up in its own registry). */
export interface FileReadMessage extends Omit<FileRead, 'sections'> {
  sections: (Omit<FileRead['sections'][number], 'format'> & { format: string | null })[];
}

export type WorkerMessage =
  | { type: 'batch'; id: number; batch: PackedBatch }
  | { type: 'end'; id: number; tail: PackedBatch; lastLine: number; sha256: string; read: ReadReport; last: ParsedSection | null }
  | { type: 'error'; id: number; message: string; code?: string };

/** Ops of a batch, in order: a run of n events, a section opened, closed, lines read. */
export const OP_EVENTS = 0;
export const OP_OPEN = 1;
export const OP_CLOSE = 2;
export const OP_READ = 3;

export const NULL = -1;
export const UNDEFINED = -2;
/** The dictionary starts again past this many characters (hostile input: a new host on every line). */
const DICT_CHARS = 4 * 1024 * 1024;

export interface PackedBatch {
  ops: number[];
  n: number;
  /** Per event: line, tsUs, uptime (the boot refiner's input), count. */
  nums: Float64Array;
  /** Per event: bit 0 tsUs is null, bit 1 the uptime is null. */
  flags: Uint8Array;
  /** Per event: source, kind, severity, named host, time note. */
  codes: Int32Array;
  /** Per event: raw's length, message's (negative: −1 − the length of raw's end it is), fields JSON's (−1: none). */
  lens: Int32Array;
  text: string;
  /** Dictionary entries added since the last batch (after clearing it, when `reset`). */
  dict: string[];
  reset: boolean;
  summaries: ParsedSection[];
}

export const NUMS = 4;
export const CODES = 5;
export const LENS = 3;

export class EventPacker {
  ops: number[] = [];
  private run = 0;
  private n = 0;
  private nums = new Float64Array(NUMS * 1024);
  private flags = new Uint8Array(1024);
  private codes = new Int32Array(CODES * 1024);
  private lens = new Int32Array(LENS * 1024);
  private text: string[] = [];
  private readonly dictionary = new Map<string, number>();
  private dictChars = 0;
  private added: string[] = [];
  private reset = false;
  private summaries: ParsedSection[] = [];

  get size(): number {
    return this.n + this.ops.length;
  }

  op(...op: number[]): void {
    this.endRun();
    this.ops.push(...op);
  }

  summary(r: ParsedSection): void {
    this.op(OP_CLOSE, this.summaries.length);
    this.summaries.push(r);
  }

  event(p: PendingEvent): void {
    const i = this.n++;
    this.run++;
    if (i === this.flags.length) this.grow();
    const e = p.event;
    const uptime = e.uptimeUs ?? (p.time.kind === 'uptime' ? p.time.us : null);
    const nums = this.nums;
    nums[NUMS * i] = p.line;
    nums[NUMS * i + 1] = p.tsUs ?? 0;
    nums[NUMS * i + 2] = uptime ?? 0;
    nums[NUMS * i + 3] = e.repeated && e.repeated > 1 ? e.repeated : 1;
    this.flags[i] = (p.tsUs === null ? 1 : 0) | (uptime === null ? 2 : 0);
    const codes = this.codes;
    codes[CODES * i] = this.code(0, e.source);
    codes[CODES * i + 1] = this.code(1, e.kind);
    codes[CODES * i + 2] = this.code(2, e.severity);
    codes[CODES * i + 3] = this.code(3, e.host);
    codes[CODES * i + 4] = this.code(4, p.timeNote);
    const raw = p.raw;
    const message = p.message;
    this.text.push(raw);
    this.lens[LENS * i] = raw.length;
    if (raw.endsWith(message)) this.lens[LENS * i + 1] = -1 - message.length;
    else {
      this.text.push(message);
      this.lens[LENS * i + 1] = message.length;
    }
    const json = fieldsJson(e.fields);
    if (json === null) this.lens[LENS * i + 2] = -1;
    else {
      this.text.push(json);
      this.lens[LENS * i + 2] = json.length;
    }
  }

  /** The batch so far (its arrays handed over: transfer them), and a fresh one begun. */
  take(): { batch: PackedBatch; transfer: ArrayBuffer[] } {
    this.endRun();
    const n = this.n;
    const batch: PackedBatch = {
      ops: this.ops, n, nums: this.nums.slice(0, NUMS * n), flags: this.flags.slice(0, n), codes: this.codes.slice(0, CODES * n),
      lens: this.lens.slice(0, LENS * n), text: this.text.join(''), dict: this.added, reset: this.reset, summaries: this.summaries,
    };
    this.ops = [];
    this.n = 0;
    this.text = [];
    this.added = [];
    this.summaries = [];
    // Cleared between batches only, so that a batch's codes all name one dictionary.
    this.reset = this.dictChars > DICT_CHARS;
    if (this.reset) {
      this.dictionary.clear();
      this.dictChars = 0;
      this.lastString.fill(null);
      this.lastCode.fill(NULL);
    }
    return { batch, transfer: [batch.nums.buffer, batch.flags.buffer, batch.codes.buffer, batch.lens.buffer] as ArrayBuffer[] };
  }

  private endRun(): void {
    if (this.run === 0) return;
    this.ops.push(OP_EVENTS, this.run);
    this.run = 0;
  }

  /** Per slot, the last string coded and its code: consecutive events mostly repeat them. */
  private readonly lastString: (string | null | undefined)[] = [null, null, null, null, null];
  private readonly lastCode = new Int32Array(CODES).fill(NULL);

  private code(slot: number, s: string | null | undefined): number {
    if (s === this.lastString[slot]) return this.lastCode[slot]!;
    const c = this.lookup(s);
    this.lastString[slot] = s;
    this.lastCode[slot] = c;
    return c;
  }

  private lookup(s: string | null | undefined): number {
    if (s === null) return NULL;
    if (s === undefined) return UNDEFINED;
    let c = this.dictionary.get(s);
    if (c === undefined) {
      c = this.dictionary.size;
      this.dictionary.set(s, c);
      this.added.push(s);
      this.dictChars += s.length;
    }
    return c;
  }

  private grow(): void {
    const cap = this.flags.length * 2;
    const nums = new Float64Array(NUMS * cap);
    nums.set(this.nums);
    this.nums = nums;
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.flags = flags;
    const codes = new Int32Array(CODES * cap);
    codes.set(this.codes);
    this.codes = codes;
    const lens = new Int32Array(LENS * cap);
    lens.set(this.lens);
    this.lens = lens;
  }
}

/** As the writer makes it (src/store/writer.ts): no keys, no JSON. */
function fieldsJson(f: Record<string, unknown>): string | null {
  for (const _ in f) return JSON.stringify(f);
  return null;
}

