/**
 * Cross-host correlation of brute forces and discovered templates, through the real CLI on both
 * engines: a gateway `gw` whose SSH brute force comes in bursts before each outage of worker `w1`,
 * and a control plane `cp` whose storage daemon logs a line nobody named (no detector knows it)
 * before each of them. Neither `gw` nor `cp` has an outage of its own, so on its own host each is
 * inconclusive or not picked at all; judged against w1's windows (`--cluster cp,w1,gw`), each is a
 * cause with its own chance, held to its family's corrected threshold. The same bundle with the
 * bursts halfway between the outages invents nothing across. SQLite and ClickHouse print the same
 * bytes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corr, tempDir } from '../helpers/cli.js';
import { useClickHouse } from '../fleet/server.js';
import { type ClusterPlan, END, MINUTE, SECOND, START, WORKER_OUTAGES, writeClusterBundle } from './cross-host-bundle.js';

const ch = useClickHouse();

interface FindingJson {
  id: string;
  host: string;
  kind: string;
  verdict: string;
  chance: number | null;
  outages_hit: number;
  outages_total: number;
  hits: { outage: number; lead_s: number; led: boolean }[];
  evidence: { ts: string; file: string; line: number; text: string; host?: string }[];
  signal_kind?: string;
  source_ip?: string;
  template?: string;
  event_kind?: string;
  windows_host?: string;
  cluster?: string[];
  pairs_tested?: number;
  chance_needed?: number;
  summary: string;
}

interface Result {
  outages: { host: string; status: string }[];
  findings: FindingJson[];
  stories: { findings: string[]; summary: string }[];
}

const ATTACKER = '203.0.113.77';
/** Seconds before each w1 onset the gateway's brute force starts, and the control plane's stall lines. */
const BRUTE_LEADS_S = [110, 75, 130, 90, 100];
const STALL_LEADS_S = [60, 95, 80, 120, 70];

/** 30 attempts over 90 s from one address, user names varying. */
function bruteForce(t0: number, k: number): { us: number; text: string }[] {
  return Array.from({ length: 30 }, (_, j) => ({
    us: t0 + j * 3 * SECOND,
    text: `sshd[${4100 + k}]: Failed password for invalid user admin${(j * 7 + k) % 11} from ${ATTACKER} port ${41000 + k * 100 + j} ssh2`,
  }));
}

/** Four lines over about 15 s from a daemon no detector knows. */
function stall(t0: number, k: number): { us: number; text: string }[] {
  return Array.from({ length: 4 }, (_, j) => ({ us: t0 + j * 5 * SECOND, text: `storaged[812]: journal flush stalled for ${1200 + k * 37 + j * 11} ms on /dev/sda${2 + (j % 2)}` }));
}

/** `at(k)`: when burst k starts. */
function plan(at: (k: number, leadsS: readonly number[]) => number): ClusterPlan {
  return {
    startUs: START,
    endUs: END,
    seed: 11,
    hosts: [
      { name: 'cp', zone: 'America/Los_Angeles', outages: [], churn: [], names: [], extra: WORKER_OUTAGES.flatMap((_, k) => stall(at(k, STALL_LEADS_S), k)) },
      { name: 'gw', zone: 'UTC', outages: [], churn: [], names: [], extra: WORKER_OUTAGES.flatMap((_, k) => bruteForce(at(k, BRUTE_LEADS_S), k)) },
      { name: 'w1', zone: 'Europe/Berlin', outages: WORKER_OUTAGES, churn: [], names: [] },
    ],
  };
}

const leading = (k: number, leadsS: readonly number[]): number => WORKER_OUTAGES[k]!.startUs - leadsS[k]! * SECOND;
/** Halfway between outage k and the next (after the last: 25 minutes after it ends). */
const between = (k: number): number => {
  const o = WORKER_OUTAGES[k]!;
  const next = WORKER_OUTAGES[k + 1];
  return next ? Math.round((o.endUs + next.startUs) / 2) : o.endUs + 25 * MINUTE;
};

const CLUSTER = ['--cluster', 'cp,w1,gw'];

function ingestBoth(p: ClusterPlan, database: string): { sqlite: string; url: string } {
  const dir = tempDir('corr-cluster-kinds-');
  const tzFor = writeClusterBundle(join(dir, 'bundle'), p);
  const sqlite = join(dir, 'c.db');
  const url = ch.get().url(database);
  for (const db of [sqlite, url]) {
    const r = corr(['--db', db, 'ingest', join(dir, 'bundle'), '--year', '2026', '--quiet', ...tzFor]);
    expect(r.code, r.stderr).toBe(0);
  }
  return { sqlite, url };
}

function correlateBoth(dbs: { sqlite: string; url: string }, extra: string[]): Result {
  const a = corr(['--db', dbs.sqlite, 'correlate', '--json', ...extra]);
  const b = corr(['--db', dbs.url, 'correlate', '--json', ...extra]);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
  expect(b.stdout === a.stdout, 'correlate --json differs between SQLite and ClickHouse').toBe(true);
  return JSON.parse(a.stdout) as Result;
}

const crossHost = (r: Result): FindingJson[] => r.findings.filter((f) => f.kind === 'cross-host');

