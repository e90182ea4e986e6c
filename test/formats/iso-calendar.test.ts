/** Calendar-valid ISO stamps (issue #17): impossible days and offsets are skipped with a reason. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calendarProblem, daysInMonth, isoStampProblem, utcMs } from '../../src/ingest/formats/iso-calendar.js';
import { parseIsoStamp } from '../../src/ingest/formats/syslog.js';
import { parseIsoInstantUs } from '../../src/ingest/formats/go-log-records.js';
import { corrJson, tempDir } from '../helpers/cli.js';

describe('the ISO calendar rule', () => {
  it('knows leap years and month lengths', () => {
    expect([2024, 2026, 1900, 2000].map((y) => daysInMonth(y, 2))).toEqual([29, 28, 28, 29]);
    expect(daysInMonth(2026, 4)).toBe(30);
  });

  it('agrees with the calendar for every day of every month, with any offset', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.integer({ min: -1500, max: 1500 }), (y, mo, d, off) => {
        const real = new Date(utcMs(y, mo, d, 0, 0, 0)).getUTCDate() === d;
        const problem = calendarProblem(y, mo, d, 12, 0, 0, off);
        expect(problem === null).toBe(real && Math.abs(off) <= 14 * 60);
      }),
    );
  });

  it('keeps the year as written (Date.UTC would make 0001 into 1901)', () => {
    const s = parseIsoStamp('0001-05-01T10:00:00Z x');
    expect(s?.time).toEqual({ kind: 'exact', utcUs: utcMs(1, 5, 1, 10, 0, 0) * 1000 });
    expect(new Date(utcMs(99, 5, 1, 0, 0, 0)).getUTCFullYear()).toBe(99);
  });

  it('refuses Feb 29 of a common year and offsets past ±14:00, in both ISO readers', () => {
    expect(parseIsoStamp('2026-02-29T10:00:00Z')).toBeNull();
    expect(parseIsoStamp('2024-02-29T10:00:00Z')).not.toBeNull();
    expect(parseIsoStamp('2026-05-01T10:00:00+25:00')).toBeNull();
    expect(parseIsoStamp('2026-05-01T10:00:00+14:00')).not.toBeNull();
    expect(parseIsoInstantUs('2026-02-29T10:00:00Z')).toBeNull();
    expect(parseIsoInstantUs('2026-05-01T10:00:00-14:30')).toBeNull();
    expect(isoStampProblem('2026-02-29T10:00Z')).toBeNull(); // not a full stamp: other parsers decide
    expect(isoStampProblem('2026-02-29T10:00:00Z host')).toBe('impossible timestamp "2026-02-29T10:00:00Z": day 29 does not exist in 2026-02');
  });
});

describe('calendar-invalid stamps through the CLI', () => {
  it('skips them with their reason and warns about an implausibly old year', () => {
    const dir = tempDir();
    const tail = ' kai-server sshd[1]: Failed password for root from 203.0.113.9 port 2222 ssh2';
    writeFileSync(join(dir, 'auth.log'), ['2026-02-29T10:00:00Z', '0001-05-01T10:00:00Z', '2026-05-01T10:00:00+25:00', '2024-02-29T10:00:00Z'].map((t) => t + tail).join('\n') + '\n');
    const r = corrJson(['ingest', join(dir, 'auth.log'), '--db', join(dir, 's.db')]);
    expect(r.code).toBe(0);
    const [f] = r.json.files;
    expect([f.events, f.skipped]).toEqual([2, 2]);
    expect(f.first).toBe('0001-05-01T10:00:00.000Z');
    expect(f.last).toBe('2024-02-29T10:00:00.000Z');
    expect(f.warnings).toContain('1 line skipped: impossible timestamp "2026-02-29T10:00:00Z": day 29 does not exist in 2026-02 (first at line 1)');
    expect(f.warnings).toContain('1 line skipped: impossible timestamp "2026-05-01T10:00:00+25:00": the offset is beyond ±14:00 (first at line 3)');
    expect(f.warnings).toContain('1 lines are dated before 1990, earlier than any log corr reads (a clock that was never set?)');
  });
});
