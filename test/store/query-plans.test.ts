/**
 * Every index of the store earns its insert cost (#18): each is the plan SQLite chooses for a real
 * query of src/store (the SQL text is taken from the statements the code prepares, not copied
 * here) or for a foreign-key action a removal runs, and the store holds no index beyond those.
 * A query that stops using its index, or an index no query needs, fails here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { countEvents, eventSpan, iterateEvents, loadEventColumns, storedBoots } from '../../src/store/queries.js';
import { SqliteWriter } from '../../src/store/writer.js';
import { handStore } from './hand-store.js';

const HOUR_US = 3600e6;
const T0 = Date.UTC(2026, 4, 26) * 1000;

/** Two files of 400 events each across 10 hours: enough rows that a window is a small share. */
function store(): Database.Database {
  const rows = [];
  for (const path of ['a.log', 'b.log']) {
    for (let i = 0; i < 400; i++) {
      const ts = T0 + Math.floor((i * 10 * HOUR_US) / 400) + (path === 'b.log' ? 7 : 0);
      rows.push({
        path, tsUs: ts, line: i + 1, host: 'kai-server', source: i % 2 ? 'sshd' : 'kernel', kind: i % 2 ? 'sshd.auth_failed' : 'kernel.other',
        severity: 'info' as const, message: `m${i}`, raw: `raw ${path} m${i}`, fields: {}, count: 1, tkey: ts, dhash: i * 2 + (path === 'a.log' ? 0 : 1), occ: 0,
      });
    }
  }
  return handStore(rows);
}

/** The plan's lines for one statement, every `?` bound to 0 (the plan does not depend on it). */
function plan(db: Database.Database, sql: string): string {
  const params = new Array<number>((sql.match(/\?/g) ?? []).length).fill(0);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
}

/** The SQL each call prepares, in order. */
function preparedBy(db: Database.Database, call: () => void): string[] {
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
    seen.push(sql);
    return prepare(sql);
  };
  try {
    call();
  } finally {
    (db as unknown as { prepare: unknown }).prepare = prepare;
  }
  return seen;
}

const indexIn = (p: string): string[] => [...p.matchAll(/USING (?:COVERING )?INDEX (\w+)/g)].map((m) => m[1]!);

