/**
 * Aligns the times a format found (RawTime) to UTC, in two rules the ingest refiners apply in
 * order (src/ingest/refiners.ts): the year rule gives year-less wall times a year (--year, or
 * inference from a reference instant), the zone rule turns wall times into UTC in the section's
 * IANA zone. Each counts what it had to assume, so the section can report it. Uptime stamps are
 * left for boot placement (src/time/boot-anchor.ts).
 */
import type { RawTime } from '../model/time.js';
import { localToUtc, offsetAt } from './zones.js';
import { inferYear, isValidDateTime } from './yearless.js';

export interface AlignSettings {
  /** IANA zone for wall-clock times. */
  zone: string;
  /** A fixed year for year-less times (--year). */
  year: number | null;
  /** Reference instant for year inference (UTC µs), or null when there is none. */
  refUs: number | null;
}

export type AlignResult =
  | { ok: true; tsUs: number | null; note: string | null }
  | { ok: false; reason: string };

type LocalTime = Extract<RawTime, { kind: 'local' }>;

/** The year rule: a year for wall times that carry none. */
export class YearRule {
  readonly stats = { yearless: 0, yearsUsed: new Map<number, number>() };
  private readonly refWallMs: number | null;

  constructor(private readonly settings: AlignSettings) {
    this.refWallMs = settings.refUs === null ? null : settings.refUs / 1000 + offsetAt(settings.zone, settings.refUs / 1000) * 60_000;
  }

  /** The time with its year, or why none can be given. Times that carry a year pass unchanged. */
  apply(time: RawTime): { ok: true; time: RawTime } | { ok: false; reason: string } {
    if (time.kind !== 'local' || time.year !== null) return { ok: true, time };
    this.stats.yearless++;
    let year: number | null;
    if (this.settings.year !== null) {
      year = this.settings.year;
    } else if (this.refWallMs !== null) {
      year = inferYear(this.refWallMs, time.month, time.day, time.hour, time.minute, time.second);
      if (year === null) return { ok: false, reason: `impossible date ${pad(time.month)}-${pad(time.day)} ${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}` };
    } else {
      return { ok: false, reason: 'no year and no reference instant to infer it from' };
    }
    this.stats.yearsUsed.set(year, (this.stats.yearsUsed.get(year) ?? 0) + 1);
    return { ok: true, time: { ...time, year } };
  }
}

/** The zone rule: wall times to UTC in the section's zone; exact times as they are. */
export class ZoneRule {
  readonly stats = { local: 0, gaps: 0, ambiguous: 0, exact: 0, uptime: 0, untimed: 0, backwards: 0 };
  private previousUs: number | null = null;

  constructor(private readonly zone: string) {}

  align(time: RawTime): AlignResult {
    switch (time.kind) {
      case 'exact':
        this.stats.exact++;
        return this.accept(time.utcUs, null);
      case 'uptime':
        this.stats.uptime++;
        return { ok: true, tsUs: null, note: null };
      case 'none':
        this.stats.untimed++;
        return { ok: true, tsUs: null, note: 'no time on the line' };
      case 'local':
        return this.local(time);
    }
  }

  private local(time: LocalTime): AlignResult {
    this.stats.local++;
    const year = time.year;
    if (year === null) return { ok: false, reason: 'no year and no reference instant to infer it from' };
    if (!isValidDateTime(year, time.month, time.day, time.hour, time.minute, time.second)) {
      return { ok: false, reason: `impossible timestamp ${year}-${pad(time.month)}-${pad(time.day)} ${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}` };
    }
    const r = localToUtc(this.zone, year, time.month, time.day, time.hour, time.minute, Math.min(time.second, 59), time.micro, this.previousUs);
    let note: string | null = null;
    if (r.note === 'gap') {
      this.stats.gaps++;
      note = `the wall time does not exist in ${this.zone} (spring-forward gap); moved forward`;
    } else if (r.note === 'ambiguous') {
      this.stats.ambiguous++;
      note = `the wall time occurs twice in ${this.zone} (autumn change); the ${r.utcUs > (r.otherUs ?? 0) ? 'second' : 'first'} occurrence chosen by file order`;
    }
    return this.accept(r.utcUs, note);
  }

  private accept(tsUs: number, note: string | null): AlignResult {
    // Out-of-order lines are kept where their own stamp puts them; a jump back of over a minute is counted.
    if (this.previousUs !== null && tsUs < this.previousUs - 60_000_000) this.stats.backwards++;
    if (this.previousUs === null || tsUs > this.previousUs) this.previousUs = tsUs;
    return { ok: true, tsUs, note };
  }
}

/** Both rules in order, for callers that align a whole section at once. */
export class SectionAligner {
  readonly year: YearRule;
  readonly zone: ZoneRule;

  constructor(readonly settings: AlignSettings) {
    this.year = new YearRule(settings);
    this.zone = new ZoneRule(settings.zone);
  }

  align(time: RawTime): AlignResult {
    const y = this.year.apply(time);
    if (!y.ok) return y;
    return this.zone.align(y.time);
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
