/**
 * Trust per failure signature (docs/correlation.md § 2): a way of failing that the host's network
 * witnesses contradict far more often than a truthful probe's windows are, and that nothing else
 * backs, does not stand on the probe alone — not even where no witness could check it.
 */
import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/engine.js';
import { binomialUpperTail, distrustedSignatures, FALSE_REFUTATION_RATE, type ProbeWindow } from '../../src/correlate/probe.js';
import type { Series } from '../../src/correlate/series.js';
import { EventBuilder, MINUTE, SECOND, at, bruteForce, probeTransition } from './builder.js';

const T0 = at('2026-03-08T09:00:00Z');
const poll = { interval_s: 10 };

/** Irregular onsets (no metronome to give a reason of its own), as the simulator's failure-mode liars have. */
const SPREAD = [0, 7, -5, 11, -8, 3, -9, 6, -2, 9, -6, 1];

function windowsFrom(firstMin: number, count: number, everyMin: number): number[] {
  const out: number[] = [];
  for (let k = 0, m = firstMin; k < count; k++, m += everyMin + SPREAD[k % SPREAD.length]!) out.push(m);
  return out;
}

const confirmedStarts = (r: ReturnType<typeof correlate>): number[] =>
  r.outages.filter((o) => o.status === 'confirmed').map((o) => Math.round((Date.parse(o.start) * 1000 - T0) / MINUTE));

describe('a failure signature the witnesses contradict', () => {
  // A CSV probe (`down,,1`: exit 1, no error text) that fails on its own, on a host with no earlier
  // failure to compare it with. A scanner every 8 s watches the host for the first three hours and
  // runs through every window there; then it stops, and the probe's later windows nobody can check.
  function liar(): ReturnType<typeof correlate> {
    const b = new EventBuilder();
    bruteForce(b, { ip: '60.163.139.198', fromUs: T0, toUs: T0 + 180 * MINUTE, everyS: 8, users: ['admin'], skip: () => false });
    probeTransition(b, T0, 'up', poll);
    for (const m of windowsFrom(20, 9, 36)) {
      probeTransition(b, T0 + m * MINUTE, 'down', { exit: 1, ...poll });
      probeTransition(b, T0 + (m + 3) * MINUTE, 'up', poll);
    }
    return correlate(b.build(), {});
  }

  it('makes none of its windows stand on the probe alone, the unchecked ones included', () => {
    const r = liar();
    // 5 windows fall in the scanner's three hours (contradicted), 4 after it (nobody could check).
    expect(confirmedStarts(r)).toEqual([]);
    const artifact = r.findings.find((f) => f.kind === 'probe-artifact');
    expect(artifact?.windows).toBe(9);
    expect(artifact?.trusted_windows).toBe(0);
    expect(artifact?.reasons?.some((s) => /kept its pace through 5 of the 5 down windows it could judge/.test(s))).toBe(true);
    expect(r.outages.filter((o) => o.status === "artifact")).toHaveLength(9);
  });

  it('leaves a truthful probe alone when the witness misjudges two of its many windows', () => {
    // Twelve real outages the scanner falls silent through, and two the probe saw but the scanner did
    // not (a partial outage): two contradictions in 14 judged windows is chance 0.15 at the
    // false-refutation rate, no sign the probe lies. Three more real outages after the scanner stops.
    const b = new EventBuilder();
    const real = windowsFrom(10, 12, 14).map((m) => ({ startUs: T0 + m * MINUTE, endUs: T0 + (m + 4) * MINUTE }));
    bruteForce(b, { ip: '60.163.139.198', fromUs: T0, toUs: T0 + 200 * MINUTE, everyS: 8, users: ['admin'], skip: (t) => real.some((o) => t >= o.startUs && t <= o.endUs) });
    const partial = [T0 + 181 * MINUTE, T0 + 190 * MINUTE];
    const later = [215, 240, 262].map((m) => ({ startUs: T0 + m * MINUTE, endUs: T0 + (m + 4) * MINUTE }));
    const windows = [...real, ...partial.map((s) => ({ startUs: s, endUs: s + 3 * MINUTE })), ...later].sort((a, b2) => a.startUs - b2.startUs);
    probeTransition(b, T0, 'up', poll);
    for (const o of windows) {
      probeTransition(b, o.startUs + 5 * SECOND, 'down', { exit: 255, err: 'i/o timeout', ...poll });
      probeTransition(b, o.endUs + 5 * SECOND, 'up', poll);
    }
    const r = correlate(b.build(), {});
    expect(binomialUpperTail(14, 2, FALSE_REFUTATION_RATE)).toBeGreaterThan(0.05);
    expect(r.findings.filter((f) => f.kind === 'probe-artifact')).toEqual([]);
    expect(r.outages.filter((o) => o.status === 'refuted')).toHaveLength(2);
    // The three windows after the scanner stopped stand on the probe: it has earned it.
    expect(confirmedStarts(r)).toHaveLength(15);
  });
});

