import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/engine.js';
import { mulberry32 } from '../../src/correlate/prng.js';
import { EventBuilder, MINUTE, SECOND, at, bruteForce } from './builder.js';

const T0 = at('2026-05-26T21:00:00Z');
const ms = (iso: string): number => Date.parse(iso) * 1000;

/** A 2-hour 8-second scanner that falls silent in the given gaps. */
function scanner(gaps: [number, number][]): EventBuilder {
  const b = new EventBuilder();
  bruteForce(b, {
    ip: '60.163.139.198',
    fromUs: T0,
    toUs: T0 + 120 * MINUTE,
    everyS: 8,
    users: ['admin'],
    skip: (t) => gaps.some(([a, z]) => t >= a && t <= z),
  });
  return b;
}

describe('stream silences', () => {
  it('finds a silence of a steady stream that resumes, to within one gap', () => {
    const gap: [number, number] = [T0 + 30 * MINUTE, T0 + 36 * MINUTE];
    const { outages } = correlate(scanner([gap]).build(), {});
    expect(outages).toHaveLength(1);
    expect(outages[0]!.status).toBe('confirmed');
    expect(outages[0]!.sources).toEqual(['stream-silence']);
    expect(gap[0] - ms(outages[0]!.start)).toBeGreaterThanOrEqual(0);
    expect(gap[0] - ms(outages[0]!.start)).toBeLessThan(12 * SECOND);
    expect(ms(outages[0]!.end) - gap[1]).toBeLessThan(12 * SECOND);
  });

  it('finds a 90 s silence of an 8 s scanner; ignores its ordinary gaps and a scanner that stops for good', () => {
    const short: [number, number] = [T0 + 20 * MINUTE, T0 + 21 * MINUTE + 30 * SECOND];
    const end: [number, number] = [T0 + 100 * MINUTE, T0 + 200 * MINUTE];
    const { outages } = correlate(scanner([short, end]).build(), {});
    expect(outages).toHaveLength(1);
    expect(Math.abs(ms(outages[0]!.start) - short[0])).toBeLessThan(12 * SECOND);
    // The onset lies between the last attempt before and when the next one was due.
    const spread = ms(outages[0]!.onset_latest!) - ms(outages[0]!.onset_earliest!);
    expect(outages[0]!.onset_earliest).toBe(outages[0]!.start);
    expect(spread).toBeGreaterThan(0);
    expect(spread).toBeLessThan(15 * SECOND);
    expect(correlate(scanner([]).build(), {}).outages).toEqual([]);
  });

  it('finds no outage in the ordinary gaps of a sparse Poisson stream', () => {
    // A scanner every 3 min on average for 24 h: gaps of 10+ min happen by chance, and are no outage.
    const next = mulberry32(7);
    const b = new EventBuilder();
    let longest = 0;
    for (let t = T0, k = 0; t < T0 + 24 * 60 * MINUTE; k++) {
      b.add({ tsUs: t, kind: 'sshd.failed_password', message: `Failed password for root from 45.1.2.3 port ${k} ssh2`, fields: { ip: '45.1.2.3' } });
      const gap = Math.round(-Math.log(1 - next()) * 180) * SECOND + SECOND;
      longest = Math.max(longest, gap);
      t += gap;
    }
    expect(longest).toBeGreaterThan(10 * MINUTE);
    expect(correlate(b.build(), {}).outages).toEqual([]);
  });

  it('finds no outage in the pauses of a bursty scanner, and finds one where it stops for far longer', () => {
    // Ten attempts a second apart, then 4 to 9 minutes of nothing: most gaps are 1 s, most time is pauses.
    const next = mulberry32(3);
    const burstyScanner = (silent: [number, number] | null): EventBuilder => {
      const b = new EventBuilder();
      for (let t = T0; t < T0 + 12 * 60 * MINUTE; t += Math.round((4 + 5 * next()) * MINUTE)) {
        if (silent && t >= silent[0] && t <= silent[1]) continue;
        for (let k = 0; k < 10; k++) b.add({ tsUs: t + k * SECOND, kind: 'sshd.failed_password', message: `Failed password for root from 45.1.2.3 port ${k} ssh2`, fields: { ip: '45.1.2.3' } });
      }
      return b;
    };
    expect(correlate(burstyScanner(null).build(), {}).outages).toEqual([]);
    const silent: [number, number] = [T0 + 300 * MINUTE, T0 + 420 * MINUTE];
    expect(correlate(burstyScanner(silent).build(), {}).outages).toHaveLength(1);
  });

  it('does not judge a gap across a coverage edge, and does judge it inside one span', () => {
    const gap: [number, number] = [T0 + 30 * MINUTE, T0 + 50 * MINUTE];
    const events = scanner([gap]).build();
    const hole = [
      { host: 'kai-server', source: 'sshd', startUs: T0, endUs: gap[0] },
      { host: 'kai-server', source: 'sshd', startUs: gap[1], endUs: T0 + 120 * MINUTE },
    ];
    expect(correlate(events, { coverage: hole }).outages).toEqual([]);
    const whole = [{ host: 'kai-server', source: 'sshd', startUs: T0, endUs: T0 + 120 * MINUTE }];
    expect(correlate(events, { coverage: whole }).outages).toHaveLength(1);
  });

  it('makes no outage of one scanner stopping for good and another starting later', () => {
    const b = new EventBuilder();
    bruteForce(b, { ip: '60.163.139.198', fromUs: T0, toUs: T0 + 60 * MINUTE, everyS: 8, users: ['admin'], skip: () => false });
    bruteForce(b, { ip: '45.148.10.80', fromUs: T0 + 75 * MINUTE, toUs: T0 + 140 * MINUTE, everyS: 8, users: ['admin'], skip: () => false });
    expect(correlate(b.build(), {}).outages).toEqual([]);
  });

  it('finds a silence two sparse scanners share, which neither shows alone', () => {
    const next = mulberry32(11);
    const gap: [number, number] = [T0 + 180 * MINUTE, T0 + 188 * MINUTE];
    const poissonScanner = (b: EventBuilder, ip: string, silent: boolean): void => {
      for (let t = T0, k = 0; t < T0 + 360 * MINUTE; k++) {
        if (!(silent && t >= gap[0] && t <= gap[1])) {
          b.add({ tsUs: t, kind: 'sshd.failed_password', message: `Failed password for root from ${ip} port ${k} ssh2`, fields: { ip } });
        }
        t += Math.round(-Math.log(1 - next()) * 60 * SECOND) + SECOND;
      }
    };
    const alone = new EventBuilder();
    poissonScanner(alone, '45.1.2.3', true);
    poissonScanner(alone, '45.9.8.7', false);
    // The second scanner kept its pace through the gap: it refutes the first one's silence.
    expect(correlate(alone.build(), {}).outages).toEqual([]);
    const one = new EventBuilder();
    poissonScanner(one, '45.1.2.3', true);
    expect(correlate(one.build(), {}).outages).toEqual([]);
    const both = new EventBuilder();
    poissonScanner(both, '45.1.2.3', true);
    poissonScanner(both, '45.9.8.7', true);
    const { outages } = correlate(both.build(), {});
    expect(outages).toHaveLength(1);
    expect(ms(outages[0]!.start)).toBeLessThanOrEqual(gap[0]);
    expect(ms(outages[0]!.end)).toBeGreaterThanOrEqual(gap[1]);
  });
});

