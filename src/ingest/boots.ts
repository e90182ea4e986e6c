/**
 * Boot anchoring: places kernel lines stamped in seconds since boot (raw dmesg, kmsg, pstore) at a
 * UTC instant, once the boot instant is known. The anchor comes from, in order:
 *   1. --boot-time (applies to the boot running at capture time of every raw capture);
 *   2. lines carrying both clocks, or the same line already stored with a wall-clock time
 *      (done while the section is read, in pipeline.ts);
 *   3. the capture's own `uptime -s`, `who -b`, `/proc/stat` btime, or `/proc/uptime` beside `date`;
 *   4. such a fact from another capture of the same host in the bundle, when the lines fit in it
 *      (the boot began before the first line and the capture was taken after the last);
 * Lines that none of these anchors stay unanchored: stored, listed, and left out of time queries,
 * never placed at a guessed instant.
 *
 * Provisional placement: a raw capture whose boot instant is known before it is read (3 or 1 above)
 * is stored already placed at that instant (pipeline.ts), so that the common case writes each row
 * once. While its boot's `anchor_us` is NULL such a placement is only a prediction: the order above
 * still decides, and here every row of the boot is moved to the anchor actually chosen, or back to
 * NULL when there is none. (All rows of a boot that is still unanchored carry only an uptime stamp:
 * one line with both clocks anchors its boot when its section is closed.)
 */
import type { DB } from '../store/db.js';
import { iso } from './settings.js';

export interface BootFactsByFile {
  path: string;
  host: string;
  boot: { us: number; why: string } | null;
  captureUs: number | null;
}

export interface AnchorOptions {
  bootUs?: number;
  bootText?: string;
  facts: BootFactsByFile[];
  /**
   * Boots created by this run and the instant their rows were provisionally placed at (null: not
   * placed). A boot missing here (left by an earlier, interrupted run) may hold either.
   */
  predictions?: BootPredictions;
}

/** Boot id → the boot instant its rows were stored at, or null when they were stored unplaced. */
export type BootPredictions = Map<number, number | null>;

/**
 * Put every row of an unanchored boot at `anchorUs + uptime`, or back to NULL (no anchor). Skips
 * the write when the rows are known to be there already.
 */
function placeBootRows(db: DB, bootId: number, anchorUs: number | null, predictions: BootPredictions | undefined): number {
  const known = predictions?.has(bootId) ? predictions.get(bootId)! : undefined;
  if (anchorUs === null) {
    if (known === null) return 0;
    return db.prepare('UPDATE event_rows SET ts_us = NULL WHERE boot_id = ? AND ts_us IS NOT NULL').run(bootId).changes;
  }
  if (known === anchorUs) return 0;
  // event_rows: the table behind the events view (src/store/schema.ts).
  return db.prepare('UPDATE event_rows SET ts_us = ? + uptime_us WHERE boot_id = ?').run(anchorUs, bootId).changes;
}

interface OpenBoot {
  id: number;
  section_id: number;
  host: string;
  last_segment: number;
  min_uptime_us: number | null;
  max_uptime_us: number | null;
  path: string;
}

/** Tolerance for "the capture was taken after the last line": clocks and rounding. */
const FIT_SLACK_US = 120_000_000;

export function anchorBoots(db: DB, opts: AnchorOptions): { sectionIds: Set<number>; warnings: string[] } {
  const open = db
    .prepare(`SELECT b.id, b.section_id, b.host, b.last_segment, b.min_uptime_us, b.max_uptime_us, f.path
              FROM boots b JOIN sections s ON s.id = b.section_id JOIN files f ON f.id = s.file_id
              WHERE b.anchor_us IS NULL ORDER BY b.id`)
    .all() as OpenBoot[];
  const sectionIds = new Set<number>();
  const warnings: string[] = [];
  if (open.length === 0) return { sectionIds, warnings };
  const setAnchor = db.prepare('UPDATE boots SET anchor_us = ?, anchor_why = ? WHERE id = ?');
  const factsByPath = new Map(opts.facts.map((f) => [f.path, f]));

  const fits = (boot: OpenBoot, bootUs: number, captureUs: number | null): boolean => {
    if (boot.max_uptime_us === null) return true;
    if (captureUs === null) return true;
    return bootUs + boot.max_uptime_us <= captureUs + FIT_SLACK_US;
  };

  const tx = db.transaction(() => {
    for (const b of open) {
      let anchor: { us: number; why: string } | null = null;
      const own = factsByPath.get(b.path);
      if (opts.bootUs !== undefined && b.last_segment) {
        anchor = { us: opts.bootUs, why: `boot time from --boot-time ${opts.bootText ?? ''}`.trim() };
      } else if (b.last_segment && own?.boot && fits(b, own.boot.us, own.captureUs)) {
        anchor = { us: own.boot.us, why: `boot time ${iso(own.boot.us)} from ${own.boot.why}` };
      } else if (b.last_segment) {
        // Another capture of the same host in the bundle: the latest boot the lines fit in.
        const candidates = opts.facts
          .filter((f) => f.boot && f.host === b.host && f.path !== b.path)
          .filter((f) => fits(b, f.boot!.us, own?.captureUs ?? f.captureUs))
          .sort((x, y) => y.boot!.us - x.boot!.us);
        const c = candidates[0];
        if (c) anchor = { us: c.boot!.us, why: `boot time ${iso(c.boot!.us)} from ${c.boot!.why} in ${c.path} (same host ${b.host}; assumed the same boot)` };
      }
      if (!anchor) {
        // Provisionally placed rows whose prediction did not hold go back to unanchored.
        if (placeBootRows(db, b.id, null, opts.predictions) > 0) sectionIds.add(b.section_id);
        if (b.last_segment && own?.boot && !fits(b, own.boot.us, own.captureUs)) {
          addWarning(db, b.section_id, `the boot time from ${own.boot.why} does not fit these lines: the newest (uptime ${((b.max_uptime_us ?? 0) / 1e6).toFixed(0)} s) would fall after the capture time ${iso(own.captureUs!)}; not used`);
          sectionIds.add(b.section_id);
        }
        continue;
      }
      setAnchor.run(anchor.us, anchor.why, b.id);
      placeBootRows(db, b.id, anchor.us, opts.predictions);
      sectionIds.add(b.section_id);
      const s = db.prepare('SELECT assumptions FROM sections WHERE id = ?').get(b.section_id) as { assumptions: string };
      const list = JSON.parse(s.assumptions) as string[];
      list.push(`kernel uptime stamps anchored to the ${anchor.why}`);
      db.prepare('UPDATE sections SET assumptions = ? WHERE id = ?').run(JSON.stringify(list), b.section_id);
    }
    for (const id of sectionIds) refreshSection(db, id);
  });
  tx.immediate();
  return { sectionIds, warnings };
}

