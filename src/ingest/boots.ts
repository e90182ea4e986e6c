/**
 * Boot segments of uptime-stamped kernel lines, as a section is read, and placing them when it
 * ends: the rows that carry an uptime stamp wait here until the section's last line, when every
 * clue to their boot instant is known (the section's own pairs of clocks, the same lines stored
 * before, --boot-time, the bundle's boot facts); the time rule (src/time/boot-anchor.ts) picks the
 * instant, and then each row is stored once, already placed.
 *
 * The one row written twice: a boot stored unanchored by an earlier run, which this run's lines
 * anchor (dmesg ingested first, kern.log later). Within one run the pipeline reads raw captures
 * after the files that can anchor them, so that this does not arise.
 */
import type { Note } from '../model/notes.js';
import { assumption, warning } from '../model/notes.js';
import type { LateStore, NewEvent, SectionTx, StoredBoot } from '../store/interface.js';
import type { Note as NoteType } from '../model/notes.js';
import { coverageOf } from './context/coverage.js';
import { linkKernelTwins } from './context/kernel-twins.js';
import { BOOT_PLACED_NOTE } from '../model/time.js';
import { estimateBootAnchor, iso, type BootAnchorEstimator, type BootContext, type BootSegmentEvidence } from '../time/boot-anchor.js';
import { auditEpochUs } from './context/boot-evidence.js';
import { matchStoredBoot, type KernelLineIndex } from './context/kernel-match.js';

/** Raw lines of boots being read, matched to journal kernel lines (one index per run). */
export interface RawLineSink {
  index: KernelLineIndex;
  nextKey(): number;
}

export interface BootSegment {
  host: string;
  minUs: number;
  maxUs: number;
  /** (wall instant − uptime) of lines carrying both clocks. */
  pairs: number[];
  /** Lines with only the uptime stamp: placed by the boot's anchor. */
  uptimeOnly: number;
  /** Every wall stamp of `pairs` was a whole second (syslog), so a pair is good to a second. */
  wholeSeconds: boolean;
  /** (epoch − uptime) of `audit(EPOCH.ms:n)` stamps in its uptime-only kernel lines. */
  audit: number[];
  /** Its key in the run's raw-line index (matching to journal kernel lines), or -1. */
  rawKey: number;
}

export class BootTracker {
  readonly segments: BootSegment[] = [];
  private lastUptime: number | null = null;

  /** `raw`: where uptime-only kernel lines are indexed for matching to a journal's (the bundle context). */
  constructor(private readonly raw?: RawLineSink) {}

  /**
   * The segment index of a line with this uptime (and its own wall instant, if any). `kernelMessage`:
   * the message of a kernel line (audit stamps, matching).
   */
  track(host: string, uptimeUs: number, wallUs: number | null, kernelMessage?: string): number {
    let seg = this.segments[this.segments.length - 1];
    // A clock that goes back by more than a second is a new boot (kern.log spanning a reboot).
    if (!seg || (this.lastUptime !== null && uptimeUs < this.lastUptime - 1_000_000)) {
      seg = { host, minUs: uptimeUs, maxUs: uptimeUs, pairs: [], uptimeOnly: 0, wholeSeconds: true, audit: [], rawKey: this.raw?.nextKey() ?? -1 };
      this.segments.push(seg);
    }
    if (uptimeUs < seg.minUs) seg.minUs = uptimeUs;
    if (uptimeUs > seg.maxUs) seg.maxUs = uptimeUs;
    this.lastUptime = uptimeUs;
    if (wallUs !== null) {
      seg.pairs.push(wallUs - uptimeUs);
      if (wallUs % 1_000_000 !== 0) seg.wholeSeconds = false;
    } else {
      seg.uptimeOnly++;
      if (kernelMessage !== undefined) {
        const epoch = auditEpochUs(kernelMessage);
        if (epoch !== null) seg.audit.push(epoch - uptimeUs);
        this.raw?.index.addRaw(seg.rawKey, host, kernelMessage, uptimeUs);
      }
    }
    return this.segments.length - 1;
  }
}

/**
 * A segment's evidence as the estimator reads it. `wallLines`: the host's stored wall-clock kernel
 * lines (journal, syslog; this run's or an earlier one's) its raw lines are matched to.
 */
export function segmentEvidence(
  path: string, tracker: BootTracker, i: number, twins: readonly number[], raw?: RawLineSink,
  wallLines?: (host: string) => readonly { message: string; tsUs: number }[],
): BootSegmentEvidence {
  const seg = tracker.segments[i]!;
  const matched = raw && seg.rawKey !== -1 && wallLines && seg.uptimeOnly > 0 ? raw.index.pairsAgainst(seg.rawKey, wallLines(seg.host)) : null;
  return {
    path, host: seg.host, last: i === tracker.segments.length - 1, minUptimeUs: seg.minUs, maxUptimeUs: seg.maxUs, pairs: seg.pairs, twins,
    fromEnd: tracker.segments.length - 1 - i, pairsWholeSeconds: seg.wholeSeconds, audit: seg.audit, matched,
  };
}

