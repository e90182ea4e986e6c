/**
 * The probe rules of the held-out round (seeds 1000..1199 of the simulator): a failure mode whose
 * windows come far more often, a usage signature told with less, a recurring run other sources back,
 * the onset's recurrence bound, and offsets no witness line forbids.
 */
import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/engine.js';
import { binomialUpperTail, clockWindowCount, type ProbeWindow, rateJumpChance } from '../../src/correlate/probe.js';
import { feasiblePieces, recurrenceBound } from '../../src/correlate/probe-clock.js';
import { mulberry32 } from '../../src/correlate/prng.js';
import { fitTail } from '../../src/correlate/silence.js';
import type { Stream } from '../../src/correlate/streams.js';
import { EventBuilder, MINUTE, SECOND, at, bruteForce, probeTransition } from './builder.js';

const T0 = at('2026-03-08T09:00:00Z');

const window = (startMin: number, lengthMin: number, exit: string): ProbeWindow => ({
  target: 'kai-server',
  startUs: T0 + startMin * MINUTE,
  endUs: T0 + (startMin + lengthMin) * MINUTE,
  openIndex: 0,
  closeIndex: 0,
  exit,
  err: null,
  snapshots: [],
  intervalUs: 10 * SECOND,
});

describe('a failure mode whose windows come far more often', () => {
  it('has the binomial upper tail exactly', () => {
    expect(binomialUpperTail(13, 10, 1 / 3)).toBeCloseTo(0.001647721321212827, 14);
    expect(binomialUpperTail(5, 0, 0.3)).toBe(1);
    expect(binomialUpperTail(5, 6, 0.3)).toBe(0);
    expect(binomialUpperTail(4, 4, 0.5)).toBeCloseTo(1 / 16, 14);
  });

  it('is judged by up-time, leaving out the window the change is read from', () => {
    // 2 windows in the first 200 minutes, then 5 from minute 200 in the last 100: of the 6 other
    // than the change's, 4 open in the last 100 minutes less their own 8 minutes of down time.
    const windows = [window(30, 2, '255'), window(120, 2, '255'), window(200, 2, '1'), window(220, 2, '1'), window(240, 2, '1'), window(260, 2, '1'), window(280, 2, '1')];
    const before = 200 - 4;
    const after = 300 - 202 - 8;
    expect(rateJumpChance(windows, 2, T0, T0 + 300 * MINUTE)).toBeCloseTo(binomialUpperTail(6, 4, after / (before + after)), 12);
  });

  function csvLiar(fakeEveryMin: number): ReturnType<typeof correlate> {
    // A probe polling every 10 s with nothing else on the host: three outages (exit 255) in four
    // hours, then, after an upgrade, windows of exit 1 with no error text every `fakeEveryMin`.
    const b = new EventBuilder();
    const poll = { interval_s: 10 };
    for (const m of [5, 110, 225]) {
      probeTransition(b, T0 + m * MINUTE, 'down', { exit: 255, ...poll });
      probeTransition(b, T0 + (m + 2) * MINUTE, 'up', poll);
    }
    // Irregular, as the simulator's failure-mode liars are (no metronome to give a reason of its own).
    const spread = [0, 3, -2, 4, -3, 1, -4, 2, -1, 3, -2, 0];
    for (let m = 236, k = 0; m + 2 < 360; m += fakeEveryMin + spread[k++ % spread.length]!) {
      probeTransition(b, T0 + m * MINUTE, 'down', { exit: 1, ...poll });
      probeTransition(b, T0 + (m + 2) * MINUTE, 'up', poll);
    }
    probeTransition(b, T0, 'up', poll);
    probeTransition(b, T0 + 360 * MINUTE, 'up', poll);
    return correlate(b.build(), {});
  }

  it('is a second reason: the new windows are the tool failing on its own', () => {
    const result = csvLiar(11);
    const artifact = result.findings.find((f) => f.kind === 'probe-artifact');
    expect(artifact?.trusted_windows).toBe(3);
    // 10 of the 13 windows other than the change's open in the 102 minutes of up-time after it, of 332
    // in all (230 before it): binomial(13, 102/332) ≥ 10.
    expect((artifact!.reasons as string[])[1]).toMatch(/^Its down windows come far more often from then on: 3 before, 11 from it \(chance 0\.000805 /);
    expect(result.outages.map((o) => o.status)).toEqual([...Array(3).fill('confirmed'), ...Array(11).fill('artifact')]);
  });

  it('is no reason when the new mode comes as often as the old one did', () => {
    // Exit 1 from minute 236 on, but one window every hour as before: a different failure.
    const result = csvLiar(60);
    expect(result.findings.filter((f) => f.kind === 'probe-artifact')).toEqual([]);
    expect(result.outages.every((o) => o.status === 'confirmed')).toBe(true);
  });
});

describe('a usage signature', () => {
  it('covers the windows just before the first usage message that fail with its exit code and say nothing else', () => {
    // A log of transitions opens on the capture's first state, `dead exit=1`, with no error text;
    // every later window says `usage:`. A real outage of exit 255 before them stays trusted.
    const b = new EventBuilder();
    probeTransition(b, T0, 'down', { exit: 255, err: 'tcp dial kai-server:22: i/o timeout' });
    probeTransition(b, T0 + 3 * MINUTE, 'up');
    probeTransition(b, T0 + 20 * MINUTE, 'down', { exit: 1 });
    probeTransition(b, T0 + 22 * MINUTE, 'up');
    for (const m of [31, 43, 52, 66]) {
      probeTransition(b, T0 + m * MINUTE, 'down', { exit: 1, err: 'usage: coily ssh HOST -- SUBCOMMAND' });
      probeTransition(b, T0 + (m + 2) * MINUTE, 'up');
    }
    const result = correlate(b.build(), {});
    expect(result.outages.map((o) => o.status)).toEqual(['confirmed', ...Array(5).fill('artifact')]);
    const artifact = result.findings.find((f) => f.kind === 'probe-artifact');
    expect(artifact?.trusted_windows).toBe(1);
    expect((artifact!.reasons as string[]).join(' ')).toContain('4 of its down windows fail with a usage message ("usage: coily ssh HOST -- SUBCOMMAND") (and 1 just before them with the same exit 1 and no error text)');
  });
});

describe('a recurring run of real outages seen through a wrong clock', () => {
  // Six outages about 1350 s apart (four periods within 6 %), a scanner every 4 s silent through
  // each, and a probe 240 s ahead polling every 5 s.
  const starts = [0, 1205, 2610, 4015, 5395, 7320].map((s) => T0 + 20 * MINUTE + s * SECOND);
  const lengths = [110, 730, 400, 75, 780, 300];
  const outages = starts.map((s, k) => ({ startUs: s, endUs: s + lengths[k]! * SECOND }));
  const offsetS = 240;
  const b = new EventBuilder();
  bruteForce(b, { ip: '77.220.104.62', fromUs: T0, toUs: T0 + 180 * MINUTE, everyS: 4, users: ['admin'], skip: (t) => outages.some((o) => t >= o.startUs - 2 * SECOND && t <= o.endUs) });
  for (const o of outages) {
    probeTransition(b, o.startUs + 3 * SECOND + offsetS * SECOND, 'down', { exit: 255, interval_s: 5 });
    probeTransition(b, o.endUs + 2 * SECOND + offsetS * SECOND, 'up', { interval_s: 5 });
  }

  it('is not left out of the clock estimate when other sources back most of it', () => {
    const windows = outages.map((o): ProbeWindow => ({ ...window(0, 0, '255'), startUs: o.startUs + offsetS * SECOND, endUs: o.endUs + offsetS * SECOND }));
    const silences = outages.map((o) => ({ startUs: o.startUs, endUs: o.endUs }));
    const empty = { ts: new Float64Array(), weight: new Float64Array(), prefix: Float64Array.from([0]), eventIndex: new Int32Array(), total: 0 };
    expect(clockWindowCount(windows, { silences, symptoms: empty })).toBe(6);
    // Nothing backs it: a metronome, which says nothing of the clock.
    expect(clockWindowCount(windows, { silences: [], symptoms: empty })).toBe(0);
  });

  it('is realigned by its offset', () => {
    const result = correlate(b.build(), {});
    const clock = result.findings.find((f) => f.kind === 'probe-clock');
    expect(Math.abs((clock?.offset_s as number) - offsetS)).toBeLessThan(10);
    expect(result.findings.filter((f) => f.kind === 'probe-artifact')).toEqual([]);
    expect(result.outages.filter((o) => o.status === 'confirmed')).toHaveLength(6);
  });
});

describe('how far from a witness line an onset can lie', () => {
  it('is exceeded about one time in a hundred at instants unrelated to a Poisson stream', () => {
    // A Poisson scanner with a mean gap of 60 s. The tail threshold alone (about 1.7 mean gaps) is
    // exceeded by the time back to the last line at about one instant in five.
    const next = mulberry32(1116);
    const ts: number[] = [0];
    while (ts.length < 20_000) ts.push(ts[ts.length - 1]! - Math.log(1 - next()) * 60 * SECOND);
    const gaps = Float64Array.from(ts.slice(1, 161).map((t, k) => t - ts[k]!));
    const tail = fitTail(gaps)!;
    const bound = recurrenceBound(tail);
    let beyond = 0;
    let beyondThreshold = 0;
    const draws = 20_000;
    for (let k = 0; k < draws; k++) {
      const x = ts[100]! + next() * (ts[ts.length - 100]! - ts[100]!);
      let lo = 0;
      let hi = ts.length - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (ts[mid]! <= x) lo = mid;
        else hi = mid;
      }
      if (x - ts[lo]! > bound) beyond++;
      if (x - ts[lo]! > tail.thresholdUs) beyondThreshold++;
    }
    expect(beyond / draws).toBeGreaterThan(0.002);
    expect(beyond / draws).toBeLessThan(0.03);
    expect(beyondThreshold / draws).toBeGreaterThan(0.1);
  });

  it('stays within the longest gap of a regular stream, whose tail is its jitter', () => {
    const gaps = Float64Array.from({ length: 160 }, (_, k) => (20 + (k % 3)) * SECOND);
    const tail = fitTail(gaps)!;
    expect(recurrenceBound(tail)).toBeGreaterThanOrEqual(tail.thresholdUs);
    expect(recurrenceBound(tail)).toBeLessThanOrEqual(22 * SECOND);
  });
});

