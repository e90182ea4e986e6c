/**
 * How many round trips `correlate` makes on ClickHouse, counted from the bridge's trace
 * (CORR_CLICKHOUSE_TRACE=1) of the real CLI against a real server: every finding's evidence lines
 * are fetched in one lookup when the result is written (they were one lookup per finding), and the
 * template miner's messages in one lookup per batch it asks for (two per host with windows: its
 * zone pass, then the candidates' kinds outside; they were split into statements of 5,000 ids).
 * The output stays byte-identical to SQLite's.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { corr, tempDir, FIXTURES } from '../helpers/cli.js';
import { useClickHouse } from './server.js';
// The fleet bench's host logs: sshd, app and cron lines, bridge churn before three silences.
import { hostLog } from '../../bench/fleet.mjs';

const ch = useClickHouse();

interface Trace {
  requests: number;
  /** Lookups of whole rows by id (evidence lines). */
  rowLookups: number;
  /** Lookups of messages by id (template mining). */
  messageLookups: number;
}

function traced(url: string): { stdout: string; trace: Trace } {
  const r = corr(['--db', url, 'correlate', '--json'], { env: { CORR_CLICKHOUSE_TRACE: '1' } });
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stderr.split('\n').filter((l) => /^ch [\d.]+ ms (query|columns) /.test(l));
  return {
    stdout: r.stdout,
    trace: {
      requests: lines.length,
      rowLookups: lines.filter((l) => l.includes('severity, message, section_id, line, fields, count FROM events')).length,
      messageLookups: lines.filter((l) => l.includes('SELECT id, message FROM events WHERE')).length,
    },
  };
}

interface Out {
  outages: { host: string; status: string }[];
  findings: { kind: string; host: string; evidence: unknown[] }[];
}

function both(bundle: string[], database: string, extra: string[] = []): { sqlite: string; ch: ReturnType<typeof traced> } {
  const sqlite = join(tempDir(), 'corr.db');
  const url = ch.get().url(database);
  for (const db of [sqlite, url]) {
    const r = corr(['--db', db, 'ingest', ...bundle, '--quiet', ...extra]);
    expect(r.code, r.stderr).toBe(0);
  }
  const a = corr(['--db', sqlite, 'correlate', '--json']);
  expect(a.code, a.stderr).toBe(0);
  return { sqlite: a.stdout, ch: traced(url) };
}

describe('correlate on ClickHouse: round trips', () => {
  it('the seed incident: one lookup for every finding’s evidence, output as on SQLite', () => {
    const { sqlite, ch: b } = both([join(FIXTURES, 'incident-seed', 'diag')], 'trips_seed');
    expect(b.stdout === sqlite, 'correlate --json differs').toBe(true);
    const out = JSON.parse(b.stdout) as Out;
    // Six findings with evidence were six lookups (and a probe's one more).
    expect(out.findings.filter((f) => f.evidence.length > 0).length).toBeGreaterThanOrEqual(5);
    expect(b.trace.rowLookups).toBe(1);
    const hostsWithWindows = new Set(out.outages.filter((o) => o.status === 'confirmed').map((o) => o.host)).size;
    expect(b.trace.messageLookups).toBeLessThanOrEqual(2 * hostsWithWindows);
    expect(b.trace.requests).toBeLessThanOrEqual(20);
  }, 300_000);

  it('a fleet of six hosts, 7,000 events each: evidence in one lookup, mining two per host', () => {
    const dir = join(tempDir(), 'hosts');
    mkdirSync(dir);
    const files: string[] = [];
    for (let h = 0; h < 6; h++) {
      const f = join(dir, `node-${h}.log`);
      writeFileSync(f, hostLog(h, 7000, Date.UTC(2026, 4, 26) + h * 137));
      files.push(f);
    }
    const { sqlite, ch: b } = both(files, 'trips_fleet', ['--year', '2026', '--tz', 'UTC']);
    expect(b.stdout === sqlite, 'correlate --json differs').toBe(true);
    const out = JSON.parse(b.stdout) as Out;
    const withEvidence = out.findings.filter((f) => f.evidence.length > 0);
    expect(new Set(withEvidence.map((f) => f.host)).size).toBe(6);
    expect(withEvidence.length).toBeGreaterThanOrEqual(6);
    expect(b.trace.rowLookups).toBe(1);
    // Each host's miner asks twice (zone pass, then outside): 7,000 events a host fit one batch each.
    expect(b.trace.messageLookups).toBe(12);
    expect(b.trace.requests).toBeLessThanOrEqual(12 + 15);
  }, 300_000);
});
