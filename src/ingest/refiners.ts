/**
 * The refiners: what turns a record a format parsed into an event ready to store, in the manner of
 * chrono-node's configuration (parsers, then an ordered list of refiners). Each refiner is a small
 * rule of (section context, pending event), started once per section so that it can count what it
 * assumed and say so in the section's notes. A unit test runs any of them with a fixed zone and
 * reference instant (test/ingest/refiners.test.ts).
 *
 * Two stages: `record` refiners run as soon as a line is parsed and may reject it (the line is then
 * skipped, with the reason); `event` refiners run once the event is complete (its continuation
 * lines appended), since host, boot and dedup key depend on the whole message.
 *
 * The section context is what the refiners know beyond the line: today it is decided per file
 * (settings.ts); the bundle context (src/ingest/context/) will supply the same fields from the
 * whole bundle.
 */
import type { ParsedEvent } from '../model/event.js';
import type { RawTime } from '../model/time.js';
import { assumption, warning, type Note } from '../model/notes.js';
import { LEADING_AMBIGUOUS_CAP, YearRule, ZoneRule, type LeadingDecision } from '../time/align.js';
import { eventHash } from './hash.js';
import { OccurrenceCounter } from './occurrences.js';
import { BootTracker, type RawLineSink } from './boots.js';

export interface SectionContext {
  /** IANA zone for wall times without an offset, and why it was chosen. */
  zone: string;
  zoneWhy: string;
  /** The zone is this machine's, for want of any stated one. */
  zoneIsFallback: boolean;
  /** What offsets on sibling lines say against the zone, or that they only narrow it (src/ingest/context/zone-hints.ts). */
  zoneWarnings?: readonly string[];
  /** --year, or null to infer from the reference instant. */
  year: number | null;
  refUs: number | null;
  refWhy: string;
  /** Host for records that name none, and why. */
  host: string;
  hostWhy: string;
  /** Now, for the "dated in the future" check. */
  nowUs: number;
  /** Dedup instant of lines with no time at all: per file, so they never match another file's. */
  untimedKey: number;
  /**
   * The host a record's own host field stands for: the bundle's spelling of the same machine (a
   * short name against an FQDN), a probe target matched to a bundle host (src/ingest/context/).
   */
  hostOf?: (named: string) => string;
  /** Said when records that name no host get the section's host: contradictions, or no host at all. */
  hostWarnings?: string[];
  /** The run's index of uptime-only kernel lines, matched to journal kernel lines (src/ingest/context/). */
  rawLines?: RawLineSink;
  /**
   * An instant no line of the section is after: the instant its capture's command ran
   * (coverage.ts `ranAtUs`), or null. Decides a section that lies wholly inside a repeated hour.
   */
  endsByUs?: number | null;
}

/** An event on its way to the store; the refiners fill in the placement. */
export interface PendingEvent {
  event: ParsedEvent;
  line: number;
  raw: string;
  message: string;
  /** The time as the year rule left it. */
  time: RawTime;
  tsUs: number | null;
  timeNote: string | null;
  host: string;
  uptimeUs: number | null;
  /** The boot segment (index in the section) of an event with an uptime stamp. */
  segment: number | null;
  tkey: number;
  dhash: number;
  occ: number;
}

export interface RefinerRun {
  /** Refine the event in place; a string rejects it (the line is skipped with that reason). */
  refine(ev: PendingEvent): string | null;
  /** What this refiner assumed or met in the section. */
  notes(): Note[];
}

export interface Refiner<R extends RefinerRun = RefinerRun> {
  name: string;
  stage: 'record' | 'event';
  start(ctx: SectionContext): R;
}

const FUTURE_SLACK_US = 86_400_000_000;
/**
 * The earliest plausible year of a log line: none of the formats corr reads existed before 1990,
 * and a device whose clock was never set logs 1970. Earlier instants are kept, with a warning.
 */
const PLAUSIBLE_FROM_US = Date.UTC(1990, 0, 1) * 1000;

/** Year-less wall times get a year: --year, else the latest not after the reference instant. */
export const yearRefiner: Refiner = {
  name: 'year',
  stage: 'record',
  start(ctx) {
    const rule = new YearRule({ zone: ctx.zone, year: ctx.year, refUs: ctx.refUs });
    return {
      refine(ev) {
        const r = rule.apply(ev.time);
        if (!r.ok) return r.reason;
        ev.time = r.time;
        return null;
      },
      notes() {
        const a = rule.stats;
        if (a.yearless === 0) return [];
        const years = [...a.yearsUsed.entries()].sort((x, y) => x[0] - y[0]).map(([y, n]) => `${y} (${n} lines)`).join(', ');
        return [assumption('year', `${ctx.refWhy}; years used: ${years || 'none'}`, a.yearless)];
      },
    };
  },
};