describe('a brute force and a discovered template of other hosts leading a worker\'s outages', () => {
  let dbs: { sqlite: string; url: string };
  let result: Result;
  beforeAll(() => {
    dbs = ingestBoth(plan(leading), 'cross_kinds');
    result = correlateBoth(dbs, CLUSTER);
  }, 300_000);

  it('confirms w1\'s five outages and none elsewhere', () => {
    expect(result.outages.filter((o) => o.status === 'confirmed').map((o) => o.host)).toEqual(['w1', 'w1', 'w1', 'w1', 'w1']);
  });

  it('judges the gateway\'s brute force against w1\'s windows: a cause, with its own chance', () => {
    const perHost = result.findings.filter((f) => f.kind === 'ssh-bruteforce' && f.source_ip === ATTACKER);
    // On its own host, with no outage there, it is not a cause.
    expect(perHost.map((f) => [f.host, f.verdict])).toEqual([['gw', 'inconclusive']]);
    const found = crossHost(result).filter((f) => f.signal_kind === 'ssh-bruteforce');
    expect(found.map((f) => [f.host, f.windows_host, f.source_ip, f.verdict])).toEqual([['gw', 'w1', ATTACKER, 'cause']]);
    const f = found[0]!;
    expect(f).toMatchObject({ outages_hit: 5, outages_total: 5, cluster: ['cp', 'gw', 'w1'] });
    // Its family: the campaigns of cp and gw against w1's windows (w1's own scanner has no other
    // host's windows to meet): the attacker's pair and the two steady scanners'. A scanner every 8 s
    // could not reach 0.05 even had it led every onset, so it costs nothing (Tarone): one pair counts.
    expect(f.pairs_tested).toBe(1);
    expect(f.chance_needed).toBe(0.05);
    expect(f.chance!).toBeLessThanOrEqual(f.chance_needed!);
    expect(f.chance!).toBeLessThan(1e-4);
    f.hits.forEach((h, k) => {
      expect(h.led).toBe(true);
      expect(result.outages[h.outage]!.host).toBe('w1');
      expect(h.lead_s).toBeLessThanOrEqual(BRUTE_LEADS_S[k]! + 1);
      expect(h.lead_s).toBeGreaterThan(BRUTE_LEADS_S[k]! - 12);
    });
    expect(f.summary).toContain(`The SSH brute force from ${ATTACKER}`);
    expect(f.summary).toContain('on gw, against the outages of w1');
    const gw = f.evidence.filter((e) => e.host === 'gw');
    expect(gw.length).toBe(5);
    expect(gw.every((e) => e.text.includes(`from ${ATTACKER}`))).toBe(true);
    expect(f.evidence.filter((e) => e.host === 'w1').every((e) => e.text.includes('Failed password for root'))).toBe(true);
  });

  it('mines the control plane\'s lines against w1\'s windows and finds the stall template a cause', () => {
    const found = crossHost(result).filter((f) => f.signal_kind === 'template-burst');
    expect(found.map((f) => [f.host, f.windows_host, f.verdict])).toEqual([['cp', 'w1', 'cause']]);
    const f = found[0]!;
    expect(f.template).toMatch(/^journal flush stalled for .* on /);
    expect(f.event_kind).toBeTruthy();
    expect(f.outages_hit).toBe(5);
    // Its family counts every template candidate picked for every pair (cp's lines against w1's
    // windows, gw's against w1's): three in all, so 0.05 / 3.
    expect(f.pairs_tested).toBe(3);
    expect(f.chance_needed).toBe(0.0167);
    expect(f.chance!).toBeLessThanOrEqual(f.chance_needed!);
    f.hits.forEach((h, k) => {
      expect(h.led).toBe(true);
      expect(h.lead_s).toBeLessThanOrEqual(STALL_LEADS_S[k]! + 1);
      expect(h.lead_s).toBeGreaterThan(STALL_LEADS_S[k]! - 12);
    });
    const cp = f.evidence.filter((e) => e.host === 'cp');
    expect(cp.length).toBe(5);
    // Each quoted line is the file's line, written in Los Angeles time and placed in UTC.
    for (const e of cp) {
      expect(readFileSync(e.file, 'utf8').split('\n')[e.line - 1]).toContain(e.text);
      expect(e.text).toContain('journal flush stalled');
    }
    // Nothing found on cp itself: it has no windows to mine against.
    expect(result.findings.some((x) => x.kind === 'template-burst' && x.host === 'cp')).toBe(false);
  });

  it('tells w1\'s outages as explained, by both', () => {
    const ids = crossHost(result).map((f) => f.id);
    const story = result.stories.find((s) => s.summary.includes('Outages on w1'))!;
    expect(ids.every((id) => story.findings.includes(id))).toBe(true);
    expect(result.stories.some((s) => s.summary.startsWith('No cause found') && s.summary.includes('on w1'))).toBe(false);
  });

  it('has the report state each kind\'s own correction, not the first finding\'s for all', () => {
    const cross = crossHost(result);
    const corrections = new Set(cross.map((f) => `${f.pairs_tested}|${f.chance_needed}`));
    expect(corrections.size, 'the kinds were corrected alike: the test would not tell').toBeGreaterThan(1);
    const out = join(tempDir('corr-cluster-kinds-report-'), 'r.md');
    const r = corr(['--db', dbs.sqlite, 'report', '--out', out, ...CLUSTER]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    const intro = md.split('## Across hosts')[1]!.split('\n\n').find((p) => p.includes('tested across hosts'))!;
    expect(intro).toContain('each kind is corrected for its own pairs');
    for (const f of cross) {
      expect(intro, `${f.signal_kind}`).toContain(`${f.signal_kind}`);
      expect(intro, `${f.signal_kind}`).toContain(`a chance of ${f.chance_needed} or less`);
    }
  });

  it('tests nothing across with --cluster none', () => {
    expect(crossHost(correlateBoth(dbs, ['--cluster', 'none']))).toHaveLength(0);
  });
});

describe('the same bursts halfway between the outages', () => {
  it('are found across for neither kind, on both engines', () => {
    const result = correlateBoth(ingestBoth(plan((k) => between(k)), 'cross_kinds_between'), CLUSTER);
    expect(result.outages.filter((o) => o.status === 'confirmed')).toHaveLength(5);
    expect(crossHost(result)).toEqual([]);
  }, 300_000);
});
