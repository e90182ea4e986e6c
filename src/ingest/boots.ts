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
import { estimateBootAnchor, iso, median, type BootAnchorEstimator, type BootContext } from '../time/boot-anchor.js';

export interface BootSegment {
  host: string;
  minUs: number;
  maxUs: number;
  /** (wall instant − uptime) of lines carrying both clocks. */
  pairs: number[];
  /** Lines with only the uptime stamp: placed by the boot's anchor. */
  uptimeOnly: number;
}

export class BootTracker {
  readonly segments: BootSegment[] = [];
  private lastUptime: number | null = null;

  /** The segment index of a line with this uptime (and its own wall instant, if any). */
  track(host: string, uptimeUs: number, wallUs: number | null): number {
    let seg = this.segments[this.segments.length - 1];
    // A clock that goes back by more than a second is a new boot (kern.log spanning a reboot).
    if (!seg || (this.lastUptime !== null && uptimeUs < this.lastUptime - 1_000_000)) {
      seg = { host, minUs: uptimeUs, maxUs: uptimeUs, pairs: [], uptimeOnly: 0 };
      this.segments.push(seg);
    }
    if (uptimeUs < seg.minUs) seg.minUs = uptimeUs;
    if (uptimeUs > seg.maxUs) seg.maxUs = uptimeUs;
    this.lastUptime = uptimeUs;
    if (wallUs !== null) seg.pairs.push(wallUs - uptimeUs);
    else seg.uptimeOnly++;
    return this.segments.length - 1;
  }
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
  const p = estimator({ path, host, last: true, minUptimeUs: null, maxUptimeUs: null, pairs: [], twins: [] }, context);
  return { anchorUs: p.anchor?.us ?? null };
}

export type SettledBoots =
  | { retry: false; inserted: boolean[]; rows: NewEvent[]; notes: Note[] }
  /** The speculation did not hold: roll the section back and read it again, holding its rows. */
  | { retry: true };

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
  speculation: Speculation | null,
  estimator: BootAnchorEstimator = estimateBootAnchor,
): SettledBoots {
  const notes: Note[] = [];
  const twinSamples = tracker.segments.map((): number[] => []);
  const twins = held.length > 0 ? tx.twins(held.map((h) => h.row)) : [];
  held.forEach((h, i) => {
    const t = twins[i];
    if (t && t.tsUs !== null) twinSamples[h.segment]!.push(t.tsUs - h.row.uptimeUs!);
  });
  const placements = tracker.segments.map((seg, i) => {
    const last = i === tracker.segments.length - 1;
    return estimator({ path, host: seg.host, last, minUptimeUs: seg.minUs, maxUptimeUs: seg.maxUs, pairs: seg.pairs, twins: twinSamples[i]! }, context);
  });
  if (speculation && placements.some((p, i) => tracker.segments[i]!.uptimeOnly > 0 && (p.anchor?.us ?? null) !== speculation.anchorUs)) {
    return { retry: true };
  }
  placements.forEach((p, i) => {
    const seg = tracker.segments[i]!;
    if (p.misfit) notes.push(warning('boot-fact-misfit', p.misfit));
    const a = p.anchor;
    tx.placeBoot({ segment: i, host: seg.host, last: i === tracker.segments.length - 1, minUptimeUs: seg.minUs, maxUptimeUs: seg.maxUs, anchorUs: a?.us ?? null, anchorWhy: a?.why ?? null });
    if (a && seg.uptimeOnly > 0) notes.push(assumption('boot-anchor', `kernel uptime stamps anchored to the ${a.why}`, seg.uptimeOnly));
  });
  const rows = held.map((h) => {
    const a = placements[h.segment]!.anchor;
    return a ? { ...h.row, tsUs: a.us + h.row.uptimeUs!, timeNote: BOOT_PLACED_NOTE } : h.row;
  });
  return { retry: false, inserted: rows.length > 0 ? tx.addEvents(rows) : [], rows, notes };
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

  /** Place each such boot at the median of its samples (inside the section's transaction). */
  place(tx: SectionTx): void {
    for (const [bootId, list] of [...this.samples.entries()].sort((x, y) => x[0] - y[0])) {
      const us = median(list);
      tx.placeStoredBoot(bootId, us, `boot time ${iso(us)} from the same lines read with a wall-clock time as well (${list.length} pairs)`);
    }
  }
}
