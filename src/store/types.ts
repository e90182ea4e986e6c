import type { Fields, Severity } from '../ingest/types.js';

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
}

/** One ingested file or section, as `ingest --json` and `sources --json` print it (CONTRACT.md). */
export interface SectionSummary {
  path: string;
  section: string | null;
  format: string | null;
  host: string | null;
  lines: number;
  events: number;
  continuations: number;
  skipped: number;
  first: string | null;
  last: string | null;
  tz: string | null;
  assumptions: string[];
  warnings: string[];
}
