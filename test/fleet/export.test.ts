/**
 * `corr export --to clickhouse://…` copies an SQLite store: the copy answers correlate, timeline and
 * sources byte-identically, and re-running it adds nothing.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { corr, corrJson, tempDir, FIXTURES } from '../helpers/cli.js';
import { useClickHouse } from './server.js';

const ch = useClickHouse();

describe('corr export --to clickhouse://', () => {
  it('copies both fixture incidents from one SQLite store; a second run copies nothing', () => {
    const sqlite = join(tempDir(), 'corr.db');
    expect(corr(['--db', sqlite, 'ingest', join(FIXTURES, 'incident-seed', 'diag'), '--quiet']).code).toBe(0);
    expect(corr(['--db', sqlite, 'ingest', join(FIXTURES, 'incident-dst', 'diag'), '--quiet']).code).toBe(0);
    const url = ch.get().url('exported');
    const first = corrJson(['--db', sqlite, 'export', '--to', url]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.sections_present).toBe(0);
    expect(first.json.events_total).toBe(8609 + 2513);
    for (const cmd of [['correlate'], ['timeline'], ['sources']]) {
      const x = corr(['--db', sqlite, ...cmd, '--json']);
      const y = corr(['--db', url, ...cmd, '--json']);
      expect(y.code, y.stderr).toBe(0);
      expect(y.stdout === x.stdout, `${cmd.join(' ')} differs`).toBe(true);
    }
    const again = corrJson(['--db', sqlite, 'export', '--to', url]);
    expect(again.json).toMatchObject({ sections_copied: 0, sections_present: first.json.sections_copied, events_written: 0, events_total: 8609 + 2513 });
    // The copy is a store like any other: ingesting the same bundle into it adds nothing.
    const ingest = corrJson(['--db', url, 'ingest', join(FIXTURES, 'incident-dst', 'diag'), '--quiet']);
    expect(ingest.json.events_added).toBe(0);
  }, 480_000);

  it('refuses a target that is not a clickhouse:// URL, and names the option', () => {
    const r = corr(['export', '--to', '/tmp/x.db']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('corr: export --to: expected a clickhouse:// URL, got "/tmp/x.db"');
  });
});
