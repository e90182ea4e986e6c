/**
 * Opening a ClickHouse store: reach the server, check the credentials, the server's version and the
 * store's schema version, and create the tables for a new store. Every failure is a StoreError
 * (exit 2) naming the URL with its password masked.
 */
import { StoreError } from '../../errors.js';
import { BridgeError, SyncBridge, type ColumnChunk, type ColumnKind, type QueryResult } from './bridge.js';
import { leaseSeconds } from './lease.js';
import { CH_MIGRATIONS, CH_SCHEMA_VERSION, MIN_SERVER } from './schema.js';
import { maskPasswords, parseClickHouseUrl, type ClickHouseUrl } from './url.js';

/** How long one request may take (a large insert or a scan of millions of rows). */
const REQUEST_TIMEOUT_MS = 300_000;

export class ClickHouseConnection {
  constructor(readonly url: ClickHouseUrl, private readonly bridge: SyncBridge) {}

  /** Rows of a query, each an array of values in the column order of the SELECT. */
  rows(sql: string, settings?: Record<string, string | number>): unknown[][] {
    return this.result(sql, settings).data;
  }

  result(sql: string, settings?: Record<string, string | number>): QueryResult {
    try {
      return this.bridge.query(sql, settings);
    } catch (e) {
      throw this.explain(e);
    }
  }

  /** A query's rows as streamed column chunks (bridge.ts `columns`). */
  columns(sql: string, kinds: ColumnKind[], onChunk: (c: ColumnChunk) => void, settings?: Record<string, string | number>): void {
    try {
      this.bridge.columns(sql, kinds, onChunk, settings);
    } catch (e) {
      throw this.explain(e);
    }
  }

  command(sql: string, settings?: Record<string, string | number>): void {
    try {
      this.bridge.command(sql, settings);
    } catch (e) {
      throw this.explain(e);
    }
  }

  insert(table: string, rows: unknown[]): void {
    try {
      for (let i = 0; i < rows.length; i += 50_000) this.bridge.insert(table, rows.slice(i, i + 50_000));
    } catch (e) {
      throw this.explain(e);
    }
  }

  /**
   * Post rows already encoded as TabSeparated (see `tsvField`) without waiting; `drain()` waits for
   * them and throws what failed. Requests after it are answered after it (bridge.ts).
   */
  insertTsvAsync(table: string, columns: string[], body: string, rows: number): void {
    try {
      this.bridge.insertTsvAsync(table, columns, body, rows);
    } catch (e) {
      throw this.explain(e);
    }
  }

  /** Every asynchronous insert stored (or its failure thrown). */
  drain(): void {
    try {
      this.bridge.drain();
    } catch (e) {
      throw this.explain(e);
    }
  }

  /**
   * Run a mutation (ALTER … UPDATE/DELETE) and wait until it has been applied: 18.16 has no
   * mutations_sync, so system.mutations is polled.
   */
  mutate(table: string, what: string): void {
    this.command(`ALTER TABLE ${table} ${what}`);
    const deadline = Date.now() + REQUEST_TIMEOUT_MS;
    const shared = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      const left = this.rows(`SELECT count() FROM system.mutations WHERE database = currentDatabase() AND table = ${lit(table)} AND is_done = 0`)[0]![0];
      if (Number(left) === 0) return;
      if (Date.now() > deadline) throw new StoreError(`${this.url.shown}: a change to ${table} was not applied within ${REQUEST_TIMEOUT_MS / 1000} s`);
      Atomics.wait(shared, 0, 0, 20);
    }
  }

  close(): void {
    this.bridge.close();
  }

  /** A server or connection failure as one line naming the URL (password masked). */
  explain(e: unknown): Error {
    if (e instanceof StoreError) return e;
    const shown = this.url.shown;
    const msg = maskPasswords(firstLine((e as Error).message ?? String(e)), this.url.password);
    if (e instanceof BridgeError) {
      if (e.network) return new StoreError(`cannot reach the ClickHouse server at ${shown}: ${msg}`);
      const code = serverCode(e);
      if (code === 192 || code === 193 || code === 516) return new StoreError(`the ClickHouse server at ${shown} refused the user name or password: check the credentials in --db`);
      if (code === 81) return new StoreError(`no corr database at ${shown}: run \`corr ingest\` first, or check the database name`);
      return new ClickHouseQueryError(`ClickHouse at ${shown}: ${msg}`, code);
    }
    return new Error(`ClickHouse at ${shown}: ${msg}`);
  }
}

/**
 * A statement the server rejected (a readonly user writing, too many parts, a syntax error in
 * `corr sql`): the store cannot be used for this (exit 2); `corr sql` reports it as usage.
 */
export class ClickHouseQueryError extends StoreError {
  constructor(message: string, readonly serverCode: number | undefined) {
    super(message);
  }
}

function serverCode(e: BridgeError): number | undefined {
  if (e.code && /^\d+$/.test(e.code)) return Number(e.code);
  const m = /Code: (\d+)/.exec(e.message);
  return m ? Number(m[1]) : undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/, e\.what\(\) = DB::Exception$/, '').slice(0, 300);
}

