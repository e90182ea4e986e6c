/**
 * The event, as a format parses it from a line (ParsedEvent) and as the store hands it back
 * (EventRow). Every layer speaks these shapes: ingest produces them, the store keeps them,
 * correlate, report and the timeline read them.
 */
import type { RawTime } from './time.js';

export const SEVERITIES = ['debug', 'info', 'notice', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The stored number of a severity (its position in SEVERITIES). */
export const SEVERITY_RANK: Record<Severity, number> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

export type FieldValue = string | number | boolean;
export type Fields = Record<string, FieldValue>;

/** One record a format found on one line. */
export interface ParsedEvent {
  time: RawTime;
  /**
   * A second clock carried by the same line: kern.log and `journalctl -k` embed the uptime stamp
   * `[   54.878462]` beside the syslog time. Such pairs anchor boots.
   */
  uptimeUs?: number;
  /** The host the record itself names (syslog host field, journal `_HOSTNAME`). */
  host?: string;
  /** The program that wrote it (`sshd`, `sshd-session`, `kernel`, `k3s`), when the format names one. */
  program?: string;
  pid?: number;
  /** `kernel`, `k3s`, `sshd`, `probe`, `syslog` (any other program). */
  source: string;
  /** `<source>.<name>` in snake case, e.g. `sshd.failed_password`. */
  kind: string;
  severity: Severity;
  /** The message without the timestamp/host/program prefix. */
  message: string;
  /** What the classifier extracted (sshd: ip, user, port, method; bridge: bridge, port, iface, state ...). */
  fields: Fields;
  /** A `message repeated N times` line stands for N events; N is also put in `fields.repeated`. */
  repeated?: number;
}

/** One stored event as queries return it (timeline, correlate, report). */
export interface EventRow {
  id: number;
  /** The UTC instant in microseconds since the epoch. Unanchored events are never returned by time queries. */
  tsUs: number;
  host: string;
  source: string;
  kind: string;
  severity: Severity;
  message: string;
  /** The path as given at ingest. */
  file: string;
  /** 1-based line number in the whole file (decompressed for .gz). */
  line: number;
  fields: Fields;
  /** How many events the row stands for (a `message repeated N times` line counts N). */
  count: number;
}

/** What a caller may filter events by. All bounds are UTC microseconds, `since` inclusive, `until` exclusive. */
export interface EventQuery {
  sinceUs?: number;
  untilUs?: number;
  sources?: string[];
  hosts?: string[];
  /** Kind prefixes (`sshd.` matches every sshd kind). */
  kinds?: string[];
  limit?: number;
  /**
   * Include twins: kernel lines stored a second time from another copy of the same log (a journal
   * beside raw dmesg), which every count and the correlator leave out (docs/time.md, "Twins").
   */
  withTwins?: boolean;
}

/** How many events a row stands for. A missing or nonsensical count is one event. */
export function weightOfCount(count: number): number {
  return Number.isFinite(count) && count >= 1 ? Math.floor(count) : 1;
}

/**
 * Events as columns (what the correlator reads): instants, weights and interned host/source/kind
 * codes in time order (ties by id), and parsed fields only where asked for. A plain batch, so any
 * store engine can produce it.
 */
/**
 * A column of non-negative integers in the narrowest array that holds them (the SQLite load picks
 * it: weights are nearly all 1 and codes few, so 1 byte an event instead of 8 or 4); any engine may
 * hand wider arrays.
 */
export type IntColumn = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

export interface Columns {
  length: number;
  id: Float64Array | Uint32Array;
  tsUs: Float64Array;
  weight: IntColumn;
  host: IntColumn;
  source: IntColumn;
  kind: IntColumn;
  /** The interned strings the codes above index. */
  strings: string[];
  fields: (Fields | undefined)[];
  /**
   * Instead of `fields` (left empty then), the fields of event i built when asked from a packed
   * store (the SQLite column load: a few numbers an event instead of an object each).
   */
  fieldsAt?: (i: number) => Fields | undefined;
}

/** Looks up what columns leave out, by event id. */
export interface RowLookup {
  messages(ids: readonly number[]): Map<number, string>;
  rows(ids: readonly number[]): Map<number, EventRow>;
}
