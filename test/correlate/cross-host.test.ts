/**
 * Cross-host correlation through the real CLI, on small generated cluster bundles
 * (cross-host-bundle.ts): a control plane's bridge churn leading a worker's outages is found across
 * hosts with its own chance; a steady signal on another host is not; a signal that is already a
 * cause on its own host is not repeated across; hosts written in three zones line up in UTC; the
 * cluster comes from the k3s lines or from --cluster, and nothing is tested across without either.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corr, corrJson, tempDir } from '../helpers/cli.js';
import { type ClusterPlan, LEADS_S, SECOND, WORKER_OUTAGES, controlPlaneLeads, writeClusterBundle } from './cross-host-bundle.js';

interface FindingJson {
  id: string;
  host: string;
  kind: string;
  verdict: string;
  chance: number | null;
  outages_hit: number;
  outages_total: number;
  hits: { outage: number; first: string; lead_s: number; led: boolean }[];
  evidence: { ts: string; file: string; line: number; text: string; host?: string }[];
  signal_kind?: string;
  windows_host?: string;
  cluster?: string[];
  cluster_rule?: string;
  pairs_tested?: number;
  chance_needed?: number;
  summary: string;
}

interface Result {
  outages: { host: string; start: string; end: string; status: string }[];
  findings: FindingJson[];
  stories: { id: string; findings: string[]; summary: string }[];
}

function ingest(plan: ClusterPlan): { db: string; dir: string } {
  const dir = tempDir('corr-cluster-');
  const tzFor = writeClusterBundle(join(dir, 'bundle'), plan);
  const db = join(dir, 'c.db');
  const r = corr(['--db', db, 'ingest', join(dir, 'bundle'), '--year', '2026', ...tzFor]);
  expect(r.code, r.stderr).toBe(0);
  return { db, dir };
}

function correlate(db: string, extra: string[] = []): Result {
  const r = corrJson<Result>(['--db', db, 'correlate', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return r.json;
}

const crossHost = (r: Result): FindingJson[] => r.findings.filter((f) => f.kind === 'cross-host');

describe('a control plane whose churn leads a worker\'s outages (three hosts, three zones)', () => {
  let db: string;
  let dir: string;
  let result: Result;
  beforeAll(() => {
    ({ db, dir } = ingest(controlPlaneLeads()));
    result = correlate(db);
  });

  it('finds the worker\'s five outages, and none on the control plane or the other worker', () => {
    const confirmed = result.outages.filter((o) => o.status === 'confirmed');
    expect(confirmed.map((o) => o.host)).toEqual(['w1', 'w1', 'w1', 'w1', 'w1']);
    // Windows are placed in UTC from Berlin-time lines: each starts within 10 s of the planned onset.
    confirmed.forEach((o, k) => expect(Math.abs(Date.parse(o.start) * 1000 - WORKER_OUTAGES[k]!.startUs)).toBeLessThan(10 * SECOND));
  });

  it('reports the control plane\'s churn as a cause of the worker\'s outages, across hosts, with its own chance', () => {
    const found = crossHost(result);
    expect(found).toHaveLength(1);
    const f = found[0]!;
    expect(f).toMatchObject({ host: 'cp', windows_host: 'w1', signal_kind: 'bridge-churn', verdict: 'cause', outages_hit: 5, outages_total: 5, cluster: ['cp', 'w1', 'w2'] });
    // Two pairs were tested: cp's churn and w2's steady churn, each against w1 (the only host with windows).
    expect(f.pairs_tested).toBe(2);
    expect(f.chance_needed).toBe(0.025);
    expect(f.chance).not.toBeNull();
    expect(f.chance!).toBeLessThanOrEqual(f.chance_needed!);
    expect(f.chance!).toBeLessThan(1e-4);
    // Each lead is the planned one, less the few seconds between the scanner's last line and the onset.
    const leads = f.hits.map((h) => h.lead_s);
    leads.forEach((l, k) => {
      expect(l).toBeLessThanOrEqual(LEADS_S[k]! + 1);
      expect(l).toBeGreaterThan(LEADS_S[k]! - 12);
    });
    expect(f.hits.every((h) => h.led)).toBe(true);
    // The hits point at w1's outages.
    for (const h of f.hits) expect(result.outages[h.outage]!.host).toBe('w1');
    expect(f.summary).toContain('on cp, against the outages of w1');
    expect(f.cluster_rule).toContain('cp names w1');
  });

  it('quotes lines of both hosts as evidence, each saying whose it is, in UTC', () => {
    const f = crossHost(result)[0]!;
    const cp = f.evidence.filter((e) => e.host === 'cp');
    const w1 = f.evidence.filter((e) => e.host === 'w1');
    expect(cp.length).toBe(5);
    expect(w1.length).toBe(5);
    expect(cp.every((e) => e.file.endsWith(join('cp', 'syslog')) && /entered|promiscuous/.test(e.text))).toBe(true);
    expect(w1.every((e) => e.file.endsWith(join('w1', 'syslog')) && e.text.includes('Failed password'))).toBe(true);
    // The first churn line was written in Los Angeles time; its instant is the planned UTC one.
    const firstChurn = WORKER_OUTAGES[0]!.startUs - LEADS_S[0]! * SECOND;
    expect(Math.abs(Date.parse(cp[0]!.ts) * 1000 - firstChurn)).toBeLessThan(SECOND);
    // The line leads back to the file: its text is there at that line.
    const lines = readFileSync(cp[0]!.file, 'utf8').split('\n');
    expect(lines[cp[0]!.line - 1]).toContain(cp[0]!.text);
  });

  it('prints the evidence of both hosts on the terminal, each line naming its host', () => {
    const r = corr(['--db', db, 'correlate']);
    expect(r.code, r.stderr).toBe(0);
    const block = r.stdout.slice(r.stdout.indexOf('cross-host (cause) — evidence:'));
    const lines = block.split('\n').slice(1, 11);
    expect(lines.filter((l) => / {2}cp {2}\S*cp\/syslog:\d+ {2}/.test(l))).toHaveLength(5);
    expect(lines.filter((l) => / {2}w1 {2}\S*w1\/syslog:\d+ {2}Failed password/.test(l))).toHaveLength(5);
  });

  it('does not report the other worker\'s steady churn across, and keeps per-host findings as they were', () => {
    expect(crossHost(result).some((f) => f.host === 'w2')).toBe(false);
    const perHost = result.findings.filter((f) => f.kind === 'bridge-churn');
    // cp and w2 have no outages of their own: their churn is inconclusive there, as before.
    expect(perHost.map((f) => [f.host, f.verdict])).toEqual([
      ['cp', 'inconclusive'],
      ['w2', 'inconclusive'],
    ]);
  });

  it('tells the worker\'s outages as explained in the stories, not as unexplained', () => {
    const f = crossHost(result)[0]!;
    const story = result.stories.find((s) => s.findings.includes(f.id))!;
    expect(story.summary).toContain('Outages on w1');
    expect(story.summary).toContain('bridge-churn on cp');
    expect(result.stories.some((s) => s.summary.startsWith('No cause found') && s.summary.includes('on w1'))).toBe(false);
  });

  it('gives the same JSON twice, and nothing across with --cluster none', () => {
    const again = corr(['--db', db, 'correlate', '--json']);
    expect(again.stdout).toBe(JSON.stringify(result, null, 2) + '\n');
    expect(crossHost(correlate(db, ['--cluster', 'none']))).toHaveLength(0);
  });

  it('shows the finding in the report\'s own cross-host section', () => {
    const out = join(dir, 'report.md');
    const r = corr(['--db', db, 'report', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    const section = md.split('\n## ').find((s) => s.startsWith('Across hosts'));
    expect(section, md.slice(0, 2000)).toBeDefined();
    expect(section).toContain('cp');
    expect(section).toContain('w1');
    expect(section).toContain('bridge-churn');
  });
});

describe('which hosts are one cluster', () => {
  let db: string;
  beforeAll(() => {
    const plan = controlPlaneLeads();
    // No k3s line names another host: the store says nothing about a cluster.
    for (const h of plan.hosts) h.names = [];
    ({ db } = ingest(plan));
  });

  it('tests no pair when no k3s line names another host', () => {
    expect(crossHost(correlate(db))).toHaveLength(0);
  });

  it('tests the hosts --cluster names', () => {
    const found = crossHost(correlate(db, ['--cluster', 'cp,w1']));
    expect(found.map((f) => [f.host, f.windows_host, f.verdict])).toEqual([['cp', 'w1', 'cause']]);
    // Only cp's churn against w1 was tested: one pair, the uncorrected threshold.
    expect(found[0]!.pairs_tested).toBe(1);
    expect(found[0]!.chance_needed).toBe(0.05);
    expect(found[0]!.cluster_rule).toBe('named by --cluster cp,w1');
  });

  it('refuses a host the store does not have, naming it and the nearest one (exit 2)', () => {
    const r = corr(['--db', db, 'correlate', '--cluster', 'cp,w3']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--cluster: no host "w3" in the store; did you mean');
    const one = corr(['--db', db, 'correlate', '--cluster', 'cp']);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('at least two hosts');
  });
});

describe('a signal that is a cause on its own host', () => {
  let result: Result;
  beforeAll(() => {
    // cp and w1 go down together (one switch); cp's churn leads cp's own outages, so it leads w1's too.
    const plan = controlPlaneLeads();
    plan.hosts[0]!.outages = WORKER_OUTAGES;
    plan.hosts[2]!.churn = [];
    const { db } = ingest(plan);
    result = correlate(db);
  });

  it('is reported on its own host and not repeated across', () => {
    const churn = result.findings.filter((f) => f.kind === 'bridge-churn');
    expect(churn.map((f) => [f.host, f.verdict])).toEqual([['cp', 'cause']]);
    expect(churn[0]!.outages_hit).toBe(5);
    expect(crossHost(result)).toHaveLength(0);
  });
});