/**
 * Wall times become UTC in the section's zone; exact times stay; the clock's oddities are counted.
 * A section that starts inside a repeated autumn hour reads those first lines by its next
 * unambiguous line (ZoneRule): until then their instants are tentative, `waiting()` says so, and
 * the pipeline holds their events back; the decision moves them in place.
 */
export const zoneRefiner: Refiner<RefinerRun & { waiting(): boolean; finish(): void }> = {
  name: 'zone',
  stage: 'record',
  start(ctx) {
    const rule = new ZoneRule(ctx.zone);
    let future = 0;
    let ancient = 0;
    /** The leading ambiguous lines while they wait, with the instant of their other reading. */
    let held: { ev: PendingEvent; otherUs: number }[] = [];
    let leading: { decision: LeadingDecision; nextLine: number | null; firstLine: number } | null = null;
    const settle = (nextLine: number | null): void => {
      const d = rule.takeDecision();
      if (!d) return;
      leading = { decision: d, nextLine, firstLine: held[0]?.ev.line ?? 0 };
      const note = leadingNote(ctx.zone, d, nextLine);
      for (const h of held) {
        if (d.late) h.ev.tsUs = h.otherUs;
        if (note) h.ev.timeNote = note;
      }
      held = [];
    };
    return {
      refine(ev) {
        const r = rule.align(ev.time);
        if (!r.ok) return r.reason;
        ev.tsUs = r.tsUs;
        ev.timeNote = r.note;
        if (r.tentative) held.push({ ev, otherUs: r.tentative.otherUs });
        settle(r.tentative ? null : ev.line);
        if (r.tsUs !== null && r.tsUs > ctx.nowUs + FUTURE_SLACK_US) future++;
        if (r.tsUs !== null && r.tsUs < PLAUSIBLE_FROM_US) ancient++;
        return null;
      },
      waiting: () => rule.waiting,
      finish() {
        rule.finish(ctx.endsByUs ?? null);
        settle(null);
      },
      notes() {
        const a = rule.stats;
        const out: Note[] = [];
        if (a.local > 0) {
          out.push(assumption('zone', ctx.zoneWhy, a.local));
          if (ctx.zoneIsFallback) out.push(warning('zone-fallback', `times without an offset were read in this machine's zone (${ctx.zone}): give --tz if that is wrong`, a.local));
          for (const w of ctx.zoneWarnings ?? []) out.push(warning('zone-hint', w, a.local));
        }
        if (a.exact > 0 && a.local === 0) out.push(assumption('own-offset', 'timestamps carry their own offset (no zone assumed)', a.exact));
        if (a.gaps > 0) out.push(warning('dst-gap', `${a.gaps} lines fall in the spring-forward gap of ${ctx.zone} (a time that does not exist): moved forward by the gap`, a.gaps));
        if (a.ambiguous > 0) {
          const start = leading as { decision: LeadingDecision; nextLine: number | null; firstLine: number } | null;
          const how = start && start.decision.by !== 'fold' ? `; ${leadingSummary(start.decision, start.firstLine, start.nextLine)}` : '';
          out.push(warning('dst-ambiguous', `${a.ambiguous} lines fall in the repeated autumn hour of ${ctx.zone}: resolved by file order${how}`, a.ambiguous));
        }
        if (a.backwards > 0) out.push(warning('time-backwards', `${a.backwards} lines go back in time by more than a minute (kept where their stamps put them)`, a.backwards));
        if (future > 0) out.push(warning('time-future', `${future} lines are dated more than a day in the future`, future));
        if (ancient > 0) out.push(warning('time-ancient', `${ancient} lines are dated before 1990, earlier than any log corr reads (a clock that was never set?)`, ancient));
        if (a.untimed > 0) out.push(warning('untimed', `${a.untimed} events carry no time at all and are left out of time-range queries`, a.untimed));
        return out;
      },
    };
  },
};

/** The time note of each line of a section's leading ambiguous run, once decided (null: the file-order note stands). */
function leadingNote(zone: string, d: LeadingDecision, nextLine: number | null): string | null {
  const twice = `the wall time occurs twice in ${zone} (autumn change)`;
  switch (d.by) {
    case 'fold':
      return null;
    case 'next-instant':
      return d.late
        ? `${twice}; the second occurrence chosen: the section starts inside the repeated hour and this keeps it in order with its next unambiguous line (line ${nextLine}); an hour later than the truth only if the stream was silent for the whole second pass`
        : `${twice}; the first occurrence chosen: the second would put it after the section's next unambiguous line (line ${nextLine})`;
    case 'capture':
      return d.late
        ? `${twice}; the second occurrence chosen: no unambiguous line follows it in the section, and the second pass still comes before the capture ran (${isoOf(d.nextUs!)}), which every line of it precedes; an hour later than the truth only if the log was silent from the first pass to the capture`
        : `${twice}; the first occurrence chosen: the second would put it after the capture ran (${isoOf(d.nextUs!)})`;
    case 'end':
      return `${twice}; the first occurrence assumed: no unambiguous line follows it in the section, so it may be an hour later`;
    case 'cap':
      return `${twice}; the first occurrence assumed: no unambiguous line within the section's first ${LEADING_AMBIGUOUS_CAP} lines, so it may be an hour later`;
  }
}

