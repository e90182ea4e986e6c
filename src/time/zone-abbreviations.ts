/**
 * The zone names people write in postmortems and on the command line, mapped to IANA zones.
 *
 * `PT` (and MT, CT, ET) means "Pacific time, whichever is in force on that date", so it maps to the
 * IANA zone and never to a fixed offset. `PST`/`PDT` and friends map to the same IANA zone but also
 * remember the offset the writer claimed, so a wall time that happens twice (the autumn fall-back
 * hour) can be told apart: `01:30 PDT` and `01:30 PST` on 2026-11-01 are an hour apart. What happens
 * when the claimed offset is not in force on that date is decided in expressions.ts.
 */
import { IANAZone } from 'luxon';
import { UsageError } from '../errors.js';

export interface ZoneAbbreviation {
  /** The IANA zone whose rules decide the offset. */
  zone: string;
  /** The offset east of UTC in minutes that the abbreviation claims, when it claims one (PST: -480). */
  claimedOffsetMinutes?: number;
}

const PACIFIC = 'America/Los_Angeles';
const MOUNTAIN = 'America/Denver';
const CENTRAL = 'America/Chicago';
const EASTERN = 'America/New_York';

// Keys are upper case; lookups upper-case the word first. A Map (not an object literal) so that a
// hostile word such as `__proto__` or `constructor` finds nothing.
const ABBREVIATIONS: ReadonlyMap<string, ZoneAbbreviation> = new Map<string, ZoneAbbreviation>([
  ['PT', { zone: PACIFIC }],
  ['PST', { zone: PACIFIC, claimedOffsetMinutes: -480 }],
  ['PDT', { zone: PACIFIC, claimedOffsetMinutes: -420 }],
  ['MT', { zone: MOUNTAIN }],
  ['MST', { zone: MOUNTAIN, claimedOffsetMinutes: -420 }],
  ['MDT', { zone: MOUNTAIN, claimedOffsetMinutes: -360 }],
  ['CT', { zone: CENTRAL }],
  ['CST', { zone: CENTRAL, claimedOffsetMinutes: -360 }],
  ['CDT', { zone: CENTRAL, claimedOffsetMinutes: -300 }],
  ['ET', { zone: EASTERN }],
  ['EST', { zone: EASTERN, claimedOffsetMinutes: -300 }],
  ['EDT', { zone: EASTERN, claimedOffsetMinutes: -240 }],
  ['UTC', { zone: 'UTC' }],
  ['GMT', { zone: 'UTC' }],
  ['UT', { zone: 'UTC' }],
  ['Z', { zone: 'UTC' }],
]);

/** The abbreviation `word` stands for (case-insensitive), or undefined when it is not one we know. */
export function lookupZoneAbbreviation(word: string): ZoneAbbreviation | undefined {
  // Longest key is 3 characters; checking the length first keeps a hostile 100k-character word cheap.
  if (word.length > 3) return undefined;
  return ABBREVIATIONS.get(word.toUpperCase());
}

/**
 * The canonical IANA spelling of `name` (`america/los_angeles` → `America/Los_Angeles`), or
 * undefined when the runtime does not know the zone.
 */
export function canonicalIanaZone(name: string): string | undefined {
  // Zone names are short; refusing long ones keeps Intl from chewing on hostile input.
  if (name.length === 0 || name.length > 64 || !IANAZone.isValidZone(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * The IANA zone for a zone the user named (`--tz`, `--tz-for`): an IANA name, or one of the
 * abbreviations above (`PT` → `America/Los_Angeles`; `PDT` too, since an option names a zone and
 * not an instant). Anything else is a usage error naming the option.
 *
 * `EST`, `MST` and `UTC` are also IANA names (the first two fixed offsets); the abbreviation table
 * wins, so `--tz EST` means New York time like `EST` inside an expression does.
 */
export function resolveZone(name: string, option: string): string {
  const trimmed = name.trim();
  const abbreviation = lookupZoneAbbreviation(trimmed);
  if (abbreviation) return abbreviation.zone;
  const iana = canonicalIanaZone(trimmed);
  if (iana) return iana === 'Etc/UTC' ? 'UTC' : iana;
  throw new UsageError(`${option}: unknown time zone ${quoteForMessage(name)}`);
}

/** Same as resolveZone, under the name the validation issue uses. */
export const assertZone = resolveZone;

/**
 * `text` quoted for a one-line error message: JSON escaping turns control characters and newlines
 * in hostile input into visible escapes, and very long input is cut so the message stays one line.
 */
export function quoteForMessage(text: string): string {
  const limit = 80;
  const shown = text.length > limit ? `${text.slice(0, limit)}…` : text;
  return JSON.stringify(shown);
}
