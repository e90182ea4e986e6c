/**
 * What the rest of corr may ask of a store: a writer for ingest and a reader for everyone else.
 * Only plain data crosses this line (model types, numbers, arrays): no SQL and no driver types, so
 * another engine (a networked, columnar one) can implement it without ingest, correlate or report
 * changing. The methods are batch-shaped (many events per call, column batches back) for the same
 * reason: a round trip per row would be the cost of such an engine.
 *
 * Two engines implement it: SQLite (writer.ts, queries.ts), the embedded default, and ClickHouse
 * (clickhouse/, docs/fleet.md); store/factory.ts picks one from `--db`.
 */
import type { Columns, EventQuery, EventRow, Fields, RowLookup, Severity } from '../model/event.js';
import type { Note, LookedLikeCode } from '../model/notes.js';
import type { BootEvidenceRecord, BootRecord, CoverageSpan, StoredSection, TwinStore } from '../model/source.js';

/** A file version as the survey saw it. */
export interface FileVersion {
  path: string;
  /** Where the bytes were: the resolved real path. With the hash, the file's identity. */
  realPath: string;
  /** The host the capture names itself, if it does. */
  host: string | null;
  sha256: string;
  size: number;
  mtimeMs: number;
  gzip: boolean;
}

export interface StoredFile {
  id: number;
  sha256: string;
  size: number;
  complete: boolean;
}

/** One event ready to store: its placement (instant, host, boot) is already decided. */
export interface NewEvent {
  tsUs: number | null;
  line: number;
  host: string;
  source: string;
  kind: string;
  severity: Severity;
  message: string;
  raw: string;
  fields: Fields;
  count: number;
  uptimeUs: number | null;
  /** The boot segment (an id from SectionTx.bootId), or null. */
  bootId: number | null;
  timeNote: string | null;
  /** Dedup key: the same key stored from another file is the same event, kept once. */
  tkey: number;
  dhash: number;
  occ: number;
  /**
   * Dedup key part for uptime-keyed kernel lines: the boot they belong to (the bootId of the first
   * stored segment of that boot, src/ingest/boot-keys.ts), so that another boot's identical
   * `[0.000000] …` line is never taken for this one's. 0 (the default) for every other row.
   */
  bootKey?: number;
}

export interface DedupKey {
  tkey: number;
  dhash: number;
  occ: number;
  bootKey?: number;
}

/** An event already stored under a dedup key. `tsUs` is null while it has no instant. */
export interface StoredTwin {
  tsUs: number | null;
  bootId: number | null;
}

/** A stored line under a dedup instant: whose, what it says, and where it came from. */
export interface StoredLineAt {
  host: string;
  message: string;
  path: string;
  title: string | null;
}

/** The section row, written once when the section commits. */
export interface SectionRecord {
  title: string | null;
  startLine: number;
  endLine: number;
  format: string | null;
  lookedLike: string | null;
  lookedLikeCode: LookedLikeCode | null;
  host: string | null;
  tz: string | null;
  lines: number;
  events: number;
  continuations: number;
  skipped: number;
  duplicates: number;
  unanchored: number;
  firstUs: number | null;
  lastUs: number | null;
}

/**
 * What may change stored sections other than the one being written, inside a transaction: twin
 * links (src/ingest/context/kernel-twins.ts) and the coverage of a section whose boot was placed
 * late (by a later section's or run's evidence).
 */
export interface LateStore extends TwinStore {
  /** Add coverage spans to a stored section, with the note that says why. */
  addSectionCoverage(sectionId: number, spans: readonly CoverageSpan[], streams: readonly { host: string; source: string }[], note: Note): void;
}