/** A ClickHouse string literal (backslash and quote escaped). User text never becomes SQL otherwise. */
export function lit(s: string | null): string {
  if (s === null) return 'NULL';
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const TSV_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };

/** A value as a TabSeparated field: null as \N, strings with backslash, tab, newline, CR and NUL escaped. */
export function tsvField(v: string | number | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return int(v);
  return /[\\\t\n\r\0]/.test(v) ? v.replace(/[\\\t\n\r\0]/g, (c) => TSV_ESCAPES[c]!) : v;
}

/** An integer literal; anything else is a programming error, never user SQL. */
export function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
}

export function checkServerVersion(version: string, shown: string): void {
  const [major, minor] = version.split('.').map(Number);
  if (!Number.isFinite(major) || !Number.isFinite(minor)) throw new StoreError(`the server at ${shown} reports an unreadable version ${JSON.stringify(version)}`);
  if (major! < MIN_SERVER[0] || (major === MIN_SERVER[0] && minor! < MIN_SERVER[1])) {
    throw new StoreError(`the ClickHouse server at ${shown} is version ${version}; corr needs ${MIN_SERVER.join('.')} or newer (ALTER … UPDATE mutations, LIMIT BY, ReplacingMergeTree with FINAL)`);
  }
}

export interface ClickHouseOpenOptions {
  create?: boolean;
  readonly?: boolean;
}

export function connectClickHouse(spec: string, opts: ClickHouseOpenOptions = {}): ClickHouseConnection {
  const url = parseClickHouseUrl(spec);
  // A bad lease setting is refused before anything is written (lease.ts reads it per section).
  if (!opts.readonly) leaseSeconds();
  // The database is named per statement (a new store's database does not exist yet).
  const bridge = new SyncBridge({ url: url.http, username: url.username, password: url.password, database: 'system', timeoutMs: REQUEST_TIMEOUT_MS });
  const conn = new ClickHouseConnection(url, bridge);
  try {
    const version = String(conn.rows('SELECT version()')[0]![0]);
    checkServerVersion(version, url.shown);
    const exists = Number(conn.rows(`SELECT count() FROM system.databases WHERE name = ${lit(url.database)}`)[0]![0]) > 0;
    if (!exists) {
      if (!opts.create) throw new StoreError(`no corr database at ${url.shown}: run \`corr ingest\` first, or give --db`);
      conn.command(`CREATE DATABASE IF NOT EXISTS ${url.database}`);
    }
    bridge.close();
    const inDb = new ClickHouseConnection(url, new SyncBridge({ url: url.http, username: url.username, password: url.password, database: url.database, timeoutMs: REQUEST_TIMEOUT_MS }));
    try {
      prepareSchema(inDb, opts);
    } catch (e) {
      inDb.close();
      throw e;
    }
    return inDb;
  } catch (e) {
    bridge.close();
    throw conn.explain(e);
  }
}

function storedVersion(conn: ClickHouseConnection): number | null {
  const tables = conn.rows('SELECT name FROM system.tables WHERE database = currentDatabase()').map((r) => String(r[0]));
  if (!tables.includes('corr_meta')) {
    if (tables.length > 0) throw new StoreError(`${conn.url.shown} holds tables but is not a corr store (no corr_meta): use another database`);
    return null;
  }
  const r = conn.rows(`SELECT value FROM corr_meta FINAL WHERE key = 'schema'`);
  return r.length ? Number(r[0]![0]) : 0;
}

function prepareSchema(conn: ClickHouseConnection, opts: ClickHouseOpenOptions): void {
  const version = storedVersion(conn);
  if (version !== null && version > CH_SCHEMA_VERSION) {
    throw new StoreError(`the database ${conn.url.shown} was written by a newer corr (schema ${version}; this corr knows up to ${CH_SCHEMA_VERSION}): upgrade corr, or use another --db`);
  }
  const now = version ?? 0;
  if (now === CH_SCHEMA_VERSION) return;
  if (opts.readonly) {
    if (now === 0) throw new StoreError(`the database ${conn.url.shown} is empty: run \`corr ingest\` first`);
    throw new StoreError(`the database ${conn.url.shown} uses an older schema (${now}); run \`corr ingest\` once to upgrade it`);
  }
  for (let v = now; v < CH_MIGRATIONS.length; v++) {
    for (const ddl of CH_MIGRATIONS[v]!) {
      try {
        conn.command(ddl);
      } catch (e) {
        // Another ingester migrating the same store at this moment added the column first (18.16 says 44).
        if (!(e instanceof ClickHouseQueryError && (e.serverCode === 44 || e.serverCode === 15) && /ADD COLUMN/.test(ddl))) throw e;
      }
    }
    conn.insert('corr_meta', [{ key: 'schema', value: String(v + 1), ver: v + 1 }]);
  }
}

export { CH_SCHEMA_VERSION };
