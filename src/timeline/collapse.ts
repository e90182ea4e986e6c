/**
 * Burst collapsing for the timeline: consecutive events of one host, source and message template
 * (the masker's, shared with the correlator) that follow each other within `gapUs` fold into one
 * row with first, last and count. Events of other streams in between do not break a burst: the
 * kernel's bridge churn and sshd's brute force interleave, and each should fold on its own.
 *
 * On a stream: rows come out in order of their first event, each as soon as it can no longer grow
 * (no event of its stream within the gap) and every row that started before it is out. A burst
 * that goes on and on would hold back every row behind it, so at most `maxPending` rows wait: past
 * that, the oldest burst is written as it stands and its stream goes on in a new row (see
 * MAX_PENDING_ROWS for the figure).
 */
import type { EventRow } from '../store/types.js';
import type { TimelineRow } from './types.js';
import { maskMessage } from '../text/mask.js';

export const DEFAULT_GAP_US = 60_000_000;

/**
 * Rows held back at most while a burst is still open. A waiting row costs about 2.1 KB of heap
 * (the event with its parsed fields, its template and key; measured after a full GC on the bench's
 * 1M store: 8,803 waiting rows held 21 MB), so 1,000 bound the buffer near 2 MB at any store size.
 * The bound is reached whenever one stream keeps bursting (a probe or a brute force with gaps
 * shorter than --gap, for hours) while 1,000 other rows start: then the burst is written as it
 * stands and its stream goes on in a new row. A continuation 1,000 rows later — 2,000 lines of a
 * table, forty screens — is read as a separate row anyway. The bound also sets how long the first
 * row of a collapsed timeline can wait: 10,000 made `timeline --limit 1` take 5.4 s on the 1M store against 2.6 s with 1,000 (load 16).
 */
export const MAX_PENDING_ROWS = 1_000;

interface Pending {
  key: string;
  row: TimelineRow;
  closed: boolean;
}

function finish(row: TimelineRow): TimelineRow {
  if (row.rows > 1 && row.template) row.message = row.template;
  return row;
}

export function* streamBursts(events: Iterable<EventRow>, gapUs: number = DEFAULT_GAP_US, maxPending: number = MAX_PENDING_ROWS): Generator<TimelineRow> {
  const open = new Map<string, Pending>();
  let queue: Pending[] = [];
  let head = 0;
  const close = (p: Pending): void => {
    p.closed = true;
    if (open.get(p.key) === p) open.delete(p.key);
  };
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
      if (b) close(b);
      const p: Pending = { key, row: { ...e, firstUs: e.tsUs, lastUs: e.tsUs, rows: 1 }, closed: false };
      open.set(key, p);
      queue.push(p);
    }
    // Write out, in order, every row at the front that can no longer grow.
    while (head < queue.length) {
      const front = queue[head]!;
      if (!front.closed && (e.tsUs - front.row.lastUs > gapUs || queue.length - head > maxPending)) close(front);
      if (!front.closed) break;
      head++;
      yield finish(front.row);
    }
    if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }
  for (; head < queue.length; head++) yield finish(queue[head]!.row);
}

/** The whole collapsed timeline as an array (the report's input): the stream with no bound on waiting rows. */
export function collapseBursts(events: Iterable<EventRow>, gapUs: number = DEFAULT_GAP_US): TimelineRow[] {
  return Array.from(streamBursts(events, gapUs, Number.POSITIVE_INFINITY));
}

/** One row per event, for --no-collapse. */
export function* singleRows(events: Iterable<EventRow>): Generator<TimelineRow> {
  // The event becomes its row in place: a copy per event is garbage that, at a million rows,
  // made V8 grow its young generation by tens of megabytes.
  for (const e of events) {
    const r = e as TimelineRow;
    r.firstUs = e.tsUs;
    r.lastUs = e.tsUs;
    r.rows = 1;
    yield r;
  }
}
