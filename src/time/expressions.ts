/**
 * The times the user types: `--since`, `--until`, `--window A..B`, `--ref`, `--boot-time`
 * (../shared/CONTRACT.md, "Times the user types").
 *
 * chrono-node reads the words; this module decides the zone and turns wall-clock fields into an
 * instant itself, with luxon's IANA rules. chrono does its date arithmetic with the machine's local
 * clock, so it is only ever run with the process pinned to UTC and a reference that carries the
 * wall clock of the reading zone: what it returns are then wall-clock fields in that zone, whatever
 * zone the machine is in.
 */
import { createRequire } from 'node:module';
import type * as Chrono from 'chrono-node/en';
import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import { UsageError } from '../errors.js';
import { canonicalIanaZone, lookupZoneAbbreviation, quoteForMessage, resolveZone } from './zone-abbreviations.js';
import type { WallTime } from '../model/time.js';

export { assertZone, resolveZone } from './zone-abbreviations.js';

/** tz: IANA zone for expressions that name none; refMs: "now" for relative expressions. */
export interface TimeContext {
  tz?: string;
  refMs?: number;
}

export interface ParsedInstant {
  /** The instant, milliseconds since the epoch (UTC). */
  ms: number;
  /** The zone the wall clock was read in: an IANA name, `UTC`, or a fixed offset such as `UTC+2`. */
  zone: string;
  /** The expression itself named its zone (`PT`, `Z`, `+02:00`, `America/Denver`). */
  zoneNamed: boolean;
  /** The expression named a date, absolute or relative (`2026-05-26`, `yesterday`, `2 hours ago`). */
  dateNamed: boolean;
  /** The expression as typed. */
  text: string;
  /** The instant depends on the reference ("now"): relative, clock-only, or a date without a year. */
  usedReference: boolean;
  /** What was assumed or adjusted on the way, one sentence each (DST gaps and folds, inherited dates). */
  notes: string[];
}

// Nobody types a time longer than this; refusing longer text keeps hostile input away from chrono.
const MAX_EXPRESSION_LENGTH = 200;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
// Leftovers chrono may leave around the text it read without the expression meaning anything else.
const HARMLESS_LEFTOVER = /^[\s,.;]*$/;
// `date -d @SECONDS` style: an instant given as seconds since the epoch.
const EPOCH_SECONDS = /^@(\d{1,11})(?:\.(\d{1,3}))?$/;
// `17:15:00,123`: the comma before milliseconds that log4j and Python logging write; chrono wants a dot.
const COMMA_MILLISECONDS = /(\d:\d\d),(\d{1,6})\b/g;

interface WallFields extends WallTime {
  millisecond: number;
}

/** A zone written as a word of the expression (`PT`, `PDT`, `UTC`, `America/Denver`). */
interface ZoneWord {
  word: string;
  zone: string;
  claimedOffsetMinutes?: number;
}

/** An expression split into the zone word it names, if any, and the rest, which chrono reads. */
interface Written {
  text: string;
  option: string;
  body: string;
  zoneWord?: ZoneWord;
}

/** What chrono read from an expression's body, as wall-clock fields in `zone`. */
interface Reading {
  written: Written;
  /** The zone the wall clock is in: named by the expression, inherited, `--tz`, or UTC. */
  zone: string;
  /** The zone the expression named itself: its zone word, or an offset chrono found (ISO `Z`, `+0200`, `CEST`). */
  namedZone?: string;
  wall: WallFields;
  dateNamed: boolean;
  /** Set for expressions measured from the reference instant (`2 hours ago`, `now`): the zone does not matter. */
  anchoredMs?: number;
  /** Whether the reference instant decided any part of it. */
  usedReference: boolean;
  notes: string[];
}

/** Reads one expression (`--ref`, `--boot-time`, a lone `--since`). */
export function parseInstant(text: string, option: string, ctx: TimeContext): ParsedInstant {
  const defaults = contextDefaults(ctx);
  const written = splitZoneWord(text, option);
  const reading = readExpression(written, written.zoneWord?.zone ?? defaults.zone, defaults.refMs);
  return resolveReading(reading);
}

