import { describe, expect, it } from 'vitest';
import { coverageOf, headerSpan, optionValue, parseJournalHeader, parseSpan, resolveJournalTime } from '../../src/ingest/context/index.js';
import { parseListedBoot } from '../../src/ingest/facts.js';

const us = (iso: string) => Date.parse(iso) * 1000;

describe('journal headers and command spans', () => {
  it('reads both header spellings with their year', () => {
    const h = parseJournalHeader('-- Logs begin at Wed 2020-03-25 12:03:18 UTC, end at Thu 2020-03-26 09:00:01 UTC. --')!;
    expect(headerSpan(h, null)).toMatchObject({ beginUs: us('2020-03-25T12:03:18Z'), endUs: us('2020-03-26T09:00:01Z') });
    const n = parseJournalHeader('-- Journal begins at Mon 2024-05-27 10:00:00 CEST, ends at Mon 2024-05-27 12:00:00 CEST. --')!;
    // CEST is not an abbreviation corr resolves by itself: read in the file's zone.
    expect(headerSpan(n, 'Europe/Berlin')!.beginUs).toBe(us('2024-05-27T08:00:00Z'));
  });

  it('reads --since values relative to the capture instant', () => {
    const cap = us('2026-05-27T02:53:09Z');
    expect(optionValue('journalctl -u k3s --no-pager --since "-4h"', 'since', 'S')).toBe('-4h');
    expect(parseSpan('1h 30min')).toBe(5400e6);
    expect(resolveJournalTime('-4h', cap, null)).toBe(cap - 4 * 3600e6);
    expect(resolveJournalTime('2 hours ago', cap, null)).toBe(cap - 2 * 3600e6);
    expect(resolveJournalTime('2026-05-26 10:00', cap, 'America/Los_Angeles')).toBe(us('2026-05-26T17:00:00Z'));
    expect(resolveJournalTime('today', cap, 'America/Los_Angeles')).toBe(us('2026-05-26T07:00:00Z'));
    expect(resolveJournalTime('-3M', cap, null)).toBeNull(); // months are not a fixed span
  });

  it('a tail covers from its first line to the capture instant; --since from the stated start', () => {
    const cap = us('2026-05-27T02:53:09Z');
    const tail = coverageOf({ title: 'tail -n 20000 /var/log/syslog', firstUs: us('2026-05-27T01:00:00Z'), lastUs: us('2026-05-27T02:40:00Z'), captureUs: cap, zone: 'UTC' });
    expect(tail.spans).toEqual([{ startUs: us('2026-05-27T01:00:00Z'), endUs: cap }]);
    const since = coverageOf({ title: 'journalctl -u k3s --since "-6h"', firstUs: us('2026-05-27T00:00:00Z'), lastUs: us('2026-05-27T02:00:00Z'), captureUs: cap, zone: 'UTC' });
    expect(since.spans).toEqual([{ startUs: cap - 6 * 3600e6, endUs: cap }]);
    // The journal itself begins later than --since asks for.
    const begun = coverageOf({ title: 'journalctl --since "-6h"', firstUs: us('2026-05-27T00:00:00Z'), lastUs: us('2026-05-27T02:00:00Z'), captureUs: cap, zone: 'UTC', journal: { beginUs: us('2026-05-26T23:00:00Z'), endUs: null } });
    expect(begun.spans[0]!.startUs).toBe(us('2026-05-26T23:00:00Z'));
    // A plain file: first to last line.
    const plain = coverageOf({ title: null, firstUs: 5, lastUs: 9, captureUs: null, zone: null });
    expect(plain.spans).toEqual([{ startUs: 5, endUs: 9 }]);
    // Two boots: two spans.
    const two = coverageOf({ title: null, firstUs: 0, lastUs: 100, captureUs: null, zone: null, boots: [{ firstUs: 0, lastUs: 40 }, { firstUs: 60, lastUs: 100 }] });
    expect(two.spans).toEqual([{ startUs: 0, endUs: 40 }, { startUs: 60, endUs: 100 }]);
  });

  it('reads journalctl --list-boots lines of old and new systemd', () => {
    const old = parseListedBoot(' -1 0dc874d3c8a04a36b4b5c8fc3e04a54a Tue 2024-05-21 09:12:01 UTC—Tue 2024-05-21 18:00:00 UTC')!;
    expect(old.index).toBe(-1);
    expect(old.first.text).toBe('Tue 2024-05-21 09:12:01 UTC');
    expect(old.last!.text).toBe('Tue 2024-05-21 18:00:00 UTC');
    const neu = parseListedBoot('  0 4c2b0a8a9e1f4d2c8b7a6f5e4d3c2b1a Mon 2024-05-27 08:00:01 CEST Mon 2024-05-27 10:00:00 CEST')!;
    expect(neu.index).toBe(0);
    expect(neu.last!.wall.hour).toBe(10);
    expect(parseListedBoot('IDX BOOT ID FIRST ENTRY LAST ENTRY')).toBeNull();
  });
});
