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
  | { ok: true; tsUs: number | null; note: string | null; tentative?: { otherUs: number } }
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

/**
 * A section whose first wall times fall in a repeated autumn hour has no earlier line to say which
 * pass of the hour they are in: they wait for the section's next unambiguous instant (or for the
 * file's own order to fold back, which proves they were the first pass). How it was decided.
 */
export interface LeadingDecision {
  /** The waiting lines are the second pass of the hour (each moves to its `otherUs`). */
  late: boolean;
  /**
   * What decided: the next unambiguous instant, a fold inside the run, the instant the section's
   * capture ran (every line precedes it) when no unambiguous line followed, the section's end with
   * neither, or the cap.
   */
  by: 'next-instant' | 'fold' | 'capture' | 'end' | 'cap';
  /** The instant that decided (`next-instant`, `capture`). */
  nextUs: number | null;
  /** How many lines waited. */
  lines: number;
}

/**
 * At most this many lines wait for the section's first unambiguous instant: an hour at 5.5 lines a
 * second (auth.log and klog streams write far fewer); beyond it the first pass is taken, with a
 * warning, rather than holding an unbounded part of a section in memory.
 */
export const LEADING_AMBIGUOUS_CAP = 20_000;

/**
 * Read as the second pass, a waiting line may stand this much after the next unambiguous instant
 * and still count as in order with it: the same few minutes of out-of-order lines the file-order
 * rule allows (zones.ts).
 */
const IN_ORDER_SLACK_US = 10 * 60 * 1_000_000;

/**
 * A line may stand this much after its capture's instant (the `date` section is written seconds
 * before the commands that follow it run): the slack boot placement allows a capture's lines too.
 */
const CAPTURE_SLACK_US = 120 * 1_000_000;

/** The zone rule: wall times to UTC in the section's zone; exact times as they are. */
export class ZoneRule {
  readonly stats = { local: 0, gaps: 0, ambiguous: 0, exact: 0, uptime: 0, untimed: 0, backwards: 0 };
  private previousUs: number | null = null;
  /** The section's leading ambiguous lines, while they wait: how many, and the latest of their second-pass instants. */
  private leading: { lines: number; lateMaxUs: number } | null = null;
  private decision: LeadingDecision | null = null;

  constructor(private readonly zone: string) {}

  /** Lines are waiting for the section's first unambiguous instant: their instants may still move. */
  get waiting(): boolean {
    return this.leading !== null;
  }

  /** The decision on the leading run, once, when it was just taken (by the last align or finish). */
  takeDecision(): LeadingDecision | null {
    const d = this.decision;
    this.decision = null;
    return d;
  }

  /**
   * The section ends. Lines still waiting are read against `endsByUs`, an instant no line of the
   * section is after (its capture ran then), as against a next line; with none they keep the first
   * pass (nothing after them says otherwise).
   */
  finish(endsByUs: number | null = null): void {
    if (!this.leading) return;
    if (endsByUs === null) this.decide(false, 'end', null);
    else this.decide(this.leading.lateMaxUs <= endsByUs + CAPTURE_SLACK_US, 'capture', endsByUs);
  }

  align(time: RawTime): AlignResult {
    switch (time.kind) {
      case 'exact':
        this.stats.exact++;
        if (this.leading) this.decideByNext(time.utcUs);
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
      const late = r.utcUs > (r.otherUs ?? 0);
      note = `the wall time occurs twice in ${this.zone} (autumn change); the ${late ? 'second' : 'first'} occurrence chosen by file order`;
      // Nothing before it in the section has an instant: it and the lines after it wait (at most one
      // run per section: once decided, previousUs is set and the file's order reads the rest).
      if (this.previousUs === null) this.leading = { lines: 0, lateMaxUs: -Infinity };
      if (this.leading) {
        if (late) {
          // The file went back into the hour: the lines before were its first pass, as read.
          this.decide(false, 'fold', null);
        } else {
          const l = this.leading;
          l.lines++;
          l.lateMaxUs = Math.max(l.lateMaxUs, r.otherUs!);
          const out = this.accept(r.utcUs, note);
          if (l.lines >= LEADING_AMBIGUOUS_CAP) this.decide(false, 'cap', null);
          return out.ok ? { ...out, tentative: { otherUs: r.otherUs! } } : out;
        }
      }
    } else if (this.leading) {
      this.decideByNext(r.utcUs);
    }
    return this.accept(r.utcUs, note);
  }

  /**
   * The first unambiguous instant after the leading run: the run is the second pass when that keeps
   * it in order with this instant — the nearer of the two readings that does; else the first pass.
   */
  private decideByNext(nextUs: number): void {
    this.decide(this.leading!.lateMaxUs <= nextUs + IN_ORDER_SLACK_US, 'next-instant', nextUs);
  }

  private decide(late: boolean, by: LeadingDecision['by'], nextUs: number | null): void {
    const l = this.leading!;
    this.leading = null;
    this.decision = { late, by, nextUs, lines: l.lines };
    if (late) this.previousUs = Math.max(this.previousUs ?? -Infinity, l.lateMaxUs);
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
