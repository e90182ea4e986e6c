/**
 * parseBsdStamp reads the BSD syslog stamp by hand for speed: it must agree with the regular
 * expression it replaced (BSD_TIME and the same checks) on every input, valid or not.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BSD_TIME, fractionToMicros, parseBsdStamp } from '../../src/ingest/formats/syslog.js';

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const MAX_DAY = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The implementation before the hand-written reader, kept as the reference. */
function byRegex(text: string): unknown {
  const m = BSD_TIME.exec(text);
  if (!m) return null;
  const month = MONTHS[m[1]!.toLowerCase()];
  if (month === undefined) return null;
  const [day, hour, minute, second] = [m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number];
  if (!(day >= 1 && day <= MAX_DAY[month]! && hour <= 23 && minute <= 59 && second <= 60)) return null;
  return { time: { kind: 'local', year: null, month, day, hour, minute, second, micro: fractionToMicros(m[6]) }, length: m[0].length };
}

const pieces = ['May', 'may', 'MAY', 'Feb', 'Dec', 'Foo', 'Ma', 'M4y', ' ', '  ', '   ', '0', '1', '2', '3', '6', '9', '29', '30', '31', '32',
  '00', '12', '23', '24', '59', '60', '61', ':', '.', '.5', '.123456', '.1234567891', '.12345678912', 'x', '\t', 'é', ''];

describe('parseBsdStamp', () => {
  it('reads common stamps', () => {
    expect(parseBsdStamp('May 26 19:44:01 host sshd[1]: x')).toEqual({
      time: { kind: 'local', year: null, month: 5, day: 26, hour: 19, minute: 44, second: 1, micro: 0 }, length: 15,
    });
    expect(parseBsdStamp('Feb  6 01:02:03.1234567 h k: x')).toMatchObject({ time: { month: 2, day: 6, micro: 123456 }, length: 23 });
    expect(parseBsdStamp('Feb 30 01:02:03 h')).toBeNull();
    expect(parseBsdStamp('Xyz 01 01:02:03 h')).toBeNull();
  });

  it('agrees with the regular expression on generated stamps', () => {
    const stamp = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((xs) => xs.join(''));
    const shaped = fc
      .tuple(fc.constantFrom('May', 'jan', 'Oct', 'Sep', 'Abc'), fc.constantFrom(' ', '  '), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 70 }),
        fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 70 }), fc.constantFrom('', '.', '.1', '.000001', '.987654321', '.1234567890', 'Z'), fc.string({ maxLength: 4 }))
      .map(([mo, sp, d, h, mi, s, frac, tail]) => `${mo}${sp}${d} ${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}${frac}${tail}`);
    fc.assert(fc.property(fc.oneof(stamp, shaped, fc.string({ maxLength: 30 })), (text) => {
      expect(parseBsdStamp(text)).toEqual(byRegex(text));
    }), { numRuns: 20_000 });
  });
});
