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
import type { NewEvent, SectionTx } from '../store/interface.js';
import { BOOT_PLACED_NOTE } from '../model/time.js';
import { estimateBootAnchor, iso, type BootAnchorEstimator, type BootContext, type BootSegmentEvidence } from '../time/boot-anchor.js';
import { auditEpochUs } from './context/boot-evidence.js';
import type { KernelLineIndex } from './context/kernel-match.js';

export interface BootSegment {
  host: string;
  minUs: number;
  maxUs: number;
  /** (wall instant − uptime) of lines carrying both clocks. */
  pairs: number[];
  /** Every wall stamp of those lines was a whole second (syslog), so a pair is good to a second. */
  wholeSeconds: boolean;
}

export class BootTracker {
  readonly segments: BootSegment[] = [];
  private lastUptime: number | null = null;

  /** The segment index of a line with this uptime (and its own wall instant, if any). */
  track(host: string, uptimeUs: number, wallUs: number | null): number {
    let seg = this.segments[this.segments.length - 1];
    // A clock that goes back by more than a second is a new boot (kern.log spanning a reboot).
    if (!seg || (this.lastUptime !== null && uptimeUs < this.lastUptime - 1_000_000)) {
      seg = { host, minUs: uptimeUs, maxUs: uptimeUs, pairs: [], wholeSeconds: true };
      this.segments.push(seg);
    }
    if (uptimeUs < seg.minUs) seg.minUs = uptimeUs;
    if (uptimeUs > seg.maxUs) seg.maxUs = uptimeUs;
    this.lastUptime = uptimeUs;
    if (wallUs !== null) {
      seg.pairs.push(wallUs - uptimeUs);
      if (wallUs % 1_000_000 !== 0) seg.wholeSeconds = false;
    }
    return this.segments.length - 1;
  }
}

/** A row held until its boot is placed. */
export interface HeldRow {
  row: NewEvent;
  segment: number;
  source: string;
}

export interface SettledBoots {
  /** Rows stored and whether each was new, in the order held. */
  inserted: boolean[];
  /** The rows as stored (with their instants). */
  rows: NewEvent[];
  notes: Note[];
  /**
   * Segments left unplaced, with their evidence: a journal read later in the same run may still
   * place them by matched lines (pipeline.ts, at the end of the run).
   */
  unplaced: { bootId: number; sectionId: number; evidence: BootSegmentEvidence; rawKey: number }[];
}

/** Raw lines of boots being read, matched to journal kernel lines (one index per run). */
export interface RawLineSink {
  index: KernelLineIndex;
  nextKey(): number;
}

/**
 * Place the section's boots and store its held rows, inside the section's transaction.
 * `estimator` is the time rule (replaceable: the bundle estimator).
 */
export function settleBoots(
  tx: SectionTx,
  path: string,
  tracker: BootTracker,
  held: readonly HeldRow[],
  context: BootContext,
  estimator: BootAnchorEstimator = estimateBootAnchor,
  raw?: RawLineSink,
): SettledBoots {
  const notes: Note[] = [];
  // Uptime-only lines: their audit(EPOCH.ms) stamps, and their messages for matching to a journal.
  const audit = tracker.segments.map((): number[] => []);
  const rawKeys = tracker.segments.map(() => raw?.nextKey() ?? -1);
  for (const h of held) {
    if (h.row.tsUs !== null || h.source !== 'kernel') continue;
    const epoch = auditEpochUs(h.row.message);
    if (epoch !== null) audit[h.segment]!.push(epoch - h.row.uptimeUs!);
    raw?.index.addRaw(rawKeys[h.segment]!, h.row.host, h.row.message, h.row.uptimeUs!);
  }
  const unplaced: SettledBoots['unplaced'] = [];
  const twinSamples = tracker.segments.map((): number[] => []);
  /** Boots stored unanchored earlier, anchored by this section's lines with both clocks. */
  const storedSamples = new Map<number, number[]>();
  const twins = tx.twins(held.map((h) => h.row));
  held.forEach((h, i) => {
    const t = twins[i];
    if (!t) return;
    const uptime = h.row.uptimeUs!;
    if (h.row.tsUs === null && t.tsUs !== null) twinSamples[h.segment]!.push(t.tsUs - uptime);
    else if (h.row.tsUs !== null && t.tsUs === null && t.bootId !== null && h.source === 'kernel') {
      const list = storedSamples.get(t.bootId);
      if (list) list.push(h.row.tsUs - uptime);
      else storedSamples.set(t.bootId, [h.row.tsUs - uptime]);
    }
  });
  const anchors = tracker.segments.map((seg, i) => {
    const last = i === tracker.segments.length - 1;
    const evidence: BootSegmentEvidence = {
      path, host: seg.host, last, minUptimeUs: seg.minUs, maxUptimeUs: seg.maxUs, pairs: seg.pairs, twins: twinSamples[i]!,
      fromEnd: tracker.segments.length - 1 - i, pairsWholeSeconds: seg.wholeSeconds, audit: audit[i]!,
      matched: raw ? raw.index.pairsFor(rawKeys[i]!) : null,
    };
    const placement = estimator(evidence, context);
    if (placement.misfit) notes.push(warning('boot-fact-misfit', placement.misfit));
    for (const w of placement.warnings ?? []) notes.push(warning('boot-contradiction', w));
    const a = placement.anchor;
    const id = tx.placeBoot({
      segment: i, host: seg.host, last, minUptimeUs: seg.minUs, maxUptimeUs: seg.maxUs, anchorUs: a?.us ?? null, anchorWhy: a?.why ?? null,
      precisionUs: placement.precisionUs ?? null, evidence: placement.evidence ?? null,
    });
    if (!a) unplaced.push({ bootId: id, sectionId: tx.sectionId, evidence, rawKey: rawKeys[i]! });
    return { id, anchor: a };
  });
  const placedBy = new Set<number>();
  const rows = held.map((h) => {
    const b = anchors[h.segment]!;
    const r = { ...h.row, bootId: b.id };
    if (r.tsUs === null && b.anchor) {
      r.tsUs = b.anchor.us + r.uptimeUs!;
      r.timeNote = BOOT_PLACED_NOTE;
      placedBy.add(h.segment);
    }
    return r;
  });
  for (const i of placedBy) notes.push(assumption('boot-anchor', `kernel uptime stamps anchored to the ${anchors[i]!.anchor!.why}`));
  const inserted = tx.addEvents(rows);
  for (const [bootId, list] of [...storedSamples.entries()].sort((x, y) => x[0] - y[0])) {
    // A logging delay only ever adds: the earliest pair is closest to the boot (src/time/boot-placement.ts).
    let us = list[0]!;
    for (const x of list) if (x < us) us = x;
    tx.placeStoredBoot(bootId, us, `boot time ${iso(us)} from the same lines read with a wall-clock time as well (the earliest of ${list.length} pairs)`);
  }
  return { inserted, rows, notes, unplaced };
}
