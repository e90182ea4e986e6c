import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/engine.js';
import { backingDropChance, probeTarget } from '../../src/correlate/probe.js';
import { mulberry32 } from '../../src/correlate/prng.js';
import { EventBuilder, MINUTE, SECOND, at, bruteForce, probeTransition } from './builder.js';

const T0 = at('2026-05-26T21:00:00Z');

describe('judging a probe', () => {
  it('trusts a probe whose windows other sources back, even when they recur regularly', () => {
    // A real outage every 20 minutes (a cron job breaking the network): metronomic, but the scanner
    // falls silent every time, and the probe fails the same way throughout.
    const outages = Array.from({ length: 6 }, (_, k) => T0 + (15 + 20 * k) * MINUTE);
    const b = new EventBuilder();
    bruteForce(b, {
      ip: '60.163.139.198',
      fromUs: T0,
      toUs: T0 + 140 * MINUTE,
      everyS: 8,
      users: ['admin'],
      skip: (t) => outages.some((o) => t >= o && t <= o + 5 * MINUTE),
    });
    for (const o of outages) {
      probeTransition(b, o + 30 * SECOND, 'down', { exit: 255, err: 'i/o timeout' });
      probeTransition(b, o + 4 * MINUTE, 'up');
    }
    const result = correlate(b.build(), {});
    expect(result.findings.filter((f) => f.kind === 'probe-artifact')).toEqual([]);
    expect(result.outages.map((o) => o.status)).toEqual(Array(6).fill('confirmed'));
    expect(result.outages.every((o) => o.sources.join() === 'probe,stream-silence')).toBe(true);
  });

  it('confirms windows of a trusted probe that is the only witness', () => {
    const b = new EventBuilder();
    probeTransition(b, T0, 'down', { exit: 255 });
    probeTransition(b, T0 + 5 * MINUTE, 'up');
    expect(correlate(b.build(), {}).outages).toEqual([
      { host: 'kai-server', start: '2026-05-26T21:00:00.000Z', end: '2026-05-26T21:05:00.000Z', status: 'confirmed', sources: ['probe'],
        // A log of transitions alone: the last good poll may lie anywhere in the window's own length before it.
        onset_earliest: '2026-05-26T20:55:00.000Z', onset_latest: '2026-05-26T21:00:00.000Z' },
    ]);
  });

  it('infers the first window of a capture that starts mid-outage from down_for_s', () => {
    const b = new EventBuilder();
    probeTransition(b, T0 + 10 * MINUTE, 'up', { down_for_s: 300 });
    const [o] = correlate(b.build(), {}).outages;
    expect(o!.start).toBe('2026-05-26T21:05:00.000Z');
    expect(o!.end).toBe('2026-05-26T21:10:00.000Z');
  });

  it('takes snapshots of help text as proof, from the window that captured them', () => {
    const b = new EventBuilder();
    const starts = [0, 17, 45, 58].map((m) => T0 + m * MINUTE);
    starts.forEach((s, k) => {
      probeTransition(b, s, 'down', { exit: 255 });
      probeTransition(b, s + 2 * MINUTE, 'up', { snapshot: `/tmp/host-watch/recovery-${k}.txt` });
    });
    const result = correlate(b.build(), {
      probeSnapshots: [
        { path: 'recovery-0.txt', looksLikeHelpText: false },
        { path: 'recovery-2.txt', looksLikeHelpText: true },
        { path: 'recovery-3.txt', looksLikeHelpText: true, identicalTo: 'recovery-2.txt' },
      ],
    });
    expect(result.outages.map((o) => o.status)).toEqual(['confirmed', 'confirmed', 'artifact', 'artifact']);
    const [artifact] = result.findings.filter((f) => f.kind === 'probe-artifact');
    expect(artifact!.start).toBe('2026-05-26T21:45:00.000Z');
    expect((artifact!.reasons as string[]).join(' ')).toContain('help text');
    expect(artifact!.period_s).toBeUndefined();
  });

  it('does not call a probe a liar on one reason alone', () => {
    // The exit code changes, but nothing else says the host was up: a different failure, not a lie.
    const b = new EventBuilder();
    [0, 13, 40, 52, 75].forEach((m, k) => {
      probeTransition(b, T0 + m * MINUTE, 'down', { exit: k < 3 ? 255 : 1 });
      probeTransition(b, T0 + (m + 3) * MINUTE, 'up');
    });
    const result = correlate(b.build(), {});
    expect(result.findings.filter((f) => f.kind === 'probe-artifact')).toEqual([]);
    expect(result.outages.every((o) => o.status === 'confirmed')).toBe(true);
  });

  it('is a liar when its new failure mode is seen nowhere else while the old one was', () => {
    // Three windows of exit 255, each with a lease failure inside (the apiserver's client gave up: the
    // host was cut off); then four of exit 1 with nothing inside. Two independent reasons: the
    // tool fails differently, and no other source sees its new failures (chance 1/35).
    const b = new EventBuilder();
    [0, 13, 40, 52, 75, 90, 104].forEach((m, k) => {
      probeTransition(b, T0 + m * MINUTE, 'down', { exit: k < 3 ? 255 : 1, interval_s: 15 });
      probeTransition(b, T0 + (m + 3) * MINUTE, 'up', { interval_s: 15 });
      if (k < 3) b.add({ tsUs: T0 + (m + 1) * MINUTE, kind: 'k3s.lease_failure', message: 'failed to renew lease kube-system/k3s: timed out waiting for the condition' });
    });
    const result = correlate(b.build(), {});
    expect(result.outages.map((o) => o.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'artifact', 'artifact', 'artifact', 'artifact']);
    const artifact = result.findings.find((f) => f.kind === 'probe-artifact');
    expect(artifact?.trusted_windows).toBe(3);
    expect((artifact!.reasons as string[])[1]).toContain('back 3 of its 3 down windows before that and 0 of the 4 from it (chance 0.0286');
  });

  it('computes the chance of a drop in backing exactly (the hypergeometric lower tail)', () => {
    expect(backingDropChance(7, 3, 4, 0)).toBeCloseTo(1 / 35, 12);
    expect(backingDropChance(9, 3, 6, 0)).toBeCloseTo(1 / 84, 12);
    // As many backed after the change as chance would give is no drop.
    expect(backingDropChance(8, 4, 4, 2)).toBeGreaterThan(0.5);
    expect(backingDropChance(5, 0, 2, 0)).toBe(1);
  });

  it('names the probed host without user or port', () => {
    const row = { id: 1, tsUs: 0, host: 'laptop', source: 'probe', kind: 'probe.transition', severity: 'info' as const, message: '', file: 'w', line: 1, count: 1 };
    expect(probeTarget({ ...row, fields: { target: 'kai@kai-server:22' } })).toBe('kai-server');
    expect(probeTarget({ ...row, fields: {} })).toBe('laptop');
  });
});

