/**
 * Tables and wrapped lines for the commands that print them (ingest, sources, correlate, formats):
 * laid out from the output width and printed through the streaming table of src/export. Apart from
 * output.ts so that a command that prints none (a `--json` timeline) does not load string widths.
 */
import { StreamTable, wrapColumns, type ColumnSpec } from '../export/table.js';
import { columnsOf, outputWidth } from '../export/width.js';
import { style } from './output.js';

export type Column = ColumnSpec;

/**
 * A whole table as text (commands whose rows are few: ingest, sources, correlate, formats, sql):
 * the same layout and wrapping as the streamed timeline. Cells are escaped text and may hold `\n`
 * and colour (wrap-ansi keeps an escape sequence whole across a wrap).
 */
export function renderTable(columns: Column[], rows: string[][]): string {
  const table = new StreamTable(columns, outputWidth(), style().bold);
  let out = table.head();
  for (const r of rows) out += table.row(r);
  return out.replace(/\n$/, '');
}

/**
 * A sentence line (`  · zone America/Los_Angeles: …`) wrapped at the output width at word
 * boundaries, continuation lines indented under the text.
 */
export function wrapToOutput(line: string, hang = '    '): string {
  const width = outputWidth();
  if (!Number.isFinite(width) || columnsOf(line) <= width) return line;
  // The line's own indent (a list item's "  · ") stays in front of its first row and under the rest.
  const lead = /^\s*/.exec(line)![0];
  const [firstLine, ...rest] = wrapColumns(line.slice(lead.length), Math.max(10, width - lead.length));
  const more = rest.join(' ');
  const under = lead + hang;
  return [lead + firstLine!, ...(more ? wrapColumns(more, Math.max(10, width - under.length)).map((l) => under + l) : [])].join('\n');
}
