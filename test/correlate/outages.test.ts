import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/engine.js';
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

  it('ignores gaps within the threshold, a stream that stops for good, and pauses over an hour', () => {
    const short: [number, number] = [T0 + 10 * MINUTE, T0 + 11 * MINUTE + 30 * SECOND];
    const long: [number, number] = [T0 + 20 * MINUTE, T0 + 85 * MINUTE];
    const end: [number, number] = [T0 + 100 * MINUTE, T0 + 200 * MINUTE];
    expect(correlate(scanner([short, long, end]).build(), {}).outages).toEqual([]);
  });

  it('does not judge an irregular stream', () => {
    const b = new EventBuilder();
    // Bursts of 10 lines a second apart, every 7 minutes: gaps are not regular.
    for (let burst = 0; burst < 15; burst++) {
      for (let k = 0; k < 10; k++) b.add({ tsUs: T0 + burst * 7 * MINUTE + k * SECOND, kind: 'syslog.cron', message: 'tick' });
    }
    expect(correlate(b.build(), {}).outages).toEqual([]);
  });
});

describe('reported windows', () => {
  it('leaves a reported window nobody else saw unconfirmed', () => {
    const b = scanner([]);
    const r = { startUs: T0 + 40 * MINUTE, endUs: T0 + 45 * MINUTE, text: '21:40..21:45' };
    const { outages } = correlate(b.build(), { reported: [r] });
    expect(outages).toEqual([
      { host: 'kai-server', start: '2026-05-26T21:40:00.000Z', end: '2026-05-26T21:45:00.000Z', status: 'unconfirmed', sources: ['reported'] },
    ]);
  });

  it('confirms a reported window that a stream silence backs, as one window', () => {
    const b = scanner([[T0 + 30 * MINUTE, T0 + 36 * MINUTE]]);
    const r = { startUs: T0 + 31 * MINUTE, endUs: T0 + 37 * MINUTE, text: '21:31..21:37' };
    const { outages } = correlate(b.build(), { reported: [r] });
    expect(outages).toHaveLength(1);
    expect(outages[0]!.status).toBe('confirmed');
    expect(outages[0]!.sources).toEqual(['stream-silence', 'reported']);
  });

  it('confirms a reported window with a symptom inside, and a symptom alone makes no window', () => {
    const b = scanner([]);
    b.add({ tsUs: T0 + 42 * MINUTE, kind: 'k3s.lease_failure', message: 'failed to renew lease kube-system/k3s: context deadline exceeded' });
    b.add({ tsUs: T0 + 90 * MINUTE, kind: 'k3s.lease_failure', message: 'failed to renew lease kube-system/k3s: context deadline exceeded' });
    const r = { startUs: T0 + 40 * MINUTE, endUs: T0 + 45 * MINUTE, text: '' };
    const { outages } = correlate(b.build(), { reported: [r] });
    expect(outages).toHaveLength(1);
    expect(outages[0]!.status).toBe('confirmed');
    expect(outages[0]!.sources).toEqual(['reported', 'symptom']);
  });

  it('keeps outages of different hosts apart', () => {
    const b = scanner([[T0 + 30 * MINUTE, T0 + 36 * MINUTE]]);
    for (let k = 0; k < 200; k++) {
      const t = T0 + k * 30 * SECOND;
      if (t > T0 + 60 * MINUTE && t < T0 + 70 * MINUTE) continue;
      b.add({ tsUs: t, kind: 'k3s.request', host: 'kai-desktop', message: `GET /readyz 200 ${k}` });
    }
    const { outages } = correlate(b.build(), {});
    expect(outages.map((o) => [o.host, o.status])).toEqual([
      ['kai-desktop', 'confirmed'],
      ['kai-server', 'confirmed'],
    ]);
  });
});
