import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/engine.js';
import type { Finding } from '../../src/correlate/types.js';
import { MINUTE, SECOND } from './builder.js';
import { FAKE_PERIOD_S, LIE_FROM, SCANNER_IP, SPAN_END, SPAN_START, seedScenario } from './scenario.js';

const ms = (iso: string): number => Date.parse(iso) * 1000;

function only(findings: Finding[], kind: string): Finding {
  const matching = findings.filter((f) => f.kind === kind);
  expect(matching, kind).toHaveLength(1);
  return matching[0]!;
}

describe('the seed incident', () => {
  const seed = seedScenario();
  const result = correlate(seed.events, { sinceUs: SPAN_START, untilUs: SPAN_END });

  it('finds each real outage as one confirmed window within a minute of the truth', () => {
    const confirmed = result.outages.filter((o) => o.status === 'confirmed');
    expect(confirmed).toHaveLength(seed.outages.length);
    confirmed.forEach((o, i) => {
      const truth = seed.outages[i]!;
      expect(Math.abs(ms(o.start) - truth.onsetUs)).toBeLessThan(MINUTE);
      expect(Math.abs(ms(o.end) - (truth.onsetUs + truth.durationUs))).toBeLessThan(MINUTE);
      expect(o.host).toBe('kai-server');
      expect(o.sources).toContain('stream-silence');
      expect(o.sources).toContain('probe');
    });
    // The handler timeouts fell inside the 2nd and 5th.
    expect(confirmed.map((o) => o.sources.includes('symptom'))).toEqual([false, true, false, false, true, false]);
  });

  it('marks the windows only the lying probe saw as artifacts', () => {
    const artifacts = result.outages.filter((o) => o.status === 'artifact');
    expect(artifacts).toHaveLength(6);
    for (const o of artifacts) {
      expect(o.sources).toEqual(['probe']);
      expect(ms(o.start)).toBeGreaterThanOrEqual(LIE_FROM - 5 * SECOND);
    }
  });

  it('judges bridge churn the cause, unlikely by chance', () => {
    const churn = only(result.findings, 'bridge-churn');
    expect(churn.verdict).toBe('cause');
    expect(churn.outages_hit).toBe(6);
    expect(churn.outages_total).toBe(6);
    expect(churn.chance).not.toBeNull();
    expect(churn.chance!).toBeLessThanOrEqual(0.05);
    // Bursts lead by 60..185 s in the scenario.
    expect(churn.lead_s as number).toBeGreaterThan(60);
    expect(churn.lead_s as number).toBeLessThan(200);
    expect(churn.bursts).toHaveLength(6);
    expect(churn.bursts.every((b) => b.count === 8)).toBe(true);
    // Evidence: the first line of each burst, one per onset.
    expect(churn.evidence).toHaveLength(6);
    expect(churn.evidence[0]!.text).toContain('entered blocking state');
    expect(churn.evidence[0]!.file).toBe('diag/output.txt');
    expect(churn.summary).toContain('6 of 6');
  });

  it("states the churn's lead chance as twice the smaller of the reach test and the consistent-lead scan, held to Holm's threshold", () => {
    const churn = only(result.findings, 'bridge-churn');
    const rule = (churn.rules as { rule: string; met: boolean; detail: string }[]).find((r) => r.rule.startsWith('cause: chance'))!;
    const m = /^chance ([\d.e-]+) \(twice the smaller of the exact reach test, ([\d.e-]+), and the consistent-lead scan, ([\d.e-]+): (\d) of 6 onsets led at ([\d.]+)–([\d.]+) s, ranked among 4999 random placements of the windows\).*; Holm over (\d+) signals? tested in the incident against two or more onsets: this chance the (\d+)\w\w smallest, held to 0\.05\/(\d+)$/.exec(rule.detail);
    expect(m, rule.detail).not.toBeNull();
    const [, chance, exact, scan, held, from, to, family, rank, divisor] = m!;
    expect(Number(chance)).toBe(Number(Math.min(1, 2 * Math.min(Number(exact), Number(scan))).toPrecision(3)));
    expect(Number(chance)).toBe(churn.chance);
    // The scenario's bursts lead by 60..185 s; a lead is read to the onset's spread (its end at most
    // a minute after its start here), so the annulus lies in 60..245 s, and holds most onsets.
    expect(Number(held)).toBeGreaterThanOrEqual(4);
    expect(Number(from)).toBeGreaterThanOrEqual(60);
    expect(Number(to)).toBeLessThanOrEqual(245);
    // Holm: the k-th smallest of m held to 0.05/(m − k + 1), and the rule's threshold is that one.
    expect(Number(divisor)).toBe(Number(family) - Number(rank) + 1);
    expect(rule.rule).toBe(Number(divisor) === 1 ? 'cause: chance ≤ 0.05' : `cause: chance ≤ 0.05/${divisor}`);
    expect(rule.met).toBe(true);
  });

  it('judges the handler timeouts a symptom', () => {
    const timeouts = only(result.findings, 'apiserver-timeout');
    expect(timeouts.verdict).toBe('symptom');
    expect(timeouts.outages_hit).toBe(2);
    expect(timeouts.events_inside).toBe(4);
    expect(timeouts.events_outside).toBe(0);
    expect(timeouts.lead_s as number).toBeLessThan(0);
  });

  it('judges the brute force background, with exact counts, silent inside every outage', () => {
    const bf = only(result.findings, 'ssh-bruteforce');
    expect(bf.verdict).toBe('background');
    expect(bf.source_ip).toBe(SCANNER_IP);
    expect(bf.attempts).toBe(seed.attempts);
    expect(bf.usernames).toBe(seed.usernames);
    expect(bf.outages_silent).toBe(6);
    expect(bf.rate_per_min as number).toBeGreaterThan(6);
    expect(bf.rate_per_min as number).toBeLessThan(8);
    expect(bf.accepted_logins).toBe(0);
  });

  it('judges the probe an artifact from the point its failure mode changed', () => {
    const probe = only(result.findings, 'probe-artifact');
    expect(probe.verdict).toBe('artifact');
    expect(Math.abs(ms(probe.start) - LIE_FROM)).toBeLessThan(5 * SECOND);
    expect(probe.period_s as number).toBeGreaterThan(FAKE_PERIOD_S - 5);
    expect(probe.period_s as number).toBeLessThan(FAKE_PERIOD_S + 5);
    const reasons = probe.reasons as string[];
    expect(reasons.some((r) => r.includes('exit 1') && r.includes('exit 255'))).toBe(true);
    expect(reasons.some((r) => r.includes('metronome'))).toBe(true);
    expect(reasons.some((r) => r.includes('sshd accepted a login'))).toBe(true);
    expect(probe.evidence.some((e) => e.text.startsWith('Accepted publickey for kai'))).toBe(true);
    expect(probe.windows).toBe(6);
    expect(probe.trusted_windows).toBe(6);
  });

  it('tells the three stories apart', () => {
    const byKind = new Map<string, string>(result.findings.map((f) => [f.kind, f.id]));
    const storyOf = (kind: string) => result.stories.find((s) => s.findings.includes(byKind.get(kind)!))!;
    expect(storyOf('bridge-churn')).toBe(storyOf('apiserver-timeout'));
    expect(storyOf('ssh-bruteforce')).not.toBe(storyOf('bridge-churn'));
    expect(storyOf('probe-artifact')).not.toBe(storyOf('bridge-churn'));
    expect(storyOf('probe-artifact')).not.toBe(storyOf('ssh-bruteforce'));
    expect(result.stories.flatMap((s) => s.findings).sort()).toEqual(result.findings.map((f) => f.id).sort());
  });

  it('orders findings cause first and numbers them F1..', () => {
    expect(result.findings[0]!.verdict).toBe('cause');
    expect(result.findings.map((f) => f.id)).toEqual(result.findings.map((_, i) => `F${i + 1}`));
  });
});
