import { describe, expect, it } from 'vitest';
import { matchedPairs, pairsCandidate, placeBoot, pointCandidate, splitBoots } from '../../src/time/boot-placement.js';

const T = Date.UTC(2024, 4, 27, 8, 0, 0) * 1000; // the true boot, 2024-05-27T08:00:00Z
const S = 1_000_000;

describe('boot placement as intervals', () => {
  it('a second-precise source wins over minute-precise who -b, and both are used', () => {
    // who -b prints 08:00 for a boot at 08:00:33; btime says 08:00:33.
    const boot = T + 33 * S;
    const p = placeBoot([pointCandidate('who-b', T, 'who -b'), pointCandidate('btime', boot, 'btime')]);
    expect(p.anchorUs).toBe(boot);
    expect(p.precisionS).toBe(1);
    expect(p.used.map((c) => c.kind)).toEqual(['btime', 'who-b']);
    expect(p.warnings).toEqual([]);
  });

  it('an hour between who -b and the uptime pairs is a warning naming both, never resolved silently', () => {
    const pairs = pairsCandidate('both-clocks', [T + 2 * S, T + 5 * S], 1, 'kern.log pairs')!;
    const p = placeBoot([pointCandidate('who-b', T + 3600 * S, 'who -b of a.txt'), pairs]);
    expect(Math.abs(p.anchorUs! - (T + 2 * S))).toBeLessThanOrEqual(1);
    expect(p.rejected.map((r) => r.candidate.source)).toEqual(['who -b of a.txt']);
    expect(p.warnings[0]).toContain('who -b of a.txt');
    expect(p.warnings[0]).toContain('kern.log pairs');
  });

  it('logging delays only add: the minimum pair is the anchor, not the median', () => {
    const c = pairsCandidate('matched-lines', [T + 6 * S, T + 4 * S, T + 250_000, T + 8 * S], 1, 'x')!;
    expect(c.us).toBe(T + 250_000);
    // audit stamps come before the printk stamp: the maximum is closest.
    const a = pairsCandidate('audit', [T - 3 * S, T - 1000], 1000, 'audit')!;
    expect(a.us).toBe(T - 1000); // the latest pair
    expect(a.highUs - a.lowUs).toBe(1000);
  });

  it('intersection narrows: btime ±1 s and uptime -s ±1 s one second apart meet in one point', () => {
    const p = placeBoot([pointCandidate('btime', T, 'btime'), pointCandidate('uptime-s', T + S, 'uptime -s')]);
    expect(p.lowUs).toBe(T);
    expect(p.highUs).toBe(T + S);
    expect(p.precisionS).toBe(0.5);
  });

  it('--boot-time is never rejected', () => {
    const p = placeBoot([pairsCandidate('both-clocks', [T], 1, 'pairs')!, pointCandidate('user', T + 100 * S, '--boot-time')]);
    expect(p.anchorUs).toBe(T + 100 * S);
    expect(p.rejected[0]!.candidate.source).toBe('pairs');
  });

  it('no evidence: unplaced', () => {
    expect(placeBoot([]).anchorUs).toBeNull();
  });

  it('matches only messages unique on both sides', () => {
    const raw = [
      { uptimeUs: 1 * S, message: 'Linux version 6.8' },
      { uptimeUs: 5 * S, message: 'br0: port 1 entered blocking state' },
      { uptimeUs: 9 * S, message: 'br0: port 1 entered blocking state' },
      { uptimeUs: 12 * S, message: 'eth0: link up' },
    ];
    const wall = [
      { wallUs: T + 4 * S, message: 'Linux version 6.8' }, // read late by journald
      { wallUs: T + 6 * S, message: 'br0: port 1 entered blocking state' },
      { wallUs: T + 12 * S + 300_000, message: 'eth0: link up' },
    ];
    expect(matchedPairs(raw, wall).sort((a, b) => a - b)).toEqual([T + 300_000, T + 3 * S]);
  });

  it('splits a log whose uptime restarts into boots', () => {
    expect(splitBoots([1, 5 * S, 90 * S, 2 * S, 3 * S])).toEqual([
      { start: 0, end: 3, minUs: 1, maxUs: 90 * S },
      { start: 3, end: 5, minUs: 2 * S, maxUs: 3 * S },
    ]);
  });
});

import { placeSegment, type CaptureBoots } from '../../src/time/boot-placement.js';

describe('placing boot segments', () => {
  const capture = T + 3 * 3600 * S; // captured three hours after the boot
  const own: CaptureBoots = {
    path: 'a.txt', host: 'h', captureUs: capture,
    current: [pointCandidate('uptime-s', T, 'uptime -s of a.txt')],
    earlier: new Map([[-1, { candidate: pointCandidate('list-boots', T - 86_400 * S, 'list-boots -1'), lastUs: T - 80_000 * S }]]),
  };

  it('the last segment takes the capture facts; the one before takes --list-boots -1', () => {
    expect(placeSegment({ fromEnd: 0, minUptimeUs: 0, maxUptimeUs: 3600 * S, pairs: [] }, own, []).anchorUs).toBe(T);
    expect(placeSegment({ fromEnd: 1, minUptimeUs: 0, maxUptimeUs: 6000 * S, pairs: [] }, own, []).anchorUs).toBe(T - 86_400 * S);
  });

  it('an earlier boot is never placed by the current boot\'s facts', () => {
    const noList = { ...own, earlier: new Map() };
    const p = placeSegment({ fromEnd: 1, minUptimeUs: 0, maxUptimeUs: 60 * S, pairs: [] }, noList, []);
    expect(p.anchorUs).toBeNull();
  });

  it('a fact the lines do not fit in is refused and said', () => {
    // Lines up to 4 h of uptime cannot come from a boot 3 h before the capture.
    const p = placeSegment({ fromEnd: 0, minUptimeUs: 0, maxUptimeUs: 4 * 3600 * S, pairs: [] }, own, []);
    expect(p.anchorUs).toBeNull();
    expect(p.misfits[0]).toContain('uptime -s of a.txt');
  });

  it('with nothing of its own, another capture of the same host that the lines fit in', () => {
    const bare: CaptureBoots = { path: 'b.txt', host: 'h', captureUs: capture, current: [], earlier: new Map() };
    const p = placeSegment({ fromEnd: 0, minUptimeUs: 0, maxUptimeUs: 60 * S, pairs: [] }, bare, [own]);
    expect(p.anchorUs).toBe(T);
    expect(p.why).toContain('assumed the same boot');
  });

  it('pairs place any segment, and outrank a minute-precise fact', () => {
    const p = placeSegment({ fromEnd: 0, minUptimeUs: 0, maxUptimeUs: 60 * S, pairs: [{ kind: 'audit', pairsUs: [T + 33 * S - 2000, T + 33 * S - 500], resolutionUs: 1000, source: 'audit stamps' }] },
      { ...own, current: [pointCandidate('who-b', T, 'who -b')] }, []);
    expect(p.anchorUs).toBe(T + 33 * S - 500); // the latest audit pair
    expect(p.warnings).toEqual([]); // 33 s is within who -b's minute
  });
});
