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
  /** Its lines that are twins of the same line kept from another copy (left out of counts). */
  twins?: number;
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

/* Twins (src/ingest/context/kernel-twins.ts): the same kernel line stored from raw dmesg and from a journal. */

/** A stored kernel row as the pairing reads it. `linked`: already a twin, or already the kept copy of one. */
export interface KernelRow {
  id: number;
  tsUs: number;
  message: string;
  linked: boolean;
}

/** A placed boot: its anchor and precision, and the uptime range of its lines. */
export interface PlacedBoot {
  id: number;
  host: string;
  anchorUs: number;
  /** Half the width of its placement interval; null when unknown (taken as a second). */
  precisionUs: number | null;
  minUptimeUs: number;
  maxUptimeUs: number;
}

export interface TwinLink {
  /** The row left out of counts. */
  twinId: number;
  /** The row kept. */
  ofId: number;
}

/** What the store offers the linking (a section's transaction, or the late placement of stored boots). */
export interface TwinStore {
  /** Stored boots of `host` with an anchor. */
  placedBoots(host: string): PlacedBoot[];
  /** A boot's placed rows that carry an uptime stamp (kernel). */
  bootKernelRows(bootId: number): KernelRow[];
  /** The host's wall-clock kernel rows (no uptime stamp) in [fromUs, toUs]. */
  wallKernelRowsIn(host: string, fromUs: number, toUs: number): KernelRow[];
  /** Mark each twin; returns how many were newly marked. */
  linkTwins(links: readonly TwinLink[]): number;
}

