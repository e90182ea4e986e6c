/**
 * The klog clock inside journal and syslog lines is read by hand (isKlogClock/digitsAt in
 * src/ingest/formats/syslog.ts); it must accept exactly what the regular expression it replaced
 * accepted and read the same numbers.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { digitsAt, isKlogClock } from '../../src/ingest/formats/syslog.js';

const KLOG_CLOCK = /^(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{6})$/;

function byHand(s: string): number[] | null {
  return isKlogClock(s) ? [digitsAt(s, 0, 2), digitsAt(s, 3, 2), digitsAt(s, 6, 2), digitsAt(s, 9, 2), digitsAt(s, 12, 2), digitsAt(s, 15, 6)] : null;
}
function byRegex(s: string): number[] | null {
  const m = KLOG_CLOCK.exec(s);
  return m ? m.slice(1, 7).map(Number) : null;
}

describe('klog clock', () => {
  it('matches the regular expression on clocks, near-clocks and noise', () => {
    const digit = fc.constantFrom(...'0123456789');
    const near = fc.constantFrom(...'0123456789-: .x/١٢');
    const clockLike = fc.array(fc.oneof(digit, near), { minLength: 19, maxLength: 23 }).map((cs) => cs.join(''));
    const mutated = fc
      .tuple(fc.array(digit, { minLength: 16, maxLength: 16 }), fc.nat(21), near)
      .map(([d, at, c]) => {
        const s = `${d[0]}${d[1]}-${d[2]}${d[3]} ${d[4]}${d[5]}:${d[6]}${d[7]}:${d[8]}${d[9]}.${d.slice(10).join('')}`;
        return s.slice(0, at) + c + s.slice(at + 1);
      });
    fc.assert(fc.property(fc.oneof(clockLike, mutated, fc.string()), (s) => {
      expect(byHand(s)).toEqual(byRegex(s));
    }), { numRuns: 5000 });
  });

  it('reads a real clock', () => {
    expect(byHand('05-26 17:57:40.412233')).toEqual([5, 26, 17, 57, 40, 412233]);
    expect(byHand('05-26 17:57:40.41223')).toBeNull();
    expect(byHand('05-26T17:57:40.412233')).toBeNull();
  });
});