describe('reported windows', () => {
  it('refutes a reported window through which a scanner kept its pace, and leaves one nobody could check unconfirmed', () => {
    const b = scanner([]);
    const inside = { startUs: T0 + 40 * MINUTE, endUs: T0 + 45 * MINUTE, text: '21:40..21:45' };
    const after = { startUs: T0 + 180 * MINUTE, endUs: T0 + 185 * MINUTE, text: '00:00..00:05' };
    const { outages } = correlate(b.build(), { reported: [inside, after] });
    expect(outages).toEqual([
      { host: 'kai-server', start: '2026-05-26T21:40:00.000Z', end: '2026-05-26T21:45:00.000Z', status: 'refuted', sources: ['reported'] },
      { host: 'kai-server', start: '2026-05-27T00:00:00.000Z', end: '2026-05-27T00:05:00.000Z', status: 'unconfirmed', sources: ['reported'] },
    ]);
  });

  it('confirms a reported window that a stream silence backs, as one window measured by the data', () => {
    const b = scanner([[T0 + 30 * MINUTE, T0 + 36 * MINUTE]]);
    const r = { startUs: T0 + 31 * MINUTE, endUs: T0 + 37 * MINUTE, text: '21:31..21:37' };
    const { outages } = correlate(b.build(), { reported: [r] });
    expect(outages).toHaveLength(1);
    expect(outages[0]!.status).toBe('confirmed');
    expect(outages[0]!.sources).toEqual(['stream-silence', 'reported']);
    expect(ms(outages[0]!.start)).toBeLessThan(T0 + 30 * MINUTE);
    expect(ms(outages[0]!.end)).toBeLessThan(T0 + 36 * MINUTE + 12 * SECOND);
  });

  it('never confirms a reported window on a coincidental symptom, and a symptom alone makes no window', () => {
    const b = new EventBuilder();
    b.add({ tsUs: T0, kind: 'k3s.other', message: 'started' });
    b.add({ tsUs: T0 + 42 * MINUTE, kind: 'k3s.lease_failure', message: 'failed to renew lease kube-system/k3s: context deadline exceeded' });
    b.add({ tsUs: T0 + 90 * MINUTE, kind: 'k3s.lease_failure', message: 'failed to renew lease kube-system/k3s: context deadline exceeded' });
    const r = { startUs: T0 + 40 * MINUTE, endUs: T0 + 45 * MINUTE, text: '' };
    const { outages } = correlate(b.build(), { reported: [r] });
    expect(outages).toHaveLength(1);
    expect(outages[0]!.status).toBe('unconfirmed');
    expect(outages[0]!.sources).toEqual(['reported', 'symptom']);
  });

  it('keeps outages of different hosts apart', () => {
    const b = scanner([[T0 + 30 * MINUTE, T0 + 36 * MINUTE]]);
    bruteForce(b, {
      ip: '45.148.10.80',
      fromUs: T0,
      toUs: T0 + 120 * MINUTE,
      everyS: 8,
      users: ['admin'],
      skip: (t) => t > T0 + 60 * MINUTE && t < T0 + 70 * MINUTE,
    });
    const desktop = b.build().map((e) => (e.fields.ip === '45.148.10.80' ? { ...e, host: 'kai-desktop' } : e));
    const { outages } = correlate(desktop, {});
    expect(outages.map((o) => [o.host, o.status])).toEqual([
      ['kai-desktop', 'confirmed'],
      ['kai-server', 'confirmed'],
    ]);
  });
});