/**
 * Reads `--since`/`--until` as a pair. Either may be absent. Within a pair, an expression that names
 * no zone takes the other's (the contract says the first takes the second's; the reverse is the
 * same courtesy), and one that names only a clock time takes the other's date. An end that took its
 * date from the start and would fall before it is read on the next day (`23:50..00:10`), and a
 * start that took the end's date and would fall after it on the day before. An end before its start is a usage error.
 */
/**
 * A pair whose clock-only end is earlier than its start is read across midnight (`23:50..00:10`)
 * only when the window then lasts at most this long; `17:27..17:18` would become 23 h 51 min, which
 * is a swapped pair, not a night shift, and is refused. Half a day separates the two readings: a
 * window across midnight is an incident's span (minutes to hours), a swap is off by a whole day.
 */
export const MAX_WRAPPED_WINDOW_MS = 12 * 3600_000;

export function parseTimeRange(
  since: string | undefined,
  until: string | undefined,
  ctx: TimeContext,
): { since?: ParsedInstant; until?: ParsedInstant } {
  if (since === undefined && until === undefined) return {};
  const sinceDuration = since === undefined ? null : readDuration(since);
  const untilDuration = until === undefined ? null : readDuration(until);
  if (sinceDuration || untilDuration) return durationRange(since, until, sinceDuration, untilDuration, ctx);
  if (until === undefined) return { since: parseInstant(since!, '--since', ctx) };
  if (since === undefined) return { until: parseInstant(until, '--until', ctx) };
  const pair = parsePair(splitZoneWord(since, '--since'), splitZoneWord(until, '--until'), ctx);
  if (pair.end.ms <= pair.start.ms) {
    throw new UsageError(
      pair.end.ms === pair.start.ms
        ? `--until: ${quoteForMessage(until)} is the same instant as --since ${quoteForMessage(since)} (${iso(pair.start.ms)}): the window is empty`
        : `--until: ${quoteForMessage(until)} (${iso(pair.end.ms)}) is before --since ${quoteForMessage(since)} (${iso(pair.start.ms)})`,
    );
  }
  return { since: pair.start, until: pair.end };
}

// `+15m`, `-2h`, `+90s`, `+1.5 hours`: a signed distance, in --until after --since or in --since before --until.
const DURATION = /^([+-])\s*(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)$/i;
const UNIT_MS: Record<string, number> = { s: 1000, m: MINUTE_MS, h: 60 * MINUTE_MS, d: DAY_MS };

function readDuration(text: string): { sign: 1 | -1; ms: number } | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  return { sign: m[1] === '-' ? -1 : 1, ms: Number(m[2]) * UNIT_MS[m[3]!.toLowerCase()[0]!]! };
}

function durationRange(
  since: string | undefined,
  until: string | undefined,
  sinceDuration: { sign: 1 | -1; ms: number } | null,
  untilDuration: { sign: 1 | -1; ms: number } | null,
  ctx: TimeContext,
): { since: ParsedInstant; until: ParsedInstant } {
  if ((sinceDuration ?? untilDuration)!.ms <= 0) throw new UsageError(`${sinceDuration ? '--since' : '--until'}: ${quoteForMessage((sinceDuration ? since : until)!)} is no time at all: the window is empty`);
  if (sinceDuration && untilDuration) throw new UsageError(`--since ${quoteForMessage(since!)} and --until ${quoteForMessage(until!)} are both durations; one of them must be a time`);
  if (untilDuration) {
    if (since === undefined) throw new UsageError(`--until: ${quoteForMessage(until!)} is a duration after --since; give --since too`);
    if (untilDuration.sign < 0) throw new UsageError(`--until: ${quoteForMessage(until!)} counts back; a duration in --until is after --since (write +${until!.trim().slice(1)})`);
    const start = parseInstant(since, '--since', ctx);
    return { since: start, until: { ...start, ms: start.ms + untilDuration.ms, text: until!, notes: [] } };
  }
  if (until === undefined) throw new UsageError(`--since: ${quoteForMessage(since!)} is a duration before --until; give --until too`);
  if (sinceDuration!.sign > 0) throw new UsageError(`--since: ${quoteForMessage(since!)} counts forward; a duration in --since is before --until (write -${since!.trim().slice(1)})`);
  const end = parseInstant(until, '--until', ctx);
  return { since: { ...end, ms: end.ms - sinceDuration!.ms, text: since!, notes: [] }, until: end };
}