function isoOf(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}

/** The section's sentence on its leading ambiguous run. */
function leadingSummary(d: LeadingDecision, firstLine: number, nextLine: number | null): string {
  const run = `the ${d.lines} at the section's start (from line ${firstLine}) came before any unambiguous line`;
  switch (d.by) {
    case 'next-instant':
      return d.late
        ? `${run} and were read as the second occurrence, which keeps them in order with line ${nextLine} (they would be an hour later than the truth only if the stream was silent for the whole second pass)`
        : `${run} and were read as the first occurrence (the second would put them after line ${nextLine})`;
    case 'capture':
      return d.late
        ? `${run}, and none follows: they were read as the second occurrence, which still comes before the capture ran (${isoOf(d.nextUs!)}) (they would be an hour later than the truth only if the log was silent from the first pass to the capture)`
        : `${run}, and none follows: they were read as the first occurrence (the second would put them after the capture ran, ${isoOf(d.nextUs!)})`;
    case 'end':
      return `${run}: none follows, so the first occurrence was assumed (they may be an hour later)`;
    default:
      return `${run}: the first occurrence was assumed after ${LEADING_AMBIGUOUS_CAP} lines without one (they may be an hour later)`;
  }
}

/** Records that name no host get the section's. */
export const hostRefiner: Refiner<RefinerRun & { usedDefault(): boolean }> = {
  name: 'host',
  stage: 'event',
  start(ctx) {
    let defaulted = 0;
    const renamed = new Map<string, { host: string; n: number }>();
    return {
      refine(ev) {
        if (ev.event.host) {
          ev.host = ctx.hostOf ? ctx.hostOf(ev.event.host) : ev.event.host;
          if (ev.host !== ev.event.host) {
            const r = renamed.get(ev.event.host);
            if (r) r.n++;
            else renamed.set(ev.event.host, { host: ev.host, n: 1 });
          }
        } else {
          ev.host = ctx.host;
          defaulted++;
        }
        return null;
      },
      notes: () => [
        ...(defaulted > 0 ? [assumption('host', ctx.hostWhy, defaulted), ...(ctx.hostWarnings ?? []).map((w) => warning('host-evidence', w, defaulted))] : []),
        ...[...renamed].slice(0, 20).map(([from, r]) => assumption('probe-host', `host ${r.host} for the records naming ${from} (the same machine: without user@ and :port, case-insensitive, a short name against the FQDN)`, r.n)),
      ],
      usedDefault: () => defaulted > 0,
    };
  },
};

/**
 * Events with an uptime stamp are assigned a boot segment (a clock going back by more than a
 * second starts the next). Where the segment starts in UTC is decided when the section ends
 * (src/time/boot-anchor.ts), before its rows are stored.
 */
export const bootRefiner: Refiner<RefinerRun & { tracker: BootTracker }> = {
  name: 'boot',
  stage: 'event',
  start(ctx) {
    const tracker = new BootTracker(ctx.rawLines);
    return {
      tracker,
      refine(ev) {
        let uptime: number | null = ev.event.uptimeUs ?? (ev.time.kind === 'uptime' ? ev.time.us : null);
        if (uptime !== null && !(Number.isFinite(uptime) && uptime >= 0)) uptime = null;
        ev.uptimeUs = uptime;
        ev.segment = uptime === null ? null : tracker.track(ev.host, uptime, ev.tsUs, ev.event.source === 'kernel' ? ev.message : undefined);
        return null;
      },
      notes: () => (tracker.segments.length > 1 ? [assumption('boot-resets', `the uptime clock resets ${tracker.segments.length - 1} time(s): ${tracker.segments.length} boots`, tracker.segments.length - 1)] : []),
    };
  },
};

/**
 * The dedup key: kernel lines by their uptime stamp (so a raw dmesg line and the same line in
 * kern.log are stored once), others by their instant, lines with no time by the file; the k-th
 * identical key of a section is occurrence k (genuine repeats are kept). Uptime-keyed lines count
 * per boot segment, since their key also names the boot (boot-keys.ts): the second boot of a
 * capture repeats the first one's `[0.000000]` lines as occurrence 0 of its own boot, as a capture
 * of that boot alone would.
 */
