import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/engine.js';
import { probeTarget } from '../../src/correlate/probe.js';
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

  it('names the probed host without user or port', () => {
    const row = { id: 1, tsUs: 0, host: 'laptop', source: 'probe', kind: 'probe.transition', severity: 'info' as const, message: '', file: 'w', line: 1, count: 1 };
    expect(probeTarget({ ...row, fields: { target: 'kai@kai-server:22' } })).toBe('kai-server');
    expect(probeTarget({ ...row, fields: {} })).toBe('laptop');
  });
});
