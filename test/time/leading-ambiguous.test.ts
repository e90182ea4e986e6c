/**
 * A section that starts inside a repeated autumn hour (DST end) has no earlier line to say which
 * pass of the hour its first lines are in: they are read by the section's next unambiguous line
 * (src/time/align.ts ZoneRule, src/ingest/refiners.ts zoneRefiner; docs/time.md "DST"). Expected
 * instants are written out by hand from the zones' rules; reading every leading line as the first
 * pass (the old rule) puts them an hour early, which each case below would catch.
 */
import { describe, expect, it } from 'vitest';
import { LEADING_AMBIGUOUS_CAP, ZoneRule } from '../../src/time/align.js';
import { pendingEvent, zoneRefiner, type SectionContext } from '../../src/ingest/refiners.js';
import type { RawTime } from '../../src/model/time.js';

function wall(year: number, month: number, day: number, hour: number, minute: number, second = 0): RawTime {
  return { kind: 'local', year, month, day, hour, minute, second, micro: 0 };
}
const iso = (us: number | null): string | null => (us === null ? null : new Date(us / 1000).toISOString());

/** Align the times in order; the instants as ISO strings once the section has ended. */
function alignAll(zone: string, times: RawTime[]): { out: (string | null)[]; rule: ZoneRule } {
  const rule = new ZoneRule(zone);
  const tentative: { i: number; otherUs: number }[] = [];
  const out: (number | null)[] = [];
  const apply = (): void => {
    const d = rule.takeDecision();
    if (!d) return;
    if (d.late) for (const t of tentative) out[t.i] = t.otherUs;
    tentative.length = 0;
  };
  times.forEach((t, i) => {
    const r = rule.align(t);
    if (!r.ok) throw new Error(r.reason);
    out.push(r.tsUs);
    if (r.tentative) tentative.push({ i, otherUs: r.tentative.otherUs });
    apply();
  });
  rule.finish();
  apply();
  return { out: out.map(iso), rule };
}

