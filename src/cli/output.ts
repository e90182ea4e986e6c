/**
 * Terminal output for every command: the colour decision (--color, NO_COLOR, FORCE_COLOR, a
 * terminal), --quiet, tables laid out from the output width and printed through the streaming
 * table of src/export, and every string from a log made inert before it is printed.
 */
import pc from 'picocolors';
import { createSupportsColor } from 'supports-color';
import { escapeTerminal, inertJson } from '../text/escape.js';
import { StreamTable, wrapColumns, type ColumnSpec } from '../export/table.js';
import { columnsOf, outputWidth } from '../export/width.js';
import { zonedClock } from '../export/zoned.js';
import type { Style } from '../export/style.js';

export type ColorMode = 'auto' | 'always' | 'never';
export const COLOR_MODES: readonly ColorMode[] = ['auto', 'always', 'never'];

let colorMode: ColorMode = 'auto';
let quiet = false;

export function setColorMode(mode: ColorMode): void {
  colorMode = mode;
}

export function setQuiet(q: boolean): void {
  quiet = q;
}

export function isQuiet(): boolean {
  return quiet;
}

/**
 * Colour on stdout? `--color always|never` decides; in `auto`, NO_COLOR (any non-empty value) turns it
 * off, FORCE_COLOR (1–3 on, 0/false off) forces it, else only a terminal that is not `dumb` gets it
 * (supports-color's rules, without sniffing argv: --color is ours).
 */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (colorMode !== 'auto') return colorMode === 'always';
  if (process.env.NO_COLOR) return false;
  const support = createSupportsColor(stream, { sniffFlags: false });
  return support !== false && support.level > 0;
}

let cachedStyle: Style | null = null;

/** The paints for stdout, decided once per run. */
export function style(): Style {
  if (cachedStyle) return cachedStyle;
  const enabled = useColor();
  const c = pc.createColors(enabled);
  const severities: Record<string, (s: string) => string> = { critical: (s) => c.bold(c.red(s)), error: c.red, warning: c.yellow, notice: c.cyan };
  cachedStyle = { enabled, bold: c.bold, dim: c.dim, severity: (s) => (enabled ? severities[s] : undefined) };
  return cachedStyle;
}

export function colourSeverity(severity: string, text: string): string {
  const paint = style().severity(severity);
  return paint ? paint(text) : text;
}

export function dim(text: string): string {
  return style().dim(text);
}

/** Inert text for a table cell or a line: control characters and escapes made visible. */
export function safe(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  return escapeTerminal(String(s));
}

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

/** Write a JSON document (the only thing on stdout with --json), inert on a terminal. */
export function printJson(doc: unknown): void {
  process.stdout.write(inertJson(doc, 2) + '\n');
}

/** A note or warning on stderr; nothing with --quiet. */
export function warn(line: string): void {
  if (quiet) return;
  process.stderr.write(`corr: ${escapeTerminal(line)}\n`);
}

export const zoned = zonedClock;

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
