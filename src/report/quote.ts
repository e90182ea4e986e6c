import type { Evidence } from '../correlate/types.js';
import type { TimelineRow } from '../timeline/types.js';
import { truncateMiddle } from '../text/escape.js';
import { formatClock, isoToMs, usToMs } from './time.js';

/**
 * Log lines quoted as evidence: `00:18:01Z  diag/output.txt:233  <text>`, so every quote leads back
 * to its file and line. Quotes are raw here; the serialiser fences them. Long hostile lines are cut
 * in the middle so a 100k-character line cannot swamp the report.
 */

export const MAX_QUOTE_CHARS = 240;

export function quoteEvidence(e: Evidence): string {
  const ms = isoToMs(e.ts);
  const clock = ms === null ? e.ts : formatClock(ms, 'utc') + 'Z';
  return `${clock}  ${e.file}:${e.line}  ${truncateMiddle(e.text, MAX_QUOTE_CHARS)}`;
}

export function quoteRow(row: TimelineRow): string {
  const times = row.count > 1 ? ` ×${row.count}` : '';
  return `${formatClock(usToMs(row.tsUs), 'utc')}Z  ${row.source}  ${row.file}:${row.line}${times}  ${truncateMiddle(row.message, MAX_QUOTE_CHARS)}`;
}
