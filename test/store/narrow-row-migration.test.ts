/**
 * Migration 9 (#18, ninth round): host, source and kind become codes into `names`, and event_rows is
 * rebuilt. A store written in the previous layout loses nothing: it is made here from the previous
 * schema's own DDL (MIGRATIONS up to 8), filled with the rows a real ingest of both fixture
 * incidents wrote (copied column by column, the names spelled out as the old table held them), and
 * then every command is run on it and on the store the ingest wrote: the outputs are the same bytes.
 * A store from a newer corr is still refused with the contract's exit code and reason.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS, READABLE_FROM } from '../../src/store/schema.js';
import { openStore, SCHEMA_VERSION } from '../../src/store/db.js';
import { corr, FIXTURES, tempDir } from '../helpers/cli.js';

/** The previous schema's last version: what a store written before this round is at. */
const OLD = 8;

/** The old event_rows' columns, in its order (migrations 1, 6 and 7 made them). */
const OLD_COLUMNS = 'id, ts_us, section_id, line, host, source, kind, severity, message, msg_at, raw, fields, count, uptime_us, boot_id, time_note, tkey, dhash, occ, boot_key, twin_of';

function oldStore(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  for (const m of MIGRATIONS.slice(0, OLD)) db.exec(m);
  db.pragma(`user_version = ${OLD}`);
  return db;
}

/** A copy of the store at `from` in the previous layout, at `to`. */
function downgrade(from: string, to: string): void {
  const db = oldStore(to);
  db.pragma('foreign_keys = OFF');
  db.prepare('ATTACH ? AS a').run(from);
  db.transaction(() => {
    for (const t of ['files', 'sections', 'boots', 'notes', 'coverage', 'event_owners']) db.exec(`INSERT INTO main.${t} SELECT * FROM a.${t}`);
    db.exec(`INSERT INTO main.event_rows (${OLD_COLUMNS})
      SELECT e.id, e.ts_us, e.section_id, e.line, h.name, s.name, k.name, e.severity, e.message, e.msg_at, e.raw, e.fields, e.count,
             e.uptime_us, e.boot_id, e.time_note, e.tkey, e.dhash, e.occ, e.boot_key, e.twin_of
      FROM a.event_rows e JOIN a.names h ON h.id = e.host_code JOIN a.names s ON s.id = e.source_code JOIN a.names k ON k.id = e.kind_code`);
  })();
  db.exec('DETACH a');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  db.close();
}

const all = (db: Database.Database, sql: string): unknown[] => db.prepare(sql).raw(true).all();
/** Every row of every table the readers see, by id: the view whole, and the tables beside it. */
function contents(path: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    return {
      events: all(db, 'SELECT * FROM events ORDER BY id'),
      bootKeys: all(db, 'SELECT id, boot_key FROM event_rows ORDER BY id'),
      ...Object.fromEntries(['files', 'sections', 'boots', 'notes', 'coverage', 'event_owners'].map((t) => [t, all(db, `SELECT * FROM ${t} ORDER BY 1, 2`)])),
    };
  } finally {
    db.close();
  }
}

const WINDOWS = ['--window', '2026-05-26 17:18..17:27 PT', '--window', '2026-05-26 18:58..19:00 PT'];

/**
 * Every read command's output on the store `corr.db` in `cwd`, and a report's files (markdown and
 * SVG). Run from the store's directory with the same relative paths: the report names its --db.
 */
function outputs(cwd: string): Record<string, string> {
  const out: Record<string, string> = {};
  const run = (name: string, args: string[]): void => {
    const r = corr(['--db', 'corr.db', ...args], { cwd });
    expect(r.code, `${name}: ${r.stderr}`).toBe(0);
    out[name] = r.stdout;
  };
  run('sources', ['sources', '--json']);
  run('sources-table', ['sources']);
  run('timeline', ['timeline', '--json', '--no-collapse']);
  run('timeline-collapsed', ['timeline', '--format', 'csv', '--tz', 'America/Los_Angeles']);
  run('timeline-kind', ['timeline', '--json', '--kind', 'sshd.', '--host', 'kai-server']);
  run('histogram', ['timeline', '--histogram', '--source', 'kernel']);
  run('correlate', ['correlate', '--json']);
  run('correlate-windows', ['correlate', '--json', ...WINDOWS]);
  run('sql', ['sql', '--json', 'SELECT * FROM events ORDER BY id']);
  run('sql-group', ['sql', 'SELECT host, source, kind, count(*) AS n FROM events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3']);
  const dir = join(cwd, 'out');
  mkdirSync(dir);
  run('report', ['report', '--out', join('out', 'report.md'), ...WINDOWS]);
  for (const f of readdirSync(dir).sort()) out[`report/${f}`] = readFileSync(join(dir, f), 'utf8');
  return out;
}