export const dedupRefiner: Refiner = {
  name: 'dedup',
  stage: 'event',
  start(ctx) {
    const occurrences = new OccurrenceCounter();
    const perBoot: OccurrenceCounter[] = [];
    return {
      refine(ev) {
        const byUptime = ev.uptimeUs !== null && ev.event.source === 'kernel';
        ev.tkey = byUptime ? ev.uptimeUs! : ev.tsUs ?? ctx.untimedKey;
        ev.dhash = eventHash(ev.host, ev.event.source, ev.message);
        const counter = byUptime && ev.segment !== null ? (perBoot[ev.segment] ??= new OccurrenceCounter()) : occurrences;
        ev.occ = counter.next(ev.tkey, ev.dhash);
        return null;
      },
      notes: () => [],
    };
  },
};

/** The refiners, in the order they run. A new rule is a new entry here, with its test. */
export const REFINERS = [yearRefiner, zoneRefiner, hostRefiner, bootRefiner, dedupRefiner] as const;

/** One section's running refiners. */
export class SectionRefiners {
  readonly host;
  readonly boot;
  private readonly zone;
  private readonly record: RefinerRun[];
  private readonly event: RefinerRun[];
  private readonly all: RefinerRun[];

  constructor(ctx: SectionContext) {
    const [year, zone, host, boot, dedup] = REFINERS;
    this.host = host.start(ctx);
    this.boot = boot.start(ctx);
    const yearRun = year.start(ctx);
    const zoneRun = zone.start(ctx);
    this.zone = zoneRun;
    this.record = [yearRun, zoneRun];
    this.event = [this.host, this.boot, dedup.start(ctx)];
    // Notes in the order people read them: the zone before the year it needed.
    this.all = [zoneRun, yearRun, ...this.event];
  }

  /** The record stage; a string is the reason the line is skipped. */
  onRecord(ev: PendingEvent): string | null {
    for (const r of this.record) {
      const why = r.refine(ev);
      if (why !== null) return why;
    }
    return null;
  }

  /**
   * Records whose instants may still move (a section that starts inside a repeated autumn hour,
   * until its next unambiguous line): their events must wait before the event stage, in line order.
   */
  timeWaiting(): boolean {
    return this.zone.waiting();
  }

  /** The section ends: instants still waiting are decided by what the section showed. */
  finishTime(): void {
    this.zone.finish();
  }

  onEvent(ev: PendingEvent): void {
    for (const r of this.event) r.refine(ev);
  }

  notes(): Note[] {
    return this.all.flatMap((r) => r.notes());
  }
}

/** A pending event for a parsed record, before any refiner ran. */
export function pendingEvent(event: ParsedEvent, line: number, raw: string): PendingEvent {
  return {
    event, line, raw, message: event.message, time: event.time, tsUs: null, timeNote: null, host: '', uptimeUs: null, segment: null,
    tkey: 0, dhash: 0, occ: 0,
  };
}

/**
 * The record stage of a section on its own (year, zone): pure per section, so it runs where the
 * lines are parsed — in the read worker when there is one (read-worker.ts). Its notes come first
 * in a section's (zone, then year), as in SectionRefiners.
 */
export class RecordRefiners {
  private readonly zone;
  private readonly record: RefinerRun[];
  private readonly all: RefinerRun[];

  constructor(ctx: SectionContext) {
    const yearRun = yearRefiner.start(ctx);
    const zoneRun = zoneRefiner.start(ctx);
    this.zone = zoneRun;
    this.record = [yearRun, zoneRun];
    this.all = [zoneRun, yearRun];
  }

  onRecord(ev: PendingEvent): string | null {
    for (const r of this.record) {
      const why = r.refine(ev);
      if (why !== null) return why;
    }
    return null;
  }

  timeWaiting(): boolean {
    return this.zone.waiting();
  }

  finishTime(): void {
    this.zone.finish();
  }

  notes(): Note[] {
    return this.all.flatMap((r) => r.notes());
  }
}

/**
 * The event stage on its own (host, boot, dedup): it uses run state (the bundle's host names, the
 * run's raw kernel line index, the boot tracker the section's transaction settles), so it stays on
 * the thread that holds the store.
 */
export class EventRefiners {
  readonly host;
  readonly boot;
  private readonly event: RefinerRun[];

  constructor(ctx: SectionContext) {
    this.host = hostRefiner.start(ctx);
    this.boot = bootRefiner.start(ctx);
    this.event = [this.host, this.boot, dedupRefiner.start(ctx)];
  }

  onEvent(ev: PendingEvent): void {
    for (const r of this.event) r.refine(ev);
  }

  notes(): Note[] {
    return this.event.flatMap((r) => r.notes());
  }
}
