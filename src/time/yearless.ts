/**
 * Year inference for timestamps that carry none (syslog, klog).
 *
 * Rule (docs/time.md): each line takes the latest year that does not put it after the file's
 * reference instant. A December line read against a January reference lands in the previous year,
 * and a rollover inside the file comes out right line by line, with no state carried between lines
 * (so out-of-order lines cannot push later lines into the wrong year). Feb 29 takes the latest leap
 * year not after the reference.
 *
 * "After the reference" allows a slack: a capture's `date` section is written seconds before the
 * `journalctl` and `tail` sections that follow it, and clocks drift; a line up to SLACK after the
 * reference still belongs to the reference's year rather than to the year before.
 */

export const YEAR_SLACK_MS = 2 * 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Choose the year for a month/day/time read as wall-clock time. `refWallMs` is the reference instant
 * expressed as wall-clock time in the same zone (as if it were UTC), so the comparison is free of
 * offsets; the slack covers the hour DST can shift it by.
 */
export function inferYear(refWallMs: number, month: number, day: number, hour: number, minute: number, second: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const refYear = new Date(refWallMs).getUTCFullYear();
  for (let year = refYear + 1; year >= refYear - 8; year--) {
    if (month === 2 && day === 29 && !isLeapYear(year)) continue;
    const wall = Date.UTC(year, month - 1, day, hour, minute, second);
    if (new Date(wall).getUTCDate() !== day) return null; // e.g. Apr 31: no year has it
    if (wall <= refWallMs + YEAR_SLACK_MS) return year;
  }
  return null;
}

/** Check that a complete date exists (no Feb 30, 25:61). */
export function isValidDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
  if (hour < 0 || minute < 0 || second < 0) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCDate() === day && d.getUTCMonth() === month - 1;
}
