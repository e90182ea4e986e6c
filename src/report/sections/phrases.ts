import type { TimelineRow } from '../../timeline/types.js';
import { truncateMiddle } from '../../text/escape.js';
import { formatClock, usToMs } from '../time.js';
import type { ViewEvidence } from '../view.js';
import { type Span, code, text } from '../model.js';

/** Small pieces of wording every section uses alike, so figures read the same everywhere. */

export const MAX_QUOTE_CHARS = 240;

/** `1 cause`, `3 causes`. */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `p = 0.004`: the share of random shifts of the windows that hit as many onsets. */
export function describeChance(chance: number | null): string {
  if (chance === null || !Number.isFinite(chance)) return 'not computed';
  if (chance <= 0) return 'p = 0 (no random shift of the windows hit as many onsets)';
  if (chance < 0.001) return `p = ${chance.toExponential(1)}`;
  return `p = ${chance.toFixed(3)}`;
}

/**
 * A log line quoted as evidence: `00:18:01Z  diag/output.txt:233  <text>`, so every quote leads back
 * to its file and line. Raw here (the renderer fences it); long hostile lines are cut in the middle.
 */
export function quoteEvidence(e: ViewEvidence): string {
  return `${formatClock(e.ms, 'utc')}Z  ${e.file}:${e.line}  ${truncateMiddle(e.text, MAX_QUOTE_CHARS)}`;
}

export function quoteRow(row: TimelineRow): string {
  const times = row.count > 1 ? ` ×${row.count}` : '';
  return `${formatClock(usToMs(row.tsUs), 'utc')}Z  ${row.file}:${row.line}${times}  ${truncateMiddle(row.message, MAX_QUOTE_CHARS)}`;
}

/**
 * The correlator's one-sentence summaries quote templates between backticks; those become code
 * spans, so the reader sees `Timeout, client not responding …` as code, not literal backticks.
 * An unpaired backtick stays text (and is escaped by the renderer).
 */
export function prose(s: string): Span[] {
  const parts = s.split('`');
  if (parts.length % 2 === 0) return [text(s)];
  return parts.flatMap((p, i): Span[] => (p === '' ? [] : [i % 2 === 1 ? code(p) : text(p)]));
}
