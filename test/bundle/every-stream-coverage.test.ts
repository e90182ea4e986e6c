/**
 * The correlator reads the `*` coverage rows that empty journal windows store (`journalctl --since
 * "-1h"` printing `-- No entries --`): covered silence for every stream of the host, not "not
 * covered". Spans by hand: sshd's events at 10:00 and 10:05 (no stated coverage), a `*` window
 * 10:05–11:05 → sshd covered 10:00–11:05; k3s's stated 09:00–09:30 and the window → two spans; a
 * probe's stream and another host's are untouched.
 */
import { describe, expect, it } from 'vitest';
import { coverageKey, coverageOf } from '../../src/correlate/coverage.js';
import { asTable } from '../../src/correlate/event-table.js';
import type { EventRow } from '../../src/model/event.js';

const us = (iso: string) => Date.parse(iso) * 1000;
let id = 0;
const ev = (host: string, source: string, iso: string): EventRow => ({
  id: ++id, tsUs: us(iso), host, source, kind: `${source}.x`, severity: 'info', message: 'm', file: 'f', line: id, fields: {}, count: 1,
});

describe('coverage of every stream (`*`)', () => {
  it('adds an empty journal window to each of the host\'s sources, stated or read off the events, never to a probe or another host', () => {
    const events = asTable([
      ev('node-a', 'sshd', '2026-05-26T10:00:00Z'), ev('node-a', 'sshd', '2026-05-26T10:05:00Z'),
      ev('node-a', 'probe', '2026-05-26T10:01:00Z'), ev('node-a', 'probe', '2026-05-26T10:02:00Z'),
      ev('node-b', 'sshd', '2026-05-26T10:00:00Z'), ev('node-b', 'sshd', '2026-05-26T10:01:00Z'),
    ]);
    const cov = coverageOf(events, [
      { host: 'node-a', source: 'k3s', startUs: us('2026-05-26T09:00:00Z'), endUs: us('2026-05-26T09:30:00Z') },
      { host: 'node-a', source: '*', startUs: us('2026-05-26T10:05:00Z'), endUs: us('2026-05-26T11:05:00Z') },
    ]);
    const spans = (host: string, source: string) => cov.get(coverageKey(host, source))?.map((s) => [new Date(s.startUs / 1000).toISOString(), new Date(s.endUs / 1000).toISOString()]);
    expect(spans('node-a', 'sshd')).toEqual([['2026-05-26T10:00:00.000Z', '2026-05-26T11:05:00.000Z']]);
    expect(spans('node-a', 'k3s')).toEqual([['2026-05-26T09:00:00.000Z', '2026-05-26T09:30:00.000Z'], ['2026-05-26T10:05:00.000Z', '2026-05-26T11:05:00.000Z']]);
    expect(spans('node-a', 'probe')).toEqual([['2026-05-26T10:01:00.000Z', '2026-05-26T10:02:00.000Z']]);
    expect(spans('node-b', 'sshd')).toEqual([['2026-05-26T10:00:00.000Z', '2026-05-26T10:01:00.000Z']]);
    expect(cov.has(coverageKey('node-a', '*'))).toBe(false);
  });
});
