/**
 * The real CLI on written files: a CSV probe that carries an exit code and no error text, whose
 * windows come far more often after its exit code changes (the simulator's seed 1024), and a probe
 * whose clock runs four minutes ahead, on a host whose outages happen to recur about every 22
 * minutes (seed 1196).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corr, corrJson, tempDir } from '../helpers/cli.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 8, 9, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const two = (n: number): string => String(n).padStart(2, '0');
const syslogStamp = (ms: number): string => {
  const d = new Date(ms);
  return `Mar ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
};

interface Outage {
  startMs: number;
  endMs: number;
  exit: number;
}

function csvProbe(host: string, fromMs: number, toMs: number, pollMs: number, outages: readonly Outage[], offsetMs = 0): string {
  const lines = ['timestamp,host,status,latency_ms,exit'];
  for (let t = fromMs; t < toMs; t += pollMs) {
    const o = outages.find((x) => t >= x.startMs && t < x.endMs);
    lines.push(o ? `${iso(t + offsetMs)},${host},down,,${o.exit}` : `${iso(t + offsetMs)},${host},up,${12 + ((t / pollMs) % 9)},0`);
  }
  return lines.join('\n') + '\n';
}

function capture(dir: string, host: string, atMs: number, extra: string[] = []): void {
  mkdirSync(join(dir, host), { recursive: true });
  const output = [
    '===== date =====',
    new Date(atMs).toUTCString().replace(/GMT$/, 'UTC'),
    '===== hostname =====',
    host,
    '===== timedatectl =====',
    '                Time zone: UTC (UTC, +0000)',
    '===== uptime -s =====',
    '2026-03-01 00:00:00',
    ...extra,
  ];
  writeFileSync(join(dir, host, 'output.txt'), output.join('\n') + '\n');
}

describe('corr correlate on a CSV probe whose new failure mode comes far more often', () => {
  it('calls the new windows artifacts and keeps the old ones', () => {
    const dir = tempDir();
    const bundle = join(dir, 'bundle');
    const host = 'kai-server';
    const real = [5, 110, 225].map((m): Outage => ({ startMs: T0 + m * MIN, endMs: T0 + (m + 2) * MIN + 30_000, exit: 255 }));
    const fakeStarts = [236, 247, 261, 270, 285, 293, 305, 312, 325, 335, 349];
    const fake = fakeStarts.map((m): Outage => ({ startMs: T0 + m * MIN, endMs: T0 + (m + 2) * MIN, exit: 1 }));
    capture(bundle, host, T0 + 362 * MIN);
    mkdirSync(join(bundle, 'probe'), { recursive: true });
    writeFileSync(join(bundle, 'probe', `${host}.csv`), csvProbe(host, T0, T0 + 360 * MIN, 10_000, [...real, ...fake]));
    const db = join(dir, 'corr.db');
    const ingest = corr(['--db', db, 'ingest', bundle]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const { code, json } = corrJson(['--db', db, 'correlate']);
    expect(code).toBe(0);
    const mine = json.outages.filter((o: { host: string }) => o.host === host);
    expect(mine.map((o: { status: string }) => o.status)).toEqual([...Array(3).fill('confirmed'), ...Array(11).fill('artifact')]);
    const artifact = json.findings.find((f: { kind: string }) => f.kind === 'probe-artifact');
    expect(artifact?.trusted_windows).toBe(3);
    expect(artifact.reasons).toHaveLength(2);
    expect(artifact.reasons[0]).toContain('fails with exit 1 where it failed with exit 255 before');
    expect(artifact.reasons[1]).toMatch(/^Its down windows come far more often from then on: 3 before, 11 from it \(chance 0\.00\d+ /);
  });
});

describe('corr correlate on a probe four minutes ahead whose outages recur about every 22 minutes', () => {
  it('finds the offset from the scanner and uses the probe realigned', () => {
    const dir = tempDir();
    const bundle = join(dir, 'bundle');
    const host = 'nas-01';
    const starts = [0, 1205, 2610, 4015, 5395, 7320].map((s) => T0 + 20 * MIN + s * 1000);
    const lengths = [110, 730, 400, 75, 780, 300];
    const outages = starts.map((s, k): Outage => ({ startMs: s, endMs: s + lengths[k]! * 1000, exit: 255 }));
    const end = T0 + 170 * MIN;
    // A scanner every 4–6 s from one address, silent while the host is cut off.
    const auth: string[] = [];
    for (let t = T0, k = 0; t < end; t += 4000 + (k % 3) * 1000, k++) {
      if (outages.some((o) => t >= o.startMs - 1000 && t < o.endMs)) continue;
      auth.push(`${syslogStamp(t)} ${host} sshd[${2000 + (k % 500)}]: Failed password for root from 77.220.104.62 port ${40000 + k} ssh2`);
    }
    capture(bundle, host, end + MIN);
    writeFileSync(join(bundle, host, 'auth.log'), auth.join('\n') + '\n');
    mkdirSync(join(bundle, 'probe'), { recursive: true });
    writeFileSync(join(bundle, 'probe', `${host}.csv`), csvProbe(host, T0 + 5 * MIN, end, 5000, outages, 240_000));
    const db = join(dir, 'corr.db');
    const ingest = corr(['--db', db, 'ingest', bundle]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const { code, json } = corrJson(['--db', db, 'correlate']);
    expect(code).toBe(0);
    const clock = json.findings.find((f: { kind: string }) => f.kind === 'probe-clock');
    expect(clock?.realigned).toBe(true);
    expect(Math.abs(clock.offset_s - 240)).toBeLessThan(10);
    expect(json.findings.filter((f: { kind: string }) => f.kind === 'probe-artifact')).toEqual([]);
    const confirmed = json.outages.filter((o: { status: string }) => o.status === 'confirmed');
    expect(confirmed.map((o: { start: string }) => Math.round((Date.parse(o.start) - T0) / 1000))).toEqual(starts.map((s) => expect.closeTo((s - T0) / 1000, -1.5)));
  });
});