describe('a section that starts inside the repeated autumn hour', () => {
  it('northern (Los Angeles, 2026-11-01 01:00–02:00 twice): lines in the second pass before 02:05 PST are PST', () => {
    const { out } = alignAll('America/Los_Angeles', [wall(2026, 11, 1, 1, 30), wall(2026, 11, 1, 1, 59, 30), wall(2026, 11, 1, 2, 5)]);
    expect(out).toEqual(['2026-11-01T09:30:00.000Z', '2026-11-01T09:59:30.000Z', '2026-11-01T10:05:00.000Z']);
  });

  it('southern (Sydney, 2026-04-05 02:00–03:00 twice): second pass, AEST (+10)', () => {
    const { out } = alignAll('Australia/Sydney', [wall(2026, 4, 5, 2, 30), wall(2026, 4, 5, 2, 50), wall(2026, 4, 5, 3, 10)]);
    expect(out).toEqual(['2026-04-04T16:30:00.000Z', '2026-04-04T16:50:00.000Z', '2026-04-04T17:10:00.000Z']);
  });

  it('southern across midnight (Santiago, 2026-04-04 23:00–24:00 twice): the repeated hour ends at 00:00 of the next day', () => {
    const { out } = alignAll('America/Santiago', [wall(2026, 4, 4, 23, 24, 25), wall(2026, 4, 4, 23, 59, 59), wall(2026, 4, 5, 0, 0, 5)]);
    expect(out).toEqual(['2026-04-05T03:24:25.000Z', '2026-04-05T03:59:59.000Z', '2026-04-05T04:00:05.000Z']);
  });

  it('an exact stamp is as good a next instant as an unambiguous wall time', () => {
    const { out } = alignAll('America/Los_Angeles', [wall(2026, 11, 1, 1, 45), { kind: 'exact', utcUs: Date.UTC(2026, 10, 1, 9, 50) * 1000 }]);
    expect(out).toEqual(['2026-11-01T09:45:00.000Z', '2026-11-01T09:50:00.000Z']);
  });

  it('lines without an instant between them neither decide nor move', () => {
    const { out } = alignAll('America/Los_Angeles', [wall(2026, 11, 1, 1, 30), { kind: 'none' }, { kind: 'uptime', us: 5_000_000 }, wall(2026, 11, 1, 2, 1)]);
    expect(out).toEqual(['2026-11-01T09:30:00.000Z', null, null, '2026-11-01T10:01:00.000Z']);
  });

  it('a run that folds back into the hour was its first pass: the file order stands (01:40 PDT, 01:55 PDT, 01:05 PST)', () => {
    const { out } = alignAll('America/Los_Angeles', [wall(2026, 11, 1, 1, 40), wall(2026, 11, 1, 1, 55), wall(2026, 11, 1, 1, 5), wall(2026, 11, 1, 2, 0)]);
    expect(out).toEqual(['2026-11-01T08:40:00.000Z', '2026-11-01T08:55:00.000Z', '2026-11-01T09:05:00.000Z', '2026-11-01T10:00:00.000Z']);
  });

  it('the second pass would put the run after its next line (00:59 PDT): the first pass', () => {
    const { out } = alignAll('America/Los_Angeles', [wall(2026, 11, 1, 1, 30), wall(2026, 11, 1, 0, 59)]);
    expect(out).toEqual(['2026-11-01T08:30:00.000Z', '2026-11-01T07:59:00.000Z']);
  });

  it('read as the second pass, a line may stand up to ten minutes after an exact next stamp (out of order), not more', () => {
    // 01:58 in the second pass is 09:58Z, in the first 08:58Z. (A wall-clock next line is either
    // before the hour, at most 07:59:59Z, or after it, from 10:00Z: only an exact stamp falls between.)
    const exact = (h: number, m: number): RawTime => ({ kind: 'exact', utcUs: Date.UTC(2026, 10, 1, h, m) * 1000 });
    expect(alignAll('America/Los_Angeles', [wall(2026, 11, 1, 1, 58), exact(9, 50)]).out[0]).toBe('2026-11-01T09:58:00.000Z');
    expect(alignAll('America/Los_Angeles', [wall(2026, 11, 1, 1, 58), exact(9, 47)]).out[0]).toBe('2026-11-01T08:58:00.000Z');
  });

  it('Berlin (2026-10-25 02:00–03:00 twice) and Auckland (2026-04-05 02:00–03:00 twice)', () => {
    expect(alignAll('Europe/Berlin', [wall(2026, 10, 25, 2, 55), wall(2026, 10, 25, 3, 0)]).out).toEqual(['2026-10-25T01:55:00.000Z', '2026-10-25T02:00:00.000Z']);
    expect(alignAll('Pacific/Auckland', [wall(2026, 4, 5, 2, 30), wall(2026, 4, 5, 3, 0)]).out).toEqual(['2026-04-04T14:30:00.000Z', '2026-04-04T15:00:00.000Z']);
  });

  it('a section all inside the hour keeps the first pass, and says it was not decided by a later line', () => {
    const { out, rule } = alignAll('America/Los_Angeles', [wall(2026, 11, 1, 1, 30), wall(2026, 11, 1, 1, 31)]);
    expect(out).toEqual(['2026-11-01T08:30:00.000Z', '2026-11-01T08:31:00.000Z']);
    expect(rule.stats.ambiguous).toBe(2);
  });

  it('a section that starts before the hour is read by the file order alone (nothing waits)', () => {
    const rule = new ZoneRule('America/Los_Angeles');
    rule.align(wall(2026, 11, 1, 0, 50));
    const r = rule.align(wall(2026, 11, 1, 1, 30));
    expect(r.ok && r.tentative).toBeUndefined();
    expect(rule.waiting).toBe(false);
    expect(r.ok && iso(r.tsUs)).toBe('2026-11-01T08:30:00.000Z');
  });

  it('a section wholly inside the hour is read against the instant its capture ran, when there is one', () => {
    // Sydney: 02:30 and 02:50 are 15:30Z/15:50Z in the first pass, 16:30Z/16:50Z in the second.
    const times = [wall(2026, 4, 5, 2, 30), wall(2026, 4, 5, 2, 50)];
    const run = (endsByUs: number): (string | null)[] => {
      const rule = new ZoneRule('Australia/Sydney');
      const out = times.map((t) => {
        const r = rule.align(t);
        return r.ok ? r : null;
      });
      rule.finish(endsByUs);
      const d = rule.takeDecision()!;
      expect(d.by).toBe('capture');
      return out.map((r) => iso(d.late ? r!.tentative!.otherUs : r!.tsUs));
    };
    // Captured at 02:55 AEST (16:55Z): the second pass precedes it.
    expect(run(Date.UTC(2026, 3, 4, 16, 55) * 1000)).toEqual(['2026-04-04T16:30:00.000Z', '2026-04-04T16:50:00.000Z']);
    // Captured at 02:55 AEDT (15:55Z): the second pass would follow it by an hour.
    expect(run(Date.UTC(2026, 3, 4, 15, 55) * 1000)).toEqual(['2026-04-04T15:30:00.000Z', '2026-04-04T15:50:00.000Z']);
    // Two minutes of slack for the seconds between the `date` section and the command, not more.
    expect(run(Date.UTC(2026, 3, 4, 16, 48) * 1000)).toEqual(['2026-04-04T16:30:00.000Z', '2026-04-04T16:50:00.000Z']);
    expect(run(Date.UTC(2026, 3, 4, 16, 47) * 1000)).toEqual(['2026-04-04T15:30:00.000Z', '2026-04-04T15:50:00.000Z']);
  });

  it(`waits for at most ${LEADING_AMBIGUOUS_CAP} lines, then takes the first pass`, () => {
    const rule = new ZoneRule('America/Los_Angeles');
    for (let i = 0; i < LEADING_AMBIGUOUS_CAP - 1; i++) rule.align(wall(2026, 11, 1, 1, 30));
    expect(rule.waiting).toBe(true);
    rule.align(wall(2026, 11, 1, 1, 30));
    expect(rule.waiting).toBe(false);
    expect(rule.takeDecision()).toEqual({ late: false, by: 'cap', nextUs: null, lines: LEADING_AMBIGUOUS_CAP });
  });
});