describe('a probe alone', () => {
  it('is a liar when its windows recur like a loop, same period and same length, and nothing else sees them', () => {
    const b = new EventBuilder();
    for (let k = 0; k < 8; k++) {
      probeTransition(b, T0 + k * 5 * MINUTE, 'down', { exit: 255 });
      probeTransition(b, T0 + k * 5 * MINUTE + 2 * MINUTE, 'up');
    }
    const result = correlate(b.build(), {});
    const artifact = result.findings.find((f) => f.kind === 'probe-artifact');
    expect(artifact?.reasons).toHaveLength(2);
    expect(result.outages.every((o) => o.status === 'artifact')).toBe(true);
  });

  it('is trusted when its regular windows vary in length as outages do', () => {
    const b = new EventBuilder();
    const lengths = [60, 240, 90, 180, 30, 150, 210, 120];
    lengths.forEach((len, k) => {
      probeTransition(b, T0 + k * 5 * MINUTE, 'down', { exit: 255, interval_s: 10 });
      probeTransition(b, T0 + k * 5 * MINUTE + len * SECOND, 'up', { interval_s: 10 });
    });
    const result = correlate(b.build(), {});
    expect(result.findings.filter((f) => f.kind === 'probe-artifact')).toEqual([]);
    expect(result.outages.map((o) => o.status)).toEqual(Array(8).fill('confirmed'));
  });
});

