/**
 * A synchronous face on the asynchronous ClickHouse client.
 *
 * Why: corr's store interface (../interface.ts) is synchronous — ingest, correlate, report and the
 * timeline call it in plain loops, as better-sqlite3 allows — and making every caller async would
 * touch the whole codebase for one engine. The official client is promise-based. So the client runs
 * in a worker thread (bridge-worker.ts); here the main thread posts a request on a MessagePort and
 * blocks in Atomics.wait on a shared word until the worker flips it, then takes the reply off the
 * port with receiveMessageOnPort (which reads a queued message without the event loop). The
 * interface is batch-shaped, so a round trip (~1 ms on loopback) is paid per batch, not per row.
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
  | { op: 'close' };

export interface QueryResult {
  meta: { name: string; type: string }[];
  data: unknown[][];
}

/** A failure the server or the connection reported: `code` is ClickHouse's numeric code when it gave one. */
export class BridgeError extends Error {
  constructor(message: string, readonly code: string | undefined, readonly network: boolean) {
    super(message);
  }
}

/** CORR_CLICKHOUSE_TRACE=1: each request's time and statement on stderr (where the time goes). */
const TRACE = Boolean(process.env.CORR_CLICKHOUSE_TRACE);

function workerFile(): string {
  const here = new URL('./bridge-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return fileURLToPath(here);
  // Under vitest this module is the .ts source; the worker runs from the build.
  return fileURLToPath(new URL('../../../dist/store/clickhouse/bridge-worker.js', import.meta.url));
}

export class SyncBridge {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private closed = false;

  constructor(private readonly config: BridgeConfig) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerFile(), { workerData: { config, flag: this.flag, port: port2 }, transferList: [port2] });
    // The worker must never keep the process alive: the CLI exits when its command is done.
    this.worker.unref();
    this.port.unref();
  }

  private call<T>(req: Request): T {
    if (this.closed) throw new Error('the ClickHouse connection is closed');
    const started = TRACE ? performance.now() : 0;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(req);
    const waited = Atomics.wait(this.flag, 0, 0, this.config.timeoutMs + 5_000);
    const reply = receiveMessageOnPort(this.port)?.message as { ok: true; value: T } | { ok: false; message: string; code?: string; network: boolean } | undefined;
    if (!reply) throw new BridgeError(waited === 'timed-out' ? `no answer within ${Math.round(this.config.timeoutMs / 1000)} s` : 'the connection worker stopped', undefined, true);
    if (TRACE) process.stderr.write(`ch ${(performance.now() - started).toFixed(1)} ms ${req.op} ${'sql' in req ? req.sql.replace(/\s+/g, ' ').slice(0, 100) : 'table' in req ? `${req.table} ${req.rows.length}` : ''}\n`);
    if (!reply.ok) throw new BridgeError(reply.message, reply.code, reply.network);
    return reply.value;
  }

  query(sql: string, settings?: Record<string, string | number>): QueryResult {
    return this.call<QueryResult>({ op: 'query', sql, settings });
  }

  command(sql: string, settings?: Record<string, string | number>): void {
    this.call<null>({ op: 'command', sql, settings });
  }

  insert(table: string, rows: unknown[]): void {
    if (rows.length > 0) this.call<null>({ op: 'insert', table, rows });
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
