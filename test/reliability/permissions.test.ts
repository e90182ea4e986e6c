/**
 * Permission cases, run as an unprivileged user: root reads a mode-000 directory and writes a
 * read-only file, so the same test run as root would prove nothing. When the suite itself runs
 * unprivileged, the CLI simply runs as the current user.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { corrJson, tempDir, ROOT } from '../helpers/cli.js';

const NOBODY = 65534;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let bin = join(ROOT, 'dist', 'cli', 'main.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI as `nobody` (or as the current user when that is not root). */
function corrAsNobody(args: string[]): Run {
  const node = process.execPath;
  const [cmd, argv] = isRoot
    ? ['setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', node, bin, ...args]]
    : [node, [bin, ...args]];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' }, cwd: '/' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A directory the unprivileged user may read (and, with `writable`, write). */
function openDir(writable = false): string {
  const dir = tempDir('corr-perm-');
  chmodSync(dir, 0o755);
  if (writable && isRoot) chownSync(dir, NOBODY, NOBODY);
  return dir;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const GOOD = 'Mar  1 10:00:00 kai-server sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2\n';

beforeAll(() => {
  // The unprivileged user must be able to run the built CLI; when the checkout is not readable by
  // it (a home directory), run a copy from a world-readable temp dir.
  const probe = corrAsNobody(['--version']);
  if (probe.code === 0) return;
  const copy = openDir();
  for (const part of ['dist', 'node_modules', 'package.json']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
  spawnSync('chmod', ['-R', 'a+rX', copy]);
  bin = join(copy, 'dist', 'cli', 'main.js');
  expect(corrAsNobody(['--version']).code).toBe(0);
});

describe('unreadable inputs (as an unprivileged user)', () => {
  it('names a directory without read permission and a mode-000 file (exit 2) and ingests the readable ones', () => {
    const inputs = openDir();
    const locked = join(inputs, 'locked');
    mkdirSync(locked);
    writeFileSync(join(locked, 'inside.log'), GOOD);
    chmodSync(locked, 0o000);
    writeFileSync(join(inputs, 'secret.log'), GOOD.replace('10:00:00', '10:00:01'));
    chmodSync(join(inputs, 'secret.log'), 0o000);
    writeFileSync(join(inputs, 'good.log'), GOOD.replace('10:00:00', '10:00:02'));
    chmodSync(join(inputs, 'good.log'), 0o644);
    const db = join(openDir(true), 'c.db');
    const r = corrAsNobody(['--db', db, 'ingest', inputs, '--tz', 'UTC', '--year', '2026', '--json']);
    expect(r.code, r.stderr).toBe(2);
    const json = JSON.parse(r.stdout) as { errors: { path: string; error: string }[]; events_total: number; files: { path: string; events: number }[] };
    expect(json.errors.map((e) => e.path).sort()).toEqual([locked, join(inputs, 'secret.log')]);
    for (const e of json.errors) expect(e.error).toMatch(/permission denied/);
    expect(r.stderr).toMatch(new RegExp(`^corr: ${locked}: permission denied`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^corr: ${join(inputs, 'secret.log')}: permission denied`, 'm'));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(json.events_total).toBe(1);
    expect(json.files.find((f) => f.path === join(inputs, 'good.log'))?.events).toBe(1);
  });
});

describe('a database the user cannot write', () => {
  function storeOwnedByRoot(): { dir: string; db: string; input: string } {
    const dir = openDir();
    const db = join(dir, 'c.db');
    const input = join(openDir(), 'a.log');
    writeFileSync(input, GOOD);
    chmodSync(input, 0o644);
    const r = corrJson(['--db', db, 'ingest', input, '--tz', 'UTC', '--year', '2026']);
    expect(r.code, r.stderr).toBe(0);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) if (existsSync(f)) chmodSync(f, 0o644);
    return { dir, db, input };
  }

  it('refuses to ingest into a read-only store with exit 2, nothing on stdout, and leaves it unchanged', () => {
    const { db } = storeOwnedByRoot();
    const before = sha(db);
    const other = join(openDir(), 'b.log');
    writeFileSync(other, GOOD.replace('10:00:00', '10:00:05'));
    chmodSync(other, 0o644);
    const r = corrAsNobody(['--db', db, 'ingest', other, '--tz', 'UTC', '--year', '2026', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^corr: .*c\.db.*not writable/);
    expect(sha(db)).toBe(before);
  });

  it('refuses to create a store in a directory the user cannot write (exit 2, nothing created)', () => {
    const dir = openDir();
    const input = join(dir, 'a.log');
    writeFileSync(input, GOOD);
    chmodSync(input, 0o644);
    const r = corrAsNobody(['--db', join(dir, 'new.db'), 'ingest', input]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^corr: cannot create the database .*new\.db/);
    expect(existsSync(join(dir, 'new.db'))).toBe(false);
  });
});