/** One section's transaction: everything in it is stored together or not at all. */
export interface SectionTx extends LateStore {
  readonly fileId: number;
  readonly sectionId: number;
  /** Store events; for each, whether it was new (false: the same event was stored already). */
  addEvents(events: readonly NewEvent[]): boolean[];
  /** The stored events under these keys (undefined where none), before adding this section's. */
  twins(keys: readonly DedupKey[]): (StoredTwin | undefined)[];
  /**
   * The id the section's boot segment `segment` will have: rows may reference it before the boot
   * itself is recorded (placeBoot, at the section's end, when its placement is known).
   */
  bootId(segment: number): number;
  /** Record one boot segment of this section, placed (or known unanchored), under its bootId. */
  placeBoot(boot: BootRecord): void;
  /**
   * Stored lines of other files under each key's dedup instant and source (host attribution by
   * identical lines, src/ingest/context/same-lines.ts): at most `limit` per key.
   */
  sameLines(keys: readonly { tkey: number; source: string }[], limit?: number): StoredLineAt[][];
  /**
   * Stored kernel lines of `host` with a wall-clock instant and no uptime stamp (journal, syslog),
   * this section's included: raw dmesg of the same boot is matched to them by message. At most `limit`.
   */
  wallKernelLines(host: string, limit?: number): { id: number; tsUs: number; message: string }[];
  /** The uptime-only kernel lines of a stored boot still unplaced (its rows have no instant). */
  bootRawLines(bootId: number): { uptimeUs: number; message: string }[];
  /** Whether any stored event has a dedup instant in [lo, hi] (one index probe). */
  anyKeyIn(lo: number, hi: number): boolean;
  /**
   * The boot key of a stored uptime-keyed kernel line with this uptime (`tkey`) and this host,
   * source and message (`dhash`), or null when none is stored (src/ingest/boot-keys.ts). An engine
   * without boot keys leaves it out: every segment then keeps its own key.
   */
  storedBootKey?(tkey: number, dhash: number): number | null;
  /** The largest first uptime of the stored boots of `host` (a wrapped ring buffer starts late), or null. */
  latestBootStart?(host: string): number | null;
  /**
   * Place a boot stored unanchored by an earlier run, now that this section's lines anchor it: its
   * rows get their instants, its section's unanchored warning gives way to the anchor assumption.
   */
  placeStoredBoot(bootId: number, anchorUs: number, why: string, precisionUs?: number | null, evidence?: BootEvidenceRecord | null): void;
  addNote(note: Note): void;
  /**
   * The spans of time the section covers, for each host and source it holds events of (written at
   * commit; the bundle context computes them).
   */
  setCoverage(spans: readonly CoverageSpan[], streams: readonly { host: string; source: string }[]): void;
  /**
   * Write the section row and commit. `completeFile` marks the file as wholly stored; `remove`
   * are outdated versions it replaces (--replace), removed in the same transaction.
   */
  commit(section: SectionRecord, completeFile: boolean, remove?: readonly number[]): void;
  rollback(): void;
}

export interface StoredBoot {
  id: number;
  sectionId: number;
  path: string;
  host: string;
  last: boolean;
  minUptimeUs: number | null;
  maxUptimeUs: number | null;
  anchorUs: number | null;
  anchorWhy: string | null;
  /** Half the width of the placement interval (µs), null when unplaced or not known. */
  precisionUs: number | null;
  evidence: BootEvidenceRecord | null;
  events: number;
  title: string | null;
  segment: number;
}

/** A placement of a stored boot, with what placed it when the bundle estimator knows. */
export interface StoredBootPlacement {
  bootId: number;
  anchorUs: number;
  why: string;
  precisionUs?: number | null;
  evidence?: BootEvidenceRecord | null;
}

/** One section's coverage of one host's source (CONTRACT.md `coverage`, per host and stream). */
export interface SourceCoverage {
  host: string;
  source: string;
  startUs: number;
  endUs: number;
  /**
   * The event kinds the section holds, for a source whose sections are different logs (syslog: an
   * auth.log holds cron and sudo, a unit's journal only that unit): the span says when those were
   * watched, not the source's other programs. Absent: it speaks for every kind of its source.
   */
  kinds?: string[];
}

