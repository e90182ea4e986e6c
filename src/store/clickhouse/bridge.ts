/**
 * A synchronous face on the asynchronous ClickHouse client.
 *
 * Why: corr's store interface (../interface.ts) is synchronous — ingest, correlate, report and the
 * timeline call it in plain loops, as better-sqlite3 allows — and making every caller async would
 * touch the whole codebase for one engine. The official client is promise-based. So the client runs
 * in a worker thread (bridge-worker.ts); here the main thread posts a request on a MessagePort and
 * blocks in Atomics.wait on a shared counter until the worker has answered it, then takes the reply
 * off the port with receiveMessageOnPort (which reads a queued message without the event loop).
 *
 * The worker answers requests one at a time, in the order they were posted. That order is what
 * lets a bulk insert run asynchronously (`insertTsvAsync`): the main thread posts it and goes on
 * parsing while the worker sends it, and any later request — a query, the completion mark — is
 * answered only after it. A section's writer calls `drain()` before its completion mark, so the mark
 * is written only once every row of the attempt is known stored (an insert that failed surfaces
 * there, or at the next request, as the error it was).
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BridgeConfig {
  url: string;
  username: string;
  password: string;
  database: string;
  /** Milliseconds a request may take before it is given up (the wait below allows a little more). */
  timeoutMs: number;
}

export type Request =
  | { op: 'query'; sql: string; settings?: Record<string, string | number> }
  | { op: 'command'; sql: string; settings?: Record<string, string | number> }
  | { op: 'insert'; table: string; rows: unknown[] }
  /** Rows already encoded as TabSeparated text (one line per row, columns in `columns` order). */
  | { op: 'insertTsv'; table: string; columns: string[]; body: string; rows: number }
  /**
   * A query's result as columns (`columns`): streamed as TabSeparated and decoded in the worker
   * into typed chunks, each answered by an acknowledgement before the next but one is sent.
   */
  | { op: 'columns'; sql: string; kinds: ColumnKind[]; settings?: Record<string, string | number> }
  | { op: 'close' };

/**
 * How a streamed column is decoded: `num` a Float64Array (\N as NaN; every value corr reads this way
 * is an integer below 2^53), `code` an Int32Array of codes into the strings interned across the
 * whole result, `text` only the rows whose value is not empty, as [row, text] pairs.
 */
export type ColumnKind = 'num' | 'code' | 'text';

/** Rows of one streamed chunk, and the strings first seen in it (appended to the result's list). */
export interface ColumnChunk {
  rows: number;
  cols: (Float64Array | Int32Array | [number, string][])[];
  strings: string[];
}

export interface QueryResult {
  meta: { name: string; type: string }[];
  data: unknown[][];
}

type Reply = { seq: number } & ({ ok: true; value: unknown } | { ok: false; message: string; code?: string; network: boolean } | { chunk: ColumnChunk });

/** A failure the server or the connection reported: `code` is ClickHouse's numeric code when it gave one. */
export class BridgeError extends Error {
  constructor(message: string, readonly code: string | undefined, readonly network: boolean) {
    super(message);
  }
}

/** CORR_CLICKHOUSE_TRACE=1: each request's time and statement on stderr (where the time goes). */
const TRACE = Boolean(process.env.CORR_CLICKHOUSE_TRACE);

/** Asynchronous inserts in flight at most: bounds the memory their bodies hold. */
const MAX_IN_FLIGHT = 2;

