/**
 * The column load keeps of `fields` only the keys the caller says it reads (FieldsWanted.keys), and
 * every key when it says nothing; rows of sources and kinds not asked for come back without fields.
 */
import { describe, expect, it } from 'vitest';
import { loadEventColumns } from '../../src/store/queries.js';
import { FIELD_KEYS } from '../../src/correlate/event-table.js';
import { DETECTORS } from '../../src/correlate/detectors.js';
import { handStore, type HandRow } from './hand-store.js';

const T0 = Date.UTC(2026, 4, 26, 17, 0) * 1000;

function row(k: number, source: string, kind: string, fields: HandRow['fields']): HandRow {
  return {
    path: 'auth.log', tsUs: T0 + k * 1_000_000, line: k + 1, host: 'h', source, kind, severity: 'info', message: `m ${k}`, raw: `raw m ${k}`,
    fields, count: 1, tkey: T0 + k, dhash: k, occ: 0,
  };
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
    expect(columns.fields).toEqual([
      { ip: '203.0.113.9', port: 40022, user: 'root' },
      { ip: '203.0.113.9', port: 40022 },
      undefined,
      { ip: '203.0.113.9', port: 40023, user: 'admin' },
    ]);
  });

  it('keeps every key when no keys are named', () => {
    const { columns } = loadEventColumns(db, {}, wanted);
    expect(columns.fields[0]).toEqual({ method: 'password', ip: '203.0.113.9', port: 40022, user: 'root' });
    expect(columns.fields[1]).toEqual({ ip: '203.0.113.9', port: 40022, preauth: true });
  });

  it('asks for every key some detector declares, and only those', () => {
    const declared = new Set(DETECTORS.flatMap((d) => d.fields));
    expect(new Set(FIELD_KEYS)).toEqual(declared);
    for (const k of ['ip', 'user', 'port', 'target', 'state', 'bridge', 'snapshot']) expect(FIELD_KEYS).toContain(k);
  });
});
