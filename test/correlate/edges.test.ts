import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/engine.js';
import { permutationChance } from '../../src/correlate/judge.js';
import { shiftFractions } from '../../src/correlate/prng.js';
import { buildSeries } from '../../src/correlate/series.js';
import { EventBuilder, MINUTE, SECOND, at } from './builder.js';
import { SPAN_END, SPAN_START, seedScenario } from './scenario.js';

const T0 = at('2026-05-26T21:00:00Z');

describe('edges', () => {
  it('returns empty results for no events', () => {
    expect(correlate([], {})).toEqual({ outages: [], findings: [], stories: [] });
  });

  it('caps hostile evidence text and stays fast on a 100k-character line', () => {
    const seed = seedScenario({ outages: 3, noProbe: true });
    const b = new EventBuilder();
    const huge = 'A'.repeat(50_000) + ' 1.2.3.4 ' + 'x'.repeat(50_000);
    for (const e of seed.events) b.add({ tsUs: e.tsUs, kind: e.kind, message: e.message, fields: e.fields, count: e.count, file: e.file });
    for (const o of seed.outages) {
      for (let k = 0; k < 3; k++) b.add({ tsUs: o.onsetUs - 90 * SECOND + k * SECOND, kind: 'syslog.evil', message: huge, file: 'evil.log' });
    }
    const started = performance.now();
    const result = correlate(b.build(), { sinceUs: SPAN_START, untilUs: SPAN_END });
    expect(performance.now() - started).toBeLessThan(5000);
    const evil = result.findings.find((f) => f.kind === 'template-burst');
    expect(evil?.verdict).toBe('cause');
    expect(evil!.evidence.length).toBeGreaterThan(0);
    for (const e of evil!.evidence) expect(e.text.length).toBeLessThanOrEqual(500);
    expect(evil!.evidence[0]!.file).toBe('evil.log');
    expect(evil!.summary.length).toBeLessThan(600);
  });

  it('permutation chance is small for a signal at every onset and large for one everywhere', () => {
    const b = new EventBuilder();
    const onsets = [40, 130, 250, 330, 420].map((m) => T0 + m * MINUTE);
    for (const o of onsets) b.add({ tsUs: o - 2 * MINUTE, kind: 'kernel.x', message: 'at onset' });
    for (let m = 0; m < 480; m += 5) b.add({ tsUs: T0 + m * MINUTE + 1, kind: 'kernel.y', message: 'everywhere' });
    const events = b.build();
    const idx = (kind: string) => events.map((_, i) => i).filter((i) => events[i]!.kind === kind);
    const span = { startUs: T0, endUs: T0 + 480 * MINUTE };
    const zones = onsets.map((o) => ({ startUs: o - 5 * MINUTE, endUs: o + MINUTE }));
    const ctx = { span, windows: onsets.map((o) => ({ startUs: o, endUs: o + MINUTE })), shifts: shiftFractions(1, 999) };
    const aligned = permutationChance(buildSeries(events, idx('kernel.x')), zones, 5, ctx)!;
    const everywhere = permutationChance(buildSeries(events, idx('kernel.y')), zones, 5, ctx)!;
    // Each window, moved on its own, reaches one of the five events for 5 × 6 of its 474 minutes of
    // starts: all five together (30/474)^5 ≈ 1.0e-6. (The chance used to shift all windows together: ~6/480.)
    expect(aligned).toBeGreaterThan(0.9e-6);
    expect(aligned).toBeLessThan(1.1e-6);
    expect(everywhere).toBe(1);
  });
});
