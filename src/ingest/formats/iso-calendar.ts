/**
 * The calendar rule every ISO-8601 stamp a format reads must pass (issue #17): the day exists in
 * its month and year (`2026-02-29` does not; Date.UTC would quietly make it 1 March), the clock is
 * a clock, and the offset is one a zone can have: real offsets run from -12:00 to +14:00, so
 * anything beyond ±14:00 (`+25:00`) is a corrupt stamp, not a place. Years are taken as written
 * (Date.UTC reads 0001 as 1901 and 0099 as 1999). A stamp that fails is a skipped line with the
 * reason this module gives, never an event at a guessed time.
 */

/** The widest offset any zone has had (Pacific/Kiritimati, +14:00), in minutes. */
export const MAX_OFFSET_MINUTES = 14 * 60;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Minutes east of UTC of `Z`, `+05`, `+0530`, `-07:00`; null for anything else. */
export function offsetMinutesOf(zone: string): number | null {
  if (zone === 'Z' || zone === 'z') return 0;
  const m = /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(zone);
  if (!m) return null;
  const minutes = Number(m[3] ?? '0');
  if (minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + minutes);
}

/** Why these parts are not a real instant, or null when they are. */
export function calendarProblem(year: number, month: number, day: number, hour: number, minute: number, second: number, offsetMinutes: number | null): string | null {
  if (month < 1 || month > 12) return `month ${month} does not exist`;
  if (day < 1 || day > daysInMonth(year, month)) return `day ${day} does not exist in ${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
  if (hour > 23 || minute > 59 || second > 60) return 'the clock time does not exist';
  if (offsetMinutes !== null && Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) return 'the offset is beyond ±14:00';
  return null;
}

/** Milliseconds since the epoch of a UTC wall time, with the year as written (0001 stays 0001). */
export function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

const ISO_PARTS = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,]\d{1,9})?(Z|z|[+-]\d{2}(?::?\d{2})?)?/;

/**
 * For a text that starts with an ISO-8601 stamp that is not a real instant: the skip reason
 * (`impossible timestamp "2026-02-29T10:00Z": day 29 does not exist in 2026-02`). Null when the text
 * does not start with such a stamp or the stamp is fine.
 */
export function isoStampProblem(text: string): string | null {
  const m = ISO_PARTS.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const offset = m[7] === undefined ? null : offsetMinutesOf(m[7]);
  const problem = m[7] !== undefined && offset === null ? 'the offset is unreadable' : calendarProblem(year, month, day, hour, minute, second, offset);
  return problem === null ? null : `impossible timestamp ${JSON.stringify(m[0].slice(0, 40))}: ${problem}`;
}
