/**
 * Aligns the times a format found (RawTime) to UTC for one section, applying the section's zone,
 * year rule and reference instant, and counting every assumption it had to make so the section can
 * report them. Uptime stamps are left for boot anchoring (src/ingest/boots.ts).
 */
import type { RawTime } from '../ingest/types.js';
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

export class SectionAligner {
  /** Counts of what was assumed, for the section's report. */
  readonly stats = { local: 0, yearless: 0, gaps: 0, ambiguous: 0, exact: 0, uptime: 0, untimed: 0, backwards: 0, yearsUsed: new Map<number, number>() };
  private previousUs: number | null = null;
  private readonly refWallMs: number | null;

  constructor(readonly settings: AlignSettings) {
    this.refWallMs = settings.refUs === null ? null : settings.refUs / 1000 + offsetAt(settings.zone, settings.refUs / 1000) * 60_000;
  }

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
      case 'local': {
        this.stats.local++;
        let year = time.year;
        let note: string | null = null;
        if (year === null) {
          this.stats.yearless++;
          if (this.settings.year !== null) {
            year = this.settings.year;
          } else if (this.refWallMs !== null) {
            year = inferYear(this.refWallMs, time.month, time.day, time.hour, time.minute, time.second);
            if (year === null) return { ok: false, reason: `impossible date ${pad(time.month)}-${pad(time.day)} ${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}` };
          } else {
            return { ok: false, reason: 'no year and no reference instant to infer it from' };
          }
          this.stats.yearsUsed.set(year, (this.stats.yearsUsed.get(year) ?? 0) + 1);
        }
        if (!isValidDateTime(year, time.month, time.day, time.hour, time.minute, time.second)) {
          return { ok: false, reason: `impossible timestamp ${year}-${pad(time.month)}-${pad(time.day)} ${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}` };
        }
        const r = localToUtc(this.settings.zone, year, time.month, time.day, time.hour, time.minute, Math.min(time.second, 59), time.micro, this.previousUs);
        if (r.note === 'gap') {
          this.stats.gaps++;
          note = `the wall time does not exist in ${this.settings.zone} (spring-forward gap); moved forward`;
        } else if (r.note === 'ambiguous') {
          this.stats.ambiguous++;
          note = `the wall time occurs twice in ${this.settings.zone} (autumn change); the ${r.utcUs > (r.otherUs ?? 0) ? 'second' : 'first'} occurrence chosen by file order`;
        }
        return this.accept(r.utcUs, note);
      }
    }
  }

  private accept(tsUs: number, note: string | null): AlignResult {
    // Out-of-order lines are kept where their own stamp puts them; a jump back of over a minute is counted.
    if (this.previousUs !== null && tsUs < this.previousUs - 60_000_000) this.stats.backwards++;
    if (this.previousUs === null || tsUs > this.previousUs) this.previousUs = tsUs;
    return { ok: true, tsUs, note };
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