describe('a window of one failed poll', () => {
  it('is judged whole, first failed to first good poll: a fast witness through it contradicts it', () => {
    // A probe polling every 60 s whose fake windows are shorter than its poll: one failed poll each.
    // A scanner every 8 s is heard all through them. Judged only between its first and last failed
    // poll (one instant), no witness could contradict such a window, and each stood on the probe.
    const b = new EventBuilder();
    bruteForce(b, { ip: '60.163.139.198', fromUs: T0, toUs: T0 + 240 * MINUTE, everyS: 8, users: ['admin'], skip: () => false });
    probeTransition(b, T0, 'up', { interval_s: 60 });
    for (const m of windowsFrom(30, 7, 25)) {
      probeTransition(b, T0 + m * MINUTE, 'down', { exit: 255, err: 'i/o timeout', interval_s: 60 });
      probeTransition(b, T0 + (m + 1) * MINUTE, 'up', { interval_s: 60 });
    }
    const r = correlate(b.build(), {});
    expect(confirmedStarts(r)).toEqual([]);
    expect(r.outages.filter((o) => o.status === 'artifact')).toHaveLength(7);
  });
});

describe('distrustedSignatures', () => {
  const w = (startMin: number, exit: string, err: string | null = null): ProbeWindow => ({
    target: 'kai-server',
    startUs: T0 + startMin * MINUTE,
    endUs: T0 + (startMin + 2) * MINUTE,
    openIndex: 0,
    closeIndex: 0,
    exit,
    err,
    snapshots: [],
    intervalUs: 10 * SECOND,
  });
  const noSymptoms: Series = { ts: new Float64Array(0), weight: new Float64Array(0), prefix: new Float64Array(1), eventIndex: new Int32Array(0), total: 0 };
  const silence = (startMin: number) => ({ startUs: T0 + startMin * MINUTE - SECOND, endUs: T0 + (startMin + 2) * MINUTE + SECOND });

  it('judges each way of failing apart, corrected for how many were tested', () => {
    // exit 255 "i/o timeout": 4 windows, silences back all 4. exit 1: 3 windows, 3 contradicted.
    const windows = [w(0, '255', 'i/o timeout'), w(10, '1'), w(20, '255', 'i/o timeout'), w(30, '1'), w(40, '255', 'i/o timeout'), w(50, '1'), w(60, '255', 'i/o timeout')];
    const d = distrustedSignatures(windows, new Set([1, 3, 5]), { silences: [silence(0), silence(20), silence(40), silence(60)], symptoms: noSymptoms });
    expect(d).toHaveLength(1);
    expect(d[0]!.exit).toBe('1');
    expect(d[0]!.windows).toEqual([1, 3, 5]);
    expect(d[0]!.chance).toBeCloseTo(2 * FALSE_REFUTATION_RATE ** 3, 12);
  });

  it('needs two contradictions, and at most a quarter backed', () => {
    expect(distrustedSignatures([w(0, '1'), w(10, '1')], new Set([0]), { silences: [], symptoms: noSymptoms })).toEqual([]);
    // 3 contradicted of 3 judged, but 2 of its 6 windows (a third) backed by silences.
    const six = [0, 10, 20, 30, 40, 50].map((m) => w(m, '1'));
    expect(distrustedSignatures(six, new Set([0, 1, 2]), { silences: [silence(30), silence(40)], symptoms: noSymptoms })).toEqual([]);
    expect(distrustedSignatures(six, new Set([0, 1, 2]), { silences: [silence(30)], symptoms: noSymptoms })).toHaveLength(1);
  });
});
