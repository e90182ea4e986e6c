/**
 * Evidence rows are fetched together: on ClickHouse every lookup is a round trip, so a finding's
 * ten evidence lines must cost one lookup, not ten, and every finding's lines named before the
 * result is written one lookup in all. A counting lookup stands in for the store; the round trips
 * of the real CLI on a real server are counted in test/fleet/round-trips.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ColumnTable, RowTable } from '../../src/correlate/event-table.js';
import { evidenceFrom, withHost } from '../../src/correlate/evidence.js';
import type { Columns, EventRow, RowLookup } from '../../src/model/event.js';

function rowsOf(n: number): EventRow[] {
  return Array.from({ length: n }, (_, i) => ({
    id: 1000 + i * 7,
    tsUs: 1_700_000_000_000_000 + i * 1_000_000,
    host: 'node-1',
    source: 'syslog',
    kind: 'sshd',
    severity: 'info' as const,
    message: `line ${i}`,
    file: 'auth.log',
    line: i + 1,
    fields: {},
    count: 1,
  }));
}

function columnsOf(rows: EventRow[]): Columns {
  const n = rows.length;
  return {
    length: n,
    id: Float64Array.from(rows.map((r) => r.id)),
    tsUs: Float64Array.from(rows.map((r) => r.tsUs)),
    weight: new Float64Array(n).fill(1),
    host: new Int32Array(n).fill(0),
    source: new Int32Array(n).fill(1),
    kind: new Int32Array(n).fill(2),
    strings: ['node-1', 'syslog', 'sshd'],
    fields: [],
  };
}

function counting(rows: EventRow[]): { lookup: RowLookup; calls: number[][] } {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const calls: number[][] = [];
  return {
    calls,
    lookup: {
      messages: (ids) => new Map(ids.map((id) => [id, byId.get(id)!.message])),
      rows: (ids) => {
        calls.push([...ids]);
        return new Map(ids.filter((id) => byId.has(id)).map((id) => [id, byId.get(id)!]));
      },
    },
  };
}

describe('evidence lookups', () => {
  it('fetches a finding’s evidence rows in one lookup, when first read, in the same order and text as the rows themselves', () => {
    const rows = rowsOf(40);
    const { lookup, calls } = counting(rows);
    const prioritized = [31, 3, 3, 17, -1, 0, 39, 22, 8, 12, 25, 5, 30, 1];
    const lines = evidenceFrom(new ColumnTable(columnsOf(rows), lookup), prioritized);
    // Named, not read: nothing asked yet, and the instants come from the columns.
    expect(calls).toHaveLength(0);
    expect(lines.map((l) => l.tsUs)).toEqual([0, 3, 5, 8, 12, 17, 22, 25, 31, 39].map((i) => rows[i]!.tsUs));
    expect(calls).toHaveLength(0);
    expect(JSON.stringify(lines)).toBe(JSON.stringify(evidenceFrom(new RowTable(rows), prioritized)));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(10);
    expect(lines.map((l) => l.line)).toEqual([1, 4, 6, 9, 13, 18, 23, 26, 32, 40]);
    expect(Object.keys(lines[0]!)).toEqual(['tsUs', 'file', 'line', 'text']);
  });

  it('fetches every finding’s evidence named before the first read in that one lookup', () => {
    const rows = rowsOf(30);
    const { lookup, calls } = counting(rows);
    const table = new ColumnTable(columnsOf(rows), lookup);
    const first = evidenceFrom(table, [1, 2, 3]);
    const second = evidenceFrom(table, [20, 3, 21]);
    const third = withHost(evidenceFrom(table, [29])[0]!, 'w1');
    expect(calls).toHaveLength(0);
    expect(second.map((l) => l.text)).toEqual(['line 3', 'line 20', 'line 21']);
    expect(calls).toEqual([[1007, 1014, 1021, 1140, 1147, 1203]]);
    expect(first.map((l) => l.line)).toEqual([2, 3, 4]);
    expect(JSON.stringify(third)).toBe(JSON.stringify({ tsUs: rows[29]!.tsUs, file: 'auth.log', line: 30, text: 'line 29', host: 'w1' }));
    expect(calls).toHaveLength(1);
    // Named after the lookup: the next read asks for those alone, and never for a row it has.
    const later = evidenceFrom(table, [3, 4, 5]);
    expect(later.map((l) => l.line)).toEqual([4, 5, 6]);
    expect(calls).toEqual([[1007, 1014, 1021, 1140, 1147, 1203], [1028, 1035]]);
  });

  it('asks again only for rows not fetched before', () => {
    const rows = rowsOf(20);
    const { lookup, calls } = counting(rows);
    const table = new ColumnTable(columnsOf(rows), lookup);
    table.prefetchRows([1, 2, 3]);
    table.prefetchRows([2, 3, 4, 5]);
    expect(calls).toEqual([[1007, 1014, 1021], [1028, 1035]]);
  });

  it('still says which event vanished when the store no longer holds it', () => {
    const rows = rowsOf(5);
    const { lookup } = counting(rows.slice(0, 4));
    const lines = evidenceFrom(new ColumnTable(columnsOf(rows), lookup), [4, 0]);
    expect(() => JSON.stringify(lines)).toThrow('event 1028 vanished');
  });
});
