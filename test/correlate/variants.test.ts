import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/engine.js';
import type { Finding } from '../../src/correlate/types.js';
import { SPAN_END, SPAN_START, seedScenario } from './scenario.js';

function ofKind(findings: Finding[], kind: string): Finding[] {
  return findings.filter((f) => f.kind === kind);
}

describe('bridge churn that is steady all along, and another template bursting at onsets', () => {
  const seed = seedScenario({ steadyChurn: true, firewallTemplate: true });
  const result = correlate(seed.events, { sinceUs: SPAN_START, untilUs: SPAN_END });

  it('judges the steady churn background, not a cause', () => {
    const [churn] = ofKind(result.findings, 'bridge-churn');
    expect(churn?.verdict).toBe('background');
    expect(churn!.events_outside as number).toBeGreaterThan((churn!.events_total as number) / 2);
  });

  it('discovers the template that bursts before every onset and calls it the cause', () => {
    const templates = ofKind(result.findings, 'template-burst');
    expect(templates).toHaveLength(1);
    const t = templates[0]!;
    expect(t.verdict).toBe('cause');
    expect(t.template).toContain('Failed to program FORWARD chain for br-<hex>');
    expect(t.event_kind).toBe('syslog.dockerd');
    expect(t.outages_hit).toBe(6);
    expect(t.chance!).toBeLessThanOrEqual(0.05);
    expect(t.events_outside).toBe(0);
    // The masked template merges lines that differ in bridge and exit status only.
    expect(t.events_total).toBe(18);
  });

  it('puts the template and the symptom in one story, the steady churn in another', () => {
    const story = (kind: string) => result.stories.find((s) => s.findings.includes(ofKind(result.findings, kind)[0]!.id));
    expect(story('template-burst')).toBe(story('apiserver-timeout'));
    expect(story('bridge-churn')).not.toBe(story('template-burst'));
  });
});

describe('too few windows', () => {
  it('judges churn that leads both of two outages by its likelihood and the exact chance, not by a minimum count', () => {
    const seed = seedScenario({ outages: 2, noProbe: true });
    const result = correlate(seed.events, { sinceUs: SPAN_START, untilUs: SPAN_END });
    expect(result.outages.filter((o) => o.status === 'confirmed')).toHaveLength(2);
    const [churn] = ofKind(result.findings, 'bridge-churn');
    expect(churn!.outages_hit).toBe(2);
    // Two bursts in eight hours, each minutes before an onset: an onset is far likelier after them,
    // and few shifts of the two windows land both lead zones on a burst.
    expect(churn?.verdict).toBe('cause');
    expect(churn!.likelihood_ratio as number).toBeGreaterThan(20);
    expect(churn!.chance as number).toBeLessThan(0.05 / 3);
    expect(churn!.summary).toContain('2 of 2');
  });

  it('calls every judged signal inconclusive when there is no outage at all', () => {
    const seed = seedScenario({ outages: 0, noProbe: true });
    const result = correlate(seed.events, { sinceUs: SPAN_START, untilUs: SPAN_END });
    expect(result.outages).toEqual([]);
    const bf = ofKind(result.findings, 'ssh-bruteforce')[0]!;
    expect(bf.verdict).toBe('inconclusive');
    expect(bf.outages_total).toBe(0);
    expect(bf.chance).toBeNull();
  });
});

describe('determinism', () => {
  it('prints byte-identical JSON for the same input (the permutation chance is exact, not sampled)', () => {
    const a = JSON.stringify(correlate(seedScenario().events, { sinceUs: SPAN_START, untilUs: SPAN_END }));
    const b = JSON.stringify(correlate(seedScenario().events, { sinceUs: SPAN_START, untilUs: SPAN_END }));
    expect(a).toBe(b);
    const churn = JSON.parse(a).findings.find((f: { kind: string }) => f.kind === 'bridge-churn')!;
    expect(churn.verdict).toBe('cause');
    expect(churn.chance!).toBeLessThanOrEqual(0.05);
  });
});
