/**
 * The same commands on both engines: for every fixture incident, ingested through the CLI into an
 * SQLite file and into a ClickHouse database, `correlate --json`, `timeline --json` and
 * `sources --json` are byte-identical, and ingesting again adds nothing on ClickHouse.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { corr, corrJson, tempDir, FIXTURES } from '../helpers/cli.js';
import { useClickHouse } from './server.js';
import { serviceJournalBundle } from '../helpers/service-journal-bundle.js';

const ch = useClickHouse();
const incidents = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'diag')));

describe('the fixture incidents on SQLite and ClickHouse', () => {
  it('finds the fixture incidents', () => {
    expect(incidents.length).toBeGreaterThanOrEqual(2);
  });

  for (const incident of incidents) {
    it(`${incident}: correlate, timeline and sources are byte-identical; a re-ingest adds 0`, () => {
      const diag = join(FIXTURES, incident, 'diag');
      const sqlite = join(tempDir(), 'corr.db');
      const url = ch.get().url(`parity_${incident.replace(/\W/g, '_')}`);
      const a = corrJson(['--db', sqlite, 'ingest', diag, '--quiet']);
      const b = corrJson(['--db', url, 'ingest', diag, '--quiet']);
      expect(a.code).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      expect(b.json.events_added).toBe(a.json.events_added);
      expect(b.json.events_total).toBeGreaterThan(1000);
      for (const cmd of [['correlate'], ['timeline'], ['sources'], ['timeline', '--no-collapse', '--kind', 'kernel.']]) {
        const x = corr(['--db', sqlite, ...cmd, '--json']);
        const y = corr(['--db', url, ...cmd, '--json']);
        expect(y.code, y.stderr).toBe(0);
        expect(x.code).toBe(0);
        expect(y.stdout.length, cmd.join(' ')).toBeGreaterThan(1000);
        expect(y.stdout === x.stdout, `${cmd.join(' ')} differs`).toBe(true);
      }
      const again = corrJson(['--db', url, 'ingest', diag, '--quiet']);
      expect(again.code).toBe(0);
      expect(again.json.events_added).toBe(0);
      expect(again.json.events_total).toBe(a.json.events_total);
      // corr sql passes ClickHouse SQL through: the readers' view counts each event once.
      const n = corrJson(['--db', url, 'sql', 'SELECT count() AS n FROM visible_events']);
      expect(n.json.rows[0].n).toBe(a.json.events_total);
    }, 300_000);
  }

  // A service's journal of one hour beside a whole auth.log: both syslog, each section speaking only
  // for the programs it holds (SourceCoverage.kinds) — the cause is found only if both engines say so.
  it('a service journal beside auth.log: correlate is byte-identical and finds the service cause on both', () => {
    const diag = join(tempDir(), 'bundle');
    serviceJournalBundle(diag);
    const sqlite = join(tempDir(), 'corr.db');
    const url = ch.get().url('parity_service_journal');
    expect(corrJson(['--db', sqlite, 'ingest', diag, '--quiet']).code).toBe(0);
    const b = corrJson(['--db', url, 'ingest', diag, '--quiet']);
    expect(b.code, b.stderr).toBe(0);
    const x = corr(['--db', sqlite, 'correlate', '--json']);
    const y = corr(['--db', url, 'correlate', '--json']);
    expect(y.code, y.stderr).toBe(0);
    const found = JSON.parse(y.stdout).findings.find((f: { kind: string; template?: string }) => f.kind === 'template-burst' && f.template?.startsWith('upstream'));
    expect(found?.verdict).toBe('cause');
    expect(y.stdout === x.stdout, 'correlate differs').toBe(true);
  }, 300_000);
});
