/**
 * Burst collapsing for the timeline: consecutive events of one host, source and message template
 * (the masker's, shared with the correlator) that follow each other within `gapUs` fold into one
 * row with first, last and count. Events of other streams in between do not break a burst: the
 * kernel's bridge churn and sshd's brute force interleave, and each should fold on its own.
 */
import type { EventRow } from '../store/types.js';
import type { TimelineRow } from './types.js';
import { maskMessage } from '../text/mask.js';

export const DEFAULT_GAP_US = 60_000_000;

interface OpenBurst {
  row: TimelineRow;
  key: string;
}

export function collapseBursts(events: Iterable<EventRow>, gapUs: number = DEFAULT_GAP_US): TimelineRow[] {
  const open = new Map<string, OpenBurst>();
  const done: TimelineRow[] = [];
  const closeStale = (nowUs: number): void => {
    for (const [k, b] of open) {
      if (nowUs - b.row.lastUs > gapUs) {
        done.push(b.row);
        open.delete(k);
      }
    }
  };
  let sinceSweep = 0;
  for (const e of events) {
    const template = maskMessage(e.message);
    const key = `${e.host}\u0000${e.source}\u0000${template}`;
    const b = open.get(key);
    if (b && e.tsUs - b.row.lastUs <= gapUs) {
      b.row.lastUs = e.tsUs;
      b.row.count += e.count;
      b.row.rows += 1;
      b.row.template = template;
    } else {
      if (b) done.push(b.row);
      open.set(key, { key, row: { ...e, firstUs: e.tsUs, lastUs: e.tsUs, rows: 1 } });
    }
    // Sweep now and then so the open set stays small on long ranges.
    if (++sinceSweep >= 1024) {
      sinceSweep = 0;
      closeStale(e.tsUs);
    }
  }
  for (const b of open.values()) done.push(b.row);
  done.sort((a, b) => a.firstUs - b.firstUs || a.id - b.id);
  for (const r of done) if (r.rows > 1 && r.template) r.message = r.template;
  return done;
}

/** One row per event, for --no-collapse. */
export function singleRows(events: Iterable<EventRow>): TimelineRow[] {
  const out: TimelineRow[] = [];
  for (const e of events) out.push({ ...e, firstUs: e.tsUs, lastUs: e.tsUs, rows: 1 });
  return out;
}
