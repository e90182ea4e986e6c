/**
 * Which engine a `--db` names: a `clickhouse://` URL is a ClickHouse store (docs/fleet.md), anything
 * else the path of an SQLite file (the default). Callers get the engine-neutral reader and writer of
 * interface.ts; only `corr sql` (the user's own SQL) and SQLite-specific tuning look at the engine.
 *
 * The ClickHouse engine (its connection, reader and writer: ~60 kB of modules, and the client in its
 * worker) is loaded only for a store that is one: `loadEngineFor(spec)` first, which the command
 * line does for every store it names (src/cli/global-options.ts), then `openStoreAt`, which stays
 * synchronous. An SQLite run never loads it.
 */
import { openStore, translateSqliteError, useStreamingCache, type DB } from './db.js';
import type { StoreReader, StoreWriter } from './interface.js';
import { SqliteReader } from './queries.js';
import { SqliteWriter } from './writer.js';
import type { ClickHouseConnection, ClickHouseQueryError } from './clickhouse/connection.js';
import { isClickHouseUrl, maskPasswords } from './clickhouse/url.js';

export { isClickHouseUrl, maskPasswords };

interface ClickHouseEngine {
  connectClickHouse: typeof import('./clickhouse/connection.js').connectClickHouse;
  ClickHouseQueryError: typeof import('./clickhouse/connection.js').ClickHouseQueryError;
  ClickHouseReader: typeof import('./clickhouse/reader.js').ClickHouseReader;
  ClickHouseWriter: typeof import('./clickhouse/writer.js').ClickHouseWriter;
}
let clickhouse: ClickHouseEngine | null = null;

/** Load the engine `spec` names, if it is not SQLite's: before `openStoreAt(spec)`. */
export async function loadEngineFor(spec: string): Promise<void> {
  if (!isClickHouseUrl(spec) || clickhouse) return;
  const [connection, reader, writer] = await Promise.all([import('./clickhouse/connection.js'), import('./clickhouse/reader.js'), import('./clickhouse/writer.js')]);
  clickhouse = {
    connectClickHouse: connection.connectClickHouse,
    ClickHouseQueryError: connection.ClickHouseQueryError,
    ClickHouseReader: reader.ClickHouseReader,
    ClickHouseWriter: writer.ClickHouseWriter,
  };
}

/** A query the ClickHouse server refused (there is none unless its engine was loaded). */
export function isClickHouseQueryError(e: unknown): e is ClickHouseQueryError {
  return clickhouse !== null && e instanceof clickhouse.ClickHouseQueryError;
}

export interface OpenedStore {
  readonly engine: 'sqlite' | 'clickhouse';
  /** The store as messages name it (a URL's password masked). */
  readonly shown: string;
  readonly reader: StoreReader;
  writer(): StoreWriter;
  /** The SQLite database, for SQLite-only work (`corr sql`, cache tuning); null on ClickHouse. */
  readonly sqlite: DB | null;
  /** The ClickHouse connection, for `corr sql`; null on SQLite. */
  readonly clickhouse: ClickHouseConnection | null;
  /** A streaming read over most of the store follows (timeline): engines may size caches for it. */
  streaming(): void;
  /** An engine's failure as the contract's one-line error. */
  explain(e: unknown): Error;
  close(): void;
}

export interface StoreOpenOptions {
  readonly?: boolean;
  create?: boolean;
}

/** The store a --db (or $CORR_DB, or the default) names. */
export function openStoreAt(spec: string, opts: StoreOpenOptions = {}): OpenedStore {
  if (isClickHouseUrl(spec)) {
    if (!clickhouse) throw new Error(`the ClickHouse engine was not loaded before opening ${maskPasswords(spec)} (loadEngineFor)`);
    const { connectClickHouse, ClickHouseReader, ClickHouseWriter } = clickhouse;
    const conn = connectClickHouse(spec, opts);
    const reader = new ClickHouseReader(conn);
    return {
      engine: 'clickhouse', shown: conn.url.shown, reader, sqlite: null, clickhouse: conn,
      writer: () => new ClickHouseWriter(conn),
      streaming: () => {},
      explain: (e) => conn.explain(e),
      close: () => conn.close(),
    };
  }
  const db = openStore(spec, opts);
  return {
    engine: 'sqlite', shown: spec, reader: new SqliteReader(db), sqlite: db, clickhouse: null,
    writer: () => new SqliteWriter(db),
    streaming: () => useStreamingCache(db),
    explain: (e) => translateSqliteError(e, spec),
    close: () => db.close(),
  };
}
