/**
 * Cross-host correlation on a ClickHouse store: the three-host bundle of cross-host.test.ts ingested
 * into SQLite and into ClickHouse gives byte-identical `correlate --json`, cross-host finding
 * included (the cluster rule reads k3s messages through the store's reader on both engines).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { corr, tempDir } from '../helpers/cli.js';
import { useClickHouse } from '../fleet/server.js';
import { controlPlaneLeads, writeClusterBundle } from './cross-host-bundle.js';

const ch = useClickHouse();

describe('cross-host correlation on ClickHouse', () => {
  it('finds the control plane\'s churn leading the worker\'s outages, as on SQLite, byte for byte', () => {
    const dir = tempDir('corr-cluster-ch-');
    const tzFor = writeClusterBundle(join(dir, 'bundle'), controlPlaneLeads());
    const sqlite = join(dir, 'c.db');
    const url = ch.get().url('cross_host');
    for (const db of [sqlite, url]) {
      const r = corr(['--db', db, 'ingest', join(dir, 'bundle'), '--year', '2026', '--quiet', ...tzFor]);
      expect(r.code, r.stderr).toBe(0);
    }
    const a = corr(['--db', sqlite, 'correlate', '--json']);
    const b = corr(['--db', url, 'correlate', '--json']);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout === a.stdout, 'correlate --json differs between SQLite and ClickHouse').toBe(true);
    const cross = (JSON.parse(b.stdout) as { findings: { kind: string; host: string; windows_host?: string; verdict: string }[] }).findings.filter((f) => f.kind === 'cross-host');
    expect(cross.map((f) => [f.host, f.windows_host, f.verdict])).toEqual([['cp', 'w1', 'cause']]);
    // --cluster is checked against the ClickHouse store's hosts too.
    const bad = corr(['--db', url, 'correlate', '--cluster', 'cp,w9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no host "w9"');
  }, 300_000);
});