describe('a probe whose clock is off', () => {
  for (const offsetS of [-420, 300]) {
    it(`is realigned by the one offset (${offsetS} s) that lines its windows up with the scanner's silences`, () => {
      const outages = [25, 70, 110].map((m) => ({ startUs: T0 + m * MINUTE, endUs: T0 + m * MINUTE + (3 + m / 25) * MINUTE }));
      const b = new EventBuilder();
      bruteForce(b, { ip: '60.163.139.198', fromUs: T0, toUs: T0 + 150 * MINUTE, everyS: 8, users: ['admin'], skip: (t) => outages.some((o) => t >= o.startUs && t <= o.endUs) });
      for (const o of outages) {
        probeTransition(b, o.startUs + 10 * SECOND + offsetS * SECOND, 'down', { exit: 255, interval_s: 10 });
        probeTransition(b, o.endUs + 5 * SECOND + offsetS * SECOND, 'up', { interval_s: 10 });
      }
      const result = correlate(b.build(), {});
      const clock = result.findings.find((f) => f.kind === 'probe-clock');
      expect(clock?.verdict).toBe('artifact');
      expect(Math.abs((clock!.offset_s as number) - offsetS)).toBeLessThan(15);
      expect(clock!.realigned).toBe(true);
      expect(result.outages.map((o) => [o.status, o.sources.join()])).toEqual(Array(3).fill(['confirmed', 'probe,stream-silence']));
      for (const [k, o] of result.outages.entries()) expect(Math.abs(Date.parse(o.start) * 1000 - outages[k]!.startUs)).toBeLessThan(15 * SECOND);
    });
  }

  it('is realigned on one window when a fast scanner pins both its edges and the unshifted window is contradicted', () => {
    // One outage the scanner shows; the probe (every 5 s, 243 s behind) sees it and two more the
    // scanner cannot (it stopped). One pair with edges known to seconds says by how much.
    const real = { startUs: T0 + 60 * MINUTE, endUs: T0 + 85 * MINUTE };
    const offsetS = -243;
    const b = new EventBuilder();
    bruteForce(b, { ip: '60.163.139.198', fromUs: T0, toUs: T0 + 110 * MINUTE, everyS: 3, users: ['admin'], skip: (t) => t >= real.startUs && t <= real.endUs });
    for (const o of [real, { startUs: T0 + 150 * MINUTE, endUs: T0 + 168 * MINUTE }, { startUs: T0 + 200 * MINUTE, endUs: T0 + 201 * MINUTE }]) {
      probeTransition(b, o.startUs + 3 * SECOND + offsetS * SECOND, 'down', { exit: 255, interval_s: 5 });
      probeTransition(b, o.endUs + 2 * SECOND + offsetS * SECOND, 'up', { interval_s: 5 });
    }
    const result = correlate(b.build(), {});
    const clock = result.findings.find((f) => f.kind === 'probe-clock');
    expect(Math.abs((clock!.offset_s as number) - offsetS)).toBeLessThan(10);
    expect(clock!.offset_uncertainty_s as number).toBeLessThan(10);
    expect(clock!.realigned).toBe(true);
    expect(result.outages.map((o) => o.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(Math.abs(Date.parse(result.outages[1]!.start) * 1000 - (T0 + 150 * MINUTE))).toBeLessThan(10 * SECOND);
  });

  it('is realigned when its log holds transitions only and every window lags its silence by the same ten minutes', () => {
    // No poll stated, no line per poll: only the beat its transitions lie on bounds the poll (here
    // the transitions lie on no beat longer than a few seconds), so edges lagging their silences by
    // 600-615 s are no poll's lag: the clock is off.
    const outages = [{ startUs: T0 + 40 * MINUTE, endUs: T0 + 68 * MINUTE }, { startUs: T0 + 100 * MINUTE, endUs: T0 + 113 * MINUTE }];
    const offsetS = 600;
    const b = new EventBuilder();
    bruteForce(b, { ip: '60.163.139.198', fromUs: T0, toUs: T0 + 240 * MINUTE, everyS: 2, users: ['admin'], skip: (t) => outages.some((o) => t >= o.startUs && t <= o.endUs) });
    probeTransition(b, T0 + 5 * MINUTE, 'up');
    for (const [k, o] of outages.entries()) {
      probeTransition(b, o.startUs + (4 + 9 * k) * SECOND + offsetS * SECOND, 'down', { exit: 255 });
      probeTransition(b, o.endUs + (12 - 5 * k) * SECOND + offsetS * SECOND, 'up');
    }
    const clock = correlate(b.build(), {}).findings.find((f) => f.kind === 'probe-clock');
    expect(Math.abs((clock!.offset_s as number) - offsetS)).toBeLessThan(30);
  });

  it('is not estimated on a metronome: its fake windows shifted between a sparse scanner\'s lines look better than unshifted', () => {
    // A truthful probe: two real outages the scanner (about one line a minute) falls silent through,
    // then a fake 90 s cycle every 330 s that the scanner runs through. At no offset the fake windows
    // are contradicted; shifted by some amount, each sits between two of the scanner's lines, where
    // it can be contradicted by nothing, and one real window meets a chance gap of the scanner.
    const real = [{ startUs: T0 + 40 * MINUTE, endUs: T0 + 52 * MINUTE }, { startUs: T0 + 95 * MINUTE, endUs: T0 + 103 * MINUTE }];
    const next = mulberry32(45);
    const b = new EventBuilder();
    for (let t = T0, k = 0; t < T0 + 300 * MINUTE; t += Math.round(Math.min(-Math.log(1 - next()) * 60, 300) * SECOND) + SECOND, k++) {
      if (real.some((o) => t >= o.startUs && t <= o.endUs)) continue;
      b.add({ tsUs: t, kind: 'sshd.failed_password', message: `Failed password for root from 60.163.139.198 port ${40000 + k} ssh2`, fields: { ip: '60.163.139.198', user: 'root' } });
    }
    const poll = { interval_s: 30 };
    for (const o of real) {
      probeTransition(b, o.startUs + 20 * SECOND, 'down', { exit: 255, ...poll });
      probeTransition(b, o.endUs + 10 * SECOND, 'up', poll);
    }
    for (let k = 0; k < 12; k++) {
      const s0 = T0 + 180 * MINUTE + k * 330 * SECOND;
      probeTransition(b, s0, 'down', { exit: 255, ...poll });
      probeTransition(b, s0 + 90 * SECOND, 'up', poll);
    }
    const result = correlate(b.build(), {});
    expect(result.findings.filter((f) => f.kind === 'probe-clock')).toEqual([]);
    expect(result.findings.find((f) => f.kind === 'probe-artifact')?.trusted_windows).toBe(2);
    const confirmed = result.outages.filter((o) => o.status === 'confirmed');
    expect(confirmed.map((o) => Math.round((Date.parse(o.start) * 1000 - T0) / MINUTE))).toEqual([40, 95]);
  });

  it('is not called off when its windows lag the silences by no more than its poll', () => {
    const outages = [25, 70, 110].map((m) => ({ startUs: T0 + m * MINUTE, endUs: T0 + m * MINUTE + 4 * MINUTE }));
    const b = new EventBuilder();
    bruteForce(b, { ip: '60.163.139.198', fromUs: T0, toUs: T0 + 150 * MINUTE, everyS: 8, users: ['admin'], skip: (t) => outages.some((o) => t >= o.startUs && t <= o.endUs) });
    for (const o of outages) {
      probeTransition(b, o.startUs + 50 * SECOND, 'down', { exit: 255, interval_s: 60 });
      probeTransition(b, o.endUs + 40 * SECOND, 'up', { interval_s: 60 });
    }
    expect(correlate(b.build(), {}).findings.filter((f) => f.kind === 'probe-clock')).toEqual([]);
  });
});

describe('a probe that prints its usage', () => {
  it('is an artifact from its first usage failure, with no earlier failure to compare with', () => {
    const b = new EventBuilder();
    const usage = 'usage: coily ssh HOST -- SUBCOMMAND';
    for (let k = 0; k < 3; k++) {
      probeTransition(b, T0 + k * 11 * MINUTE, 'down', { exit: 1, err: usage });
      probeTransition(b, T0 + k * 11 * MINUTE + (2 + k) * MINUTE, 'up');
    }
    const result = correlate(b.build(), {});
    expect(result.outages.map((o) => o.status)).toEqual(['artifact', 'artifact', 'artifact']);
    expect(result.findings.find((f) => f.kind === 'probe-artifact')?.reasons).toEqual([expect.stringContaining('usage message')]);
  });

  it('is an artifact from its first usage failure even when its fake cycle turns metronomic only later', () => {
    // Irregular usage failures (gaps of 7, 13, 9, 16 min), then a loop every 6 min: the lie starts at
    // the first usage failure, the earliest window a signature of it covers, not at the metronome.
    const b = new EventBuilder();
    const usage = 'usage: coily ssh HOST -- SUBCOMMAND';
    const starts = [0, 7, 20, 29, 45, 51, 57, 63, 69, 75].map((m) => T0 + m * MINUTE);
    for (const s of starts) {
      probeTransition(b, s, 'down', { exit: 1, err: usage, interval_s: 10 });
      probeTransition(b, s + 2 * MINUTE, 'up', { interval_s: 10 });
    }
    const result = correlate(b.build(), {});
    expect(result.outages.map((o) => o.status)).toEqual(Array(10).fill('artifact'));
    const artifact = result.findings.find((f) => f.kind === 'probe-artifact');
    expect(artifact?.start).toBe(new Date(T0 / 1000).toISOString());
    expect(artifact?.trusted_windows).toBe(0);
  });
});

describe('a probe window a network witness runs through', () => {
  it('is refuted, not confirmed, though the probe is not judged to lie', () => {
    // A scanner every 8 s keeps its pace through the probe's second window: the host answered then,
    // whatever the probe saw. One contradiction is one reason, not a lie, so the probe stays trusted
    // for its first window, which the scanner's silence backs.
    const real = { startUs: T0 + 20 * MINUTE, endUs: T0 + 26 * MINUTE };
    const b = new EventBuilder();
    bruteForce(b, { ip: '60.163.139.198', fromUs: T0, toUs: T0 + 120 * MINUTE, everyS: 8, users: ['admin'], skip: (t) => t >= real.startUs && t <= real.endUs });
    probeTransition(b, real.startUs + 5 * SECOND, 'down', { exit: 255, interval_s: 10 });
    probeTransition(b, real.endUs + 5 * SECOND, 'up', { interval_s: 10 });
    probeTransition(b, T0 + 70 * MINUTE, 'down', { exit: 255, interval_s: 10 });
    probeTransition(b, T0 + 75 * MINUTE, 'up', { interval_s: 10 });
    const result = correlate(b.build(), {});
    expect(result.findings.filter((f) => f.kind === 'probe-artifact')).toEqual([]);
    expect(result.outages.map((o) => [o.status, o.sources.join()])).toEqual([
      ['confirmed', 'probe,stream-silence'],
      ['refuted', 'probe'],
    ]);
  });
});

describe('the edges of a window two streams saw', () => {
  it('come from the stream that places each more precisely', () => {
    // A scanner every 3 min (jittered) was last heard minutes before the onset; the probe polling
    // every 10 s places it to 10 s. The union of the two would start at the scanner's last line.
    const onset = T0 + 100 * MINUTE;
    const end = onset + 20 * MINUTE;
    const b = new EventBuilder();
    let t = T0;
    for (let k = 0; t < T0 + 240 * MINUTE; k++, t += (150 + ((k * 37) % 60)) * SECOND) {
      if (t >= onset - 150 * SECOND && t <= end) continue;
      b.add({ tsUs: t, kind: 'sshd.failed_password', message: `Failed password for root from 60.163.139.198 port ${40000 + k} ssh2`, fields: { ip: '60.163.139.198', user: 'root' } });
    }
    probeTransition(b, onset + 6 * SECOND, 'down', { exit: 255, interval_s: 10 });
    probeTransition(b, end + 4 * SECOND, 'up', { interval_s: 10 });
    const [o] = correlate(b.build(), {}).outages;
    expect(o!.sources).toEqual(['probe', 'stream-silence']);
    expect(Date.parse(o!.start) * 1000 - onset).toBe(6 * SECOND);
  });
});
