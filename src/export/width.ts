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

/** Printable ASCII only: one column per code unit, no need to ask string-width. */
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** Terminal columns a string takes: East Asian wide characters count 2, combining marks 0, ANSI escapes 0. */
export function columnsOf(s: string): number {
  return PLAIN_ASCII.test(s) ? s.length : stringWidth(s);
}