/** A section's wall-clock kernel lines per host, fetched once (the store's, this section's included). */
export function wallLinesOf(tx: SectionTx): (host: string) => readonly { id: number; message: string; tsUs: number }[] {
  const cache = new Map<string, { id: number; message: string; tsUs: number }[]>();
  return (host) => {
    let w = cache.get(host);
    if (!w) cache.set(host, (w = tx.wallKernelLines(host)));
    return w;
  };
}

/** A row held until its boot is placed (it has no wall-clock time of its own). */
export interface HeldRow {
  row: NewEvent;
  segment: number;
}

/**
 * What a section of uptime-only lines streamed its rows at: when the store holds no line these
 * could be twins of, the boot's placement depends only on the run's facts, so it is predicted when
 * the section opens and its rows are stored already placed (no holding). The prediction is checked
 * when the section ends; if the segment's real evidence (its resets, its newest uptime) says
 * otherwise, the section is rolled back and read again holding its rows.
 */
export interface Speculation {
  anchorUs: number | null;
}

/** Dedup instants of uptime-keyed rows lie below this (3 years of uptime; wall instants are > 2001). */
export const UPTIME_KEY_LIMIT = 1e15;

/** The prediction for a section of uptime-only lines, or null when twins may exist (hold instead). */
export function speculate(tx: SectionTx, path: string, host: string, context: BootContext, estimator: BootAnchorEstimator = estimateBootAnchor): Speculation | null {
  if (tx.anyKeyIn(0, UPTIME_KEY_LIMIT)) return null;
  // The host's journal or syslog kernel lines may match these lines and place the boot: hold.
  if (tx.wallKernelLines(host, 1).length > 0) return null;
  const p = estimator({ path, host, last: true, minUptimeUs: null, maxUptimeUs: null, pairs: [], twins: [] }, context);
  return { anchorUs: p.anchor?.us ?? null };
}

export type SettledBoots =
  | {
      retry: false; inserted: boolean[]; rows: NewEvent[]; notes: Note[];
      /** Segments left unplaced, with their evidence: a journal read later in the run may still match them. */
      unplaced: UnplacedBoot[];
    }
  /** The speculation did not hold: roll the section back and read it again, holding its rows. */
  | { retry: true };

/** A boot segment stored unplaced in this run, with what it knew. */
export interface UnplacedBoot {
  bootId: number;
  sectionId: number;
  evidence: BootSegmentEvidence;
  rawKey: number;
}

/**
 * Place the section's boots and store its held rows, inside the section's transaction (the rows
 * of placed boots get their instants in place).
 * `estimator` is the time rule (replaceable: the bundle estimator).
 */
export function settleBoots(
  tx: SectionTx,
  path: string,
  tracker: BootTracker,
  held: readonly HeldRow[],
  context: BootContext,
  speculation: Speculation | null,
  estimator: BootAnchorEstimator = estimateBootAnchor,
  raw?: RawLineSink,
): SettledBoots {
  const notes: Note[] = [];
  const twinSamples = tracker.segments.map((): number[] => []);
  const twins = held.length > 0 ? tx.twins(held.map((h) => h.row)) : [];
  held.forEach((h, i) => {
    const t = twins[i];
    if (t && t.tsUs !== null) twinSamples[h.segment]!.push(t.tsUs - h.row.uptimeUs!);
  });
  const wall = wallLinesOf(tx);
  const evidence = tracker.segments.map((_, i) => segmentEvidence(path, tracker, i, twinSamples[i]!, raw, wall));
  const placements = evidence.map((e) => estimator(e, context));
  if (speculation && placements.some((p, i) => tracker.segments[i]!.uptimeOnly > 0 && (p.anchor?.us ?? null) !== speculation.anchorUs)) {
    return { retry: true };
  }
  const unplaced: UnplacedBoot[] = [];
  placements.forEach((p, i) => {
    const seg = tracker.segments[i]!;
    if (p.misfit) notes.push(warning('boot-fact-misfit', p.misfit));
    for (const w of p.warnings ?? []) notes.push(warning('boot-contradiction', w));
    const a = p.anchor;
    tx.placeBoot({
      segment: i, host: seg.host, last: i === tracker.segments.length - 1, minUptimeUs: seg.minUs, maxUptimeUs: seg.maxUs, anchorUs: a?.us ?? null, anchorWhy: a?.why ?? null,
      precisionUs: p.precisionUs ?? null, evidence: p.evidence ?? null,
    });
    if (a && seg.uptimeOnly > 0) notes.push(assumption('boot-anchor', `kernel uptime stamps anchored to the ${a.why}`, seg.uptimeOnly));
    if (!a && seg.uptimeOnly > 0) unplaced.push({ bootId: tx.bootId(i), sectionId: tx.sectionId, evidence: evidence[i]!, rawKey: seg.rawKey });
  });
  // Placed in place, not copied: the held rows are this section's own, and a raw dmesg read after
  // its journal holds every kernel line of the boot here (a copy of each doubled the rows held).
  const rows = held.map((h) => {
    const a = placements[h.segment]!.anchor;
    if (a) {
      h.row.tsUs = a.us + h.row.uptimeUs!;
      h.row.timeNote = BOOT_PLACED_NOTE;
    }
    return h.row;
  });
  return { retry: false, inserted: rows.length > 0 ? tx.addEvents(rows) : [], rows, notes, unplaced };
}

