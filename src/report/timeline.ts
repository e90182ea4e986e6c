import { truncateMiddle } from '../text/escape.js';
import type { TimelineRow } from '../timeline/types.js';
import { type Inline, type Section, code, paragraph, text } from './model.js';
import { formatLocal, formatRangeLocal, formatRangeUtc, formatUtc, showsLocal, usToMs } from './time.js';
import type { ReportInput } from './types.js';

/**
 * `## Timeline`: the collapsed timeline as a table, UTC first and the local zone beside it. Capped so
 * that a report over a noisy day stays readable; the cap is stated, never silent.
 */

export const MAX_TIMELINE_ROWS = 400;
const MAX_MESSAGE_CHARS = 160;

export function timelineSection(input: ReportInput): Section {
  const heading = [text('Timeline')];
  const rows = input.timeline;
  if (rows.length === 0) return { id: 'timeline', heading, blocks: [paragraph(text('No events in scope.'))] };
  const local = showsLocal(input.tz);
  const header = ['UTC', ...(local ? [input.tz] : []), 'Source', 'Kind', 'Count', 'Location', 'Message'];
  const shown = rows.slice(0, MAX_TIMELINE_ROWS);
  const blocks: Section['blocks'] = [{ type: 'table', header, rows: shown.map((r) => timelineCells(r, input.tz, local)) }];
  if (rows.length > shown.length) {
    blocks.push(paragraph(text(`… ${rows.length - shown.length} more rows not shown; `), code('corr timeline'), text(' lists them all.')));
  }
  return { id: 'timeline', heading, blocks };
}

function timelineCells(r: TimelineRow, tz: string, local: boolean): Inline[] {
  const firstMs = usToMs(r.firstUs);
  const lastMs = usToMs(r.lastUs);
  // A burst shows when it began and ended; the header already says UTC, so the suffix is dropped.
  const burst = lastMs > firstMs;
  const utc = (burst ? formatRangeUtc(firstMs, lastMs) : formatUtc(firstMs)).replace(/ UTC$/, '');
  const localText = burst ? formatRangeLocal(firstMs, lastMs, tz) : formatLocal(firstMs, tz);
  return [
    [text(utc)],
    ...(local ? [[text(localText)]] : []),
    [text(r.source)],
    [code(r.kind)],
    [text(r.count > 1 ? `×${r.count}` : '1')],
    [code(`${r.file}:${r.line}`)],
    [code(truncateMiddle(r.message, MAX_MESSAGE_CHARS))],
  ];
}