describe('the offsets no witness line forbids', () => {
  it('leave out every offset that puts a line inside a window\'s core', () => {
    // A window [100, 400] s polled every 10 s: its core is from 2 s after its start to a poll and
    // 2 s before its end. Shifted by δ, a line at 1000 s is inside it when 102 − δ ≤ 1000 ≤ 388 − δ:
    // δ in [−898, −612]. The line at 1500 s forbids [−1398, −1112], outside the range asked.
    const w: ProbeWindow = { ...window(0, 0, '255'), startUs: 100 * SECOND, endUs: 400 * SECOND };
    const witness = { series: { ts: Float64Array.from([1000 * SECOND, 1500 * SECOND]) } } as unknown as Stream;
    const pieces = feasiblePieces([w], [witness], 10 * SECOND, -1000 * SECOND, 0);
    expect(pieces.map((p) => [p.lo / SECOND, p.hi / SECOND])).toEqual([
      [-1000, -898],
      [-612, 0],
    ]);
  });
});

describe('a probe nothing contradicts', () => {
  it('is not shifted on chance gaps that line up more of its windows than its own time does', () => {
    // A Poisson scanner (mean gap 60 s, never more than 150 s) silent through one real outage of
    // 4 minutes and for 9½ minutes around a 4½-minute window of the probe (its onset 5 minutes after
    // the scanner's last line: no pair unshifted), and for 4 and 4½ minutes just where the probe's
    // two windows would be if its clock ran 20 minutes ahead. Candidate gaps each (P ≤ 0.05 on the
    // stream), none significant among the host's ~300: two windows meet them at +1200 s, one does
    // unshifted, and nothing contradicts the probe as it stands.
    const quiet = [
      [100, 104],
      [195, 204.5],
      [80, 84],
      [180, 184.5],
    ].map(([a, b]) => ({ startUs: T0 + a! * MINUTE, endUs: T0 + b! * MINUTE }));
    const next = mulberry32(1039);
    const b = new EventBuilder();
    for (let t = T0, k = 0; t < T0 + 300 * MINUTE; t += Math.round(Math.min(-Math.log(1 - next()) * 60, 150) * SECOND) + SECOND, k++) {
      if (quiet.some((q) => t >= q.startUs && t <= q.endUs)) continue;
      b.add({ tsUs: t, kind: 'sshd.failed_password', message: `Failed password for root from 91.230.244.165 port ${40000 + k} ssh2`, fields: { ip: '91.230.244.165', user: 'root' } });
    }
    const poll = { interval_s: 10 };
    probeTransition(b, T0 + 100 * MINUTE + 5 * SECOND, 'down', { exit: 255, ...poll });
    probeTransition(b, T0 + 104 * MINUTE + 5 * SECOND, 'up', poll);
    probeTransition(b, T0 + 200 * MINUTE, 'down', { exit: 255, ...poll });
    probeTransition(b, T0 + 204.5 * MINUTE, 'up', poll);
    const result = correlate(b.build(), {});
    expect(result.findings.filter((f) => f.kind === 'probe-clock')).toEqual([]);
    const probeWindows = result.outages.filter((o) => o.sources.includes('probe'));
    expect(probeWindows.map((o) => [o.status, Math.round((Date.parse(o.start) * 1000 - T0) / MINUTE)])).toEqual([
      ['confirmed', 100],
      ['confirmed', 200],
    ]);
  });
});
