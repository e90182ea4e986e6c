/**
 * How a command line ends when something fails: one line on stderr (`corr: …`, inert, a URL's
 * password masked) and the contract's exit code, never a stack trace unless CORR_DEBUG=1 asks.
 * Shared by the yargs command line (app.ts) and the plain lines read without it (plain-line.ts).
 */
import { CorrError } from '../errors.js';
import { translateSqliteError } from '../store/db.js';
import { maskPasswords } from '../store/clickhouse/url.js';
import { escapeTerminal } from '../text/escape.js';
import { isBrokenPipe } from '../export/sink.js';

export function fail(message: string, code: number): never {
  process.stderr.write(`corr: ${escapeTerminal(message.replace(/\s*\n\s*/g, ' ').trim())}\n`);
  process.exit(code);
}

/** `| head`, `| less` closing early: for every command, the end of output, not an error. */
export function guardStreams(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (isBrokenPipe(e)) process.exit(0);
      throw e;
    });
  }
}

/** Any failure a command threw, as its one line and exit code. */
export function failed(caught: unknown): never {
  if (isBrokenPipe(caught)) process.exit(0);
  if (process.env.CORR_DEBUG) console.error(caught);
  // SQLite's own failures on any command (a full disk, a damaged store, I/O errors) as one line and the contract's code.
  const e = translateSqliteError(caught, 'the database');
  // A clickhouse:// URL's password is never printed, whatever quoted it.
  if (e instanceof CorrError) fail(maskPasswords(e.message), e.exitCode);
  const err = e as { code?: string; message?: string };
  if (err?.code === 'SQLITE_BUSY') fail('the database is locked by another writer and stayed locked past the busy timeout', 1);
  fail(maskPasswords(`internal error: ${err?.message ?? String(e)} (set CORR_DEBUG=1 for details)`), 1);
}
