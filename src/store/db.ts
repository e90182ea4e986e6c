/**
 * Opening the SQLite store: checks that the file is a corr database this version can use, runs the
 * schema migrations (keyed on PRAGMA user_version), and sets WAL mode and a busy timeout so that a
 * second writer waits instead of failing.
 */
import Database from 'better-sqlite3';
import { existsSync, openSync, readSync, closeSync, statSync, accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StoreError, LockedError } from '../errors.js';
import { MIGRATIONS, READABLE_FROM } from './schema.js';

export type DB = Database.Database;

/** How long a writer waits for another one before giving up (exit 1). */
export const BUSY_TIMEOUT_MS = 60_000;

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Page size of a new store (SQLite's default is 4096). */
export const PAGE_SIZE = 8192;

export interface OpenOptions {
  readonly?: boolean;
  /** Create the file when it does not exist (ingest); read commands refuse a missing store. */
  create?: boolean;
}

export function openStore(path: string, opts: OpenOptions = {}): DB {
  const full = resolve(path);
  const exists = existsSync(full);
  if (!exists && !opts.create) {
    throw new StoreError(`no corr database at ${path}: run \`corr ingest\` first, or give --db`);
  }
  if (exists) checkIsSqlite(full, path);
  else checkWritableDir(full, path);
  let db: DB;
  try {
    db = new Database(full, { readonly: Boolean(opts.readonly) && exists, fileMustExist: !opts.create });
  } catch (e) {
    throw new StoreError(`cannot open the database ${path}: ${(e as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new StoreError(`the database ${path} was written by a newer corr (schema ${version}; this corr knows up to ${SCHEMA_VERSION}): upgrade corr, or use another --db`);
    }
    if (version > 0) checkIsCorr(db, path);
    else if (hasForeignTables(db)) {
      throw new StoreError(`${path} is an SQLite database but not a corr store: use another --db`);
    }
    if (!opts.readonly) {
      if (exists) checkWritableFile(full, path);
      // A new store only (the page size is fixed by the first table, and WAL mode freezes it):
      // rows average ~400 bytes, and 8 KiB pages mean fewer page splits and B-tree levels per insert.
      if (version === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Migrations run with foreign keys off (better-sqlite3 turns them on by default): a step that
      // rebuilds a table must not cascade. foreign_key_check after each step keeps them honest.
      db.pragma('foreign_keys = OFF');
      migrate(db, version);
      db.pragma('foreign_keys = ON');
    } else if (version < READABLE_FROM) {
      if (version === 0) throw new StoreError(`the database ${path} is empty: run \`corr ingest\` first`);
      throw new StoreError(`the database ${path} uses an older schema (${version}); run \`corr ingest\` once to upgrade it`);
    }
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
  } catch (e) {
    db.close();
    throw translateSqliteError(e, path);
  }
  return db;
}

function migrate(db: DB, from: number): void {
  for (let v = from; v < MIGRATIONS.length; v++) {
    // Each step commits with its version bump, so a crash leaves the store at a known version.
    // The version is read again under the write lock: a second corr opening a new store at the same
    // moment may have run this step already (it would otherwise fail on "table already exists").
    db.transaction(() => {
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now > v) return;
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new StoreError(`migrating the store to schema ${v + 1} would leave ${broken.length} rows without their parent: not done`);
    }).immediate();
  }
}

function checkIsSqlite(full: string, shown: string): void {
  let st;
  try {
    st = statSync(full);
  } catch (e) {
    throw new StoreError(`cannot read the database ${shown}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  if (!st.isFile()) throw new StoreError(`the database path ${shown} is not a file`);
  if (st.size === 0) return; // an empty file becomes a new store
  const head = Buffer.alloc(16);
  let fd: number;
  try {
    fd = openSync(full, 'r');
  } catch (e) {
    throw new StoreError(`cannot read the database ${shown}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') !== 'SQLite format 3\0') {
    throw new StoreError(`${shown} is not an SQLite database (not a corr store): use another --db`);
  }
}

function checkWritableDir(full: string, shown: string): void {
  const dir = dirname(full);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new StoreError(`cannot create the database ${shown}: the directory ${dirname(shown) || '.'} is missing or not writable`);
  }
}

function checkWritableFile(full: string, shown: string): void {
  try {
    accessSync(full, constants.W_OK);
    accessSync(dirname(full), constants.W_OK);
  } catch {
    throw new StoreError(`the database ${shown} is not writable (nor its directory, which SQLite needs for its journal)`);
  }
}

function hasForeignTables(db: DB): boolean {
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
  return row.n > 0;
}

function checkIsCorr(db: DB, shown: string): void {
  // `events` may be a table or a view over the stored rows, depending on the schema version.
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type IN ('table', 'view') AND name IN ('files', 'sections', 'events')").get() as { n: number };
  if (row.n < 3) throw new StoreError(`${shown} is an SQLite database but not a corr store: use another --db`);
}

/** Map SQLite's errors to the contract's exit codes, with a one-line reason naming the database. */
export function translateSqliteError(e: unknown, shown: string): Error {
  if (e instanceof StoreError || e instanceof LockedError) return e;
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY')) {
    return new LockedError(`the database ${shown} is locked by another writer and stayed locked for ${BUSY_TIMEOUT_MS / 1000} s`);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(`${shown} is not a usable SQLite database (${code}): it is damaged; restore it from a copy, or ingest again into a new --db`);
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_CANTOPEN')) {
    return new StoreError(`the database ${shown} is not writable (${code})`);
  }
  if (code === 'SQLITE_FULL') return new StoreError(`the disk holding ${shown} is full: nothing of the interrupted section was stored; free space and run the same command again to resume`);
  if (code.startsWith('SQLITE_IOERR')) return new StoreError(`cannot read or write ${shown} (${code}): the disk failed or is full; nothing half-written was kept`);
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * For a connection that streams one pass over the events in time order (`corr timeline`): each
 * page is read once, so a large page cache only holds pages that are never asked for again — at a
 * million events the default 64 MiB of it was a third of the timeline's memory. 8 MiB keeps the
 * index's inner pages.
 */
export function useStreamingCache(db: DB): void {
  db.pragma('cache_size = -8192');
}

/**
 * For the connection an ingest writes through. Rows go in nearly in key order (time, dedup key,
 * section), so each B-tree is written at its right edge and the pages behind it are not read again:
 * replaying the 1M bench bundle's rows through the writer cost the same CPU with 16, 32, 64 and
 * 400 MiB of cache (5.2–5.4 s), while 16 MiB instead of the default 64 kept ~50 MB less resident.
 */
export function useWritingCache(db: DB): void {
  db.pragma('cache_size = -16384');
  // Each section is a savepoint, and rolling one back needs the original of every page it changes
  // that existed before it began: SQLite keeps those in a sub-journal, which temp_store = MEMORY
  // holds in memory whole. A late section of a large run touches index pages all over the store
  // (its times fall between the rows already stored): at 10M lines peak RSS grew to 410 MB (196 MB
  // at 1M). As a temporary file the sub-journal lives in the OS's page cache, not the process.
  db.pragma('temp_store = FILE');
}
