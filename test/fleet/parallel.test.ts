/**
 * Several ingesters at once into one ClickHouse database, and an ingester killed half-way: nothing
 * lost, nothing doubled, nothing half-visible. The expected counts are SQLite's for the same inputs.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corr, corrJson, tempDir, FIXTURES, ROOT } from '../helpers/cli.js';
import { useClickHouse } from './server.js';

const ch = useClickHouse();
const BIN = join(ROOT, 'dist', 'cli', 'main.js');

function corrAsync(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Events per host and kind, through corr itself. */
function perKind(db: string): Record<string, number> {
  const r = corrJson(['--db', db, 'timeline', '--no-collapse']);
  const out: Record<string, number> = {};
  for (const e of r.json.events as { host: string; kind: string }[]) out[`${e.host} ${e.kind}`] = (out[`${e.host} ${e.kind}`] ?? 0) + 1;
  return out;
}

describe('parallel ingest into one ClickHouse database', () => {
  it('four concurrent ingesters of overlapping bundles lose and double nothing', async () => {
    const dir = tempDir();
    const seed = join(dir, 'kai-server');
    const dst = join(dir, 'edge-01');
    const seedCopy = join(dir, 'copy-of-kai-server');
    cpSync(join(FIXTURES, 'incident-seed', 'diag'), seed, { recursive: true });
    cpSync(join(FIXTURES, 'incident-dst', 'diag'), dst, { recursive: true });
    // The same lines under another path: another file, the same events (stored once).
    cpSync(join(FIXTURES, 'incident-seed', 'diag'), seedCopy, { recursive: true });
    const runs = [[seed, dst], [seed], [dst, seed], [seedCopy, dst]];
    const sqlite = join(dir, 'corr.db');
    for (const paths of runs) expect(corr(['--db', sqlite, 'ingest', ...paths, '--quiet']).code).toBe(0);
    const expected = corrJson(['--db', sqlite, 'sources']).json;

    const url = ch.get().url('parallel_four');
    const results = await Promise.all(runs.map((paths) => corrAsync(['--db', url, 'ingest', ...paths, '--quiet', '--json'])));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const added = results.map((r) => JSON.parse(r.stdout).events_added as number);

    const total = corrJson(['--db', url, 'sql', 'SELECT count() AS n FROM visible_events']).json.rows[0].n;
    const sqliteTotal = corrJson(['--db', sqlite, 'sql', 'SELECT count(*) AS n FROM events']).json.rows[0].n;
    expect(sqliteTotal).toBe(8609 + 2513 - 0); // the copy adds no event: its lines are the seed's
    expect(total).toBe(sqliteTotal);
    // Each ingester counts what it found new; together at least every event once.
    expect(added.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(sqliteTotal);
    expect(perKind(url)).toEqual(perKind(sqlite));
    // One row per file and section, as SQLite lists them.
    const got = corrJson(['--db', url, 'sources']).json;
    const shape = (s: { sources: { path: string; section: string | null; events: number; lines: number }[] }) =>
      s.sources.map((x) => `${x.path.replace(dir, '')} ${x.section} ${x.lines} ${x.events}`).sort();
    expect(shape(got)).toEqual(shape(expected));
    // Ingesting everything once more adds nothing.
    const again = corrJson(['--db', url, 'ingest', seed, dst, seedCopy, '--quiet']);
    expect(again.json.events_added).toBe(0);
    expect(again.json.events_total).toBe(sqliteTotal);
  }, 480_000);

  it('an ingester killed half-way leaves only whole sections visible; the next run completes the store', async () => {
    const dir = tempDir();
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    // Ten files of 20,000 syslog lines each: the kill lands after some files, inside another.
    for (let f = 0; f < 10; f++) {
      const lines: string[] = [];
      for (let i = 0; i < 20_000; i++) {
        const s = f * 20_000 + i;
        const t = new Date(Date.UTC(2026, 4, 26, 0, 0, 0) + s * 1000);
        const stamp = `May ${String(t.getUTCDate()).padStart(2, ' ')} ${t.toISOString().slice(11, 19)}`;
        lines.push(`${stamp} node-${f % 3} app[${100 + f}]: request ${s} served in ${(s * 7) % 1000} ms`);
      }
      writeFileSync(join(logs, `app-${f}.log`), lines.join('\n') + '\n');
    }
    const url = ch.get().url('killed');
    const args = ['--db', url, 'ingest', logs, '--year', '2026', '--tz', 'UTC', '--quiet'];
    const p = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
    // Kill it once some sections are visible.
    let visible = 0;
    for (let i = 0; i < 600 && visible === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const s = corr(['--db', url, 'sql', 'SELECT count() AS n FROM sections FINAL']);
      if (s.code === 0) visible = Number(/\d+/.exec(s.stdout.split('\n')[2] ?? '')?.[0] ?? 0);
    }
    p.kill('SIGKILL');
    await new Promise((r) => p.once('exit', r));
    expect(visible).toBeGreaterThan(0);
    // What readers see: exactly the events of the sections that completed, each once.
    const sections = corrJson(['--db', url, 'sources']).json.sources as { events: number }[];
    const inSections = sections.reduce((n, s) => n + s.events, 0);
    const seen = corrJson(['--db', url, 'sql', 'SELECT count() AS n FROM visible_events']).json.rows[0].n;
    expect(sections.length).toBeLessThan(10);
    expect(seen).toBe(inSections);
    expect(seen % 20_000).toBe(0);
    // Rows of the killed attempt may be stored, but none counts.
    const stored = Number((await ch.get().query('SELECT count() FROM killed.events')).trim());
    expect(stored).toBeGreaterThanOrEqual(seen);
    // The next run resumes: every line once.
    const again = corrJson(args.slice(0, -1).concat('--quiet'));
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.events_total).toBe(200_000);
    expect(again.json.events_added).toBe(200_000 - seen);
  }, 600_000);
});
