/**
 * Terminal output: tables that fit the terminal, colour only on a terminal (and never with
 * NO_COLOR), and every string from a log made inert before it is printed.
 */
import Table from 'cli-table3';
import { DateTime } from 'luxon';
import { escapeTerminal } from '../text/escape.js';

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

export function terminalWidth(): number {
  const cols = process.stdout.isTTY ? process.stdout.columns : Number(process.env.COLUMNS) || 0;
  return cols && cols > 40 ? cols : 160;
}

const SEVERITY_COLOURS: Record<string, string> = {
  critical: '\x1b[1;31m',
  error: '\x1b[31m',
  warning: '\x1b[33m',
  notice: '\x1b[36m',
};

export function colourSeverity(severity: string, text: string): string {
  if (!useColor()) return text;
  const c = SEVERITY_COLOURS[severity];
  return c ? `${c}${text}\x1b[0m` : text;
}

export function dim(text: string): string {
  return useColor() ? `\x1b[2m${text}\x1b[0m` : text;
}

/** Inert text for a table cell or a line: control characters and escapes made visible. */
export function safe(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  return escapeTerminal(String(s));
}

export interface Column {
  title: string;
  /** Fixed width; the column marked `flex` takes the rest of the terminal. */
  width?: number;
  flex?: boolean;
  align?: 'left' | 'right';
}

/** A cli-table3 table sized to the terminal: fixed columns as given, the flex column takes the rest. */
export function renderTable(columns: Column[], rows: string[][]): string {
  const total = terminalWidth();
  const fixed = columns.reduce((n, c) => n + (c.flex ? 0 : (c.width ?? 10)), 0);
  const borders = columns.length + 1;
  const flexCount = columns.filter((c) => c.flex).length || 1;
  const flexWidth = Math.max(20, Math.floor((total - fixed - borders) / flexCount));
  const colWidths = columns.map((c) => (c.flex ? flexWidth : (c.width ?? 10)));
  const table = new Table({
    head: columns.map((c) => c.title),
    colWidths,
    colAligns: columns.map((c) => c.align ?? 'left'),
    wordWrap: true,
    wrapOnWordBoundary: false,
    style: useColor() ? { head: ['bold'], border: ['grey'] } : { head: [], border: [] },
  });
  for (const r of rows) table.push(r);
  return table.toString();
}

/** Write a JSON document (the only thing on stdout with --json). */
export function printJson(doc: unknown): void {
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}

export function warn(line: string): void {
  process.stderr.write(`corr: ${escapeTerminal(line)}\n`);
}

/**
 * A wall-clock time in a zone with its abbreviation (PDT, CEST). Intl's en-US names only American
 * zones and en-GB only European ones; whichever gives a name rather than `GMT+2` is used.
 */
export function zoned(ms: number, zone: string, format: string): string {
  const dt = DateTime.fromMillis(ms, { zone });
  let name = dt.setLocale('en-US').toFormat('ZZZZ');
  if (/^(GMT|UTC)[+-]/.test(name)) {
    const gb = dt.setLocale('en-GB').toFormat('ZZZZ');
    if (!/^(GMT|UTC)[+-]/.test(gb)) name = gb;
  }
  return `${dt.toFormat(format)} ${name}`;
}
