/**
 * Each refiner is a small rule of (section context, pending event): run here alone, with a fixed
 * zone and reference instant, on events built by hand.
 */
import { describe, expect, it } from 'vitest';
import { REFINERS, SectionRefiners, bootRefiner, dedupRefiner, hostRefiner, pendingEvent, yearRefiner, zoneRefiner, type SectionContext } from '../../src/ingest/refiners.js';
import type { ParsedEvent } from '../../src/model/event.js';
import type { RawTime } from '../../src/model/time.js';

const REF_US = Date.UTC(2026, 0, 10, 12, 0, 0) * 1000; // 2026-01-10T12:00Z
const ctx: SectionContext = {
  zone: 'America/Los_Angeles', zoneWhy: 'zone America/Los_Angeles from --tz', zoneIsFallback: false, year: null,
  refUs: REF_US, refWhy: 'year inferred against --ref', host: 'kai-server', hostWhy: 'host kai-server from --host',
  nowUs: REF_US, untimedKey: -42,
};

function local(month: number, day: number, hour: number, year: number | null = null): RawTime {
  return { kind: 'local', year, month, day, hour, minute: 0, second: 0, micro: 0 };
}
function parsed(time: RawTime, extra: Partial<ParsedEvent> = {}): ParsedEvent {
  return { time, source: 'syslog', kind: 'syslog.other', severity: 'info', message: 'hello', fields: {}, ...extra };
}

describe('the refiners', () => {
  it('run in the documented order: year, zone, host, boot, dedup', () => {
    expect(REFINERS.map((r) => r.name)).toEqual(['year', 'zone', 'host', 'boot', 'dedup']);
    expect(REFINERS.map((r) => r.stage)).toEqual(['record', 'record', 'event', 'event', 'event']);
  });

  it('year: a December line read against a January reference is last year; a January line this year', () => {
    const run = yearRefiner.start(ctx);
    const dec = pendingEvent(parsed(local(12, 31, 23)), 1, 'x');
    const jan = pendingEvent(parsed(local(1, 9, 8)), 2, 'x');
    expect(run.refine(dec)).toBeNull();
    expect(run.refine(jan)).toBeNull();
    expect([(dec.time as { year: number }).year, (jan.time as { year: number }).year]).toEqual([2025, 2026]);
    expect(run.notes()).toEqual([{ level: 'assumption', code: 'year', text: 'year inferred against --ref; years used: 2025 (1 lines), 2026 (1 lines)', count: 2 }]);
  });

  it('year: no reference and no --year is a reason to skip the line', () => {
    const run = yearRefiner.start({ ...ctx, refUs: null });
    expect(run.refine(pendingEvent(parsed(local(3, 1, 0)), 1, 'x'))).toBe('no year and no reference instant to infer it from');
  });

  it('zone: wall time in Los Angeles (PST, UTC−8) becomes UTC; an exact stamp is kept; a spring-forward gap is noted', () => {
    const run = zoneRefiner.start(ctx);
    const winter = pendingEvent(parsed(local(1, 9, 8, 2026)), 1, 'x');
    expect(run.refine(winter)).toBeNull();
    expect(winter.tsUs).toBe(Date.UTC(2026, 0, 9, 16, 0, 0) * 1000);
    // 16 hours before the line above: kept where its stamp puts it, counted as going back in time.
    const exactUs = Date.UTC(2026, 0, 9, 0, 0, 0) * 1000;
    const exact = pendingEvent(parsed({ kind: 'exact', utcUs: exactUs }), 2, 'x');
    run.refine(exact);
    expect(exact.tsUs).toBe(exactUs);
    const gap = pendingEvent(parsed({ kind: 'local', year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0, micro: 0 }), 3, 'x');
    run.refine(gap);
    expect(gap.timeNote).toMatch(/spring-forward gap/);
    // The March line is more than a day after the context's now (10 January): dated in the future.
    expect(run.notes().map((n) => n.code)).toEqual(['zone', 'dst-gap', 'time-backwards', 'time-future']);
    expect(run.refine(pendingEvent(parsed(local(2, 30, 1, 2026)), 4, 'x'))).toBe('impossible timestamp 2026-02-30 01:00:00');
  });

  it('host: a record naming its host keeps it; one naming none gets the context host, said once with the count', () => {
    const run = hostRefiner.start(ctx);
    const named = pendingEvent(parsed(local(1, 1, 1), { host: 'web-1' }), 1, 'x');
    const bare = pendingEvent(parsed(local(1, 1, 1)), 2, 'x');
    run.refine(named);
    run.refine(bare);
    expect([named.host, bare.host]).toEqual(['web-1', 'kai-server']);
    expect(run.notes()).toEqual([{ level: 'assumption', code: 'host', text: 'host kai-server from --host', count: 1 }]);
  });

  it('boot: uptime stamps are split into boots where the clock goes back by more than a second', () => {
    const run = bootRefiner.start(ctx);
    const segs = [5_000_000, 9_000_000, 1_000_000, 2_000_000].map((us, i) => {
      const ev = pendingEvent(parsed({ kind: 'uptime', us }, { source: 'kernel' }), i + 1, 'x');
      ev.host = 'kai-server';
      run.refine(ev);
      return ev.segment;
    });
    expect(segs).toEqual([0, 0, 1, 1]);
    expect(run.tracker.segments.map((s) => [s.minUs, s.maxUs])).toEqual([[5_000_000, 9_000_000], [1_000_000, 2_000_000]]);
    expect(run.notes()[0]!.code).toBe('boot-resets');
  });

  it('dedup: kernel lines keyed by uptime, untimed lines by the file, identical keys numbered', () => {
    const run = dedupRefiner.start(ctx);
    const k = (ev: ReturnType<typeof pendingEvent>) => (run.refine(ev), [ev.tkey, ev.occ]);
    const kernel = pendingEvent(parsed({ kind: 'uptime', us: 7 }, { source: 'kernel' }), 1, 'x');
    kernel.uptimeUs = 7;
    const untimed = pendingEvent(parsed({ kind: 'none' }), 2, 'x');
    const again = pendingEvent(parsed({ kind: 'none' }), 3, 'x');
    expect([k(kernel), k(untimed), k(again)]).toEqual([[7, 0], [-42, 0], [-42, 1]]);
  });

  it('a section runs the record stage (may reject) and then the event stage', () => {
    const s = new SectionRefiners(ctx);
    const ev = pendingEvent(parsed(local(1, 9, 8)), 1, 'x');
    expect(s.onRecord(ev)).toBeNull();
    s.onEvent(ev);
    expect([ev.tsUs, ev.host, ev.tkey]).toEqual([Date.UTC(2026, 0, 9, 16) * 1000, 'kai-server', Date.UTC(2026, 0, 9, 16) * 1000]);
    expect(s.notes().map((n) => n.code)).toEqual(['zone', 'year', 'host']);
  });
});
