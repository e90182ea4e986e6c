/**
 * Terminal output for every command: the colour decision (--color, NO_COLOR, FORCE_COLOR, a
 * terminal), --quiet, and every string from a log made inert before it is printed. Tables and
 * wrapped lines are in tables.ts: their string widths cost ~40 ms to load, which a `--json`
 * timeline does not need.
 */
import pc from 'picocolors';
import { createSupportsColor } from 'supports-color';
import { escapeTerminal, inertJson } from '../text/escape.js';
import { zonedClock } from '../export/zoned.js';
import type { Style } from '../export/style.js';
import { Sink } from '../export/sink.js';

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

/** Write a JSON document (the only thing on stdout with --json), inert on a terminal. */
export function printJson(doc: unknown): void {
  process.stdout.write(inertJson(doc, 2) + '\n');
}

let stderrSink: Sink | null = null;

/**
 * A note or warning on stderr; nothing with --quiet. Written at once and synchronously (the sink
 * flushes every line): process.stderr.write to a pipe queues in memory whatever the reader has not
 * taken yet (#17: 100,000 files' warnings were ~45 MB of a run's peak), and a line written now is
 * never out of order with what failure.ts or the progress display write after it.
 */
export function warn(line: string): void {
  if (quiet) return;
  stderrSink ??= new Sink(2, true);
  stderrSink.write(`corr: ${escapeTerminal(line)}\n`);
}

export const zoned = zonedClock;
