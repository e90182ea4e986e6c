/**
 * `corr probe`'s log as evidence: ingested beside an auth.log with a real outage, its down records
 * make a trusted window (with the scanner's silence), and a stretch of `probe-error` records — the
 * wrapped tool broke, the host did not — is never an outage, with or without other witnesses.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { corr, corrJson, tempDir } from '../helpers/cli.js';

const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);
const OUTAGE = [Date.UTC(2026, 2, 10, 12, 30, 0), Date.UTC(2026, 2, 10, 12, 40, 0)] as const;
const TOOL_BROKEN = [Date.UTC(2026, 2, 10, 12, 48, 0), Date.UTC(2026, 2, 10, 12, 52, 0)] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function syslogStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** A scanner every 10 s for an hour, silent through the outage (its packets do not arrive). */
function authLog(): string {
  const out: string[] = [];
  for (let i = 0, t = T0; t < T0 + 3600_000; i++, t += 10_000) {
    if (t >= OUTAGE[0] && t < OUTAGE[1]) continue;
    out.push(`${syslogStamp(t)} edge-07 sshd[${2000 + i}]: Failed password for invalid user u${i % 40} from 203.0.113.9 port ${40000 + i} ssh2`);
  }
  return out.join('\n') + '\n';
}

/** corr probe's records every 20 s: down through the outage, probe-error while the tool is broken. */
function probeLog(): string {
  const out: string[] = [];
  for (let t = T0 + 5 * 60_000; t < T0 + 58 * 60_000; t += 20_000) {
    const base = { ts: new Date(t).toISOString(), target: 'ssh://root@edge-07:22', check: 'ssh', latency_ms: 12.5, version: 'corr 0.1.0' };
    if (t > OUTAGE[0] && t < OUTAGE[1]) {
      out.push(JSON.stringify({ ...base, outcome: 'down', error: 'timeout', detail: 'the port accepted but sent no banner within 5000 ms', seen: null, digest: null }));
    } else if (t >= TOOL_BROKEN[0] && t < TOOL_BROKEN[1]) {
      out.push(JSON.stringify({ ...base, target: 'cmd:coily ssh edge-07 -- echo alive', check: 'cmd', outcome: 'probe-error', error: 'output', detail: 'exit 1', seen: 'Usage: coily [command]', digest: 'sha256:aaaaaaaaaaaaaaaa', exit: 1 }));
    } else {
      out.push(JSON.stringify({ ...base, outcome: 'up', error: null, detail: null, seen: 'SSH-2.0-OpenSSH_9.6', digest: 'sha256:bbbbbbbbbbbbbbbb' }));
    }
  }
  return out.join('\n') + '\n';
}

interface Outage {
  host: string;
  start: string;
  end: string;
  status: string;
  sources: string[];
}

function storeOf(files: Record<string, string>): { dir: string; db: string } {
  const dir = tempDir('corr-probe-e2e-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const db = join(dir, 'c.db');
  const ing = corrJson(['--db', db, 'ingest', ...Object.keys(files).map((n) => join(dir, n)), '--tz', 'UTC', '--year', '2026']);
  expect(ing.code, ing.stderr).toBe(0);
  return { dir, db };
}

function correlateOn(files: Record<string, string>, extra: string[] = []): Outage[] {
  const { db } = storeOf(files);
  const r = corrJson<{ outages: Outage[] }>(['--db', db, 'correlate', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return r.json.outages;
}

const overlaps = (o: Outage, [a, b]: readonly [number, number]) => Date.parse(o.start) < b && Date.parse(o.end) > a;

describe('corr probe log in correlate', () => {
  it('beside a scanner: one confirmed window from the probe and the silence; the probe-error stretch is no outage', () => {
    const outages = correlateOn({ 'auth.log': authLog(), 'watch.jsonl': probeLog() });
    expect(outages).toHaveLength(1);
    const [o] = outages;
    expect(o).toMatchObject({ host: 'edge-07', status: 'confirmed' });
    expect(o!.sources).toEqual(expect.arrayContaining(['probe', 'stream-silence']));
    expect(Math.abs(Date.parse(o!.start) - OUTAGE[0])).toBeLessThanOrEqual(20_000);
    expect(Date.parse(o!.end)).toBe(OUTAGE[1]);
    expect(outages.some((x) => overlaps(x, TOOL_BROKEN))).toBe(false);
  });

  it('alone: its down records are trusted evidence, its probe-error records are not', () => {
    const outages = correlateOn({ 'watch.jsonl': probeLog() });
    expect(outages).toEqual([expect.objectContaining({ host: 'edge-07', status: 'confirmed', sources: ['probe'], start: '2026-03-10T12:30:20.000Z', end: '2026-03-10T12:40:00.000Z' })]);
  });
});

describe('a reported window the scanner answered through', () => {
  const WRONG = '2026-03-10T12:45:00Z..2026-03-10T12:50:00Z';

  it('is refuted, and the report says so instead of drawing it as an outage', () => {
    const outages = correlateOn({ 'auth.log': authLog(), 'watch.jsonl': probeLog() }, ['--window', WRONG]);
    expect(outages.find((o) => o.start === '2026-03-10T12:45:00.000Z')).toMatchObject({ status: 'refuted', sources: ['reported'] });
    expect(outages.filter((o) => o.status === 'confirmed')).toHaveLength(1);
    const { dir, db } = storeOf({ 'auth.log': authLog(), 'watch.jsonl': probeLog() });
    const out = join(dir, 'pm.md');
    const r = corr(['--db', db, 'report', '--window', WRONG, '--out', out, '--tz', 'UTC']);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('1 reported window the data refutes: the host answered over the network inside it (edge-07 2026-03-10 12:45:00–12:50:00 UTC).');
    expect(md).toContain('1 real outage window (1 confirmed).');
  });
});
