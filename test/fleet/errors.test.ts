/**
 * Bad input on a ClickHouse store: one line naming the URL with its password masked, exit 2, and
 * nothing written. The password never appears in any output.
 */
import { describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { corr, corrJson, FIXTURES } from '../helpers/cli.js';
import { freePort, PASSWORD } from '../../scripts/clickhouse-server.mjs';
import { checkServerVersion } from '../../src/store/clickhouse/connection.js';
import { parseClickHouseUrl, maskPasswords } from '../../src/store/clickhouse/url.js';
import { useClickHouse } from './server.js';

const ch = useClickHouse();
// Each ClickHouse command line starts a worker and asks the server a few questions: slow on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });
const DIAG = join(FIXTURES, 'incident-dst', 'diag');

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toContain('    at ');
  return lines[0]!;
}

describe('clickhouse:// URLs', () => {
  it('parses user, password, host, port and database, and masks the password', () => {
    const u = parseClickHouseUrl('clickhouse://ops:p%40ss@db.example:9123/fleet');
    expect(u).toMatchObject({ http: 'http://db.example:9123', username: 'ops', password: 'p@ss', database: 'fleet', shown: 'clickhouse://ops:***@db.example:9123/fleet' });
    expect(parseClickHouseUrl('clickhouse://db.example/fleet')).toMatchObject({ http: 'http://db.example:8123', username: 'default', password: '' });
    expect(maskPasswords('at clickhouse://a:hunter2@h:1/d and clickhouse://b:x@h/d')).toBe('at clickhouse://a:***@h:1/d and clickhouse://b:***@h/d');
  });

  it('refuses a URL without a database, or with an unusable name, saying so with the password masked', () => {
    for (const bad of ['clickhouse://u:pw123@h:8123/', 'clickhouse://u:pw123@h:8123/a-b']) {
      const r = corr(['--db', bad, 'sources']);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toContain('clickhouse://u:***@h:8123/');
      expect(r.stderr + r.stdout).not.toContain('pw123');
    }
  });

  it('a server older than 18.16 is refused by name, before anything is written', () => {
    expect(() => checkServerVersion('18.14.19', 'clickhouse://u:***@h:8123/d')).toThrow(/version 18\.14\.19; corr needs 18\.16 or newer/);
    expect(() => checkServerVersion('1.1.54343', 'x')).toThrow(/corr needs 18\.16/);
    expect(() => checkServerVersion('18.16.1', 'x')).not.toThrow();
    expect(() => checkServerVersion('24.8.4.13', 'x')).not.toThrow();
  });
});

describe('a ClickHouse store that cannot be used', () => {
  it('an unreachable server: one line naming the URL, exit 2', async () => {
    const port = await freePort();
    const r = corr(['--db', `clickhouse://corr:${PASSWORD}@127.0.0.1:${port}/x`, 'ingest', DIAG]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`corr: cannot reach the ClickHouse server at clickhouse://corr:***@127.0.0.1:${port}/x: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(r.stdout).toBe('');
  });

  it('wrong credentials: one line, exit 2, the password typed never shown', () => {
    const url = ch.get().url('creds').replace(PASSWORD, 'not-the-password');
    const r = corr(['--db', url, 'ingest', DIAG]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain(`refused the user name or password`);
    expect(r.stderr + r.stdout).not.toContain('not-the-password');
  });

  it('$CORR_DB names the store as --db does', () => {
    const url = ch.get().url('from_env');
    const r = corrJson(['ingest', DIAG, '--quiet'], { env: { CORR_DB: url } });
    expect(r.code).toBe(0);
    const s = corrJson(['sources'], { env: { CORR_DB: url } });
    expect(s.json.sources.length).toBeGreaterThan(3);
    const missing = corr(['sources'], { env: { CORR_DB: ch.get().url('never_made') } });
    expect(missing.code).toBe(2);
    expect(oneLine(missing.stderr)).toContain('no corr database at clickhouse://corr:***@127.0.0.1:');
    expect(missing.stderr).not.toContain(PASSWORD);
  });

  it('a database written by a newer corr: refused, nothing written', async () => {
    const server = ch.get();
    const url = server.url('newer');
    expect(corr(['--db', url, 'ingest', DIAG, '--quiet']).code).toBe(0);
    await server.query(`INSERT INTO newer.corr_meta (key, value, ver) VALUES ('schema', '99', 99999999999999999)`);
    const before = await server.query('SELECT count() FROM newer.events');
    const r = corr(['--db', url, 'ingest', join(FIXTURES, 'incident-seed', 'diag')]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/was written by a newer corr \(schema 99; this corr knows up to \d+\)/);
    expect(r.stderr).toContain('clickhouse://corr:***@');
    expect(await server.query('SELECT count() FROM newer.events')).toBe(before);
    expect(corr(['--db', url, 'timeline']).code).toBe(2);
  });

  it('a database that is not a corr store: refused, its tables untouched', async () => {
    const server = ch.get();
    await server.query('CREATE DATABASE IF NOT EXISTS other');
    await server.query('CREATE TABLE other.t (x UInt8) ENGINE = Log');
    const r = corr(['--db', server.url('other'), 'ingest', DIAG]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain('is not a corr store');
    expect((await server.query("SELECT name FROM system.tables WHERE database = 'other'")).trim()).toBe('t');
  });

  it('corr sql is read-only on ClickHouse (readonly=1): a write is refused as usage', () => {
    const url = ch.get().url('from_env');
    const w = corr(['--db', url, 'sql', "INSERT INTO events (host) VALUES ('x')"]);
    expect(w.code).toBe(2);
    expect(oneLine(w.stderr)).toContain('only read-only statements are allowed');
    const d = corr(['--db', url, 'sql', 'DROP TABLE events']);
    expect(d.code).toBe(2);
    const ok = corrJson(['--db', url, 'sql', 'SELECT count() AS n FROM visible_events']);
    expect(ok.json.rows[0].n).toBe(2513);
  });
});
