/**
 * Boot-aware dedup keys (#17). A kernel line keyed by its uptime stamp is the same event as a
 * stored one only when it comes from the same boot: every boot of a machine prints the same
 * `[    0.000000] Linux version …` lines, so uptime, host and message alone took a second boot's
 * early lines for the first one's and dropped them.
 *
 * Each uptime-keyed row therefore carries a boot key: the key of its boot as first stored, derived
 * from the line that decided it (contentKey). A segment of this section takes a stored boot's key when one of its **distinctive**
 * lines (an uptime with sub-millisecond digits, context/same-lines.ts) is stored already with the
 * same uptime, host, source and message: two captures of one ring buffer overlap in such lines,
 * while two boots of one machine share none of them (the corpus's two same-machine reboot pairs:
 * 0 of 382 distinctive lines recur at the same microsecond; all 135 `0.000000` lines do). When its
 * first distinctive line is not stored, the segment takes that line's content key — unless a
 * stored boot of the host starts later in uptime than that line (a ring buffer captured after it
 * wrapped holds only the later lines): then the next distinctive lines decide. A doubt keeps both
 * copies rather than dropping one.
 *
 * The rows of a segment wait here until its key is decided (its early lines are not distinctive);
 * a segment that has no distinctive line found stored is decided when the section ends (settle).
 */
import type { NewEvent, SectionTx } from '../store/interface.js';
import type { HeldRow } from './boots.js';
import { distinctiveStamp } from './context/same-lines.js';
import { hash52 } from './hash.js';

/**
 * A boot's key when nothing stored names one: derived from the line that decided it (host, uptime
 * and message hash), not from this section's ids. Two ingesters that read copies of one ring buffer
 * at the same moment (ClickHouse: no transaction orders them) see nothing of each other, and with
 * per-section ids each kept its own copy of every line (the four-ingester test: 11,342 events for
 * 11,122). From the content, both arrive at the same key. Two boots share no such line, so their
 * keys still differ. Never 0 (0 marks a row that is not uptime-keyed).
 */
function contentKey(row: NewEvent): number {
  return hash52('boot-key', row.host, String(row.tkey), String(row.dhash)) || 1;
}

/** A row whose dedup key is its uptime stamp: a kernel line with one. */
export function isUptimeKeyed(row: NewEvent): boolean {
  return row.uptimeUs !== null && row.source === 'kernel' && row.tkey === row.uptimeUs;
}

/** Lines of an undecided segment looked up at the section's end, at most (one index probe each). */
const SETTLE_LOOKUPS = 1000;

export class SegmentBootKeys {
  private readonly decided = new Map<number, number>();
  private readonly waiting = new Map<number, HeldRow[]>();
  private readonly latestStart = new Map<string, number | null>();

  constructor(private readonly tx: SectionTx) {}

  /**
   * Give the row its boot key. Returns the rows that are ready (this one, or with it the rows of
   * its segment that waited for this line), in line order; none while the key is undecided.
   */
  assign(row: NewEvent, segment: number): HeldRow[] {
    if (!isUptimeKeyed(row)) return [{ row, segment }];
    const key = this.decided.get(segment);
    if (key !== undefined) {
      row.bootKey = key;
      return [{ row, segment }];
    }
    let wait = this.waiting.get(segment);
    if (!wait) this.waiting.set(segment, (wait = []));
    wait.push({ row, segment });
    if (!distinctiveStamp(row.tkey)) return [];
    const found = this.decide(row, segment);
    return found === null ? [] : this.release(segment, found);
  }

  /**
   * The section ends. A segment still undecided had no distinctive line found stored (or none at
   * all: a clock that ticks in whole milliseconds, as jiffy clocks and many a fixture do): its lines
   * after the first instant of the boot decide by the same lookup, the first one found stored giving
   * its key; else the content key of the first of them. Only `0.000000` lines never count: they are the lines every boot
   * shares (the corpus's two same-machine reboot pairs: 135 of 136 identical; of their lines with a
   * later stamp, 0 of 382 with sub-millisecond digits and 0 of 21 in whole milliseconds). Returns
   * the rows, in segment order.
   */
  settle(): HeldRow[] {
    const out: HeldRow[] = [];
    for (const segment of [...this.waiting.keys()].sort((a, b) => a - b)) {
      let key: number | null = null;
      let asked = 0;
      let first: NewEvent | null = null;
      for (const h of this.waiting.get(segment)!) {
        if (h.row.tkey === 0) continue;
        first ??= h.row;
        key = this.tx.storedBootKey?.(h.row.tkey, h.row.dhash) ?? null;
        if (key !== null || ++asked >= SETTLE_LOOKUPS) break;
      }
      // Nothing stored: the key of its first line after the boot's first instant (a segment of
      // `0.000000` lines alone, which every boot shares, keeps a key of its own).
      out.push(...this.release(segment, key ?? (first ? contentKey(first) : this.tx.bootId(segment))));
    }
    return out;
  }

  private decide(row: NewEvent, segment: number): number | null {
    const stored = this.tx.storedBootKey?.(row.tkey, row.dhash) ?? null;
    if (stored !== null) return stored;
    let latest = this.latestStart.get(row.host);
    if (latest === undefined) this.latestStart.set(row.host, (latest = this.tx.latestBootStart?.(row.host) ?? null));
    if (latest !== null && latest > row.tkey) return null;
    return contentKey(row);
  }

  private release(segment: number, key: number): HeldRow[] {
    this.decided.set(segment, key);
    const rows = this.waiting.get(segment) ?? [];
    this.waiting.delete(segment);
    for (const h of rows) h.row.bootKey = key;
    return rows;
  }
}
