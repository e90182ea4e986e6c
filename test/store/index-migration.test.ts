/**
 * Migration 8 (#18) only adds an index (events_twins_section): a store written before it is still
 * read by the read-only commands (the same answers, the twin count slower), and the first write
 * adds the index. A store older than READABLE_FROM is refused by readers as before.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { MIGRATIONS, READABLE_FROM } from '../../src/store/schema.js';
import { openStore, SCHEMA_VERSION } from '../../src/store/db.js';
import { sectionSummaries } from '../../src/store/queries.js';
import { StoreError } from '../../src/errors.js';
import { handStore } from './hand-store.js';
import { tempDir } from '../helpers/cli.js';

const T0 = Date.UTC(2026, 4, 26) * 1000;

/** A file store at schema `version`; from READABLE_FROM on, with two sections and one twin in the second. */
function storeAt(version: number): string {
  const path = join(tempDir('corr-migrate-'), 'old.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  for (const m of MIGRATIONS.slice(0, version)) db.exec(m);
  db.pragma(`user_version = ${version}`);
  const rows = ['a.log', 'b.log'].flatMap((p, k) =>
    [0, 1, 2].map((i) => ({
      path: p, tsUs: T0 + i * 1e6, line: i + 1, host: 'h', source: 'kernel', kind: 'kernel.other', severity: 'info' as const,
      message: `m${i}`, raw: `m${i}`, fields: {}, count: 1, tkey: T0 + i * 1e6, dhash: k * 10 + i, occ: 0,
    })),
  );
  if (version >= READABLE_FROM) handStore(rows, db);
  // The writer batches sections into one transaction until it is flushed: commit it.
  if (db.inTransaction) db.exec('COMMIT');
  if (version >= READABLE_FROM) db.prepare("UPDATE event_rows SET twin_of = (SELECT min(id) FROM event_rows) WHERE id = (SELECT max(id) FROM event_rows)").run();
  db.close();
  return path;
}

const indexes = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'events_twin%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migration 8: an index only', () => {
  it('is the last step, and readers accept the store before it', () => {
    expect(SCHEMA_VERSION).toBe(8);
    expect(READABLE_FROM).toBe(7);
    expect(MIGRATIONS[7]).toMatch(/^\s*--[^]*CREATE INDEX events_twins_section ON event_rows \(section_id\) WHERE twin_of IS NOT NULL;\s*$/);
  });

  it('a read-only open of a schema-7 store reads it unchanged; a writable open adds the index', () => {
    const path = storeAt(7);
    const ro = openStore(path, { readonly: true });
    try {
      expect(ro.pragma('user_version', { simple: true })).toBe(7);
      expect(indexes(ro)).toEqual(['events_twin_of']);
      expect(sectionSummaries(ro).map((s) => [s.path, s.events, s.twins])).toEqual([['a.log', 3, 0], ['b.log', 3, 1]]);
    } finally {
      ro.close();
    }
    const rw = openStore(path);
    try {
      expect(rw.pragma('user_version', { simple: true })).toBe(8);
      expect(indexes(rw)).toEqual(['events_twin_of', 'events_twins_section']);
      expect(sectionSummaries(rw).map((s) => [s.path, s.events, s.twins])).toEqual([['a.log', 3, 0], ['b.log', 3, 1]]);
      // The index holds exactly the twin rows.
      expect((rw.prepare('SELECT count(*) AS n FROM event_rows INDEXED BY events_twins_section WHERE twin_of IS NOT NULL').get() as { n: number }).n).toBe(1);
    } finally {
      rw.close();
    }
  });

  it('a store older than READABLE_FROM is still refused by readers, with the way to upgrade it', () => {
    const path = storeAt(6);
    expect(() => openStore(path, { readonly: true })).toThrow(StoreError);
    expect(() => openStore(path, { readonly: true })).toThrow(/older schema \(6\); run `corr ingest` once to upgrade it/);
  });
});
