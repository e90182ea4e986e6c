/**
 * The shapes every format descriptor and the ingest pipeline agree on.
 *
 * A format descriptor frames lines (finds the timestamp, host, program and message of one line) and
 * hands the message to a classifier (src/ingest/classify/) that names its kind and extracts fields.
 * Time is returned *as found* (RawTime); aligning it to UTC is the pipeline's job (src/time/), so
 * that every assumption (zone, year, boot instant) is made in one place and recorded.
 */

export const SEVERITIES = ['debug', 'info', 'notice', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A timestamp exactly as a line carried it, before any assumption. */
export type RawTime =
  /** The line carried an offset, a `Z`, or an epoch: the instant is known. Microseconds since the epoch. */
  | { kind: 'exact'; utcUs: number }
  /**
   * A wall-clock time with no offset. `year` is null when the format has none (syslog, klog): the
   * pipeline infers it. Months are 1-12; `micro` is the sub-second part in microseconds.
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
  /** Microseconds since boot (raw dmesg, kmsg, pstore): the pipeline anchors it to a boot instant. */
  | { kind: 'uptime'; us: number }
  /** The line carries no time at all (journal lines without timestamps, bare messages). */
  | { kind: 'none' };

export type FieldValue = string | number | boolean;
export type Fields = Record<string, FieldValue>;

/** One record a format found on one line. */
export interface ParsedEvent {
  time: RawTime;
  /**
   * A second clock carried by the same line: kern.log and `journalctl -k` embed the uptime stamp
   * `[   54.878462]` beside the syslog time. The pipeline uses such pairs to anchor boots.
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

/** What a descriptor makes of one line. */
export type LineResult =
  | { type: 'event'; event: ParsedEvent }
  /** The line belongs to the previous event (indented syslog continuation, klog Trace[], goroutine dump). */
  | { type: 'continuation' }
  /** The line is this format's, but carries nothing to store; `reason` says why (counted, reported). */
  | { type: 'skip'; reason: string };

/** What a sample line must produce; the suite checks every sample of every format (test/formats.samples.test.ts). */
export interface SampleExpect {
  kind?: string;
  source?: string;
  severity?: Severity;
  host?: string;
  /** For exact times: the ISO-8601 UTC instant. For local times: `MM-DD HH:MM:SS` (and `YYYY-` before it when the line has a year). For uptime: seconds as a decimal string. */
  time?: string;
  fields?: Fields;
  /** true when the sample is a continuation line (it is then parsed after the sample before it). */
  continuation?: boolean;
}

export interface Sample {
  line: string;
  expect: SampleExpect;
}

export interface FormatDescriptor {
  /** Stable name stored with each section: `syslog`, `dmesg-raw`, `klog`, `probe` ... */
  name: string;
  /** One line for docs and `corr formats`. */
  title: string;
  /**
   * How well the first lines of a section fit this format, 0..1. Cheap (a few regex tests per line).
   * Usual rule: the share of non-blank head lines that parse as this format's events.
   */
  detect(head: string[]): number;
  /**
   * Parse one line (without its line ending). `prev` is the last event of this section, or null.
   * Returns null when the line is not this format's at all (the pipeline counts it as skipped).
   */
  parse(line: string, prev: ParsedEvent | null): LineResult | null;
  /**
   * For formats whose lines mean more with what came before (a CSV header names the columns; a
   * probe's earlier poll of the same target makes this one an edge): a fresh parser for one section,
   * used instead of `parse` by the pipeline. `parse` then reads a line on its own.
   */
  reader?(): (line: string, prev: ParsedEvent | null) => LineResult | null;
  /** Real or realistic lines with what they must produce; at least one. */
  samples: Sample[];
}
