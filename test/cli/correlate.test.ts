/**
 * `corr correlate` end to end on both fixture incidents: the windows (within a minute), the
 * verdicts, the brute-force figures and the lying probe's span and period must match what each
 * bundle's expected.json states — facts derived from the generated lines, not from corr.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corr, corrJson, FIXTURES, tempDir } from '../helpers/cli.js';

interface Expected {
  ingest_path: string;
  capture_utc: string;
  reported_windows: string[];
  outages: { label: string; start: string; end: string; status: string; sources: string[] }[];
  artifact_windows: { start: string; end: string }[];
  findings: Record<string, Record<string, unknown>>;
  absent_findings?: string[];
}

interface CorrelateJson {
  outages: { host: string; start: string; end: string; status: string; sources: string[] }[];
  findings: ({ id: string; kind: string; verdict: string; start: string; end: string; outages_hit: number; outages_total: number; chance: number | null; evidence: { file: string; line: number; text: string }[] } & Record<string, unknown>)[];
  stories?: { id: string; findings: string[] }[];
}

const MINUTE = 60_000;
const near = (a: string, b: string, tol = MINUTE) => Math.abs(Date.parse(a) - Date.parse(b)) <= tol;

function setup(bundle: string): { expected: Expected; result: CorrelateJson; db: string } {
  const expected = JSON.parse(readFileSync(join(FIXTURES, bundle, 'expected.json'), 'utf8')) as Expected;
  const db = join(tempDir(), 'c.db');
  // The files of a checkout carry today's mtime; pin the year reference to the incident.
  const ref = new Date(Date.parse(expected.capture_utc) + 6 * 3600_000).toISOString();
  const ing = corr(['--db', db, 'ingest', join(FIXTURES, bundle, 'diag'), '--ref', ref]);
  expect(ing.code, ing.stderr).toBe(0);
  const args = ['--db', db, 'correlate', ...expected.reported_windows.flatMap((w) => ['--window', w])];
  const r = corrJson<CorrelateJson>(args);
  expect(r.code, r.stderr).toBe(0);
  return { expected, result: r.json, db };
}

describe('the seed incident', () => {
  let expected: Expected;
  let result: CorrelateJson;
  let db: string;
  beforeAll(() => ({ expected, result, db } = setup('incident-seed')));

  it('finds every real outage window within a minute, confirmed', () => {
    for (const o of expected.outages) {
      const match = result.outages.find((x) => near(x.start, o.start) && near(x.end, o.end));
      expect(match, `${o.label} ${o.start}..${o.end}`).toBeDefined();
      expect(match!.status, o.label).toBe('confirmed');
    }
    expect(result.outages.filter((x) => x.status === 'confirmed')).toHaveLength(expected.outages.length);
  });

  it('marks the windows the lying probe alone produced as artifacts', () => {
    for (const w of expected.artifact_windows) {
      const match = result.outages.find((x) => near(x.start, w.start) && near(x.end, w.end));
      expect(match, `${w.start}..${w.end}`).toBeDefined();
      expect(match!.status).toBe('artifact');
    }
  });

  it('judges bridge churn the cause, unlikely by chance, with evidence leading back to the lines', () => {
    const x = expected.findings['bridge-churn']!;
    const f = result.findings.find((y) => y.kind === 'bridge-churn')!;
    expect(f.verdict).toBe(x.verdict);
    expect(f.outages_hit).toBe(x.outages_hit);
    expect(f.outages_total).toBe(x.outages_total);
    expect(f.chance).toBeLessThanOrEqual(0.05);
    expect(f.evidence.length).toBeGreaterThan(0);
    for (const e of f.evidence) {
      const line = readFileSync(e.file, 'utf8').split('\n')[e.line - 1]!;
      expect(line, `${e.file}:${e.line}`).toContain(e.text.split('\n')[0]!.slice(0, 40));
    }
  });

  it('judges the apiserver handler timeouts a symptom', () => {
    const x = expected.findings['apiserver-timeout']!;
    const f = result.findings.find((y) => y.kind === 'apiserver-timeout')!;
    expect(f.verdict).toBe(x.verdict);
    expect(f.outages_hit).toBe(x.outages_hit);
  });

  it('judges the brute force background, with its address, attempts and distinct user names', () => {
    const x = expected.findings['ssh-bruteforce']!;
    const f = result.findings.find((y) => y.kind === 'ssh-bruteforce')!;
    expect(f.source_ip).toBe(x.source_ip);
    expect(f.attempts).toBe(x.attempts);
    expect(f.usernames).toBe(x.usernames);
    expect(f.verdict).toBe(x.verdict);
    // Stray failures from other addresses are not campaigns.
    expect(result.findings.filter((y) => y.kind === 'ssh-bruteforce')).toHaveLength(1);
  });

  it('exposes the lying probe: its span and period', () => {
    const x = expected.findings['probe-artifact']!;
    const f = result.findings.find((y) => y.kind === 'probe-artifact')!;
    expect(f.verdict).toBe('artifact');
    expect(near(f.start, x.start as string)).toBe(true);
    expect(near(f.end, x.end as string, 5 * MINUTE)).toBe(true);
    expect(Math.abs((f.period_s as number) - (x.period_s as number))).toBeLessThanOrEqual(5);
  });

  it('tells the stacked causes apart as separate stories', () => {
    const storyOf = (kind: string) => result.stories!.find((s) => s.findings.includes(result.findings.find((f) => f.kind === kind)!.id))!.id;
    expect(storyOf('bridge-churn')).toBe(storyOf('apiserver-timeout'));
    expect(storyOf('probe-artifact')).not.toBe(storyOf('bridge-churn'));
    expect(storyOf('ssh-bruteforce')).not.toBe(storyOf('bridge-churn'));
  });

  it('is deterministic', () => {
    const args = ['--db', db, 'correlate', ...expected.reported_windows.flatMap((w) => ['--window', w]), '--json'];
    expect(corr(args).stdout).toBe(corr(args).stdout);
  });

  it('gives the same verdicts without --window: the data holds the windows', () => {
    const bare = corrJson<CorrelateJson>(['--db', db, 'correlate']);
    expect(bare.code, bare.stderr).toBe(0);
    const verdicts = (r: CorrelateJson) => r.findings.map((f) => `${f.kind} ${String(f.template ?? f.source_ip ?? '')} ${f.verdict}`).sort();
    expect(verdicts(bare.json)).toEqual(verdicts(result));
    expect(bare.json.findings.find((f) => f.kind === 'bridge-churn')!.verdict).toBe('cause');
    // And every verdict says which rule decided it, with its figures.
    for (const f of bare.json.findings) expect(String(f.reason).length, f.kind).toBeGreaterThan(10);
  });
});

describe('the DST variant: the verdicts follow the data, not the kind names', () => {
  let expected: Expected;
  let result: CorrelateJson;
  beforeAll(() => ({ expected, result } = setup('incident-dst')));

  it('finds the four windows on both sides of the autumn change, one inside the repeated hour', () => {
    for (const o of expected.outages) {
      const match = result.outages.find((x) => near(x.start, o.start) && near(x.end, o.end));
      expect(match, `${o.label} ${o.start}..${o.end}`).toBeDefined();
      expect(match!.status).toBe('confirmed');
    }
    expect(result.outages.filter((x) => x.status !== 'confirmed')).toHaveLength(0);
  });

  it('finds the conntrack template bursting at the onsets as the cause, though no rule names it', () => {
    const x = expected.findings['template-burst']!;
    const f = result.findings.find((y) => y.kind === 'template-burst' && String(y.template).includes('nf_conntrack'));
    expect(f, JSON.stringify(result.findings.map((y) => [y.kind, y.verdict, y.template]))).toBeDefined();
    expect(f!.verdict).toBe('cause');
    expect(f!.outages_hit).toBe(x.outages_hit);
  });

  it('judges the steady bridge churn background', () => {
    expect(result.findings.find((y) => y.kind === 'bridge-churn')!.verdict).toBe('background');
  });

  it('reports no brute force, no lying probe and no apiserver timeouts', () => {
    for (const kind of expected.absent_findings ?? []) expect(result.findings.filter((y) => y.kind === kind), kind).toHaveLength(0);
  });
});
