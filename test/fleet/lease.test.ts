/**
 * The lease per section attempt (src/store/clickhouse/lease.ts, docs/fleet.md "Leases"), with real
 * ingester processes on a real server: two ingesters of one file write it once; a `kill -9`'d
 * ingester's section is taken over at once by the next run on this machine and its rows deleted;
 * a holder stalled past its lease (SIGSTOP) is taken over when the lease runs out and cannot
 * complete when it wakes. Every figure is a raw count of the tables, not only what readers see.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corrJson, tempDir, ROOT } from '../helpers/cli.js';
import { useClickHouse } from './server.js';

const ch = useClickHouse();
const BIN = join(ROOT, 'dist', 'cli', 'main.js');

interface Proc {
  pid: number;
  done: Promise<{ code: number; stdout: string; stderr: string }>;
}

function start(args: string[], env: Record<string, string> = {}): Proc {
  const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', ...env } });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  return { pid: p.pid!, done: new Promise((resolve) => p.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }))) };
}

/** A syslog file of `n` lines, one a second (two inserts of 50,000 rows when n > 50,000). */
function syslog(dir: string, name: string, n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2026, 4, 26, 0, 0, 0) + i * 1000);
    lines.push(`May ${String(t.getUTCDate()).padStart(2, ' ')} ${t.toISOString().slice(11, 19)} node-1 app[7]: request ${i} served in ${(i * 7) % 1000} ms`);
  }
  const f = join(dir, name);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

async function count(sql: string): Promise<number> {
  return Number((await ch.get().query(sql)).trim());
}

