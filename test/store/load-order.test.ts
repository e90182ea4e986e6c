/**
 * The correlator's bulk load reads the table in storage order and sorts; it must return exactly
 * what the time-ordered index walk returns, for whole and partial ranges.
 */
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/schema.js';
import { StoreWriter } from '../../src/store/writer.js';
import { iterateEvents, loadEventsInOrder } from '../../src/store/queries.js';

function store(): Database.Database {
  const db = new Database(':memory:');
  for (const m of MIGRATIONS) db.exec(m);
  return db;
}

describe('loadEventsInOrder', () => {
  const db = store();
  afterAll(() => db.close());
  const w = new StoreWriter(db);
  const section = (path: string): number => {
    const fileId = w.addFile(path, 'x', 1, 0, false);
    return w.addSection({
      file_id: fileId, ordinal: 0, title: null, start_line: 1, end_line: 99, format: 'syslog', looked_like: null, host: null, tz: null,
      assumptions: '[]', warnings: '[]', lines: 0, events: 0, continuations: 0, skipped: 0, duplicates: 0, unanchored: 0, first_us: null, last_us: null,
    });
  };
  const a = section('a.log');
  const b = section('b.log');
  // Two files covering the same span, each stored in its own order (one slightly out of order),
  // with ties on the instant, and one unanchored row that no time query may return.
  const rows: [number, number | null, string][] = [
    [a, 5_000_000, 'a1'], [a, 3_000_000, 'a2 out of order'], [a, 9_000_000, 'a3'], [a, null, 'a4 unanchored'],
    [b, 1_000_000, 'b1'], [b, 5_000_000, 'b2 tie with a1'], [b, 7_000_000, 'b3'], [b, 12_000_000, 'b4'],
  ];
  rows.forEach(([sid, ts, msg], i) => {
    const raw = `May 26 17:00:0${i} kai-server app[1]: ${msg}`;
    w.addEvent({
      ts_us: ts, section_id: sid, line: i + 1, host: 'kai-server', source: 'syslog', kind: 'syslog.other', severity: 1, message: msg, raw,
      fields: i % 2 ? JSON.stringify({ n: i }) : null, count: 1, uptime_us: null, boot_id: null, time_note: null, tkey: ts ?? -1 - i, dhash: i, occ: 0,
    });
  });

  it('returns the whole store in time order, ties by id, unanchored rows left out', () => {
    const got = loadEventsInOrder(db, {});
    expect(got.map((e) => e.message)).toEqual(['b1', 'a2 out of order', 'a1', 'b2 tie with a1', 'b3', 'a3', 'b4']);
    expect(got).toEqual([...iterateEvents(db, {})]);
    expect(got.find((e) => e.message === 'a2 out of order')).toMatchObject({ file: 'a.log', line: 2, fields: { n: 1 } });
  });

  it('agrees with the index walk on wide and narrow ranges', () => {
    for (const [sinceUs, untilUs] of [[0, 20_000_000], [3_000_000, 9_000_000], [5_000_000, 5_000_001], [8_000_000, undefined]] as const) {
      const q = { sinceUs, untilUs };
      expect(loadEventsInOrder(db, q)).toEqual([...iterateEvents(db, q)]);
    }
    expect(loadEventsInOrder(db, { sinceUs: 3_000_000, untilUs: 9_000_000 }).map((e) => e.message)).toEqual(['a2 out of order', 'a1', 'b2 tie with a1', 'b3']);
  });

  it('stores a message that ends its raw line once, and the events view shows it whole', () => {
    const stored = db.prepare("SELECT message, msg_at FROM event_rows WHERE raw LIKE '%b3'").get() as { message: string | null; msg_at: number | null };
    expect(stored.message).toBeNull();
    expect(stored.msg_at).toBeGreaterThan(0);
    expect((db.prepare("SELECT message FROM events WHERE raw LIKE '%b3'").get() as { message: string }).message).toBe('b3');
  });
});