/** Reads `A..B` (`2026-05-26 17:18..17:27 PT`) with the same pair rules as parseTimeRange. */
export function parseWindow(text: string, option: string, ctx: TimeContext): { start: ParsedInstant; end: ParsedInstant } {
  if (text.length > 2 * MAX_EXPRESSION_LENGTH + 2) throw unreadable(text, option);
  const separator = text.indexOf('..');
  // A third `.` right after the separator would make `A...B` split in the wrong place; refuse it.
  if (separator < 0 || text.indexOf('..', separator + 2) >= 0 || text[separator + 2] === '.') {
    throw new UsageError(`${option}: cannot read ${quoteForMessage(text)} as a window; write START..END`);
  }
  const startText = text.slice(0, separator).trim();
  const endText = text.slice(separator + 2).trim();
  if (startText === '' || endText === '') {
    throw new UsageError(`${option}: ${quoteForMessage(text)} needs a start and an end (START..END)`);
  }
  const pair = parsePair(splitZoneWord(startText, option), splitZoneWord(endText, option), ctx);
  if (pair.end.ms <= pair.start.ms) {
    throw new UsageError(
      pair.end.ms === pair.start.ms
        ? `${option}: ${quoteForMessage(text)} starts and ends at the same instant (${iso(pair.start.ms)}): the window is empty`
        : `${option}: ${quoteForMessage(text)} ends (${iso(pair.end.ms)}) before it starts (${iso(pair.start.ms)})`,
    );
  }
  return pair;
}

function contextDefaults(ctx: TimeContext): { zone: string; refMs: number } {
  const zone = ctx.tz === undefined ? 'UTC' : resolveZone(ctx.tz, '--tz');
  const refMs = ctx.refMs ?? Date.now();
  if (!Number.isFinite(refMs)) throw new UsageError(`--ref: not a valid instant (${String(refMs)})`);
  return { zone, refMs };
}

function parsePair(first: Written, second: Written, ctx: TimeContext): { start: ParsedInstant; end: ParsedInstant } {
  const defaults = contextDefaults(ctx);
  // Zone words are known before chrono runs; offsets chrono finds itself (ISO `+02:00`) only after.
  const firstZone = first.zoneWord?.zone ?? second.zoneWord?.zone ?? defaults.zone;
  const secondZone = second.zoneWord?.zone ?? first.zoneWord?.zone ?? defaults.zone;
  let start = readExpression(first, firstZone, defaults.refMs);
  let end = readExpression(second, secondZone, defaults.refMs);
  if (start.namedZone === undefined && end.namedZone !== undefined && end.namedZone !== start.zone) {
    start = readExpression(first, end.namedZone, defaults.refMs);
  } else if (end.namedZone === undefined && start.namedZone !== undefined && start.namedZone !== end.zone) {
    end = readExpression(second, start.namedZone, defaults.refMs);
  }
  noteInheritedZone(start, end);
  noteInheritedZone(end, start);

  if (!end.dateNamed && start.dateNamed) {
    const startInstant = resolveReading(start);
    const endInstant = resolveReading(takeDateOf(end, startInstant));
    if (endInstant.ms > startInstant.ms) return { start: startInstant, end: endInstant };
    const nextDay = resolveReading(takeDateOf(end, startInstant, 1));
    if (nextDay.ms - startInstant.ms > MAX_WRAPPED_WINDOW_MS) return { start: startInstant, end: endInstant };
    nextDay.notes.push(`${quoteForMessage(second.text)} is earlier than ${quoteForMessage(first.text)} on the same day; read on the next day`);
    return { start: startInstant, end: nextDay };
  }
  if (!start.dateNamed && end.dateNamed) {
    const endInstant = resolveReading(end);
    const startInstant = resolveReading(takeDateOf(start, endInstant));
    if (startInstant.ms < endInstant.ms) return { start: startInstant, end: endInstant };
    const dayBefore = resolveReading(takeDateOf(start, endInstant, -1));
    if (endInstant.ms - dayBefore.ms > MAX_WRAPPED_WINDOW_MS) return { start: startInstant, end: endInstant };
    dayBefore.notes.push(`${quoteForMessage(first.text)} is later than ${quoteForMessage(second.text)} on the same day; read on the day before`);
    return { start: dayBefore, end: endInstant };
  }
  return { start: resolveReading(start), end: resolveReading(end) };
}

