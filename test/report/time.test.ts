import { describe, expect, it } from 'vitest';
import { formatBoth, formatDuration, formatLocal, formatRangeBoth, showsLocal } from '../../src/report/time.js';

describe('report time formatting', () => {
  it('follows the zone rules for the instant (PST in January, PDT in May), not a fixed offset', () => {
    expect(formatLocal(Date.parse('2026-01-15T12:00:00Z'), 'America/Los_Angeles')).toBe('2026-01-15 04:00:00 PST');
    expect(formatLocal(Date.parse('2026-05-27T00:18:00Z'), 'America/Los_Angeles')).toBe('2026-05-26 17:18:00 PDT');
  });

  it('shows only UTC when the zone is UTC, and both otherwise (the offset where en-US has no abbreviation)', () => {
    const ms = Date.parse('2026-05-27T00:18:00Z');
    expect(showsLocal('UTC')).toBe(false);
    expect(formatBoth(ms, 'UTC')).toBe('2026-05-27 00:18:00 UTC');
    expect(formatBoth(ms, 'Europe/Berlin')).toBe('2026-05-27 00:18:00 UTC (2026-05-27 02:18:00 UTC+02:00)');
  });

  it('drops the repeated date inside a range but keeps it across midnight', () => {
    const a = Date.parse('2026-05-27T00:18:00Z');
    const b = Date.parse('2026-05-27T00:27:00Z');
    expect(formatRangeBoth(a, b, 'America/Los_Angeles')).toBe('2026-05-27 00:18:00–00:27:00 UTC (2026-05-26 17:18:00–17:27:00 PDT)');
    const c = Date.parse('2026-05-27T08:00:00Z');
    expect(formatRangeBoth(a, c, 'America/Los_Angeles')).toBe('2026-05-27 00:18:00–08:00:00 UTC (2026-05-26 17:18:00–2026-05-27 01:00:00 PDT)');
  });

  it('names durations in one style: whole units, the two largest that matter', () => {
    expect(formatDuration(-45)).toBe('45 s');
    expect(formatDuration(105)).toBe('1 min 45 s');
    expect(formatDuration(150)).toBe('2 min 30 s');
    expect(formatDuration(540)).toBe('9 min');
    expect(formatDuration(3 * 3600 + 720)).toBe('3 h 12 min');
    expect(formatDuration(2 * 86_400 + 3 * 3600 + 59)).toBe('2 d 3 h');
  });
});
