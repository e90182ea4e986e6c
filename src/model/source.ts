/**
 * The records of where events came from: a file (one version of it), its sections, their boots.
 * `SectionSummary` is the shape `ingest --json` and `sources --json` print (CONTRACT.md).
 */

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

/** A section as the store holds it: the summary plus its id and dedup/anchoring counts. */
export interface StoredSection extends SectionSummary {
  id: number;
  duplicates: number;
  unanchored: number;
  /** The spans of time it covers (CONTRACT.md `coverage`), in order. */
  coverage: CoverageSpan[];
}

/** A boot segment of uptime-stamped kernel lines and where it was placed. */
export interface BootRecord {
  /** 0-based: a reset of the uptime clock starts the next segment. */
  segment: number;
  host: string;
  /** The boot running at capture time (the section's last segment). */
  last: boolean;
  minUptimeUs: number;
  maxUptimeUs: number;
  /** The boot instant, UTC µs, or null when nothing anchors it. */
  anchorUs: number | null;
  anchorWhy: string | null;
  /** Half the width of the placement interval (µs), when known (src/time/boot-placement.ts). */
  precisionUs?: number | null;
  /** What placed it, and the candidates rejected as contradicting it. */
  evidence?: BootEvidenceRecord | null;
}

export interface BootEvidenceRecord {
  used: string[];
  rejected: string[];
}

/** A span of time a source covers, UTC µs. */
export interface CoverageSpan {
  startUs: number;
  endUs: number;
}
