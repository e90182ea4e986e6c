/**
 * A table printed row by row: the column layout is fixed once from the output width (never from
 * the rows, which are not known yet), each cell is wrapped at word boundaries measuring terminal
 * columns (wrap-ansi + string-width: wide characters take two, zero-width ones none), and colour
 * is applied to each wrapped line afterwards, so a wrap can never cut an escape sequence in two.
 *
 * Layout: columns separated by two spaces, a header and a rule, no boxes — a row's height is known
 * only when it is printed, and a right border would need the widest row of a stream not yet read.
 * The last column is never padded. When the flexible column would get fewer than MIN_FLEX columns
 * (narrow terminals, many columns), it is printed on its own lines under the row, indented, at the
 * full width, so no line is ever longer than the width.
 */
import wrapAnsi from 'wrap-ansi';
import { columnsOf } from './width.js';

export type Paint = (s: string) => string;

export interface ColumnSpec {
  title: string;
  /** Fixed width in terminal columns; the `flex` column takes what is left. */
  width?: number;
  flex?: boolean;
  align?: 'left' | 'right';
}

/** A cell: plain text (may hold `\n`), or lines each with its own paint. Text must already be escaped. */
export type Cell = string | CellLine[];
export interface CellLine {
  text: string;
  paint?: Paint;
}

export const MIN_FLEX = 24;
/** The width of a flexible column that is not the last one, when the output has no width. */
export const UNBOUNDED_MIDDLE_FLEX = 48;
const GAP = '  ';
const BELOW_INDENT = '    ';

/** Wrap text to `width` terminal columns at word boundaries (hard-breaking words longer than a line). */
export function wrapColumns(text: string, width: number): string[] {
  if (!Number.isFinite(width) || columnsOf(text) <= width) return [text];
  return wrapAnsi(text, Math.max(1, width), { hard: true, trim: true }).split('\n');
}

function cellLines(cell: Cell): CellLine[] {
  if (typeof cell !== 'string') return cell;
  return cell.split('\n').map((text) => ({ text }));
}

export class StreamTable {
  readonly widths: number[];
  /** Index of the flexible column printed under the row instead of beside it, or -1. */
  private readonly below: number;
  private readonly belowWidth: number;

  constructor(
    private readonly columns: ColumnSpec[],
    total: number,
    private readonly paintHead: Paint = (s) => s,
  ) {
    const flexAt = columns.findIndex((c) => c.flex);
    const fixed = columns.map((c) => (c.flex ? 0 : Math.max(c.width ?? 10, 1)));
    const gaps = GAP.length * (columns.length - 1);
    const sum = () => fixed.reduce((a, b) => a + b, 0) + gaps;
    // Fixed columns alone wider than the output (many columns): take from the widest first, so
    // short columns (counts, flags) keep their titles whole; never below 4.
    while (Number.isFinite(total) && sum() > total) {
      const widest = fixed.reduce((best, w, i) => (w > fixed[best]! ? i : best), 0);
      if (fixed[widest]! <= 4) break;
      fixed[widest]!--;
    }
    this.widths = fixed;
    this.below = -1;
    this.belowWidth = 0;
    if (flexAt >= 0) {
      // Unbounded output (a file): the last column is never wrapped; a flexible column with others
      // after it gets a fixed width, or the columns after it would not line up.
      const left = Number.isFinite(total) ? total - sum() : flexAt === columns.length - 1 ? Number.POSITIVE_INFINITY : UNBOUNDED_MIDDLE_FLEX;
      if (left >= MIN_FLEX) {
        this.widths[flexAt] = left;
      } else {
        this.below = flexAt;
        this.belowWidth = Math.max(1, total - BELOW_INDENT.length);
        this.widths[flexAt] = 0;
      }
    }
  }

  /** The header and its rule. */
  head(): string {
    const titles = this.columns.map((c) => [{ text: c.title, paint: this.paintHead }]);
    const rule = this.columns.map((c, i) => {
      const w = this.widths[i]!;
      const n = i === this.below ? 0 : Number.isFinite(w) ? w : Math.max(columnsOf(c.title), 20);
      return [{ text: '─'.repeat(n) }];
    });
    const ruleCells = this.below >= 0 ? rule.map((r, i) => (i === this.below ? '' : r)) : rule;
    const lines = this.row(titles) + this.row(ruleCells);
    // The rule row of a column printed below the others is empty: drop its indented blank line.
    return this.below >= 0 ? lines.replace(/\n {4}\n$/, '\n').replace(/\n\s*$/, '\n') : lines;
  }

  /** One row: its lines, each ending in `\n`. */
  row(cells: Cell[]): string {
    const wrapped: { text: string; paint?: Paint }[][] = cells.map((cell, i) => {
      if (i === this.below) return [];
      const width = this.widths[i]!;
      const out: { text: string; paint?: Paint }[] = [];
      for (const l of cellLines(cell)) for (const text of wrapColumns(l.text, width)) out.push({ text, paint: l.paint });
      return out;
    });
    const height = Math.max(1, ...wrapped.map((w) => w.length));
    // The last column that is printed beside the others is never padded (no trailing spaces).
    let last = cells.length - 1;
    if (last === this.below) last--;
    let out = '';
    for (let y = 0; y < height; y++) {
      let line = '';
      let first = true;
      for (let i = 0; i <= last; i++) {
        if (i === this.below) continue;
        const piece = wrapped[i]![y];
        const text = piece?.text ?? '';
        const width = this.widths[i]!;
        const pad = Number.isFinite(width) ? Math.max(0, width - columnsOf(text)) : 0;
        const painted = piece?.paint && text ? piece.paint(text) : text;
        const cell = this.columns[i]!.align === 'right' ? ' '.repeat(pad) + painted : i === last ? painted : painted + ' '.repeat(pad);
        line += (first ? '' : GAP) + cell;
        first = false;
      }
      out += line.replace(/ +$/, '') + '\n';
    }
    if (this.below >= 0) {
      for (const l of cellLines(cells[this.below] ?? '')) {
        for (const text of wrapColumns(l.text, this.belowWidth)) out += BELOW_INDENT + (l.paint && text ? l.paint(text) : text) + '\n';
      }
    }
    return out;
  }
}
