/**
 * The ground truth of one simulated incident, written as `truth.json` beside its bundle. Instants are
 * ISO-8601 UTC. Everything here is what happened, not what the logs say: a lying probe's windows are
 * not outages, a clock-skewed probe's stamps are not the instants.
 */

export type CauseKind = 'bridge-churn' | 'kernel-template' | 'service-template';
export type ProbeShape = 'transitions' | 'logfmt' | 'plain' | 'json' | 'csv';
export type LieKind = 'failure-mode' | 'metronome' | 'clock-offset';

export interface Span {
  start: string;
  end: string;
}

export interface TrueOutage extends Span {
  host: string;
  /** What shows it in the bundle: `probe`, `silence:<stream>` — at least one, or it would not be solvable. */
  evidence: string[];
}

export interface TrueCause {
  kind: CauseKind;
  /** The template with its varying tokens as placeholders (`<pid>`, `<hex>`, `<addr>`, `<proc>`, `<n>`). */
  template: string;
  /** The event kind corr should give its lines today, when known (`kernel.other`, `syslog.<program>`). */
  program?: string;
  lead_s: number;
  hosts: string[];
  /**
   * Every burst of the cause, with or without an outage after it: the lines of it that a capture
   * holds, whether a capture holds its first line after a line of its own section (`start_seen`), and
   * for a burst that leads an outage, whether a capture holds one of them from before the onset.
   */
  bursts: Array<Span & { host: string; leads_outage: boolean; lines: string[]; start_seen: boolean; captured_before_onset?: boolean }>;
  /** Every line the cause wrote, as `file:line` (file as passed to ingest, relative to the incident). */
  lines: string[];
  /**
   * Whether the data can show the cause at all: some capture holds a burst that leads an outage from
   * its first line (`start_seen`: held after a line of its own section, so it is seen to start) and
   * from before its onset. When none does (a dmesg ring or a journal that begins after the burst, or
   * in the middle of it), no engineer could name it or date it, and the cause counts in neither cause
   * figure.
   */
  observable: boolean;
}

export interface TrueProbe {
  host: string;
  file: string;
  shape: ProbeShape;
  poll_s: number;
  /** From when the probe lies (failure-mode, metronome), or its clock offset (clock-offset: the whole log). */
  lie: null | { kind: LieKind; from: string; offset_s?: number; period_s?: number };
  /** The down periods the probe wrote that are not outages (a lying probe's fiction), as true instants. */
  fake_windows: Span[];
}

export interface ReportedWindow extends Span {
  /** As passed to `--window`: ISO-8601 UTC, or local time without a zone (`correlate --tz <zone>` reads it). */
  arg: string;
  /** True when a real outage lies behind it. */
  real: boolean;
  host: string | null;
  /** A wrong window with one symptom-looking line planted inside: one coincidental line must not confirm it. */
  decoy: boolean;
}

export interface StreamTruth {
  host: string;
  name: string;
  /** Mean seconds between events. */
  interval_s: number;
  /** A stream that arrives over the network falls silent in an outage; a local one runs through it. */
  through_outages: boolean;
  span: Span;
}

export interface FileTruth {
  path: string;
  /** The section title (`dmesg`), or null for a whole file. */
  section: string | null;
  /** What the simulator wrote there (`dmesg-raw`, `syslog`, `probe-csv`, `fact` …). */
  shape: string;
  /** Lines the simulator wrote in it (the section's `=====` header not counted). */
  lines: number;
  /** Of those, lines that are a header by design (a CSV's column names): skipped, with that reason. */
  header_lines: number;
  /** Whether corr reads this shape today (else its lines may be skipped: not asserted). */
  read_today: boolean;
}

export interface IncidentTruth {
  version: 1;
  seed: number;
  zone: string;
  /** The offset changes inside the incident's span. */
  dst_changes: string[];
  span: Span;
  hosts: string[];
  outages: TrueOutage[];
  cause: TrueCause | null;
  probes: TrueProbe[];
  reported: ReportedWindow[];
  streams: StreamTruth[];
  /** Spans between captures that no copy of a stream covers (a gap in coverage, not in traffic). */
  coverage_gaps: Array<Span & { host: string; stream: string }>;
  files: FileTruth[];
  /** The bundle's directory, relative to the incident directory. */
  bundle: string;
  /** Labels for the breakdown. */
  tags: { zone: string; rate_band: string; probe_shapes: ProbeShape[]; cause: CauseKind | 'none'; hosts: number };
}