function noteInheritedZone(reading: Reading, other: Reading): void {
  if (reading.namedZone === undefined && reading.anchoredMs === undefined && other.namedZone === reading.zone) {
    reading.notes.push(`read in ${reading.zone}, the zone ${quoteForMessage(other.written.text)} names`);
  }
}

/** `reading` moved to the calendar date `other` falls on in `reading`'s zone (plus `extraDays`). */
function takeDateOf(reading: Reading, other: ParsedInstant, extraDays = 0): Reading {
  const date = DateTime.fromMillis(other.ms, { zone: zoneObject(reading.zone) }).plus({ days: extraDays });
  const wall = { ...reading.wall, year: date.year, month: date.month, day: date.day };
  const note = `read on ${date.toISODate()}, the date of ${quoteForMessage(other.text)}`;
  return { ...reading, wall, dateNamed: false, usedReference: other.usedReference, notes: [...reading.notes, ...(extraDays === 0 ? [note] : [])] };
}

/**
 * Splits `text` into its zone word and the rest. A zone word is a whole whitespace-separated word:
 * one of the abbreviations in zone-abbreviations.ts, or an IANA name with a `/` in it (bare IANA
 * links such as `Japan` are not looked for, so a date word can never be mistaken for a zone).
 */
function splitZoneWord(text: string, option: string): Written {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new UsageError(`${option}: cannot read ${quoteForMessage(text)} as a time (longer than ${MAX_EXPRESSION_LENGTH} characters)`);
  }
  const words = text.trim().split(/\s+/);
  const kept: string[] = [];
  let zoneWord: ZoneWord | undefined;
  for (const word of words) {
    const found = zoneOfWord(word);
    if (!found) {
      kept.push(word);
      continue;
    }
    if (zoneWord) {
      throw new UsageError(`${option}: ${quoteForMessage(text)} names two zones (${zoneWord.word} and ${found.word})`);
    }
    zoneWord = found;
  }
  const body = kept.join(' ');
  if (body === '') throw unreadable(text, option);
  return zoneWord ? { text, option, body, zoneWord } : { text, option, body };
}

function zoneOfWord(rawWord: string): ZoneWord | undefined {
  // `(PT)` and `PT,` are written too.
  const word = rawWord.replace(/^\(+/, '').replace(/[),]+$/, '');
  const abbreviation = lookupZoneAbbreviation(word);
  if (abbreviation) return { word, ...abbreviation };
  if (!word.includes('/')) return undefined;
  const iana = canonicalIanaZone(word);
  return iana ? { word, zone: iana } : undefined;
}

