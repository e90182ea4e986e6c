/** The window a command read, said on stderr in UTC and the display zone, and the store's span. */
import { usToIso } from '../store/queries.js';
import type { ResolvedRange } from './options.js';
import { zonedClock } from '../export/zoned.js';

function both(us: number, zone: string | undefined): string {
  const utc = usToIso(us);
  if (!zone || zone === 'UTC') return utc;
  return `${utc} (${zonedClock(Math.floor(us / 1000), zone, 'yyyy-LL-dd HH:mm:ss')})`;
}

/** `window: A .. B`, open ends named, the reference instant when one was used. */
export function describeWindow(range: ResolvedRange, zone: string | undefined): string {
  const from = range.sinceUs !== undefined ? both(range.sinceUs, zone) : "the store's first event";
  const to = range.untilUs !== undefined ? both(range.untilUs, zone) : "the store's last event";
  let line = `corr: window ${from} .. ${to} (since inclusive, until exclusive)`;
  if (range.refFrom === 'store' && range.refMs !== undefined && range.refUsed) {
    line += `; relative and clock-only times count back from the store's last event, ${new Date(range.refMs).toISOString()} (--ref to change)`;
  }
  return line;
}

/** `the store holds events from A to B`, or that it holds none. */
export function storeSpanLine(span: { firstUs: number | null; lastUs: number | null }): string {
  if (span.firstUs === null || span.lastUs === null) return 'the store holds no events with a known time (run `corr ingest PATH`)';
  return `the store holds events from ${usToIso(span.firstUs)} to ${usToIso(span.lastUs)}`;
}
