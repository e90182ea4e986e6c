/**
 * A store filled by hand through the store's own writer (one section per path), for tests that
 * need exact rows rather than parsed files.
 */
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/schema.js';
import { SqliteWriter } from '../../src/store/writer.js';
import type { NewEvent } from '../../src/store/interface.js';

export type HandRow = Omit<NewEvent, 'uptimeUs' | 'bootId' | 'timeNote'> & { path: string };

export function emptyStore(): Database.Database {
  const db = new Database(':memory:');
  for (const m of MIGRATIONS) db.exec(m);
  return db;
}

/** Rows grouped by path (first appearance order), each path one committed section. */
export function handStore(rows: readonly HandRow[], db: Database.Database = emptyStore()): Database.Database {
  const w = new SqliteWriter(db);
  const byPath = new Map<string, HandRow[]>();
  for (const r of rows) {
    const list = byPath.get(r.path);
    if (list) list.push(r);
    else byPath.set(r.path, [r]);
  }
  for (const [path, list] of byPath) {
    const tx = w.beginSection({ path, realPath: `/hand/${path}`, host: null, sha256: 'x', size: 1, mtimeMs: 0, gzip: false }, null, 0).tx!;
    tx.addEvents(list.map(({ path: _p, ...e }) => ({ ...e, uptimeUs: null, bootId: null, timeNote: null })));
    tx.commit({
      title: null, startLine: 1, endLine: 1_000_000, format: 'syslog', lookedLike: null, lookedLikeCode: null, host: null, tz: null,
      lines: list.length, events: list.length, continuations: 0, skipped: 0, duplicates: 0, unanchored: 0, firstUs: null, lastUs: null,
    }, true);
  }
  return db;
}