/** Runs chrono on the body with "now" as the wall clock of `zone`, and checks it read all of it. */
function readExpression(written: Written, zone: string, refMs: number): Reading {
  const epoch = EPOCH_SECONDS.exec(written.body);
  if (epoch) return readEpochSeconds(written, epoch, zone);
  const iso = written.zoneWord ? null : readIsoWithOffset(written);
  if (iso) return iso;
  const referenceWall = wallFieldsAt(refMs, zone);
  const pseudoReferenceMs = wallFieldsAsUtc(referenceWall);
  const result = parseWithMachineInUtc(written.body.replace(COMMA_MILLISECONDS, '$1.$2'), pseudoReferenceMs);
  if (!result) throw unreadable(written.text, written.option);
  const components = result.start;
  const tags = result.tags();

  const wall: WallFields = {
    year: components.get('year') ?? referenceWall.year,
    month: components.get('month') ?? referenceWall.month,
    day: components.get('day') ?? referenceWall.day,
    hour: components.get('hour') ?? 0,
    minute: components.get('minute') ?? 0,
    second: components.get('second') ?? 0,
    millisecond: components.get('millisecond') ?? 0,
  };
  if (wall.year < 1000 || wall.year > 9999) throw unreadable(written.text, written.option);

  // `2 hours ago`, `in 30 minutes`, `now`: a distance from the reference instant. chrono measured it
  // on the wall clock; adding the same distance to the true instant keeps it exact across DST.
  if (tags.has('result/relativeDateAndTime') || tags.has('casualReference/now')) {
    return {
      written,
      zone,
      ...(written.zoneWord ? { namedZone: written.zoneWord.zone } : {}),
      wall,
      dateNamed: true,
      anchoredMs: refMs + (wallFieldsAsUtc(wall) - pseudoReferenceMs),
      usedReference: true,
      notes: [],
    };
  }

  // A day without a clock time (`2026-05-26`, `yesterday`) means its start; chrono would say noon or
  // the reference's clock. `3 days ago` keeps the reference's clock: it is a distance, not a day.
  if (!components.isCertain('hour') && !tags.has('result/relativeDate')) {
    wall.hour = 0;
    wall.minute = 0;
    wall.second = 0;
    wall.millisecond = 0;
  }

  const dateNamed = (['year', 'month', 'day', 'weekday'] as const).some((part) => components.isCertain(part));
  const usedReference = !components.isCertain('year') || [...tags].some((t) => t.startsWith('casualReference') || t.startsWith('result/relative'));
  const base = { written, wall, dateNamed, usedReference, notes: [] as string[] };

  if (components.isCertain('timezoneOffset')) {
    if (written.zoneWord) {
      throw new UsageError(
        `${written.option}: ${quoteForMessage(written.text)} names two zones (${written.zoneWord.word} and an offset)`,
      );
    }
    const offsetZone = fixedOffsetZoneName(components.get('timezoneOffset') ?? 0);
    // Relative parts (`yesterday 5pm +0200`) were measured on `zone`'s clock; read again on the offset's.
    if (offsetZone !== zone) return readExpression(written, offsetZone, refMs);
    return { ...base, zone, namedZone: offsetZone };
  }
  return written.zoneWord ? { ...base, zone, namedZone: written.zoneWord.zone } : { ...base, zone };
}

// `2026-05-23T21:03:00Z`, `2026-05-23T14:03:00.250-07:00`: what scripts pass. chrono's first parse
// costs ~150 ms (it builds its patterns), more than a 15-minute timeline query itself.
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * A full ISO-8601 time with `Z` or an offset, read without chrono: the reading chrono would give
 * (a certain date and clock time in the fixed-offset zone it names; test/time/iso-fast-path.test.ts
 * holds the two side by side). Anything else, impossible dates included, is left to chrono.
 */
function readIsoWithOffset(written: Written): Reading | null {
  const m = ISO_WITH_OFFSET.exec(written.body);
  if (!m) return null;
  const wall: WallFields = {
    year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]),
    second: Number(m[6] ?? 0), millisecond: Number(m[7] ?? 0),
  };
  // luxon would take 24:00 as the next midnight; chrono refuses it, and so does this.
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59 || wall.year < 1000) return null;
  if (!DateTime.fromObject(wall, { zone: 'UTC' }).isValid) return null;
  const offsetMinutes = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (Math.abs(offsetMinutes) > 14 * 60) return null;
  const offsetZone = fixedOffsetZoneName(offsetMinutes);
  return { written, wall, dateNamed: true, usedReference: false, notes: [], zone: offsetZone, namedZone: offsetZone };
}

/** `@1779815700`: an instant already; no zone or reference applies. */
function readEpochSeconds(written: Written, match: RegExpExecArray, zone: string): Reading {
  const ms = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
  return {
    written,
    zone,
    ...(written.zoneWord ? { namedZone: written.zoneWord.zone } : {}),
    wall: wallFieldsAt(ms, 'UTC'),
    dateNamed: true,
    anchoredMs: ms,
    usedReference: false,
    notes: [],
  };
}

