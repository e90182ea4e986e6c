/**
 * The column load keeps of `fields` only the keys the caller says it reads (FieldsWanted.keys), and
 * every key when it says nothing; rows of sources and kinds not asked for come back without fields.
 * The kept fields are packed (queries.ts PackedFields) and built again when asked: on any fields
 * the writer stores, the same object JSON.parse gives — keys, their order, values and their types.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadEventColumns } from '../../src/store/queries.js';
import { ColumnTable, FIELD_KEYS } from '../../src/correlate/event-table.js';
import type { Columns, Fields } from '../../src/model/event.js';
import { DETECTORS } from '../../src/correlate/detectors.js';
import { handStore, type HandRow } from './hand-store.js';

const T0 = Date.UTC(2026, 4, 26, 17, 0) * 1000;

function row(k: number, source: string, kind: string, fields: HandRow['fields']): HandRow {
  return {
    path: 'auth.log', tsUs: T0 + k * 1_000_000, line: k + 1, host: 'h', source, kind, severity: 'info', message: `m ${k}`, raw: `raw m ${k}`,
    fields, count: 1, tkey: T0 + k, dhash: k, occ: 0,
  };
}

/** The fields of every loaded event, as the correlator's table hands them (undefined: none). */
function fieldsOf(columns: Columns): (Fields | undefined)[] {
  const table = new ColumnTable(columns, { messages: () => new Map(), rows: () => new Map() });
  return Array.from({ length: columns.length }, (_, i) => {
    const f = table.fields(i);
    return Object.keys(f).length === 0 && (columns.fieldsAt?.(i) ?? columns.fields[i]) === undefined ? undefined : f;
  });
}

