/**
 * The correlator's bulk load reads the table in storage order and sorts; it must return exactly
 * what the time-ordered index walk returns, for whole and partial ranges.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { iterateEvents, loadEventsInOrder } from '../../src/store/queries.js';
import { handStore } from './hand-store.js';

describe('loadEventsInOrder', () => {
  // Two files covering the same span, each stored in its own order (one slightly out of order),
  // with ties on the instant, and one unanchored row that no time query may return.
  const rows: [string, number | null, string][] = [
    ['a.log', 5_000_000, 'a1'], ['a.log', 3_000_000, 'a2 out of order'], ['a.log', 9_000_000, 'a3'], ['a.log', null, 'a4 unanchored'],
    ['b.log', 1_000_000, 'b1'], ['b.log', 5_000_000, 'b2 tie with a1'], ['b.log', 7_000_000, 'b3'], ['b.log', 12_000_000, 'b4'],
  ];
  const db = handStore(rows.map(([path, ts, msg], i) => ({
    path, tsUs: ts, line: i + 1, host: 'kai-server', source: 'syslog', kind: 'syslog.other', severity: 'info', message: msg,
    raw: `May 26 17:00:0${i} kai-server app[1]: ${msg}`, fields: i % 2 ? { n: i } : ({} as Record<string, number>), count: 1, tkey: ts ?? -1 - i, dhash: i, occ: 0,
  })));
  afterAll(() => db.close());

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
