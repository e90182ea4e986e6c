import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/engine.js';
import { MAX_BEAT_CHANCE, type ProbeWindow, beatRun, metronomicRun } from '../../src/correlate/probe.js';
import { mulberry32 } from '../../src/correlate/prng.js';
import { EventBuilder, MINUTE, SECOND, at, probeTransition } from './builder.js';

const T0 = at('2026-05-26T21:00:00Z');

/** What a probe polling every `pollS` writes of true down periods: down at the first poll inside one, up at the first poll after it. */
function polled(b: EventBuilder, periods: ReadonlyArray<{ start: number; end: number }>, pollS: number, extra: (k: number) => Record<string, string | number> = () => ({})): number {
  const poll = pollS * SECOND;
  let seen = 0;
  periods.forEach((p, k) => {
    const first = Math.ceil((p.start - T0) / poll) * poll + T0;
    if (first >= p.end) return; // between two polls: unseen
    const up = Math.ceil((p.end - T0) / poll) * poll + T0;
    probeTransition(b, first, 'down', { exit: 255, interval_s: pollS, ...extra(k) });
    probeTransition(b, up, 'up', { interval_s: pollS });
    seen++;
  });
  return seen;
}

const windowAt = (startUs: number, lengthUs = 60 * SECOND): ProbeWindow => ({ target: 'kai-server', startUs, endUs: startUs + lengthUs, openIndex: 0, closeIndex: 1, exit: '255', err: null, snapshots: [], intervalUs: null });

describe('a metronome seen on some beats only', () => {
  it('is a liar when its short windows, polled more coarsely, fall on one beat with beats unseen', () => {
    // A 43 s fake window every 281 s, polled every 60 s (the simulator's seeds 188 and 1112): the
    // onsets come 240, 300 and 540 s apart, far from the 10 % spread the periods' CV allows.
    const b = new EventBuilder();
    const fake = Array.from({ length: 30 }, (_, k) => ({ start: T0 + 7 * SECOND + k * 281 * SECOND, end: T0 + 7 * SECOND + k * 281 * SECOND + 43 * SECOND }));
    const seen = polled(b, fake, 60);
    expect(seen).toBeGreaterThan(15);
    expect(seen).toBeLessThan(30); // some beats fell between polls
    const result = correlate(b.build(), {});
    const artifact = result.findings.find((f) => f.kind === 'probe-artifact');
    expect(artifact, 'no probe-artifact finding').toBeDefined();
    const reasons = (artifact!.reasons as string[]).join(' ');
    expect(reasons).toContain('fall on a beat of');
    expect(reasons).toContain('beats fall between its polls unseen');
    // The beat is the true period to within a second, though no two onsets are 281 s apart.
    expect(Number(/beat of (\d+(?:\.\d+)?) s/.exec(reasons)![1])).toBeCloseTo(281, -0.5);
    expect(result.outages.filter((o) => o.status === 'confirmed')).toEqual([]);
  });

  it('is not found in outages that come at random, whatever the poll: at most the chance the rule allows', () => {
    // 400 truthful probes, each 12–40 real outages with exponential gaps (mean 3–10 minutes), polled
    // every 10–120 s. A run on a beat among them is chance; the rule admits it with chance ≤ 0.01.
    const rnd = mulberry32(7);
    let found = 0;
    let spreadOnly = 0;
    const probes = 400;
    for (let p = 0; p < probes; p++) {
      const n = 12 + Math.floor(rnd() * 29);
      const meanS = 180 + rnd() * 420;
      const pollS = [10, 20, 30, 60, 120][Math.floor(rnd() * 5)]!;
      const windows: ProbeWindow[] = [];
      let t = T0;
      for (let k = 0; k < n; k++) {
        t += Math.round((-Math.log(1 - rnd()) * meanS + 60) * SECOND / (pollS * SECOND)) * pollS * SECOND;
        windows.push(windowAt(t));
      }
      if (beatRun(windows, pollS * SECOND) !== null) found++;
      if (metronomicRun(windows, 0) !== null) spreadOnly++;
    }
    expect(found / probes).toBeLessThanOrEqual(2 * MAX_BEAT_CHANCE);
    // The periods' CV rule alone, without a chance, finds runs in random outages as often or more:
    // the beat rule adds no false metronomes beyond it.
    expect(found).toBeLessThanOrEqual(Math.max(spreadOnly, 2));
  });

  it('needs more periods on a loose beat than on a tight one', () => {
    // Five windows exactly 240 s apart: on a 10 s poll the beat is tight and four periods are
    // beyond chance; on a 110 s poll every gap from 130 to 350 s would fit, and four are not.
    const five = Array.from({ length: 5 }, (_, k) => windowAt(T0 + k * 240 * SECOND));
    const sparse = [...five, ...[5000, 6100, 8900, 9500, 12800, 13300, 16000, 19700, 20300, 24100].map((s) => windowAt(T0 + s * SECOND))];
    expect(beatRun(sparse, 10 * SECOND)).toMatchObject({ from: 0, to: 4 });
    expect(beatRun(sparse, 110 * SECOND)).toBeNull();
  });

  it('leaves a real outage that falls on the beat out of the cycle, and dates the lie after it', () => {
    // Three real outages, each with a lease failure inside; the third falls on the beat of the
    // fake cycle that follows (21 windows every 294 s, polled every 30 s, lengths 30 or 60 s).
    const b = new EventBuilder();
    const real = [0, 47, 97].map((m) => ({ start: T0 + m * MINUTE + 3 * SECOND, end: T0 + (m + 2) * MINUTE + 3 * SECOND }));
    const cycleFrom = real[2]!.start + 330 * SECOND;
    const fake = Array.from({ length: 21 }, (_, k) => ({ start: cycleFrom + k * 294 * SECOND, end: cycleFrom + k * 294 * SECOND + 42 * SECOND }));
    for (const r of real) b.add({ tsUs: r.start + 50 * SECOND, kind: 'k3s.lease_failure', message: 'failed to renew lease kube-system/k3s: timed out waiting for the condition' });
    polled(b, [...real, ...fake], 30);
    const result = correlate(b.build(), {});
    const statuses = result.outages.map((o) => o.status);
    expect(statuses.slice(0, 3)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(statuses.slice(3)).toEqual(Array(statuses.length - 3).fill('artifact'));
    const artifact = result.findings.find((f) => f.kind === 'probe-artifact');
    expect(artifact?.trusted_windows).toBe(3);
    expect((artifact!.reasons as string[]).join(' ')).toContain('back 3 of its 3 down windows before them and 0 of these');
  });
});