async function until(what: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ingest = (db: string, file: string) => ['--db', db, 'ingest', file, '--year', '2026', '--tz', 'UTC', '--quiet', '--json'];

describe('a lease per section attempt', () => {
  it('two ingesters of the same file at once: it is written once, both runs succeed', async () => {
    const dir = tempDir();
    const file = syslog(dir, 'app.log', 30_000);
    const db = ch.get().url('lease_two');
    const runs = await Promise.all([start(ingest(db, file)).done, start(ingest(db, file)).done]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    // Without the lease both wrote every row (the mark chose one attempt for readers): 60,000.
    expect(await count('SELECT count() FROM lease_two.events')).toBe(30_000);
    expect(corrJson(['--db', db, 'sql', 'SELECT count() AS n FROM visible_events']).json.rows[0].n).toBe(30_000);
    expect(await count('SELECT count() FROM lease_two.leases FINAL WHERE state = 2')).toBe(1);
    const added = runs.map((r) => JSON.parse(r.stdout).events_added as number).sort((a, b) => a - b);
    expect(added).toEqual([0, 30_000]);
  }, 300_000);

  it('a kill -9 mid-section: the next run here takes the section at once and deletes the dead rows', async () => {
    const dir = tempDir();
    const file = syslog(dir, 'app.log', 120_000);
    const db = ch.get().url('lease_killed');
    const first = start(ingest(db, file));
    // Killed once its first insert has landed, long before the section's mark.
    await until(async () => (await count("SELECT count() FROM system.tables WHERE database = 'lease_killed' AND name = 'events'")) === 1
      && (await count('SELECT count() FROM lease_killed.events')) > 0, 240_000);
    process.kill(first.pid, 'SIGKILL');
    await first.done;
    const orphaned = await count('SELECT count() FROM lease_killed.events');
    expect(orphaned).toBeGreaterThan(0);
    expect(orphaned).toBeLessThan(120_000);
    expect(await count('SELECT count() FROM lease_killed.sections')).toBe(0);
    // The default lease is 900 s: a run that finished well within the test's time did not wait it out.
    const started = Date.now();
    const again = await start(ingest(db, file)).done;
    expect(again.code, again.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(240_000);
    expect(JSON.parse(again.stdout).events_added).toBe(120_000);
    // The killed attempt's rows are gone from disk, not only from view.
    expect(await count('SELECT count() FROM lease_killed.events')).toBe(120_000);
    expect(await count('SELECT count() FROM lease_killed.leases FINAL WHERE state = 3')).toBe(1);
    expect(await count('SELECT count() FROM lease_killed.leases FINAL WHERE state = 2')).toBe(1);
  }, 600_000);

  it('a holder stalled past its lease is taken over when it runs out, and cannot complete when it wakes', async () => {
    const dir = tempDir();
    const file = syslog(dir, 'app.log', 100_000);
    const db = ch.get().url('lease_stalled');
    const env = { CORR_CLICKHOUSE_LEASE_S: '20' };
    const stalled = start(ingest(db, file), env);
    await until(async () => (await count("SELECT count() FROM system.tables WHERE database = 'lease_stalled' AND name = 'events'")) === 1
      && (await count('SELECT count() FROM lease_stalled.events')) > 0, 240_000);
    // Stopped, not dead: its process still runs, so only the lease's end frees the section.
    process.kill(stalled.pid, 'SIGSTOP');
    const stoppedAt = Date.now();
    try {
      const taker = await start(ingest(db, file), env).done;
      expect(taker.code, taker.stderr).toBe(0);
      // It waited for the lease (20 s, 2 s grace after it) before it could store the section.
      expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(15_000);
      expect(JSON.parse(taker.stdout).events_added).toBe(100_000);
    } finally {
      process.kill(stalled.pid, 'SIGCONT');
    }
    const woke = await stalled.done;
    expect(woke.code).toBe(2);
    // The file's error, in one line naming the store (password masked).
    const errors = JSON.parse(woke.stdout).errors as { path: string; error: string }[];
    expect(errors.map((e) => e.path)).toEqual([file]);
    expect(errors[0]!.error).toMatch(/^clickhouse:\/\/corr:\*\*\*@127\.0\.0\.1:\d+\/lease_stalled: this ingester's lease on a section ran out \(20 s without renewal; CORR_CLICKHOUSE_LEASE_S\)/);
    expect(errors[0]!.error).not.toContain('\n');
    expect(woke.stdout + woke.stderr).not.toContain('corr-test-secret');
    // Readers see the taker's rows once; the stalled attempt's rows go with the next run's reaping.
    expect(corrJson(['--db', db, 'sql', 'SELECT count() AS n FROM visible_events']).json.rows[0].n).toBe(100_000);
    const after = corrJson(ingest(db, file).slice(0, -1), { env });
    expect(after.code, after.stderr).toBe(0);
    expect(after.json.events_added).toBe(0);
    expect(await count('SELECT count() FROM lease_stalled.events')).toBe(100_000);
  }, 600_000);

  it('CORR_CLICKHOUSE_LEASE_S that is not a whole number of seconds is refused in one line', async () => {
    const dir = tempDir();
    const file = syslog(dir, 'app.log', 10);
    const r = await start(ingest(ch.get().url('lease_bad_env'), file), { CORR_CLICKHOUSE_LEASE_S: '1.5' }).done;
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('corr: CORR_CLICKHOUSE_LEASE_S must be a whole number of seconds from 1 to 86400, not "1.5"');
  }, 120_000);

  it('every file of a run is reported with its status, whatever its 52-bit id (ingest --json files)', () => {
    // The run's outcome per file was once packed as id × 5 + status, which rounds for ids past
    // 2^53 / 5 (about 60 % of ClickHouse's 52-bit names): those files vanished from the report.
    const dir = tempDir();
    const files = Array.from({ length: 12 }, (_, k) => syslog(dir, `f${k}.log`, 5 + k));
    const db = ch.get().url('lease_report');
    const first = corrJson(['--db', db, 'ingest', ...files, '--year', '2026', '--tz', 'UTC', '--quiet']);
    expect(first.code, first.stderr).toBe(0);
    const shape = (r: { files: { path: string; status: string; events: number }[] }) => r.files.map((f) => `${f.path} ${f.status}`).sort();
    expect(shape(first.json)).toEqual(files.map((f) => `${f} ingested`).sort());
    const again = corrJson(['--db', db, 'ingest', ...files, '--year', '2026', '--tz', 'UTC', '--quiet']);
    expect(shape(again.json)).toEqual(files.map((f) => `${f} unchanged`).sort());
  }, 300_000);
});