describe('migration 9: host, source and kind as codes', () => {
  const freshDir = tempDir('corr-narrow-fresh-');
  const migratedDir = tempDir('corr-narrow-old-');
  const fresh = join(freshDir, 'corr.db');
  const migrated = join(migratedDir, 'corr.db');
  const inputs = [join(FIXTURES, 'incident-seed', 'diag'), join(FIXTURES, 'incident-dst', 'diag')];

  it('is the last step, and readers need it', () => {
    expect(SCHEMA_VERSION).toBe(9);
    expect(READABLE_FROM).toBe(9);
  });

  it('a store of the previous layout is migrated losing nothing, and every command answers it as the store an ingest writes', () => {
    const ingest = corr(['--db', fresh, 'ingest', '--json', '--quiet', ...inputs]);
    expect(ingest.code, ingest.stderr).toBe(0);
    downgrade(fresh, migrated);
    const before = contents(migrated);
    // The copy holds the real rows (a broken copy would compare empty to empty).
    expect((before as { events: unknown[] }).events.length).toBeGreaterThan(5000);
    // Read-only commands ask for the upgrade, and change nothing.
    const refused = corr(['--db', migrated, 'sources']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/older schema \(8\); run `corr ingest` once to upgrade it/);
    expect(refused.stdout).toBe('');
    // The upgrade: ingesting the same inputs again migrates and adds nothing, as on the fresh store.
    const again = corr(['--db', migrated, 'ingest', '--json', ...inputs]);
    const againFresh = corr(['--db', fresh, 'ingest', '--json', ...inputs]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).events_added).toBe(0);
    expect(again.stdout).toBe(againFresh.stdout);
    const db = new Database(migrated, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(9);
      expect(db.prepare('SELECT name FROM names WHERE id = 1').get()).toEqual({ name: 'kernel' });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    // Every value the view shows, every id, every boot key and every other table: as before the migration.
    expect(contents(migrated)).toEqual(before);
    expect(outputs(migratedDir)).toEqual(outputs(freshDir));
  });

  it('hostile names survive the migration: quotes, NUL, a host named like a source, non-BMP characters', () => {
    const path = join(tempDir('corr-narrow-hostile-'), 'old.db');
    const db = oldStore(path);
    db.exec(`INSERT INTO files (id, path, real_path, sha256, size, complete) VALUES (1, 'a.log', '/a.log', 'x', 1, 1);
      INSERT INTO sections (id, file_id, ordinal, start_line, end_line, format, lines, events, continuations, skipped) VALUES (1, 1, 0, 1, 9, 'syslog', 4, 4, 0, 0);`);
    const names = [["it's", 'syslog', 'syslog.x'], ['nul\0host', 'kernel', 'kernel.other'], ['kernel', 'sshd', 'sshd.\u{1F600}'], ['h', 'syslog', "syslog.'; DROP TABLE names; --"]];
    const ins = db.prepare(`INSERT INTO event_rows (${OLD_COLUMNS}) VALUES (?, ?, 1, ?, ?, ?, ?, 1, NULL, 0, ?, NULL, 1, NULL, NULL, NULL, ?, ?, 0, 0, NULL)`);
    names.forEach(([h, s, k], i) => ins.run(i + 1, 1000 + i, i + 1, h, s, k, `raw ${i}`, 1000 + i, i));
    const before = all(db, 'SELECT * FROM events ORDER BY id');
    db.close();
    openStore(path).close();
    const after = new Database(path, { readonly: true });
    try {
      expect(all(after, 'SELECT * FROM events ORDER BY id')).toEqual(before);
      expect(all(after, 'SELECT host, source, kind FROM events ORDER BY id')).toEqual(names);
    } finally {
      after.close();
    }
  });

  it('a store from a newer corr is refused with exit 2 and the reason, and left as it was', () => {
    const path = join(tempDir('corr-narrow-newer-'), 'new.db');
    const db = oldStore(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const bytes = readFileSync(path);
    for (const args of [['sources'], ['ingest', join(FIXTURES, 'incident-seed', 'diag')]]) {
      const r = corr(['--db', path, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`written by a newer corr \\(schema ${SCHEMA_VERSION + 1}; this corr knows up to ${SCHEMA_VERSION}\\)`));
      expect(r.stdout).toBe('');
    }
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });
});
