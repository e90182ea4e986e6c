/**
 * Zone hints: a line that carries its own UTC offset (`2024-05-27T10:00:00+02:00` in journalctl's
 * short-iso, RFC 5424, rsyslog's RFC 3339 template) says what the host's clock was set to at that
 * instant. That is evidence about the zone of its zoneless siblings (the same capture, or the same
 * host's files in its directory) — never a zone itself: +02:00 is Europe/Berlin in summer and
 * Africa/Cairo in winter, and a fixed offset would put every line across a DST change an hour off.
 * The offsets and their instants are used to check or to pick an IANA zone (docs/time.md):
 *   - a stated zone (`timedatectl`, `date`, a sibling's) must agree at every hint instant, else a
 *     warning names both;
 *   - with no stated zone, the zones the bundle suggests (stated anywhere in it, or by --tz-for)
 *     that agree are the candidates: exactly one is taken; otherwise the hint goes into the
 *     assumption and a warning names the agreeing zones and `--tz`.
 */
import { DateTime } from 'luxon';
import { ABBREVIATION_ZONES, formatOffset, offsetAt } from '../../time/zones.js';

export interface OffsetHint {
  /** The offset the line carried, minutes east of UTC. */
  offsetMin: number;
  /** The line's instant, UTC µs. */
  us: number;
  /** The file (and section) it came from. */
  where: string;
}

/** An ISO-8601 / RFC 3339 stamp with a numeric offset near the start of a line (not `Z`: UTC by design, not the host's clock). */
const STAMP = /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?\s?([+-])(\d{2}):?(\d{2})(?![\d:])/;

/**
 * The offset a line's own stamp carries, checked against the instant its format parsed (`utcUs`):
 * the wall time minus the offset must be that instant to the second, so a time quoted inside a
 * message is never taken for the line's.
 */
export function lineOffset(line: string, utcUs: number): number | null {
  const m = STAMP.exec(line.slice(0, 80));
  if (!m) return null;
  const sign = m[7] === '-' ? -1 : 1;
  const offsetMin = sign * (Number(m[8]) * 60 + Number(m[9]));
  if (Math.abs(offsetMin) > 14 * 60) return null;
  const wallMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const utcMs = wallMs - offsetMin * 60_000;
  if (Math.floor(utcUs / 1_000_000) !== utcMs / 1000) return null;
  return offsetMin;
}

/** At most this many hints per file: the first and last lines of its sections are plenty. */
const MAX_HINTS = 64;

export function keepHints(hints: OffsetHint[]): OffsetHint[] {
  // The distinct (offset, instant) pairs, earliest first; the extremes matter most (a DST change between them).
  const seen = new Map<string, OffsetHint>();
  for (const h of hints) seen.set(`${h.offsetMin}\0${h.us}`, h);
  const all = [...seen.values()].sort((a, b) => a.us - b.us);
  if (all.length <= MAX_HINTS) return all;
  return [...all.slice(0, MAX_HINTS / 2), ...all.slice(-MAX_HINTS / 2)];
}

/** Whether `zone` had each hint's offset at its instant. */
export function zoneAgrees(zone: string, hints: readonly OffsetHint[]): boolean {
  return hints.every((h) => offsetAt(zone, Math.floor(h.us / 1000)) === h.offsetMin);
}

/** The first hint `zone` contradicts, with the offset the zone had then. */
export function firstDisagreement(zone: string, hints: readonly OffsetHint[]): { hint: OffsetHint; zoneOffsetMin: number } | null {
  for (const h of hints) {
    const z = offsetAt(zone, Math.floor(h.us / 1000));
    if (z !== h.offsetMin) return { hint: h, zoneOffsetMin: z };
  }
  return null;
}

let allZones: string[] | null = null;

/**
 * Every IANA zone the runtime knows that agrees with all hints: first those the common zone
 * abbreviations stand for (what `date` prints: CET → Europe/Berlin), then the rest by name — the
 * list is said to a person, and 48 zones of +01:00 in alphabetical order start in Africa.
 */
export function agreeingZones(hints: readonly OffsetHint[]): string[] {
  allZones ??= (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone').filter((z) => DateTime.local().setZone(z).isValid);
  const common = [...new Set(Object.values(ABBREVIATION_ZONES).map((a) => a.zone))];
  const agree = allZones.filter((z) => zoneAgrees(z, hints));
  const first = common.filter((z) => agree.includes(z) || zoneAgrees(z, hints));
  return [...first, ...agree.filter((z) => !first.includes(z))];
}

/** One phrase for the hints: the offsets, the span of instants, how many lines and where. */
export function describeHints(hints: readonly OffsetHint[]): string {
  const offsets = [...new Set(hints.map((h) => formatOffset(h.offsetMin)))].join(', ');
  const first = hints[0]!;
  const last = hints[hints.length - 1]!;
  const where = [...new Set(hints.map((h) => h.where))];
  const span = first.us === last.us ? `at ${iso(first.us)}` : `from ${iso(first.us)} to ${iso(last.us)}`;
  return `${hints.length} line${hints.length === 1 ? '' : 's'} of ${where.slice(0, 2).join(', ')}${where.length > 2 ? ` and ${where.length - 2} more` : ''} carry offset ${offsets} ${span}`;
}

function iso(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}