function workerFile(): string {
  const here = new URL('./bridge-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return fileURLToPath(here);
  // Under vitest this module is the .ts source; the worker runs from the build.
  return fileURLToPath(new URL('../../../dist/store/clickhouse/bridge-worker.js', import.meta.url));
}

function describe(req: Request): string {
  if ('sql' in req) return req.sql.replace(/\s+/g, ' ').slice(0, 100);
  if (req.op === 'insert') return `${req.table} ${req.rows.length}`;
  if (req.op === 'insertTsv') return `${req.table} ${req.rows} rows, ${req.body.length} chars`;
  return '';
}

function settled<T>(reply: Reply): T {
  if ('chunk' in reply) throw new Error('a column chunk where a reply was expected');
  if (!reply.ok) throw new BridgeError(reply.message, reply.code, reply.network);
  return reply.value as T;
}

export class SyncBridge {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** How many requests the worker has answered (it adds one and notifies after each reply). */
  private readonly answered = new Int32Array(new SharedArrayBuffer(4));
  private seq = 0;
  /** Asynchronous requests posted and not yet answered, with when they were posted (for the trace). */
  private readonly inFlight = new Map<number, { started: number; what: string }>();
  /** The first failure of an asynchronous request, thrown by the next call. */
  private failed: BridgeError | null = null;
  private closed = false;

  constructor(private readonly config: BridgeConfig) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerFile(), { workerData: { config, flag: this.answered, port: port2 }, transferList: [port2] });
    // The worker must never keep the process alive: the CLI exits when its command is done.
    this.worker.unref();
    this.port.unref();
  }

  private post(req: Request): number {
    if (this.closed) throw new Error('the ClickHouse connection is closed');
    const seq = ++this.seq;
    this.port.postMessage({ seq, req });
    return seq;
  }

  /** Take replies off the port until `until` says stop; asynchronous ones are settled on the way. */
  private receive(until: (r: Reply) => boolean): Reply | null {
    let deadline = Date.now() + this.config.timeoutMs + 5_000;
    for (;;) {
      const seen = Atomics.load(this.answered, 0);
      const msg = receiveMessageOnPort(this.port)?.message as Reply | undefined;
      if (msg) {
        deadline = Date.now() + this.config.timeoutMs + 5_000;
        const mine = 'chunk' in msg ? undefined : this.inFlight.get(msg.seq);
        if (mine) {
          this.inFlight.delete(msg.seq);
          if (TRACE) process.stderr.write(`ch ${(performance.now() - mine.started).toFixed(1)} ms async ${mine.what}\n`);
          if ('ok' in msg && !msg.ok) this.failed ??= new BridgeError(msg.message, msg.code, msg.network);
        }
        if (until(msg)) return msg;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      Atomics.wait(this.answered, 0, seen, left);
    }
  }

  private call<T>(req: Request): T {
    this.throwFailed();
    const started = TRACE ? performance.now() : 0;
    const seq = this.post(req);
    const reply = this.receive((r) => r.seq === seq);
    if (!reply) throw new BridgeError(`no answer within ${Math.round(this.config.timeoutMs / 1000)} s`, undefined, true);
    if (TRACE) process.stderr.write(`ch ${(performance.now() - started).toFixed(1)} ms ${req.op} ${describe(req)}\n`);
    this.throwFailed();
    return settled<T>(reply);
  }

  private throwFailed(): void {
    if (this.failed) throw this.failed;
  }

  query(sql: string, settings?: Record<string, string | number>): QueryResult {
    return this.call<QueryResult>({ op: 'query', sql, settings });
  }

  /**
   * A query's rows decoded as columns of `kinds`, handed to `onChunk` as they arrive (a chunk is
   * acknowledged once `onChunk` returns, so at most two wait decoded in memory). Nothing is kept as
   * row objects or JSON on either thread: the server's TSV goes straight into typed arrays.
   */
  columns(sql: string, kinds: ColumnKind[], onChunk: (c: ColumnChunk) => void, settings?: Record<string, string | number>): void {
    this.throwFailed();
    const started = TRACE ? performance.now() : 0;
    const seq = this.post({ op: 'columns', sql, kinds, settings });
    let rows = 0;
    const reply = this.receive((r) => {
      if (r.seq !== seq) return false;
      if (!('chunk' in r)) return true;
      rows += r.chunk.rows;
      onChunk(r.chunk);
      this.port.postMessage({ ack: seq });
      return false;
    });
    if (!reply) throw new BridgeError(`no answer within ${Math.round(this.config.timeoutMs / 1000)} s`, undefined, true);
    if (TRACE) process.stderr.write(`ch ${(performance.now() - started).toFixed(1)} ms columns ${rows} rows ${sql.replace(/\s+/g, ' ').slice(0, 100)}\n`);
    this.throwFailed();
    settled<null>(reply);
  }

  command(sql: string, settings?: Record<string, string | number>): void {
    this.call<null>({ op: 'command', sql, settings });
  }

  insert(table: string, rows: unknown[]): void {
    if (rows.length > 0) this.call<null>({ op: 'insert', table, rows });
  }

  /**
   * Post an insert of TabSeparated rows and return at once: the worker sends it while the caller
   * goes on. Its failure is thrown by `drain()` or the next request. At most MAX_IN_FLIGHT wait.
   */
  insertTsvAsync(table: string, columns: string[], body: string, rows: number): void {
    this.throwFailed();
    if (rows === 0) return;
    while (this.inFlight.size >= MAX_IN_FLIGHT) {
      if (!this.receive(() => this.inFlight.size < MAX_IN_FLIGHT)) throw new BridgeError(`no answer within ${Math.round(this.config.timeoutMs / 1000)} s`, undefined, true);
    }
    const req: Request = { op: 'insertTsv', table, columns, body, rows };
    const seq = this.post(req);
    this.inFlight.set(seq, { started: TRACE ? performance.now() : 0, what: `insertTsv ${describe(req)}` });
  }

  /** Wait until every asynchronous insert is answered; throw the first that failed. */
  drain(): void {
    if (this.inFlight.size > 0 && !this.receive(() => this.inFlight.size === 0)) {
      throw new BridgeError(`no answer within ${Math.round(this.config.timeoutMs / 1000)} s`, undefined, true);
    }
    this.throwFailed();
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call<null>({ op: 'close' });
    } catch {
      // Closing after a failed connection: nothing to release on the server.
    }
    this.closed = true;
    void this.worker.terminate();
  }
}