/**
 * chrono's one result for the whole body, or undefined when it read nothing, read several things,
 * read a range (`17:15 to 17:30`: use `..`), or left words unread (`foo 5pm bar`).
 */
/**
 * chrono, loaded on first use: the English locale only (the root module loads every locale, ~250 ms
 * at each start of the CLI; its parse() is this same English casual parser), and only when an
 * expression needs it (ISO-8601 with an offset does not).
 */
let chronoModule: typeof Chrono | undefined;
function chrono(): typeof Chrono {
  chronoModule ??= createRequire(import.meta.url)('chrono-node/en') as typeof Chrono;
  return chronoModule;
}

/**
 * A chrono refiner for forensics, where every time typed is in the past of the reference (the
 * store's last event, or --ref): a clock time with no day (`17:15`) that would fall after the
 * reference is the day before's; a day and month with no year (`May 26 5:15pm`) that would fall
 * after it is last year's. chrono's own guess takes the reference's day, and for a month and day
 * the nearest year either way, so `17:15` typed at 11:51 meant a time that has not happened yet.
 * Relative expressions (`2 hours ago`, `tomorrow`) keep what they say.
 */
const towardThePast: Chrono.Refiner = {
  refine: (context, results) => {
    const refMs = context.refDate.getTime();
    for (const r of results) {
      const start = r.start;
      if (start.date().getTime() <= refMs) continue;
      const tags = r.tags();
      if (tags.has('result/relativeDateAndTime') || tags.has('result/relativeDate') || [...tags].some((t) => t.startsWith('casualReference'))) continue;
      const dayNamed = start.isCertain('day') || start.isCertain('weekday');
      if (!dayNamed && start.isCertain('hour')) {
        const d = new Date(start.date().getTime() - DAY_MS);
        start.imply('day', d.getUTCDate()).imply('month', d.getUTCMonth() + 1).imply('year', d.getUTCFullYear());
      } else if (start.isCertain('month') && !start.isCertain('year')) {
        start.imply('year', (start.get('year') ?? new Date(refMs).getUTCFullYear()) - 1);
      }
    }
    return results;
  },
};

let pastParser: Chrono.Chrono | undefined;
function parser(): Chrono.Chrono {
  if (!pastParser) {
    pastParser = chrono().casual.clone();
    pastParser.refiners.push(towardThePast);
  }
  return pastParser;
}

function parseWithMachineInUtc(body: string, pseudoReferenceMs: number): Chrono.ParsedResult | undefined {
  const results = withMachineZoneUtc(() =>
    parser().parse(body, { instant: new Date(pseudoReferenceMs), timezone: 0 }, { forwardDate: false }),
  );
  if (results.length !== 1) return undefined;
  const result = results[0]!;
  if (result.end) return undefined;
  const leftover = body.slice(0, result.index) + body.slice(result.index + result.text.length);
  return HARMLESS_LEFTOVER.test(leftover) ? result : undefined;
}

/**
 * Runs `fn` with the process's local zone set to UTC. chrono computes implied dates and relative
 * distances with Date's local getters and setters; pinned to UTC they become plain calendar
 * arithmetic on the wall clock we hand it, and the machine's zone (and its DST) cannot leak in.
 * Node re-reads TZ when process.env.TZ is assigned; `fn` is synchronous, so nothing else runs
 * while the pin is in place.
 */
