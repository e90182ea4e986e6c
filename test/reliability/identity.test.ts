/**
 * #17: stored evidence is never lost silently. A file is known by where its bytes were and what
 * they are, never by its path string; a changed file is a new version; a line two files hold is
 * owned by both; a truncated copy never replaces the longer one; the store's own files are never
 * read; a full disk is one line and exit 2, and the next run resumes. Every case through the CLI,
 * with exact counts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT, corr, corrJson, tempDir } from '../helpers/cli.js';

const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const TIME = ['--tz', 'UTC', '--year', '2026'];

function authLines(from: number, to: number, host = 'kai-server'): string {
  const out: string[] = [];
  for (let i = from; i <= to; i++) {
    const s = String(i % 60).padStart(2, '0');
    const m = String(Math.floor(i / 60) % 60).padStart(2, '0');
    out.push(`Mar  1 10:${m}:${s} ${host} sshd[${1000 + i}]: Failed password for root from 203.0.113.${i % 250} port ${20000 + i} ssh2`);
  }
  return out.join('\n') + '\n';
}

function count(db: string): number {
  const r = corrJson<{ rows: { n: number }[] }>(['--db', db, 'sql', 'SELECT count(*) AS n FROM events']);
  return r.json.rows[0]!.n;
}

describe('file identity by place and content', () => {
  it('keeps two hosts\' diag/ read by the same relative path from different directories', () => {
    const dir = tempDir();
    const db = join(dir, 's.db');
    for (const [host, n] of [['host-a', 1000], ['host-b', 700]] as const) {
      mkdirSync(join(dir, host, 'diag'), { recursive: true });
      writeFileSync(join(dir, host, 'diag', 'auth.log'), authLines(1, n, host));
    }
    expect(corr(['--db', db, 'ingest', 'diag', ...TIME], { cwd: join(dir, 'host-a') }).code).toBe(0);
    const second = corrJson<{ events_added: number; warnings: string[] }>(['--db', db, 'ingest', 'diag', ...TIME], { cwd: join(dir, 'host-b') });
    expect(second.code).toBe(0);
    expect(second.json.events_added).toBe(700);
    expect(count(db)).toBe(1700);
    const hosts = corrJson<{ rows: { host: string; n: number }[] }>(['--db', db, 'sql', 'SELECT host, count(*) AS n FROM events GROUP BY host ORDER BY host']);
    expect(hosts.json.rows).toEqual([{ host: 'host-a', n: 1000 }, { host: 'host-b', n: 700 }]);
  });

  it('stores a changed file as a new version beside the old, says so in one line, and keeps only the new one on --replace', () => {
    const dir = tempDir();
    const db = join(dir, 's.db');
    const f = join(dir, 'auth.log');
    writeFileSync(f, authLines(1, 100));
    corr(['--db', db, 'ingest', f, ...TIME]);
    writeFileSync(f, authLines(1, 150)); // grew: 50 new lines, the first 100 are the same events
    const grown = corrJson<{ events_added: number; warnings: string[]; files: { status: string }[] }>(['--db', db, 'ingest', f, ...TIME]);
    expect(grown.json.events_added).toBe(50);
    expect(grown.json.files[0]!.status).toBe('changed');
    expect(grown.json.warnings.filter((w) => w.includes('changed since it was stored'))).toEqual([
      `${f} changed since it was stored; kept both — pass --replace to keep only the new one`,
    ]);
    writeFileSync(f, authLines(200, 229)); // rewritten: 30 other lines
    corr(['--db', db, 'ingest', f, ...TIME]);
    expect(count(db)).toBe(180);
    const replaced = corrJson<{ files: { status: string }[] }>(['--db', db, 'ingest', f, '--replace', ...TIME]);
    expect(replaced.json.files[0]!.status).toBe('replaced');
    expect(count(db)).toBe(30);
    expect(corrJson<{ sources: unknown[] }>(['--db', db, 'sources']).json.sources).toHaveLength(1);
  });

  it('keeps the lines two files share when one of them is replaced (owned by both)', () => {
    const dir = tempDir();
    const db = join(dir, 's.db');
    writeFileSync(join(dir, 'a.log'), authLines(1, 60));
    writeFileSync(join(dir, 'b.log'), authLines(11, 60)); // 50 lines also in a.log: stored once
    corr(['--db', db, 'ingest', join(dir, 'a.log'), join(dir, 'b.log'), ...TIME]);
    expect(count(db)).toBe(60);
    writeFileSync(join(dir, 'a.log'), authLines(61, 70));
    expect(corr(['--db', db, 'ingest', join(dir, 'a.log'), '--replace', ...TIME]).code).toBe(0);
    // b.log's 50 lines survive a.log's replacement; a.log now holds 10 others.
    expect(count(db)).toBe(60);
    const files = corrJson<{ rows: { path: string; n: number }[] }>(['--db', db, 'sql',
      'SELECT f.path AS path, count(*) AS n FROM events e JOIN sections s ON s.id = e.section_id JOIN files f ON f.id = s.file_id GROUP BY f.path ORDER BY f.path']);
    expect(files.json.rows.map((r) => [r.path.endsWith('a.log') ? 'a' : 'b', r.n])).toEqual([['a', 10], ['b', 50]]);
  });

  it('never lets a truncated copy of a .gz replace the complete one, with or without --replace', () => {
    const dir = tempDir();
    const db = join(dir, 's.db');
    const f = join(dir, 'auth.log.gz');
    const whole = gzipSync(authLines(1, 3000));
    writeFileSync(f, whole);
    corr(['--db', db, 'ingest', f, ...TIME]);
    expect(count(db)).toBe(3000);
    writeFileSync(f, whole.subarray(0, Math.floor(whole.length / 3))); // a copy cut a third of the way
    // Kept beside the complete one: its only line the store lacks is the one cut in the middle.
    corr(['--db', db, 'ingest', f, ...TIME]);
    expect(count(db)).toBe(3001);
    const r = corrJson<{ warnings: string[] }>(['--db', db, 'ingest', f, '--replace', ...TIME]);
    expect(count(db)).toBe(3001);
    expect(r.json.warnings.join('\n')).toMatch(/shorter than the stored version and holds nothing it lacks/);
  });
});

describe('boot placement across files and runs', () => {
  const KERN =
    'May 26 17:18:04 kai-server kernel: [551000.500000] br-33693122cf09: port 8(veth2cbbca2) entered blocking state\n' +
    'May 26 17:18:05 kai-server kernel: [551001.500000] br-33693122cf09: port 8(veth2cbbca2) entered forwarding state\n';
  const DMESG = '[551000.500000] br-33693122cf09: port 8(veth2cbbca2) entered blocking state\n[551010.000000] eth0: renamed from veth5f2a1b3\n';
  const rows = (db: string) =>
    corrJson<{ rows: { ts: string | null; message: string }[] }>(['--db', db, 'sql',
      "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', ts_us / 1000000.0, 'unixepoch') AS ts, message FROM events ORDER BY uptime_us"]).json.rows.map((r) => r.ts);

  it('dmesg, then kern.log, then dmesg --replace: the raw lines stay placed and kern.log keeps its lines', () => {
    const dir = tempDir();
    const db = join(dir, 's.db');
    writeFileSync(join(dir, 'kern.log'), KERN);
    writeFileSync(join(dir, 'dmesg.txt'), DMESG);
    const opts = ['--tz', 'UTC', '--year', '2026', '--host', 'kai-server'];
    corr(['--db', db, 'ingest', join(dir, 'dmesg.txt'), ...opts]);
    expect(rows(db)).toEqual([null, null]); // nothing anchors the raw capture yet
    corr(['--db', db, 'ingest', join(dir, 'kern.log'), ...opts]);
    const placed = ['2026-05-26T17:18:04.000Z', '2026-05-26T17:18:05.000Z', '2026-05-26T17:18:13.500Z'];
    expect(rows(db)).toEqual(placed);
    expect(corr(['--db', db, 'ingest', join(dir, 'dmesg.txt'), '--replace', ...opts]).code).toBe(0);
    expect(rows(db)).toEqual(placed);
    const perFile = corrJson<{ rows: { path: string; n: number }[] }>(['--db', db, 'sql',
      'SELECT f.path AS path, count(DISTINCT e.id) AS n FROM files f JOIN sections s ON s.file_id = f.id ' +
      'LEFT JOIN event_owners o ON o.section_id = s.id JOIN events e ON e.section_id = s.id OR e.id = o.event_id GROUP BY f.path ORDER BY f.path']);
    // kern.log still holds both its lines; the raw capture its two (one shared with kern.log).
    expect(perFile.json.rows.map((r) => [r.path.endsWith('kern.log') ? 'kern.log' : 'dmesg.txt', r.n])).toEqual([['dmesg.txt', 2], ['kern.log', 2]]);
  });
});

describe('the store itself', () => {
  it('never ingests its own database, -wal or -shm files (corr ingest . beside the store)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.log'), authLines(1, 40));
    expect(corr(['ingest', 'auth.log', ...TIME], { cwd: dir }).code).toBe(0); // default store ./corr.db
    const r = corrJson<{ events_added: number; files: { path: string; status: string; warnings: string[] }[] }>(['ingest', '.', ...TIME], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.json.events_added).toBe(0);
    const own = r.json.files.filter((f) => /corr\.db/.test(f.path));
    expect(own.length).toBeGreaterThan(0);
    for (const f of own) expect([f.status, f.warnings]).toEqual(['skipped', ["not read: this store's own database file"]]);
    expect(count(join(dir, 'corr.db'))).toBe(40);
  });

  it('says a full disk in one line with exit 2, keeps what was committed, and the same command resumes', () => {
    const dir = tempDir();
    const db = join(dir, 's.db');
    writeFileSync(join(dir, 'small.log'), authLines(1, 5));
    corr(['--db', db, 'ingest', join(dir, 'small.log'), ...TIME]);
    writeFileSync(join(dir, 'big.log'), authLines(1000, 31000));
    // A file-size limit makes every write past 400 KiB fail as a full disk would (EFBIG; SIGXFSZ ignored).
    const full = spawnSync('bash', ['-c', `ulimit -f 400; trap '' XFSZ; exec "${process.execPath}" "${BIN}" --db "${db}" ingest "${join(dir, 'big.log')}" --tz UTC --year 2026`], { encoding: 'utf8' });
    expect(full.status).toBe(2);
    expect(full.stderr.trim().split('\n')).toHaveLength(1);
    expect(full.stderr).toMatch(/^corr: cannot read or write .*s\.db \(SQLITE_IOERR\w*\): the disk failed or is full/);
    expect(count(db)).toBe(5);
    const again = corrJson<{ events_added: number }>(['--db', db, 'ingest', join(dir, 'big.log'), ...TIME]);
    expect(again.json.events_added).toBe(30001);
    expect(count(db)).toBe(30006);
  });
});
