/**
 * Two shards behind a `Distributed` table: each host's bundle is ingested from its own process into
 * its own shard, and corr reads the union through a database of Distributed tables — the same
 * output as one SQLite store holding both bundles.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { corr, corrJson, tempDir, FIXTURES, ROOT } from '../helpers/cli.js';
import { startClickHouse, type ClickHouseServer } from '../../scripts/clickhouse-server.mjs';
import { useClickHouse } from './server.js';
import { CH_TABLES } from '../../src/store/clickhouse/schema.js';

const first = useClickHouse();
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
// Every table the schema creates (twins and later ones included), not a list kept by hand.
const TABLES = CH_TABLES;

function ingestAsync(db: string, path: string): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, '--db', db, 'ingest', path, '--quiet'], { stdio: 'ignore' });
    p.on('exit', (code) => resolve(code ?? -1));
  });
}

describe('a two-shard Distributed store', () => {
  it('ingests from two processes into two shards and reads the union through the Distributed tables', async () => {
    const a = first.get();
    let b: ClickHouseServer | null = null;
    try {
      b = await startClickHouse({ shards: [{ host: '127.0.0.1', port: a.tcp }, { host: '127.0.0.1', port: 'self' }] });
      const seed = join(FIXTURES, 'incident-seed', 'diag');
      const dst = join(FIXTURES, 'incident-dst', 'diag');
      const codes = await Promise.all([ingestAsync(a.url('corr_local'), seed), ingestAsync(b.url('corr_local'), dst)]);
      expect(codes).toEqual([0, 0]);
      await b.query('CREATE DATABASE fleet');
      for (const t of TABLES) await b.query(`CREATE TABLE fleet.${t} AS corr_local.${t} ENGINE = Distributed(corr_shards, corr_local, ${t})`);
      const union = b.url('fleet');
      // Each shard holds one host; the union holds both.
      const perShard = [a, b].map((s) => corrJson(['--db', s.url('corr_local'), 'sql', 'SELECT DISTINCT host FROM visible_events']).json.rows.map((r: { host: string }) => r.host));
      expect(perShard).toEqual([['kai-server'], ['edge-01']]);
      const sqlite = join(tempDir(), 'both.db');
      expect(corr(['--db', sqlite, 'ingest', seed, '--quiet']).code).toBe(0);
      expect(corr(['--db', sqlite, 'ingest', dst, '--quiet']).code).toBe(0);
      const hosts = corrJson(['--db', union, 'sql', 'SELECT host, count() AS n FROM events GROUP BY host ORDER BY host']);
      expect(hosts.code, hosts.stderr).toBe(0);
      expect(hosts.json.rows.map((r: { host: string }) => r.host)).toEqual(['edge-01', 'kai-server']);
      for (const cmd of [['correlate'], ['timeline'], ['sources']]) {
        const x = corr(['--db', sqlite, ...cmd, '--json']);
        const y = corr(['--db', union, ...cmd, '--json']);
        expect(y.code, y.stderr).toBe(0);
        expect(y.stdout.length).toBeGreaterThan(1000);
        expect(y.stdout === x.stdout, `${cmd.join(' ')} differs`).toBe(true);
      }
    } finally {
      await b?.stop();
    }
  }, 480_000);
});
