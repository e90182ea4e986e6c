import { DateTime } from 'luxon';

/**
 * Instant and duration formatting for the report. Everything goes through luxon with an explicit
 * zone and locale so that the same input renders byte-identically on any machine, and so that the
 * local column follows the zone's real rules (DST) rather than a fixed offset.
 */

const LOCALE = 'en-US';

/** Milliseconds since the epoch for an ISO-8601 instant, or null when it does not parse. */
export function isoToMs(iso: string): number | null {
  const dt = DateTime.fromISO(iso, { zone: 'utc' });
  return dt.isValid ? dt.toMillis() : null;
}

/** UTC microseconds (the store's unit) to milliseconds. */
export function usToMs(us: number): number {
  return Math.floor(us / 1000);
}

function inZone(ms: number, tz: string): DateTime {
  return DateTime.fromMillis(ms, { zone: tz, locale: LOCALE });
}

/** `2026-05-27 00:18:05 UTC`. */
export function formatUtc(ms: number): string {
  return inZone(ms, 'utc').toFormat('yyyy-LL-dd HH:mm:ss') + ' UTC';
}

/** The zone's abbreviation at an instant (`PDT`), or `UTC-7` when it has none. */
export function zoneAbbreviation(ms: number, tz: string): string {
  return zoneLabel(inZone(ms, tz));
}

/** `2026-05-26 17:18:05 PDT` — the zone's abbreviation for that instant (falls back to the offset). */
export function formatLocal(ms: number, tz: string): string {
  const dt = inZone(ms, tz);
  return dt.toFormat('yyyy-LL-dd HH:mm:ss') + ' ' + zoneLabel(dt);
}

/** The short name of the zone at that instant (`PDT`), or `UTC-7` when the zone has no abbreviation. */
function zoneLabel(dt: DateTime): string {
  const name = dt.offsetNameShort ?? '';
  return /^[A-Za-z]{2,6}$/.test(name) ? name : 'UTC' + dt.toFormat('ZZ');
}

/** Whether the local zone adds anything beside UTC. */
export function showsLocal(tz: string): boolean {
  const zone = DateTime.fromMillis(0, { zone: tz }).zone;
  return !(zone.isUniversal && zone.offset(0) === 0);
}

/** `2026-05-27 00:18:05 UTC (2026-05-26 17:18:05 PDT)`, or just the UTC part when tz is UTC. */
export function formatBoth(ms: number, tz: string): string {
  return showsLocal(tz) ? `${formatUtc(ms)} (${formatLocal(ms, tz)})` : formatUtc(ms);
}

/** An ISO instant as `formatBoth`, or the raw string when it does not parse (it is escaped later). */
export function formatIsoBoth(iso: string, tz: string): string {
  const ms = isoToMs(iso);
  return ms === null ? iso : formatBoth(ms, tz);
}

/** `00:18:05` in the given zone, for compact ranges. */
export function formatClock(ms: number, tz: string): string {
  return inZone(ms, tz).toFormat('HH:mm:ss');
}

/** A range within one report: `2026-05-27 00:18:05–00:27:00 UTC`, dropping the repeated date. */
export function formatRangeUtc(startMs: number, endMs: number): string {
  const start = inZone(startMs, 'utc');
  const end = inZone(endMs, 'utc');
  const endText = start.hasSame(end, 'day') ? end.toFormat('HH:mm:ss') : end.toFormat('yyyy-LL-dd HH:mm:ss');
  return `${start.toFormat('yyyy-LL-dd HH:mm:ss')}–${endText} UTC`;
}

/** The same range in the local zone: `2026-05-26 17:18:05–17:27:00 PDT`. */
export function formatRangeLocal(startMs: number, endMs: number, tz: string): string {
  const start = inZone(startMs, tz);
  const end = inZone(endMs, tz);
  const endText = start.hasSame(end, 'day') ? end.toFormat('HH:mm:ss') : end.toFormat('yyyy-LL-dd HH:mm:ss');
  return `${start.toFormat('yyyy-LL-dd HH:mm:ss')}–${endText} ${zoneLabel(end)}`;
}

/** A range in UTC with the local range beside it when the zone is not UTC. */
export function formatRangeBoth(startMs: number, endMs: number, tz: string): string {
  const utc = formatRangeUtc(startMs, endMs);
  return showsLocal(tz) ? `${utc} (${formatRangeLocal(startMs, endMs, tz)})` : utc;
}

/**
 * Durations in one style throughout the report: `45 s`, `1 min 38 s`, `9 min`, `1 h 32 min`,
 * `2 d 3 h` — whole units, the two largest that matter, so "105 s" never sits beside "2.5 min".
 */
export function formatDuration(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return pair(Math.floor(s / 60), 'min', s % 60, 's');
  if (s < 86_400) return pair(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min');
  return pair(Math.floor(s / 86_400), 'd', Math.floor((s % 86_400) / 3600), 'h');
}

function pair(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
}

/** `04:30:39 UTC (21:30:39 PDT)`: a moment inside a report whose date the reader already has. */
export function formatClockBoth(ms: number, tz: string): string {
  const utc = `${formatClock(ms, 'utc')} UTC`;
  return showsLocal(tz) ? `${utc} (${formatClock(ms, tz)} ${zoneAbbreviation(ms, tz)})` : utc;
}
