/**
 * Migration 8 (#18) only adds an index (events_twins_section), and the first write adds it. Until
 * migration 9 (host, source and kind as codes: test/store/narrow-row-migration.test.ts) readers
 * read a schema-7 store as it was; since 9 rebuilt event_rows, a store older than READABLE_FROM (9)
 * is refused by readers with the way to upgrade it, and the upgrade carries both steps.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { MIGRATIONS, READABLE_FROM } from '../../src/store/schema.js';
import { openStore, SCHEMA_VERSION } from '../../src/store/db.js';
import { sectionSummaries } from '../../src/store/queries.js';
import { StoreError } from '../../src/errors.js';
import { tempDir } from '../helpers/cli.js';

const T0 = Date.UTC(2026, 4, 26) * 1000;

/**
 * A file store at schema `version` (6 to 8: event_rows with host, source and kind as text), with two
 * sections of three rows and one twin in the second: rows written in that layout by hand.
 */
function storeAt(version: number): string {
  const path = join(tempDir('corr-migrate-'), 'old.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  for (const m of MIGRATIONS.slice(0, version)) db.exec(m);
  db.pragma(`user_version = ${version}`);
  const ins = db.prepare(`INSERT INTO event_rows (section_id, ts_us, line, host, source, kind, severity, message, raw, count, tkey, dhash, occ)
    VALUES (?, ?, ?, 'h', 'kernel', 'kernel.other', 1, NULL, ?, 1, ?, ?, 0)`);
  ['a.log', 'b.log'].forEach((p, k) => {
    db.prepare("INSERT INTO files (id, path, real_path, sha256, size, complete) VALUES (?, ?, ?, 'x', 1, 1)").run(k + 1, p, `/hand/${p}`);
    db.prepare("INSERT INTO sections (id, file_id, ordinal, start_line, end_line, format, lines, events, continuations, skipped) VALUES (?, ?, 0, 1, 3, 'syslog', 3, 3, 0, 0)").run(k + 1, k + 1);
    for (let i = 0; i < 3; i++) ins.run(k + 1, T0 + i * 1e6, i + 1, `m${i}`, T0 + i * 1e6, k * 10 + i);
  });
  if (version >= 7) db.prepare("UPDATE event_rows SET twin_of = (SELECT min(id) FROM event_rows) WHERE id = (SELECT max(id) FROM event_rows)").run();
  db.close();
  return path;
}

const indexes = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'events_twin%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migration 8: an index only', () => {
  it('adds the one index; since migration 9 readers need 9', () => {
    expect(SCHEMA_VERSION).toBe(9);
    expect(READABLE_FROM).toBe(9);
    expect(MIGRATIONS[7]).toMatch(/^\s*--[^]*CREATE INDEX events_twins_section ON event_rows \(section_id\) WHERE twin_of IS NOT NULL;\s*$/);
  });

  it('a read-only open of a schema-7 store asks for the upgrade; a writable open adds the index (and migration 9)', () => {
    const path = storeAt(7);
    expect(() => openStore(path, { readonly: true })).toThrow(/older schema \(7\); run `corr ingest` once to upgrade it/);
    const rw = openStore(path);
    try {
      expect(rw.pragma('user_version', { simple: true })).toBe(9);
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
