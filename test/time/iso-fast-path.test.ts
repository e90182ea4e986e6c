/**
 * Full ISO-8601 times with `Z` or an offset are read without chrono (its first parse costs more
 * than a timeline query). They must mean exactly what chrono and the platform make of them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as chrono from 'chrono-node/en';
import { parseInstant, parseTimeRange } from '../../src/time/expressions.js';

const two = (n: number) => String(n).padStart(2, '0');

const isoArb = fc
  .record({
    y: fc.integer({ min: 1970, max: 2099 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }),
    h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.option(fc.integer({ min: 0, max: 59 })),
    ms: fc.option(fc.integer({ min: 0, max: 999 })), off: fc.option(fc.integer({ min: -12 * 4, max: 14 * 4 })),
  })
  .map(({ y, mo, d, h, mi, s, ms, off }) => {
    const secs = s === null ? '' : `:${two(s)}${ms === null ? '' : '.' + String(ms).padStart(3, '0')}`;
    const zone = off === null ? 'Z' : `${off < 0 ? '-' : '+'}${two(Math.floor(Math.abs(off) / 4))}:${two((Math.abs(off) % 4) * 15)}`;
    return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}${secs}${zone}`;
  });

describe('ISO-8601 with an offset, read without chrono', () => {
  it('gives the instant the platform and chrono give, and refuses the dates they refuse', () => {
    fc.assert(
      fc.property(isoArb, (text) => {
        const platform = Date.parse(text);
        const [y, mo, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
        const exists = new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d; // not 2026-02-30
        if (!exists) {
          expect(() => parseInstant(text, '--since', {})).toThrow(/cannot read/);
          return;
        }
        const got = parseInstant(text, '--since', { tz: 'America/Los_Angeles' });
        expect(got.ms).toBe(platform);
        // chrono drops the sign of `-00:MM` (no zone uses one); the platform's reading stands there.
        if (!text.includes('-00:')) expect(got.ms).toBe(chrono.parseDate(text)!.getTime());
        expect(got.zoneNamed).toBe(true);
        expect(got.dateNamed).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('passes its offset on to a clock time paired with it, both ways round', () => {
    const r = parseTimeRange('2026-05-23T14:03:00-07:00', '14:18', {});
    expect(r.until!.ms).toBe(Date.parse('2026-05-23T14:18:00-07:00'));
    const back = parseTimeRange('13:50', '2026-05-23T14:03:00.250+05:30', { tz: 'UTC' });
    expect(back.since!.ms).toBe(Date.parse('2026-05-23T13:50:00+05:30'));
    expect(back.until!.ms).toBe(Date.parse('2026-05-23T14:03:00.250+05:30'));
  });

  it('refuses 24:00 and a zone word beside an offset, as chrono did', () => {
    expect(() => parseInstant('2026-05-23T24:00:00Z', '--since', {})).toThrow(/cannot read/);
    expect(() => parseInstant('2026-05-23T21:00:00+02:00 PT', '--since', {})).toThrow(/two zones/);
  });
});