function withMachineZoneUtc<T>(fn: () => T): T {
  const saved = process.env.TZ;
  if (saved === 'UTC') return fn();
  process.env.TZ = 'UTC';
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

function resolveReading(reading: Reading): ParsedInstant {
  const notes = [...reading.notes];
  const ms =
    reading.anchoredMs ?? wallTimeToInstant(reading.wall, reading.zone, notes, reading.written.zoneWord);
  return {
    ms,
    zone: reading.zone,
    zoneNamed: reading.namedZone !== undefined,
    dateNamed: reading.dateNamed,
    text: reading.written.text,
    usedReference: reading.usedReference,
    notes,
  };
}

/**
 * The instant a wall-clock time names in `zone`. Where the zone's clock skips the time (spring
 * forward), luxon's rule moves it forward by the gap; where the time happens twice (fall back), the
 * earlier is taken, as luxon does. Both are written to `notes`.
 *
 * A zone word that claims an offset (`PDT`) picks between the two readings of a repeated hour. When
 * it claims an offset that is not in force on that date (`PDT` in January), the writer has made a
 * mistake: people write "PDT" meaning "Pacific time" far more often than they mean a summer offset
 * in winter, so the zone's own rule wins and the mismatch is noted. (Arizona writes MST all summer:
 * write America/Phoenix there.)
 */
export function wallTimeToInstant(wall: WallFields, zoneName: string, notes: string[], zoneWord?: ZoneWord): number {
  const zone = zoneObject(zoneName);
  const wallAsUtc = wallFieldsAsUtc(wall);
  const offsets = new Set([zone.offset(wallAsUtc - DAY_MS), zone.offset(wallAsUtc), zone.offset(wallAsUtc + DAY_MS)]);
  const readings = [...offsets]
    .map((offset) => ({ offset, ms: wallAsUtc - offset * MINUTE_MS }))
    .filter((candidate) => zone.offset(candidate.ms) === candidate.offset)
    .sort((a, b) => a.ms - b.ms);
  const shown = `${formatWall(wall)} ${zoneWord?.word ?? zoneName}`;

  const claimed = zoneWord?.claimedOffsetMinutes;
  if (claimed !== undefined) {
    const match = readings.find((candidate) => candidate.offset === claimed);
    if (match) return match.ms;
    notes.push(
      `${shown}: ${zoneWord!.word} (${formatOffset(claimed)}) is not in force in ${zoneName} then; read with the offset in force`,
    );
  }

  if (readings.length === 0) {
    const moved = DateTime.fromObject(wall, { zone }).toMillis();
    notes.push(
      `${shown} does not exist (the clocks skip forward); read as ${describeInstant(moved, zone)}`,
    );
    return moved;
  }
  if (readings.length > 1) {
    const [first, ...later] = readings;
    notes.push(
      `${shown} happens twice (the clocks fall back); read as the first, ${describeInstant(first!.ms, zone)}, not ${later
        .map((candidate) => describeInstant(candidate.ms, zone))
        .join(', ')}`,
    );
    return first!.ms;
  }
  return readings[0]!.ms;
}

function zoneObject(name: string): Zone {
  if (name === 'UTC') return FixedOffsetZone.utcInstance;
  if (/^UTC[+-]/.test(name)) return FixedOffsetZone.parseSpecifier(name);
  return IANAZone.create(name);
}

function fixedOffsetZoneName(offsetMinutes: number): string {
  return offsetMinutes === 0 ? 'UTC' : FixedOffsetZone.instance(offsetMinutes).name;
}

function wallFieldsAt(ms: number, zone: string): WallFields {
  const at = DateTime.fromMillis(ms, { zone: zoneObject(zone) });
  return {
    year: at.year,
    month: at.month,
    day: at.day,
    hour: at.hour,
    minute: at.minute,
    second: at.second,
    millisecond: at.millisecond,
  };
}

/** The wall-clock fields read as if they were UTC: a zone-free number to do calendar arithmetic on. */
function wallFieldsAsUtc(wall: WallFields): number {
  const date = new Date(Date.UTC(2000, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond));
  // Date.UTC maps years 0–99 to 1900–1999; setting the year separately does not.
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  return date.getTime();
}

function formatWall(wall: WallFields): string {
  return DateTime.fromMillis(wallFieldsAsUtc(wall), { zone: 'UTC' }).toFormat('yyyy-MM-dd HH:mm');
}

function formatOffset(minutes: number): string {
  return FixedOffsetZone.instance(minutes).formatOffset(0, 'short');
}

/** `03:30 PDT (2026-03-08T10:30:00.000Z)`, in English whatever the machine's locale. */
function describeInstant(ms: number, zone: Zone): string {
  const local = DateTime.fromMillis(ms, { zone }).setLocale('en-US');
  return `${local.toFormat('HH:mm ZZZZ')} (${iso(ms)})`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function unreadable(text: string, option: string): UsageError {
  return new UsageError(`${option}: cannot read ${quoteForMessage(text)} as a time`);
}
