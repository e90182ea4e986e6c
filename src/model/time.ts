/**
 * Time as a line carried it, before any assumption, and what was assumed to place it in UTC.
 * Formats return a RawTime (src/ingest/formats/); src/time/ turns it into an instant and says how.
 */

/** A timestamp exactly as a line carried it, before any assumption. */
export type RawTime =
  /** The line carried an offset, a `Z`, or an epoch: the instant is known. Microseconds since the epoch. */
  | { kind: 'exact'; utcUs: number }
  /**
   * A wall-clock time with no offset. `year` is null when the format has none (syslog, klog): the
   * year refiner infers it. Months are 1-12; `micro` is the sub-second part in microseconds.
   */
  | {
      kind: 'local';
      year: number | null;
      month: number;
      day: number;
      hour: number;
      minute: number;
      second: number;
      micro: number;
    }
  /** Microseconds since boot (raw dmesg, kmsg, pstore): the boot refiner anchors it to a boot instant. */
  | { kind: 'uptime'; us: number }
  /** The line carries no time at all (journal lines without timestamps, bare messages). */
  | { kind: 'none' };

/**
 * Which clock an instant was read from, which says how far from the truth it can be: an `exact`
 * stamp is the writer's own clock; `wall` needed a zone (and maybe a year); `boot` is an uptime
 * plus an estimated boot instant (off by the estimate's error); `none` has no instant.
 */
export type TimePrecision = 'exact' | 'wall' | 'boot' | 'none';

/** What stands behind one stored instant: the line's own text, what was assumed, how precise. */
export interface TimeProvenance {
  raw: RawTime;
  precision: TimePrecision;
  /** The assumption specific to this line (a gap, an ambiguous hour), or null. */
  assumption: string | null;
}

export function precisionOf(raw: RawTime): TimePrecision {
  switch (raw.kind) {
    case 'exact':
      return 'exact';
    case 'local':
      return 'wall';
    case 'uptime':
      return 'boot';
    case 'none':
      return 'none';
  }
}

/**
 * The time note of a row whose instant is its boot's anchor plus its uptime stamp (not a clock of
 * its own). Such an instant is no independent evidence for another capture's boot.
 */
export const BOOT_PLACED_NOTE = 'boot+uptime';

/** A wall-clock reading with no zone attached yet (a `date` or `uptime -s` fact, a typed time). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}