describe('query plans', () => {
  const db = store();
  const w = new SqliteWriter(db);
  afterAll(() => db.close());
  const used = new Set<string>();
  const expectIndex = (sql: string, index: string): void => {
    const p = plan(db, sql);
    expect(indexIn(p), `${sql}\n${p}`).toContain(index);
    used.add(index);
  };
  const window = { sinceUs: T0 + 2 * HOUR_US, untilUs: T0 + 2 * HOUR_US + 15 * 60e6 };

  it('a timeline window walks events_ts, in time order, without sorting', () => {
    const sql = preparedBy(db, () => [...iterateEvents(db, window)]).find((s) => /ORDER BY e\.ts_us/.test(s))!;
    expectIndex(sql, 'events_ts');
    expect(plan(db, sql)).not.toMatch(/TEMP B-TREE/);
  });

  it('counts and the span read events_ts alone', () => {
    for (const sql of preparedBy(db, () => countEvents(db, window))) expectIndex(sql, 'events_ts');
    const span = preparedBy(db, () => eventSpan(db));
    expect(span).toHaveLength(1);
    expectIndex(span[0]!, 'events_ts');
    // Each end is one step into the index (ORDER BY … LIMIT 1), never an aggregate over all of it.
    expect(plan(db, span[0]!).match(/COVERING INDEX events_ts/g)).toHaveLength(2);
    expect(eventSpan(db)).toEqual({ firstUs: T0, lastUs: T0 + Math.floor((399 * 10 * HOUR_US) / 400) + 7 });
  });

  it('the correlator: a narrow range walks events_ts, the whole store is one scan of the table', () => {
    const narrow = preparedBy(db, () => loadEventColumns(db, window, { sources: [], kinds: [] })).find((s) => /FROM event_rows e WHERE/.test(s))!;
    expectIndex(narrow, 'events_ts');
    const whole = preparedBy(db, () => loadEventColumns(db, {}, { sources: ['sshd'], kinds: [] })).find((s) => /FROM event_rows e WHERE/.test(s))!;
    const p = plan(db, whole);
    expect(p).toMatch(/^SCAN e$/m);
    expect(indexIn(p)).toEqual([]);
  });

  it('host, source and kind (codes into names, #18 ninth round): a count never looks names up, a window finds each by its primary key, the writer a new one by its unique name', () => {
    const count = preparedBy(db, () => countEvents(db, window));
    for (const sql of [...count, 'SELECT count(*) FROM events']) expect(plan(db, sql), sql).not.toMatch(/SUBQUERY|\bn\b|names/);
    const sql = preparedBy(db, () => [...iterateEvents(db, window)]).find((s) => /ORDER BY e\.ts_us/.test(s))!;
    const p = plan(db, sql);
    expect(p.match(/CORRELATED SCALAR SUBQUERY/g), p).toHaveLength(3);
    expect(p.match(/SEARCH n USING INTEGER PRIMARY KEY \(rowid=\?\)/g), p).toHaveLength(3);
    expect(p).not.toMatch(/SCAN n\b/);
    expectIndex(w.statements.nameId.source, 'sqlite_autoindex_names_1');
    // And the view still answers every column with its text.
    expect(db.prepare("SELECT DISTINCT host, source, kind FROM events ORDER BY 2").all()).toEqual([
      { host: 'kai-server', source: 'kernel', kind: 'kernel.other' },
      { host: 'kai-server', source: 'sshd', kind: 'sshd.auth_failed' },
    ]);
  });

  it('dedup at ingest probes events_dedup: the twin, the owner lookup, the first-ingest range probe', () => {
    for (const st of [w.statements.eventByKey, w.statements.twin, w.statements.anyInRange]) expectIndex(st.source, 'events_dedup');
    // INSERT OR IGNORE keeps one row per key through the same unique index.
    expect((db.prepare("SELECT \"unique\" AS u FROM pragma_index_list('event_rows') WHERE name = 'events_dedup'").get() as { u: number }).u).toBe(1);
  });

  it('a section, a boot and a file are found by their indexes', () => {
    expectIndex(w.statements.sectionSpan.source, 'events_section');
    expectIndex(w.statements.placeBootRows.source, 'events_boot');
    const boots = preparedBy(db, () => storedBoots(db));
    expect(boots).toHaveLength(1);
    expectIndex(boots[0]!, 'events_boot');
    expectIndex(w.statements.joinable.source, 'files_place');
    expectIndex(w.statements.storedOrdinals.source, 'sqlite_autoindex_sections_1');
    expectIndex(w.statements.lastSection.source, 'sqlite_autoindex_sections_1');
    const notes = preparedBy(db, () => w.sections({ sectionIds: [1, 2] })).find((s) => /FROM notes/.test(s))!;
    expectIndex(notes, 'notes_section');
  });

  it("removing a file: each foreign key's action finds its child rows by index", () => {
    // The statement SQLite runs for ON DELETE CASCADE / SET NULL is a search of the child table on
    // the referencing column; without an index, a scan of the whole table per removed parent.
    const actions: [child: string, column: string, parent: string, action: string, index: string][] = [
      ['event_rows', 'section_id', 'sections', 'CASCADE', 'events_section'],
      ['event_rows', 'boot_id', 'boots', 'SET NULL', 'events_boot'],
      ['event_rows', 'twin_of', 'event_rows', 'SET NULL', 'events_twin_of'],
      ['event_owners', 'section_id', 'sections', 'CASCADE', 'owners_section'],
      ['notes', 'section_id', 'sections', 'CASCADE', 'notes_section'],
      ['coverage', 'section_id', 'sections', 'CASCADE', 'coverage_section'],
      ['sections', 'file_id', 'files', 'CASCADE', 'sqlite_autoindex_sections_1'],
    ];
    for (const [child, column, parent, action, index] of actions) {
      const fks = db.prepare(`SELECT "table" AS parent, "from" AS col, on_delete FROM pragma_foreign_key_list('${child}')`).all() as { parent: string; col: string; on_delete: string }[];
      expect(fks).toContainEqual({ parent, col: column, on_delete: action });
      const sql = action === 'SET NULL' ? `UPDATE ${child} SET ${column} = NULL WHERE ${column} = ?` : `DELETE FROM ${child} WHERE ${column} = ?`;
      expectIndex(sql, index);
    }
  });

  it('raw dmesg matching and host step 4 (#12): the host\'s wall-clock kernel lines, a boot\'s raw lines, the lines under a key', () => {
    expectIndex(w.statements.wallKernel.source, 'events_kernel_wall');
    expectIndex(w.statements.bootRaw.source, 'events_boot');
    expectIndex(w.statements.linesAt.source, 'events_dedup');
  });

  it('twins (#12): a host\'s wall-clock kernel lines in a window, a boot\'s rows, and whether a row is already linked', () => {
    expectIndex(w.statements.wallKernelIn.source, 'events_kernel_wall');
    expectIndex(w.statements.bootKernelRows.source, 'events_boot');
    expectIndex(w.statements.bootKernelRows.source, 'events_twin_of');
  });

  it("a section's twins are counted from the twin rows alone (events_twins_section), the owners' half by their key", () => {
    // A fresh store: the statement is prepared once per connection, and the calls above prepared it.
    const fresh = store();
    try {
      const writer = new SqliteWriter(fresh);
      const sql = preparedBy(fresh, () => writer.sections()).find((s) => /twin_of IS NOT NULL GROUP BY/.test(s))!;
      const p = plan(fresh, sql);
      expect(indexIn(p), p).toContain('events_twins_section');
      expect(p).toMatch(/SEARCH o USING PRIMARY KEY \(event_id=\?\)/);
      // Every row of event_rows or event_owners is reached through a twin, never by a scan of either.
      expect(p).not.toMatch(/SCAN (o|event_owners)\b|USING (COVERING )?INDEX (events_section|owners_section)/);
      expect(p.match(/^SCAN .*$/gm)).toEqual(['SCAN event_rows USING INDEX events_twins_section']);
      used.add('events_twins_section');
      // And the counts: three b.log rows are twins of a.log rows, one of them also owned by a.log's section.
      const [a, b] = (fresh.prepare('SELECT id FROM sections ORDER BY id').all() as { id: number }[]).map((r) => r.id);
      const bRows = (fresh.prepare('SELECT id FROM event_rows WHERE section_id = ? ORDER BY id LIMIT 3').all(b) as { id: number }[]).map((r) => r.id);
      const aRow = (fresh.prepare('SELECT id FROM event_rows WHERE section_id = ? ORDER BY id LIMIT 1').get(a) as { id: number }).id;
      for (const id of bRows) fresh.prepare('UPDATE event_rows SET twin_of = ? WHERE id = ?').run(aRow, id);
      fresh.prepare('INSERT INTO event_owners (event_id, section_id, line) VALUES (?, ?, 1)').run(bRows[0], a);
      const twins = new SqliteWriter(fresh).sections().map((s) => [s.path, s.twins]);
      expect(twins).toEqual([['a.log', 1], ['b.log', 3]]);
    } finally {
      fresh.close();
    }
  });

  it('the store holds no index that none of the plans above uses', () => {
    const all = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(all.sort()).toEqual([...used].sort());
  });
});
