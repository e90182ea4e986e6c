/**
 * The store under stress: files that are not a corr store, a store from a newer corr, a writer that
 * holds the lock, and two ingests at once.
 */
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { corr, corrJson, tempDir, ROOT } from '../helpers/cli.js';

const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function authLog(hour: number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const mm = String(Math.floor(i / 60) % 60).padStart(2, '0');
    const ss = String(i % 60).padStart(2, '0');
    out.push(`Mar  1 ${String(hour).padStart(2, '0')}:${mm}:${ss} kai-server sshd[${i}]: Failed password for invalid user u${i} from 10.0.${hour}.${i % 250} port ${1000 + i} ssh2`);
  }
  return out.join('\n') + '\n';
}

function ingestArgs(db: string, paths: string[]): string[] {
  return ['--db', db, 'ingest', ...paths, '--tz', 'UTC', '--year', '2026', '--json'];
}

/** Run the CLI without blocking this process (so two can overlap). */
function corrAsync(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Another process that takes the write lock and holds it for `ms`; resolves once it holds it. */
function holdWriteLock(db: string, ms: number): Promise<{ child: ChildProcess; released: Promise<number> }> {
  const script = `
    const Database = require(${JSON.stringify(join(ROOT, 'node_modules', 'better-sqlite3'))});
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    db.prepare('UPDATE files SET complete = complete').run();
    process.stdout.write('held\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); process.stdout.write('released ' + Date.now() + '\\n'); }, ${ms});`;
  const child = spawn(process.execPath, ['-e', script, db]);
  let out = '';
  const released = new Promise<number>((resolve) => child.on('close', () => resolve(Number(/released (\d+)/.exec(out)?.[1] ?? NaN))));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('held')) resolve({ child, released });
    });
    child.on('error', reject);
  });
}

function eventFingerprint(db: string): { count: number; checksum: string; integrity: string } {
  const d = new Database(db, { readonly: true });
  try {
    const h = createHash('sha256');
    for (const r of d.prepare('SELECT ts_us, line, message FROM events ORDER BY ts_us, line, message').iterate() as Iterable<{ ts_us: number; line: number; message: string }>) {
      h.update(`${r.ts_us}\t${r.line}\t${r.message}\n`);
    }
    const count = (d.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    return { count, checksum: h.digest('hex'), integrity: d.pragma('integrity_check', { simple: true }) as string };
  } finally {
    d.close();
  }
}

describe('a database corr cannot use', () => {
  const input = () => {
    const p = join(tempDir(), 'a.log');
    writeFileSync(p, authLog(10, 3));
    return p;
  };

  it('refuses a file that is not SQLite (exit 2, nothing on stdout, file unchanged) for every command', () => {
    const db = join(tempDir(), 'notes.db');
    writeFileSync(db, 'these are my notes, not a database\n');
    const before = sha(db);
    for (const args of [['ingest', input()], ['timeline'], ['sources'], ['correlate'], ['sql', 'SELECT 1']]) {
      const r = corr(['--db', db, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`corr: ${db} is not an SQLite database (not a corr store): use another --db\n`);
    }
    expect(sha(db)).toBe(before);
  });

  it('refuses an SQLite database that is not a corr store', () => {
    const db = join(tempDir(), 'other.db');
    const d = new Database(db);
    d.exec('CREATE TABLE users (name TEXT)');
    d.close();
    const before = sha(db);
    const r = corr(['--db', db, 'ingest', input()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^corr: .*other\.db is an SQLite database but not a corr store/);
    expect(sha(db)).toBe(before);
  });

  it('refuses a store written by a newer corr (user_version above the schema) and leaves it as it was', () => {
    const db = join(tempDir(), 'c.db');
    expect(corr(ingestArgs(db, [input()])).code).toBe(0);
    const d = new Database(db);
    const version = d.pragma('user_version', { simple: true }) as number;
    d.pragma(`user_version = ${version + 1}`);
    d.pragma('wal_checkpoint(TRUNCATE)');
    d.close();
    const before = sha(db);
    for (const args of [['ingest', input()], ['timeline'], ['report']]) {
      const r = corr(['--db', db, ...args]);
      expect(r.code, args[0]).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^corr: the database .*c\\.db was written by a newer corr \\(schema ${version + 1};`));
    }
    expect(sha(db)).toBe(before);
    const after = new Database(db, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(version + 1);
    expect((after.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(3);
    after.close();
  });

  it('says a store that does not exist yet must be ingested first (read commands, exit 2)', () => {
    const db = join(tempDir(), 'missing.db');
    const r = corr(['--db', db, 'timeline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^corr: no corr database at .*missing\.db/);
  });
});

describe('locks and concurrent writers', () => {
  it('waits for a writer that holds the lock for ~2 s, then completes the ingest', async () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    writeFileSync(join(dir, 'a.log'), authLog(10, 50));
    writeFileSync(join(dir, 'b.log'), authLog(11, 50));
    expect(corr(ingestArgs(db, [join(dir, 'a.log')])).code).toBe(0);
    const holder = await holdWriteLock(db, 2000);
    const r = await corrAsync(ingestArgs(db, [join(dir, 'b.log')]));
    const releasedAt = await holder.released;
    const finishedAt = Date.now();
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ events_added: 50, events_total: 100, errors: [] });
    // It really waited for the holder rather than slipping past it.
    expect(finishedAt).toBeGreaterThanOrEqual(releasedAt);
    expect(eventFingerprint(db).integrity).toBe('ok');
  });

  it('two ingests of different inputs at once both complete; every event is stored once', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.log'), authLog(10, 3000));
    writeFileSync(join(dir, 'b.log'), authLog(11, 3000));
    const ref = join(dir, 'ref.db');
    expect(corr(ingestArgs(ref, [join(dir, 'a.log'), join(dir, 'b.log')])).code).toBe(0);
    const db = join(dir, 'c.db'); // new: both also race to create the schema
    const [x, y] = await Promise.all([corrAsync(ingestArgs(db, [join(dir, 'a.log')])), corrAsync(ingestArgs(db, [join(dir, 'b.log')]))]);
    expect(x.code, x.stderr).toBe(0);
    expect(y.code, y.stderr).toBe(0);
    expect(JSON.parse(x.stdout).events_added + JSON.parse(y.stdout).events_added).toBe(6000);
    expect(eventFingerprint(db)).toEqual(eventFingerprint(ref));
  });

  it('two ingests of the same input at once both complete; nothing is lost or doubled', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.log'), authLog(10, 3000));
    writeFileSync(join(dir, 'b.log'), authLog(11, 3000));
    const ref = join(dir, 'ref.db');
    expect(corr(ingestArgs(ref, [join(dir, 'a.log'), join(dir, 'b.log')])).code).toBe(0);
    const db = join(dir, 'c.db');
    const runs = await Promise.all([
      corrAsync(ingestArgs(db, [join(dir, 'a.log'), join(dir, 'b.log')])),
      corrAsync(ingestArgs(db, [join(dir, 'a.log'), join(dir, 'b.log')])),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs.map((r) => JSON.parse(r.stdout).events_added as number).reduce((a, b) => a + b)).toBe(6000);
    expect(eventFingerprint(db)).toEqual(eventFingerprint(ref));
    const again = corrJson(ingestArgs(db, [join(dir, 'a.log'), join(dir, 'b.log')]).slice(0, -1));
    expect(again.json.events_added).toBe(0);
  });
});