describe('the zone refiner on a section that starts in the repeated hour', () => {
  const ctx: SectionContext = {
    zone: 'America/Los_Angeles', zoneWhy: 'zone America/Los_Angeles from --tz', zoneIsFallback: false, year: null,
    refUs: null, refWhy: '', host: 'h', hostWhy: 'host h from --host', nowUs: Date.UTC(2026, 11, 1) * 1000, untimedKey: -1,
  };
  const ev = (t: RawTime, line: number) =>
    pendingEvent({ time: t, source: 'sshd', kind: 'sshd.other', severity: 'info', message: 'm', fields: {} }, line, 'raw');

  it('moves the waiting events in place once the next unambiguous line decides, and notes how on each line and for the section', () => {
    const run = zoneRefiner.start(ctx);
    const a = ev(wall(2026, 11, 1, 1, 30), 2);
    const b = ev(wall(2026, 11, 1, 1, 59), 3);
    const c = ev(wall(2026, 11, 1, 2, 1), 4);
    run.refine(a);
    run.refine(b);
    expect(run.waiting()).toBe(true);
    expect(iso(a.tsUs)).toBe('2026-11-01T08:30:00.000Z'); // tentative
    run.refine(c);
    expect(run.waiting()).toBe(false);
    expect([a, b, c].map((e) => iso(e.tsUs))).toEqual(['2026-11-01T09:30:00.000Z', '2026-11-01T09:59:00.000Z', '2026-11-01T10:01:00.000Z']);
    expect(a.timeNote).toMatch(/second occurrence chosen: the section starts inside the repeated hour .*next unambiguous line \(line 4\)/);
    expect(c.timeNote).toBeNull();
    const note = run.notes().find((n) => n.code === 'dst-ambiguous')!;
    expect(note.count).toBe(2);
    expect(note.text).toMatch(/the 2 at the section's start \(from line 2\) .* second occurrence, which keeps them in order with line 4/);
  });

  it('a section that ends still waiting keeps the first pass and says the line may be an hour later', () => {
    const run = zoneRefiner.start(ctx);
    const a = ev(wall(2026, 11, 1, 1, 30), 7);
    run.refine(a);
    run.finish();
    expect(iso(a.tsUs)).toBe('2026-11-01T08:30:00.000Z');
    expect(a.timeNote).toMatch(/first occurrence assumed: no unambiguous line follows .* may be an hour later/);
    expect(run.notes().find((n) => n.code === 'dst-ambiguous')!.text).toMatch(/none follows, so the first occurrence was assumed/);
  });
});
