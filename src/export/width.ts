/**
 * How wide may output lines be? A terminal says (`columns`); a pipe is most often a pager
 * (`| less`, `| head`), which shows 80 columns unless told otherwise; a file or /dev/null has no
 * width, so nothing is wrapped and every line keeps its whole text. `COLUMNS` overrides the
 * guess for pipes and files, as shells and `ls` do.
 */
import { fstatSync } from 'node:fs';
import stringWidth from 'string-width';

export const PIPE_WIDTH = 80;

export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const env = Number(process.env.COLUMNS);
  if (Number.isInteger(env) && env > 0) return env;
  try {
    const st = fstatSync((stream as unknown as { fd: number }).fd ?? 1);
    if (st.isFIFO() || st.isSocket()) return PIPE_WIDTH;
  } catch {
    // No descriptor to look at (a test double): treat it like a file.
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Characters one column wide whatever string-width would say of their neighbours, measured by
 * length: printable ASCII, Latin-1's printable letters and signs (not the soft hyphen, which is
 * invisible), the ellipsis, box drawing and block
 * elements — the rules, counts (×), bars and histograms corr draws itself. string-width's first
 * non-ASCII string starts its grapheme segmenter and compiles its emoji tables (about 160 ms on the
 * loaded 2-core machine), which every table paid for its rule of `─` before its first row.
 * test/export/width.test.ts checks each of these against string-width.
 */
export const NARROW = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u00ff\u2026\u2500-\u259f]*$/;

/** Terminal columns a string takes: East Asian wide characters count 2, combining marks 0, ANSI escapes 0. */
export function columnsOf(s: string): number {
  return NARROW.test(s) ? s.length : stringWidth(s);
}