/**
 * Rows with both clocks that duplicate a stored row of a boot still unanchored (dmesg stored by an
 * earlier run without its boot instant, kern.log now): the samples that place that boot.
 */
export class StoredBootSamples {
  private readonly samples = new Map<number, number[]>();

  add(bootId: number, sampleUs: number): void {
    const list = this.samples.get(bootId);
    if (list) list.push(sampleUs);
    else this.samples.set(bootId, [sampleUs]);
  }

  /**
   * Place each such boot at the earliest of its samples (inside the section's transaction): a
   * logging delay only ever adds (src/time/boot-placement.ts). Returns the boots placed.
   */
  place(tx: SectionTx, open: () => readonly StoredBoot[]): LatePlacement[] {
    if (this.samples.size === 0) return [];
    const byId = new Map(open().map((b) => [b.id, b]));
    const placed: LatePlacement[] = [];
    for (const [bootId, list] of [...this.samples.entries()].sort((x, y) => x[0] - y[0])) {
      let us = list[0]!;
      for (const x of list) if (x < us) us = x;
      tx.placeStoredBoot(bootId, us, `boot time ${iso(us)} from the same lines read with a wall-clock time as well (the earliest of ${list.length} pairs)`);
      const b = byId.get(bootId);
      if (b) placed.push({ boot: b, anchorUs: us });
    }
    return placed;
  }
}

/**
 * Boots stored unplaced (an earlier run's raw dmesg, or an earlier section's of this run) whose
 * host's wall-clock kernel lines now match their lines: placed inside the current section's
 * transaction, by the same estimator (the earliest matched pair, with the run's facts). Returns the
 * sections whose boots were placed.
 */
export function placeStoredBootsByMatchedLines(
  tx: SectionTx, open: readonly StoredBoot[], hosts: ReadonlySet<string>, context: BootContext, estimator: BootAnchorEstimator = estimateBootAnchor,
): LatePlacement[] {
  const placed: LatePlacement[] = [];
  const wall = wallLinesOf(tx);
  for (const b of open) {
    if (!hosts.has(b.host) || b.sectionId === tx.sectionId) continue;
    const lines = wall(b.host);
    if (lines.length === 0) continue;
    const matched = matchStoredBoot(tx.bootRawLines(b.id), lines, b.host);
    if (!matched) continue;
    const p = estimator({ path: b.path, host: b.host, last: b.last, minUptimeUs: b.minUptimeUs, maxUptimeUs: b.maxUptimeUs, pairs: [], twins: [], matched }, context);
    if (!p.anchor) continue;
    tx.placeStoredBoot(b.id, p.anchor.us, p.anchor.why, p.precisionUs ?? null, p.evidence ?? null);
    placed.push({ boot: b, anchorUs: p.anchor.us });
  }
  return placed;
}

/** A stored boot placed after its section committed (a later section's or run's evidence). */
export interface LatePlacement {
  boot: StoredBoot;
  anchorUs: number;
}

/**
 * What a late placement changes besides the boot's rows, in the same transaction: the boot's
 * section gets the coverage its boot now has (each boot from its first to its last line; a
 * capture's last boot to the capture instant, when the capture is read in this run), and the
 * boot's lines are linked to their twins among the host's journal or syslog kernel lines.
 * Returns the rows that became twins.
 */
export function afterLatePlacement(store: LateStore, placed: readonly LatePlacement[], context: BootContext): number {
  for (const { boot: b, anchorUs } of placed) {
    if (b.minUptimeUs === null || b.maxUptimeUs === null) continue;
    const captureUs = b.last && b.title !== null ? context.captures?.get(b.path)?.captureUs ?? null : null;
    const cov = coverageOf({ title: b.title, firstUs: anchorUs + b.minUptimeUs, lastUs: anchorUs + b.maxUptimeUs, captureUs, zone: null });
    if (cov.spans.length === 0) continue;
    const note: NoteType = assumption('coverage', `coverage ${cov.spans.map((c) => `${iso(c.startUs)}–${iso(c.endUs)}`).join(', ')} once boot #${b.segment} was placed: ${cov.why}`);
    store.addSectionCoverage(b.sectionId, cov.spans, [{ host: b.host, source: 'kernel' }], note);
  }
  return linkKernelTwins(store, placed.map((p) => p.boot.host), null, new Set(placed.map((p) => p.boot.id)));
}

/** The note a section gets when its lines and another copy's were linked as twins. */
export function twinsNote(n: number): NoteType {
  return assumption(
    'kernel-twins',
    `${n} kernel line${n === 1 ? ' is' : 's are'} the same line${n === 1 ? '' : 's'} in raw dmesg and in a journal or syslog of the same host and boot (matched by message and instant): each counts once, the less precise copy is kept as a twin and left out of counts and correlation`,
    n,
  );
}