/**
 * Anchor boots of raw captures by the same lines read later with both clocks (kern.log after dmesg):
 * the median of (wall instant − uptime) over the pairs. Returns the sections it placed.
 */
export function anchorFromTwins(db: DB, samples: Map<number, number[]>, predictions?: BootPredictions): Set<number> {
  const placed = new Set<number>();
  if (samples.size === 0) return placed;
  const boot = db.prepare('SELECT section_id, anchor_us FROM boots WHERE id = ?');
  const setAnchor = db.prepare('UPDATE boots SET anchor_us = ?, anchor_why = ? WHERE id = ?');
  db.transaction(() => {
    for (const [bootId, list] of [...samples.entries()].sort((a, b) => a[0] - b[0])) {
      const row = boot.get(bootId) as { section_id: number; anchor_us: number | null } | undefined;
      if (!row || row.anchor_us !== null) continue;
      const sorted = [...list].sort((a, b) => a - b);
      const anchor = sorted[Math.floor((sorted.length - 1) / 2)]!;
      const why = `boot time ${iso(anchor)} from the same lines read with a wall-clock time as well (${list.length} pairs)`;
      setAnchor.run(anchor, why, bootId);
      placeBootRows(db, bootId, anchor, predictions);
      addAssumption(db, row.section_id, `kernel uptime stamps anchored to the ${why}`);
      placed.add(row.section_id);
    }
    for (const id of placed) refreshSection(db, id);
  }).immediate();
  return placed;
}

function addAssumption(db: DB, sectionId: number, sentence: string): void {
  const row = db.prepare('SELECT assumptions FROM sections WHERE id = ?').get(sectionId) as { assumptions: string };
  const list = JSON.parse(row.assumptions) as string[];
  if (!list.includes(sentence)) list.push(sentence);
  db.prepare('UPDATE sections SET assumptions = ? WHERE id = ?').run(JSON.stringify(list), sectionId);
}

function addWarning(db: DB, sectionId: number, warning: string): void {
  const row = db.prepare('SELECT warnings FROM sections WHERE id = ?').get(sectionId) as { warnings: string };
  const list = JSON.parse(row.warnings) as string[];
  if (!list.includes(warning)) list.push(warning);
  db.prepare('UPDATE sections SET warnings = ? WHERE id = ?').run(JSON.stringify(list), sectionId);
}

/** Recompute a section's first/last/unanchored after its boots were anchored. */
export function refreshSection(db: DB, sectionId: number): void {
  const c = db
    .prepare('SELECT min(ts_us) AS first, max(ts_us) AS last, sum(ts_us IS NULL) AS unanchored FROM events WHERE section_id = ?')
    .get(sectionId) as { first: number | null; last: number | null; unanchored: number | null };
  const row = db.prepare('SELECT warnings FROM sections WHERE id = ?').get(sectionId) as { warnings: string };
  const warnings = (JSON.parse(row.warnings) as string[]).filter((w) => !/have only an uptime stamp and no boot anchor yet/.test(w));
  const left = c.unanchored ?? 0;
  if (left > 0) warnings.push(`${left} kernel lines have only an uptime stamp and no boot anchor yet: left out of time-range queries until one is found (--boot-time, or an uptime -s section)`);
  db.prepare('UPDATE sections SET first_us = ?, last_us = ?, unanchored = ?, warnings = ? WHERE id = ?').run(c.first, c.last, left, JSON.stringify(warnings), sectionId);
}
