/** Drive the built CLI (dist/) the way a user does: a real process, real files, exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const CORPUS = resolve(ROOT, '..', 'shared', 'corpus');
export const FIXTURES = resolve(ROOT, 'fixtures');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function corr(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', ...opts.env },
    encoding: 'utf8',
    input: opts.input,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Run and parse --json output, failing loudly with stderr when it is not JSON. */
export function corrJson<T = any>(args: string[], opts: Parameters<typeof corr>[1] = {}): { code: number; json: T; stderr: string } {
  const r = corr([...args, '--json'], opts);
  try {
    return { code: r.code, json: JSON.parse(r.stdout) as T, stderr: r.stderr };
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout.slice(0, 300)}\nstderr: ${r.stderr.slice(0, 600)}`);
  }
}

export function tempDir(prefix = 'corr-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
