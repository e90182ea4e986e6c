import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  parseInstant,
  parseTimeRange,
  parseWindow,
  resolveZone,
  type TimeContext,
} from '../../src/time/expressions.js';

const LA = 'America/Los_Angeles';
// 2026-05-26 20:00 PDT: late evening on the incident day, so "yesterday" in LA and in UTC differ.
const REF_MS = Date.parse('2026-05-27T03:00:00.000Z');

function iso(text: string, ctx: TimeContext = { refMs: REF_MS }, option = '--since'): string {
  return new Date(parseInstant(text, option, ctx).ms).toISOString();
}

function usageErrorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError, got a result');
}

// Every reading is checked with the machine in zones far from UTC and from each other, and in UTC:
// chrono computes with the machine's local clock, and none of that may reach the result. Node
// re-reads process.env.TZ on assignment, and vitest runs each test file in its own process.
describe.each([
  ['Pacific/Auckland', 'half a day east, DST in the southern summer'],
  ['America/St_Johns', 'a half-hour offset, northern DST'],
  ['UTC', 'no offset'],
])('machine zone %s (%s)', (machineZone) => {
  const savedTz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = machineZone;
  });
  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  test('the machine zone really is in effect, and parsing leaves it in place', () => {
    const expectedOffset = 0 - DateTime.fromMillis(REF_MS, { zone: machineZone }).offset;
    expect(new Date(REF_MS).getTimezoneOffset()).toBe(expectedOffset);
    parseInstant('yesterday 5pm', '--since', { refMs: REF_MS });
    expect(process.env.TZ).toBe(machineZone);
    expect(new Date(REF_MS).getTimezoneOffset()).toBe(expectedOffset);
  });

  describe('absolute expressions', () => {
    test.each([
      ['2026-05-26 17:15 PT', '2026-05-27T00:15:00.000Z'],
      ['2026-01-15 09:00 PT', '2026-01-15T17:00:00.000Z'],
      ['2026-05-26 17:15 MT', '2026-05-26T23:15:00.000Z'],
      ['2026-01-15 09:00 MT', '2026-01-15T16:00:00.000Z'],
      ['2026-05-26 17:15 CT', '2026-05-26T22:15:00.000Z'],
      ['2026-05-26 17:15 ET', '2026-05-26T21:15:00.000Z'],
      ['2026-01-15 09:00 EST', '2026-01-15T14:00:00.000Z'],
      ['2026-05-26 17:15 EDT', '2026-05-26T21:15:00.000Z'],
      ['2026-05-26 17:15 CDT', '2026-05-26T22:15:00.000Z'],
      ['2026-01-15 09:00 CST', '2026-01-15T15:00:00.000Z'],
      ['2026-05-26 17:15 MDT', '2026-05-26T23:15:00.000Z'],
      ['2026-01-15 09:00 MST', '2026-01-15T16:00:00.000Z'],
      ['2026-05-26 17:15 pt', '2026-05-27T00:15:00.000Z'],
      ['2026-05-26 17:15 (PT)', '2026-05-27T00:15:00.000Z'],
      ['2026-05-26 17:15 UTC', '2026-05-26T17:15:00.000Z'],
      ['2026-05-26 17:15 GMT', '2026-05-26T17:15:00.000Z'],
      ['2026-05-26 17:15 Z', '2026-05-26T17:15:00.000Z'],
      ['2026-05-26T17:15:00Z', '2026-05-26T17:15:00.000Z'],
      ['2026-05-26T17:15:00+02:00', '2026-05-26T15:15:00.000Z'],
      ['2026-05-26T17:15:00.250-07:00', '2026-05-27T00:15:00.250Z'],
      ['2026-05-26 17:15:00 +0200', '2026-05-26T15:15:00.000Z'],
      ['2026-05-26 17:15:00,250 PT', '2026-05-27T00:15:00.250Z'],
      ['May 26 5:15pm PDT', '2026-05-27T00:15:00.000Z'],
      ['May 26, 2026 at 5:15pm PT', '2026-05-27T00:15:00.000Z'],
      ['05/26/2026 5:15 PM PT', '2026-05-27T00:15:00.000Z'],
      ['2026-05-26 17:15 America/Denver', '2026-05-26T23:15:00.000Z'],
      ['2026-05-26 17:15 asia/kolkata', '2026-05-26T11:45:00.000Z'],
      ['America/Los_Angeles 2026-05-26 17:15', '2026-05-27T00:15:00.000Z'],
    ])('%s is %s whatever --tz says', (text, expected) => {
      expect(iso(text, { refMs: REF_MS })).toBe(expected);
      expect(iso(text, { refMs: REF_MS, tz: 'Asia/Tokyo' })).toBe(expected);
    });

    test('an expression that names no zone is read in --tz, else UTC', () => {
      expect(iso('2026-05-26 17:15', { refMs: REF_MS })).toBe('2026-05-26T17:15:00.000Z');
      expect(iso('2026-05-26 17:15', { refMs: REF_MS, tz: LA })).toBe('2026-05-27T00:15:00.000Z');
      expect(iso('2026-01-15 09:00', { refMs: REF_MS, tz: LA })).toBe('2026-01-15T17:00:00.000Z');
      expect(iso('2026-05-26 17:15', { refMs: REF_MS, tz: 'PT' })).toBe('2026-05-27T00:15:00.000Z');
      expect(iso('2026-05-26 17:15', { refMs: REF_MS, tz: 'Asia/Kolkata' })).toBe('2026-05-26T11:45:00.000Z');
    });

    test('a date without a clock time means the start of that day in its zone', () => {
      expect(iso('2026-05-26', { refMs: REF_MS })).toBe('2026-05-26T00:00:00.000Z');
      expect(iso('2026-05-26', { refMs: REF_MS, tz: LA })).toBe('2026-05-26T07:00:00.000Z');
      expect(iso('2026-05-26 PT', { refMs: REF_MS })).toBe('2026-05-26T07:00:00.000Z');
    });

    test('a year-less date takes its year from the reference', () => {
      expect(iso('May 26 17:15', { refMs: REF_MS })).toBe('2026-05-26T17:15:00.000Z');
      expect(iso('May 26 17:15', { refMs: Date.parse('2027-05-30T00:00:00Z') })).toBe('2027-05-26T17:15:00.000Z');
    });

    test('the result says which zone it used and whether the text named the zone and the date', () => {
      expect(parseInstant('2026-05-26 17:15 PT', '--since', { refMs: REF_MS })).toMatchObject({
        zone: LA,
        zoneNamed: true,
        dateNamed: true,
        text: '2026-05-26 17:15 PT',
        notes: [],
      });
      expect(parseInstant('17:15', '--since', { refMs: REF_MS, tz: LA })).toMatchObject({
        zone: LA,
        zoneNamed: false,
        dateNamed: false,
      });
      expect(parseInstant('2026-05-26T17:15:00+02:00', '--since', { refMs: REF_MS })).toMatchObject({
        zone: 'UTC+2',
        zoneNamed: true,
      });
      expect(parseInstant('2026-05-26T17:15:00Z', '--since', { refMs: REF_MS, tz: LA }).zone).toBe('UTC');
    });
  });

  describe('relative expressions count from the reference instant', () => {
    test('2 hours ago, in 30 minutes, now', () => {
      expect(parseInstant('2 hours ago', '--since', { refMs: REF_MS }).ms).toBe(REF_MS - 2 * 3_600_000);
      expect(parseInstant('in 30 minutes', '--until', { refMs: REF_MS }).ms).toBe(REF_MS + 30 * 60_000);
      expect(parseInstant('now', '--until', { refMs: REF_MS, tz: LA }).ms).toBe(REF_MS);
    });

    test('"2 hours ago" is two real hours even across a spring-forward', () => {
      // 03:30 PDT on 2026-03-08; two hours earlier is 00:30 PST, not the wall-clock 01:30 PST.
      const ref = Date.parse('2026-03-08T10:30:00.000Z');
      expect(iso('2 hours ago', { refMs: ref, tz: LA })).toBe('2026-03-08T08:30:00.000Z');
    });

    test('yesterday 5pm is read on the calendar of the zone', () => {
      // The reference is 20:00 on the 26th in Los Angeles but 03:00 on the 27th in UTC.
      expect(iso('yesterday 5pm', { refMs: REF_MS, tz: LA })).toBe('2026-05-26T00:00:00.000Z');
      expect(iso('yesterday 5pm', { refMs: REF_MS })).toBe('2026-05-26T17:00:00.000Z');
      expect(iso('yesterday 5pm PT', { refMs: REF_MS })).toBe('2026-05-26T00:00:00.000Z');
    });

    test('yesterday and today mean the start of the day; 3 days ago keeps the clock', () => {
      expect(iso('yesterday', { refMs: REF_MS, tz: LA })).toBe('2026-05-25T07:00:00.000Z');
      expect(iso('today', { refMs: REF_MS, tz: LA })).toBe('2026-05-26T07:00:00.000Z');
      expect(iso('today', { refMs: REF_MS })).toBe('2026-05-27T00:00:00.000Z');
      expect(iso('3 days ago', { refMs: REF_MS, tz: LA })).toBe('2026-05-24T03:00:00.000Z');
    });

    test('a clock time alone is the latest such time at or before the reference, in its zone', () => {
      // REF_MS is 2026-05-27T03:00Z = 20:00 PDT on May 26: 17:30 PDT has happened that day, 17:30 UTC not yet on May 27.
      expect(iso('17:30', { refMs: REF_MS, tz: LA })).toBe('2026-05-27T00:30:00.000Z');
      expect(iso('17:30', { refMs: REF_MS })).toBe('2026-05-26T17:30:00.000Z');
      expect(iso('03:00', { refMs: REF_MS })).toBe('2026-05-27T03:00:00.000Z');
      expect(iso('03:01', { refMs: REF_MS })).toBe('2026-05-26T03:01:00.000Z');
    });

    test('a month and day without a year is the latest one at or before the reference', () => {
      expect(iso('May 26 5:15pm PDT', { refMs: REF_MS })).toBe('2026-05-27T00:15:00.000Z');
      expect(iso('May 28 5:15pm PDT', { refMs: REF_MS })).toBe('2025-05-29T00:15:00.000Z');
      expect(iso('Dec 31 23:00', { refMs: REF_MS })).toBe('2025-12-31T23:00:00.000Z');
    });

    test('what names its direction keeps it: tomorrow, in 2 hours', () => {
      expect(iso('tomorrow 10:00', { refMs: REF_MS })).toBe('2026-05-28T10:00:00.000Z');
      expect(iso('in 2 hours', { refMs: REF_MS })).toBe(new Date(REF_MS + 7_200_000).toISOString());
    });

    test.each([
      // The reading zone's wall clock at these instants is a wall time that does not exist on the
      // machine's clock (Auckland's and St John's spring-forward hours), where local Date arithmetic slips.
      ['2026-09-27T02:30:00.000Z'],
      ['2026-03-08T02:30:00.000Z'],
    ])('a reference whose wall time the machine zone skips (%s) is kept exactly', (refIso) => {
      const ref = Date.parse(refIso);
      expect(parseInstant('now', '--until', { refMs: ref }).ms).toBe(ref);
      expect(parseInstant('2 hours ago', '--since', { refMs: ref }).ms).toBe(ref - 7_200_000);
      // 17:30 has not yet come on the reference's day (02:30): the day before's.
      expect(iso('17:30', { refMs: ref })).toBe(`${new Date(ref - 86_400_000).toISOString().slice(0, 10)}T17:30:00.000Z`);
      expect(iso('yesterday 02:30', { refMs: ref })).toBe(new Date(ref - 86_400_000).toISOString());
    });

    test('@SECONDS is an instant since the epoch, whatever the zone', () => {
      expect(iso('@1779815700', { refMs: REF_MS, tz: LA })).toBe('2026-05-26T17:15:00.000Z');
      expect(iso('@1779815700.25', { refMs: REF_MS })).toBe('2026-05-26T17:15:00.250Z');
    });

    test('without a reference, "now" is the current time', () => {
      const before = Date.now();
      const parsed = parseInstant('now', '--until', {}).ms;
      expect(parsed).toBeGreaterThanOrEqual(before);
      expect(parsed).toBeLessThanOrEqual(Date.now());
    });
  });

  describe('daylight saving', () => {
    test('a wall time in the spring-forward gap moves forward, with a note', () => {
      const parsed = parseInstant('2026-03-08 02:30 PT', '--since', { refMs: REF_MS });
      expect(new Date(parsed.ms).toISOString()).toBe('2026-03-08T10:30:00.000Z');
      expect(parsed.notes).toHaveLength(1);
      expect(parsed.notes[0]).toContain('does not exist');
      expect(parsed.notes[0]).toContain('03:30 PDT');
    });

    test('a wall time in the fall-back hour is the first of the two, with a note naming both', () => {
      const parsed = parseInstant('2026-11-01 01:30 PT', '--since', { refMs: REF_MS });
      expect(new Date(parsed.ms).toISOString()).toBe('2026-11-01T08:30:00.000Z');
      expect(parsed.notes).toHaveLength(1);
      expect(parsed.notes[0]).toContain('happens twice');
      expect(parsed.notes[0]).toContain('2026-11-01T09:30:00.000Z');
    });

    test('PDT or PST written in the fall-back hour chooses between the two', () => {
      const pdt = parseInstant('2026-11-01 01:30 PDT', '--since', { refMs: REF_MS });
      const pst = parseInstant('2026-11-01 01:30 PST', '--since', { refMs: REF_MS });
      expect(new Date(pdt.ms).toISOString()).toBe('2026-11-01T08:30:00.000Z');
      expect(new Date(pst.ms).toISOString()).toBe('2026-11-01T09:30:00.000Z');
      expect(pdt.notes).toEqual([]);
      expect(pst.notes).toEqual([]);
    });

    test('PDT written for a winter date is taken as Pacific time in force (PST), with a note', () => {
      const parsed = parseInstant('2026-01-15 09:00 PDT', '--since', { refMs: REF_MS });
      expect(new Date(parsed.ms).toISOString()).toBe('2026-01-15T17:00:00.000Z');
      expect(parsed.notes).toHaveLength(1);
      expect(parsed.notes[0]).toContain('PDT (-07:00) is not in force');
      const summerPst = parseInstant('2026-07-01 09:00 PST', '--since', { refMs: REF_MS });
      expect(new Date(summerPst.ms).toISOString()).toBe('2026-07-01T16:00:00.000Z');
      expect(summerPst.notes[0]).toContain('PST (-08:00) is not in force');
    });

    test('a window across the spring-forward is exact in UTC', () => {
      const { start, end } = parseWindow('2026-03-08 01:30..03:30 PT', '--window', { refMs: REF_MS });
      expect(new Date(start.ms).toISOString()).toBe('2026-03-08T09:30:00.000Z');
      expect(new Date(end.ms).toISOString()).toBe('2026-03-08T10:30:00.000Z');
    });

    test('a window across the fall-back is exact in UTC and notes the repeated hour', () => {
      const { start, end } = parseWindow('2026-11-01 00:30..01:30 PT', '--window', { refMs: REF_MS });
      expect(new Date(start.ms).toISOString()).toBe('2026-11-01T07:30:00.000Z');
      expect(new Date(end.ms).toISOString()).toBe('2026-11-01T08:30:00.000Z');
      expect(end.notes.some((note) => note.includes('happens twice'))).toBe(true);
      const after = parseWindow('2026-11-01 00:30..02:30 PT', '--window', { refMs: REF_MS });
      // 00:30 PDT to 02:30 PST is three real hours.
      expect(after.end.ms - after.start.ms).toBe(3 * 3_600_000);
    });

    test('any wall time written with its IANA zone reads back to the same wall time (earliest on a repeat)', () => {
      const zones = ['America/Los_Angeles', 'America/St_Johns', 'Pacific/Auckland', 'Asia/Kolkata', 'Europe/London', 'UTC'];
      fc.assert(
        fc.property(
          fc.integer({ min: Date.parse('2000-01-01T00:00:00Z') / 1000, max: Date.parse('2040-01-01T00:00:00Z') / 1000 }),
          fc.constantFrom(...zones),
          (seconds, zone) => {
            const instant = seconds * 1000;
            const wall = DateTime.fromMillis(instant, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');
            const parsed = parseInstant(`${wall} ${zone}`, '--since', { refMs: REF_MS });
            expect(DateTime.fromMillis(parsed.ms, { zone }).toFormat('yyyy-MM-dd HH:mm:ss')).toBe(wall);
            expect(parsed.ms).toBeLessThanOrEqual(instant);
            expect(instant - parsed.ms).toBeLessThanOrEqual(parsed.notes.length > 0 ? 3_600_000 : 0);
          },
        ),
        { numRuns: 200 },
      );
    });
  });

  describe('pairs: --since and --until', () => {
    test('the second takes the first\'s date when it names only a clock time', () => {
      const { since, until } = parseTimeRange('2026-05-26 17:15 PT', '17:30 PT', { refMs: REF_MS });
      expect(new Date(since!.ms).toISOString()).toBe('2026-05-27T00:15:00.000Z');
      expect(new Date(until!.ms).toISOString()).toBe('2026-05-27T00:30:00.000Z');
      expect(until!.dateNamed).toBe(false);
      expect(until!.notes.some((note) => note.includes('2026-05-26'))).toBe(true);
    });

    test('the first takes the second\'s zone when it names none', () => {
      const { since, until } = parseTimeRange('2026-05-26 17:15', '2026-05-26 17:30 PT', { refMs: REF_MS });
      expect(new Date(since!.ms).toISOString()).toBe('2026-05-27T00:15:00.000Z');
      expect(since!.zone).toBe(LA);
      expect(since!.zoneNamed).toBe(false);
      expect(new Date(until!.ms).toISOString()).toBe('2026-05-27T00:30:00.000Z');
    });

    test('the other\'s zone wins over --tz inside a pair, and works for an offset too', () => {
      const named = parseTimeRange('2026-05-26 17:15', '2026-05-26 17:30 PT', { refMs: REF_MS, tz: 'Asia/Tokyo' });
      expect(new Date(named.since!.ms).toISOString()).toBe('2026-05-27T00:15:00.000Z');
      const offset = parseTimeRange('2026-05-26 17:15', '2026-05-26T17:30:00+02:00', { refMs: REF_MS });
      expect(new Date(offset.since!.ms).toISOString()).toBe('2026-05-26T15:15:00.000Z');
    });

    test('the second takes the first\'s zone when it names none', () => {
      const { until } = parseTimeRange('2026-05-26 17:15 PT', '17:30', { refMs: REF_MS });
      expect(new Date(until!.ms).toISOString()).toBe('2026-05-27T00:30:00.000Z');
    });

    test('a clock-only first takes the second\'s date', () => {
      const { since } = parseTimeRange('17:15', '2026-05-20 17:30 PT', { refMs: REF_MS });
      expect(new Date(since!.ms).toISOString()).toBe('2026-05-21T00:15:00.000Z');
    });

    test('an inherited date is the first\'s date in the second\'s zone', () => {
      // 23:00 PDT on the 26th is 06:00 UTC on the 27th; "07:00 UTC" means the 27th.
      const { until } = parseTimeRange('2026-05-26 23:00 PT', '07:00 UTC', { refMs: REF_MS });
      expect(new Date(until!.ms).toISOString()).toBe('2026-05-27T07:00:00.000Z');
    });

    test('a clock-only end before the start on the same date is read on the next day', () => {
      const { until } = parseTimeRange('2026-05-26 23:50 PT', '00:10', { refMs: REF_MS });
      expect(new Date(until!.ms).toISOString()).toBe('2026-05-27T07:10:00.000Z');
      expect(until!.notes.some((note) => note.includes('next day'))).toBe(true);
    });

    test('a clock-only start after the end on the same date is read on the day before', () => {
      const { since } = parseTimeRange('23:50', '2026-05-27 00:10 PT', { refMs: REF_MS });
      expect(new Date(since!.ms).toISOString()).toBe('2026-05-27T06:50:00.000Z');
      expect(since!.notes.some((note) => note.includes('day before'))).toBe(true);
    });

    test('both relative to the same reference', () => {
      const { since, until } = parseTimeRange('2 hours ago', 'now', { refMs: REF_MS });
      expect(since!.ms).toBe(REF_MS - 7_200_000);
      expect(until!.ms).toBe(REF_MS);
    });

    test('until before since is a usage error naming both', () => {
      const error = usageErrorOf(() => parseTimeRange('2026-05-26 18:00 PT', '2026-05-26 17:00 PT', { refMs: REF_MS }));
      expect(error.exitCode).toBe(2);
      expect(error.message).toMatch(/^--until: "2026-05-26 17:00 PT" .* is before --since "2026-05-26 18:00 PT"/);
    });

    test('one side alone, or neither', () => {
      expect(parseTimeRange(undefined, undefined, { refMs: REF_MS })).toEqual({});
      const onlySince = parseTimeRange('2026-05-26 17:15 PT', undefined, { refMs: REF_MS });
      expect(onlySince.until).toBeUndefined();
      expect(new Date(onlySince.since!.ms).toISOString()).toBe('2026-05-27T00:15:00.000Z');
      const onlyUntil = parseTimeRange(undefined, '17:30', { refMs: REF_MS, tz: LA });
      expect(onlyUntil.since).toBeUndefined();
      expect(new Date(onlyUntil.until!.ms).toISOString()).toBe('2026-05-27T00:30:00.000Z');
      const error = usageErrorOf(() => parseTimeRange(undefined, 'whenever', { refMs: REF_MS }));
      expect(error.message).toBe('--until: cannot read "whenever" as a time');
    });
  });

  describe('windows A..B', () => {
    test('the reported window of the seed incident', () => {
      const { start, end } = parseWindow('2026-05-26 17:18..17:27 PT', '--window', { refMs: REF_MS });
      expect(new Date(start.ms).toISOString()).toBe('2026-05-27T00:18:00.000Z');
      expect(new Date(end.ms).toISOString()).toBe('2026-05-27T00:27:00.000Z');
      expect(start.zone).toBe(LA);
    });

    test('spaces around the separator, and full expressions on both sides', () => {
      const { start, end } = parseWindow('2026-05-26T17:18:00Z .. 2026-05-26T17:27:30Z', '--window', {});
      expect(new Date(start.ms).toISOString()).toBe('2026-05-26T17:18:00.000Z');
      expect(new Date(end.ms).toISOString()).toBe('2026-05-26T17:27:30.000Z');
    });

    test('a window across midnight', () => {
      const { start, end } = parseWindow('2026-05-26 23:50..00:10 PT', '--window', { refMs: REF_MS });
      expect(end.ms - start.ms).toBe(20 * 60_000);
    });

    test.each([
      ['17:18-17:27', 'START..END'],
      ['2026-05-26 17:18..17:20..17:27', 'START..END'],
      ['2026-05-26 17:18...17:27', 'START..END'],
      ['..17:27 PT', 'needs a start and an end'],
      ['2026-05-26 17:18..', 'needs a start and an end'],
    ])('%s is refused', (text, message) => {
      const error = usageErrorOf(() => parseWindow(text, '--window', { refMs: REF_MS }));
      expect(error.message.startsWith('--window: ')).toBe(true);
      expect(error.message).toContain(message);
    });

    test('an end before its start is refused', () => {
      const error = usageErrorOf(() => parseWindow('2026-05-26 17:27..2026-05-26 17:18', '--window', { refMs: REF_MS }));
      expect(error.message).toContain('"2026-05-26 17:27..2026-05-26 17:18" ends');
    });

    test('an unreadable side names the window option and the side', () => {
      const error = usageErrorOf(() => parseWindow('2026-05-26 17:18..teatime', '--window', { refMs: REF_MS }));
      expect(error.message).toBe('--window: cannot read "teatime" as a time');
    });
  });

  describe('unreadable text', () => {
    test('the message quotes the expression and names the option', () => {
      const error = usageErrorOf(() => parseInstant('not a date at all', '--since', { refMs: REF_MS }));
      expect(error.message).toBe('--since: cannot read "not a date at all" as a time');
      expect(error.exitCode).toBe(2);
    });

    test.each([
      'foo 5 bar',
      'foo 5pm',
      '5pm foo',
      '2026-05-26 17:15 please',
      '2026-02-30 10:00',
      '',
      '   ',
      'PT',
      '2026-05-26 17:15 to 17:30',
      '1779000000',
    ])('%j is refused', (text) => {
      const error = usageErrorOf(() => parseInstant(text, '--ref', { refMs: REF_MS }));
      expect(error.message).toBe(`--ref: cannot read ${JSON.stringify(text)} as a time`);
    });

    test('two zones in one expression are refused', () => {
      expect(usageErrorOf(() => parseInstant('17:15 PT UTC', '--since', { refMs: REF_MS })).message).toContain(
        'names two zones (PT and UTC)',
      );
      expect(usageErrorOf(() => parseInstant('2026-05-26T17:15:00Z PT', '--since', { refMs: REF_MS })).message).toContain(
        'names two zones',
      );
    });

    test('hostile input is refused quickly and its message stays one printable line', () => {
      const huge = `2026-05-26 ${'9'.repeat(100_000)}\n`;
      const started = performance.now();
      const error = usageErrorOf(() => parseInstant(huge, '--since', { refMs: REF_MS }));
      expect(performance.now() - started).toBeLessThan(50);
      expect(error.message).not.toContain('\n');
      expect(error.message.length).toBeLessThan(250);

      const control = usageErrorOf(() => parseInstant('5pm\nrm -rf \u001b[2J', '--since', { refMs: REF_MS }));
      expect(control.message).not.toMatch(/[\n\u001b]/);
      expect(control.message).toContain('\\n');
    });

    test('text just under the length limit does not make chrono crawl', () => {
      for (const text of ['1'.repeat(199), '1 '.repeat(99), 'at '.repeat(66), '12:'.repeat(66), 'May '.repeat(49)]) {
        const started = performance.now();
        try {
          parseInstant(text, '--since', { refMs: REF_MS });
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
        }
        expect(performance.now() - started).toBeLessThan(200);
      }
    });
  });

  describe('zone names', () => {
    test.each([
      ['PT', LA],
      ['pdt', LA],
      ['MT', 'America/Denver'],
      ['CT', 'America/Chicago'],
      ['ET', 'America/New_York'],
      ['EST', 'America/New_York'],
      ['UTC', 'UTC'],
      ['GMT', 'UTC'],
      ['Etc/UTC', 'UTC'],
      ['america/los_angeles', LA],
      ['Europe/Berlin', 'Europe/Berlin'],
    ])('%s resolves to %s', (name, zone) => {
      expect(resolveZone(name, '--tz')).toBe(zone);
    });

    test.each(['Mars/Olympus', '', 'PTX', '__proto__', 'constructor', '+02:00', 'x'.repeat(10_000)])(
      '%j is an unknown zone',
      (name) => {
        const error = usageErrorOf(() => resolveZone(name, '--tz-for'));
        expect(error.message.startsWith('--tz-for: unknown time zone "')).toBe(true);
      },
    );

    test('an unknown --tz fails the expression that would use it, naming --tz', () => {
      const error = usageErrorOf(() => parseInstant('2026-05-26 17:15', '--since', { refMs: REF_MS, tz: 'Mars/Olympus' }));
      expect(error.message).toBe('--tz: unknown time zone "Mars/Olympus"');
    });

    test('a slash word that is not a zone is not taken for one', () => {
      expect(usageErrorOf(() => parseInstant('2026-05-26 17:15 Mars/Olympus', '--since', { refMs: REF_MS })).message).toBe(
        '--since: cannot read "2026-05-26 17:15 Mars/Olympus" as a time',
      );
    });
  });
});