describe('fields in the column load', () => {
  const db = handStore([
    row(0, 'sshd', 'sshd.failed_password', { method: 'password', ip: '203.0.113.9', port: 40022, user: 'root' }),
    row(1, 'sshd', 'sshd.connection_closed', { ip: '203.0.113.9', port: 40022, preauth: true }),
    row(2, 'kernel', 'kernel.other', { iface: 'eth0' }),
    row(3, 'sshd', 'sshd.failed_password', { method: 'password', ip: '203.0.113.9', port: 40023, user: 'admin' }),
  ]);
  const wanted = { sources: ['sshd'], kinds: [] as string[] };

  it('keeps only the keys asked for, values and order of the rows unchanged', () => {
    const { columns } = loadEventColumns(db, {}, { ...wanted, keys: ['ip', 'user', 'port'] });
    expect(fieldsOf(columns)).toEqual([
      { ip: '203.0.113.9', port: 40022, user: 'root' },
      { ip: '203.0.113.9', port: 40022 },
      undefined,
      { ip: '203.0.113.9', port: 40023, user: 'admin' },
    ]);
  });

  it('keeps every key when no keys are named', () => {
    const { columns } = loadEventColumns(db, {}, wanted);
    const fields = fieldsOf(columns);
    expect(fields[0]).toEqual({ method: 'password', ip: '203.0.113.9', port: 40022, user: 'root' });
    expect(fields[1]).toEqual({ ip: '203.0.113.9', port: 40022, preauth: true });
  });

  it('asks for every key some detector declares, and only those', () => {
    const declared = new Set(DETECTORS.flatMap((d) => d.fields));
    expect(new Set(FIELD_KEYS)).toEqual(declared);
    for (const k of ['ip', 'user', 'port', 'target', 'state', 'bridge', 'snapshot']) expect(FIELD_KEYS).toContain(k);
  });

  it('packed and built again, any fields are what JSON.parse of the stored text gives, in key order', () => {
    const value = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
    );
    const key = fc.oneof(fc.constantFrom('ip', 'user', 'port', 'state', '0', '10', '__proto__', 'a b', '', '1:a', 'a1:'), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(fc.option(fc.dictionary(key, value, { maxKeys: 6 }), { nil: undefined }), { minLength: 1, maxLength: 30 }), fc.option(fc.subarray(['ip', 'user', 'port', 'state', '0', '10', 'a b']), { nil: undefined }), (all, keys) => {
        const db = handStore(all.map((f, k) => row(k, f === undefined ? 'kernel' : 'sshd', 'sshd.x', (f ?? {}) as HandRow['fields'])));
        try {
          const { columns } = loadEventColumns(db, {}, { sources: ['sshd'], kinds: [], ...(keys ? { keys } : {}) });
          const stored = (db.prepare('SELECT source, fields FROM events ORDER BY ts_us').all() as { source: string; fields: string | null }[]).map((r) =>
            r.source === 'sshd' && r.fields !== null ? (JSON.parse(r.fields) as Record<string, unknown>) : undefined,
          );
          const expected = stored.map((f) => (f === undefined ? undefined : Object.fromEntries(Object.entries(f).filter(([k]) => keys === undefined || keys.includes(k)))));
          const got = fieldsOf(columns);
          // Same keys in the same order, same values of the same types (JSON text compares all three).
          expect(got.map((f) => (f === undefined ? null : JSON.stringify(f)))).toEqual(expected.map((f) => (f === undefined ? null : JSON.stringify(f))));
          expect(got).toEqual(expected);
        } finally {
          db.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('rows past the first chunk of packed cells read back whole, wherever a chunk ends', () => {
    // 1 to 4 kept keys a row: rows of 2 to 5 cells, ~1.3M cells in all: the first chunk ends inside them.
    const n = 380_000;
    const made = (k: number): Record<string, string | number | boolean> => {
      const f: Record<string, string | number | boolean> = { ip: `10.0.${k % 251}.${k % 13}` };
      if (k % 4 >= 1) f.port = k;
      if (k % 4 >= 2) f.user = `u${k % 97}`;
      if (k % 4 >= 3) f.state = k % 2 === 0;
      return f;
    };
    const db = handStore(Array.from({ length: n }, (_, k) => row(k, 'sshd', 'sshd.x', made(k))));
    try {
      const { columns } = loadEventColumns(db, {}, { sources: ['sshd'], kinds: [], keys: ['ip', 'port', 'user', 'state'] });
      const table = new ColumnTable(columns, { messages: () => new Map(), rows: () => new Map() });
      expect(table.length).toBe(n);
      const wrong: number[] = [];
      for (let k = 0; k < n; k++) if (JSON.stringify(table.fields(k)) !== JSON.stringify(made(k))) wrong.push(k);
      expect(wrong.slice(0, 5)).toEqual([]);
    } finally {
      db.close();
    }
  }, 120_000);
});

describe('narrow columns in the column load', () => {
  it('holds every weight and code exactly as it widens from one byte to a double, and stays one byte when it can', () => {
    // Counts past each width in turn (255, 65 535, 2^32 - 1, 2^53) and more than 256 hosts.
    const counts = [1, 2, 255, 256, 65_535, 65_536, 4_294_967_295, 4_294_967_296, 2 ** 53 + 2, 1e20, 0, -3, 7.9];
    const rows: HandRow[] = [];
    for (let k = 0; k < 600; k++) rows.push({ ...row(k, 'kernel', 'kernel.other', {}), host: `h${k % 300}`, count: counts[k % counts.length]! });
    const db = handStore(rows);
    const { columns, lookup } = loadEventColumns(db, {}, { sources: [], kinds: [] });
    const table = new ColumnTable(columns, lookup);
    expect(columns.weight).toBeInstanceOf(Float64Array);
    expect(columns.host).toBeInstanceOf(Uint16Array);
    for (let i = 0; i < table.length; i++) {
      const k = (table.ts(i) - T0) / 1_000_000;
      expect(table.weight(i)).toBe(Math.floor(counts[k % counts.length]! >= 1 ? counts[k % counts.length]! : 1));
      expect(table.host(i)).toBe(`h${k % 300}`);
      expect(table.row(i).line).toBe(k + 1);
    }
    const plain = loadEventColumns(handStore(rows.slice(0, 2).map((r) => ({ ...r, count: 1 }))), {}, { sources: [], kinds: [] }).columns;
    expect(plain.weight).toBeInstanceOf(Uint8Array);
    expect(plain.kind).toBeInstanceOf(Uint8Array);
    expect(plain.id).toBeInstanceOf(Uint32Array);
  });
});