export interface StoreWriter {
  /** The stored versions of the file at this real path (the path as given, for stores written before). */
  storedVersions(realPath: string, givenPath: string): StoredFile[];
  /** The files of the store itself (database, journal): never ingested. */
  ownFiles(): string[];
  storedOrdinals(fileId: number): Set<number>;
  /**
   * Begin a section's transaction. The file row is created in the first section's transaction, and
   * `removeFirst` (outdated versions this one replaces) removed in it. Null when the section is stored already
   * (an earlier, interrupted run, or another corr at the same moment).
   */
  beginSection(file: FileVersion, fileId: number | null, ordinal: number, removeFirst?: readonly number[]): { fileId: number; tx: SectionTx | null };
  /**
   * Mark a file wholly stored, attaching notes about the whole read to its last section, and
   * remove the outdated versions it replaces; an event one of them shares with another file moves
   * to that file instead of going.
   */
  completeFile(fileId: number, notes: readonly Note[], remove?: readonly number[]): void;
  /** Boots stored unanchored (by earlier runs) — a later run's facts may place them. */
  openBoots(): StoredBoot[];
  /**
   * Place stored unanchored boots in one transaction; `then` runs inside it after the placements
   * (their twins and coverage are written with them, or not at all).
   */
  placeStoredBoots(placements: readonly StoredBootPlacement[], then?: (store: LateStore) => void): void;
  /** Add a note to a stored section (a boot fact that did not fit). */
  noteSection(sectionId: number, note: Note): void;
  sections(which?: { fileId?: number; sectionIds?: number[] }): StoredSection[];
  totalEvents(): number;
  /**
   * Make durable what is stored so far, for an engine that groups the sections of small files into
   * one transaction (SQLite: writer.ts). Called at the end of a run; until then a kill loses the
   * open group whole (whole sections, which the next run reads again).
   */
  flush?(): void;
}

/** Which events' fields a column read must include (the others come back without). */
export interface FieldsWanted {
  sources: readonly string[];
  kinds: readonly string[];
  /**
   * The only keys the caller reads, when given: a reader may leave the others out (SQLite does, and
   * shares equal values and equal objects between events, which is most of what fields cost in
   * memory). Without it every key comes back.
   */
  keys?: readonly string[];
}

/** A source file as stored, with what its sections were. */
export interface SourceFile {
  path: string;
  sha256: string;
  /** Some section looked like CLI help text (a probe's "snapshot" that is not one). */
  helpText: boolean;
  /** Some section is a log. */
  hasLog: boolean;
}

/** Per host and source: the span the stored events cover. */
export interface CoverageRow {
  host: string;
  source: string;
  events: number;
  firstUs: number;
  lastUs: number;
}

export interface StoreReader {
  /** Events in time order (ties by id), streamed. */
  events(q: EventQuery): Iterable<EventRow>;
  /** Every event of a query in time order, as one array. */
  eventList(q: EventQuery): EventRow[];
  /** The events of a query as columns in time order, with a lookup for what columns leave out. */
  eventColumns(q: EventQuery, fields: FieldsWanted): { columns: Columns; lookup: RowLookup };
  countEvents(q: EventQuery): number;
  eventSpan(): { firstUs: number | null; lastUs: number | null };
  sections(which?: { fileId?: number; sectionIds?: number[] }): StoredSection[];
  sources(): SourceFile[];
  boots(): StoredBoot[];
  coverage(): CoverageRow[];
  /**
   * What each section covers of each host's source it holds events of: its stored coverage spans
   * (for stores written before coverage was stored: its first to its last event).
   */
  sourceCoverage(): SourceCoverage[];
  /** The distinct values of one event column among anchored events, sorted (for "did you mean"). */
  distinctValues(column: 'host' | 'source' | 'kind'): string[];
}
