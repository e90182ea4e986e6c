/**
 * Wall-clock time in an IANA zone → UTC, with DST gaps and repeated hours detected.
 *
 * Why not `DateTime.fromObject(..., {zone})` per line: it costs ~15 µs, which is 15 s per million
 * lines. The offsets a zone can have for one wall-clock half hour are fixed, so they are computed
 * once per (zone, half hour) with luxon's IANAZone and cached; each line is then plain arithmetic.
 * Transitions happen on whole or half hours in every zone in use, so a half-hour cache slot never
 * straddles one.
 */
import { IANAZone } from 'luxon';

export type LocalTimeNote = 'gap' | 'ambiguous' | null;

export interface LocalToUtc {
  /** The chosen UTC instant in microseconds. */
  utcUs: number;
  /** `gap`: the wall time does not exist (spring forward) and was moved forward by the gap;
   *  `ambiguous`: it exists twice (autumn) and `utcUs` is the occurrence chosen. */
  note: LocalTimeNote;
  /** For ambiguous times: the other possible instant. */
  otherUs?: number;
}

interface SlotOffsets {
  /** Offsets (minutes) valid for wall times in this slot, earliest instant first. */
  valid: number[];
  /** For a gap: the offset in force just before it (luxon and POSIX move the wall time forward). */
  before: number;
}

const SLOT_MS = 30 * 60 * 1000;
const AMBIGUITY_TOLERANCE_US = 10 * 60 * 1_000_000;
const zoneCache = new Map<string, IANAZone>();
const slotCache = new Map<string, Map<number, SlotOffsets>>();

export function isValidZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

function zoneOf(name: string): IANAZone {
  let z = zoneCache.get(name);
  if (!z) {
    if (!IANAZone.isValidZone(name)) throw new Error(`unknown time zone ${JSON.stringify(name)}`);
    z = IANAZone.create(name);
    zoneCache.set(name, z);
  }
  return z;
}

/**
 * The zone's offset from UTC in minutes at a UTC instant (ms). Remembered per (zone, UTC half
 * hour), on the assumption the wall-time slots below make too (transitions fall on whole or half
 * hours): luxon asks Intl for it, ~10 µs, and every section of 100,000 tiny files asks (#17).
 */
export function offsetAt(zone: string, utcMs: number): number {
  const slot = Math.floor(utcMs / SLOT_MS);
  let perZone = utcSlotCache.get(zone);
  if (!perZone) utcSlotCache.set(zone, (perZone = new Map()));
  let o = perZone.get(slot);
  if (o === undefined) {
    o = zoneOf(zone).offset(utcMs);
    if (perZone.size >= 100_000) perZone.clear();
    perZone.set(slot, o);
  }
  return o;
}
const utcSlotCache = new Map<string, Map<number, number>>();

function slotOffsets(zone: string, wallMs: number): SlotOffsets {
  let perZone = slotCache.get(zone);
  if (!perZone) {
    perZone = new Map();
    slotCache.set(zone, perZone);
  }
  const slot = Math.floor(wallMs / SLOT_MS);
  let found = perZone.get(slot);
  if (found) return found;
  const z = zoneOf(zone);
  const probe = slot * SLOT_MS + SLOT_MS / 2;
  // Any offset in force within a day either side is a candidate; keep those that map back.
  const candidates = new Set([z.offset(probe - 86_400_000), z.offset(probe), z.offset(probe + 86_400_000)]);
  for (const o of [...candidates]) candidates.add(z.offset(probe - o * 60_000));
  const valid = [...candidates].filter((o) => z.offset(probe - o * 60_000) === o).sort((a, b) => b - a);
  found = { valid, before: z.offset(probe - 86_400_000) };
  perZone.set(slot, found);
  return found;
}

/**
 * Convert a wall-clock time in `zone` to UTC. `previousUs` (the last instant resolved in the same
 * file) decides a repeated autumn hour: a file that has already passed the first occurrence is in
 * the second.
 */
export function localToUtc(
  zone: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  micro: number,
  previousUs: number | null = null,
): LocalToUtc {
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const { valid, before } = slotOffsets(zone, wallMs);
  if (valid.length === 1) return { utcUs: (wallMs - valid[0]! * 60_000) * 1000 + micro, note: null };
  if (valid.length === 0) {
    // Spring-forward gap: read the wall time with the offset in force before the gap, which lands
    // after it (02:30 PST does not exist; 02:30 -08:00 is 03:30 PDT).
    return { utcUs: (wallMs - before * 60_000) * 1000 + micro, note: 'gap' };
  }
  const early = (wallMs - valid[0]! * 60_000) * 1000 + micro;
  const late = (wallMs - valid[valid.length - 1]! * 60_000) * 1000 + micro;
  // Ambiguous: the first occurrence unless the file has already moved well past it (a few minutes of
  // out-of-order lines inside the first occurrence must not flip it).
  const pickLate = previousUs !== null && previousUs > early + AMBIGUITY_TOLERANCE_US;
  return { utcUs: pickLate ? late : early, note: 'ambiguous', otherUs: pickLate ? early : late };
}

/** The machine's own zone, the last resort for times without one. */
export function machineZone(): string {
  const z = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return z && isValidZone(z) ? z : 'UTC';
}

/**
 * Common zone abbreviations as `date` prints them, mapped to the IANA zone most likely meant and
 * the offsets (minutes) the abbreviation stands for. Used to read a bundle's own `date` section;
 * the offset check rejects a mapping that does not fit (an `IST` that is not India's).
 */
export const ABBREVIATION_ZONES: Record<string, { zone: string; offsets: number[] }> = {
  UTC: { zone: 'UTC', offsets: [0] },
  GMT: { zone: 'UTC', offsets: [0] },
  Z: { zone: 'UTC', offsets: [0] },
  PST: { zone: 'America/Los_Angeles', offsets: [-480] },
  PDT: { zone: 'America/Los_Angeles', offsets: [-420] },
  MST: { zone: 'America/Denver', offsets: [-420] },
  MDT: { zone: 'America/Denver', offsets: [-360] },
  CST: { zone: 'America/Chicago', offsets: [-360] },
  CDT: { zone: 'America/Chicago', offsets: [-300] },
  EST: { zone: 'America/New_York', offsets: [-300] },
  EDT: { zone: 'America/New_York', offsets: [-240] },
  AKST: { zone: 'America/Anchorage', offsets: [-540] },
  AKDT: { zone: 'America/Anchorage', offsets: [-480] },
  HST: { zone: 'Pacific/Honolulu', offsets: [-600] },
  BST: { zone: 'Europe/London', offsets: [60] },
  WET: { zone: 'Europe/Lisbon', offsets: [0] },
  WEST: { zone: 'Europe/Lisbon', offsets: [60] },
  CET: { zone: 'Europe/Berlin', offsets: [60] },
  CEST: { zone: 'Europe/Berlin', offsets: [120] },
  EET: { zone: 'Europe/Helsinki', offsets: [120] },
  EEST: { zone: 'Europe/Helsinki', offsets: [180] },
  MSK: { zone: 'Europe/Moscow', offsets: [180] },
  IST: { zone: 'Asia/Kolkata', offsets: [330] },
  JST: { zone: 'Asia/Tokyo', offsets: [540] },
  KST: { zone: 'Asia/Seoul', offsets: [540] },
  AEST: { zone: 'Australia/Sydney', offsets: [600] },
  AEDT: { zone: 'Australia/Sydney', offsets: [660] },
  NZST: { zone: 'Pacific/Auckland', offsets: [720] },
  NZDT: { zone: 'Pacific/Auckland', offsets: [780] },
};

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
