/**
 * `corr ingest -`: standard input as one more input file. The text is kept, not only its events:
 * it is written beside the store as `<db>.stdin/stdin-<sha256 prefix>.log`, so every event's
 * `file:line` still leads back to evidence on disk, and the same input piped twice is the same file
 * (the second ingest adds nothing, as for any file).
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { UsageError } from '../errors.js';

export const STDIN_PATH = '-';
/**
 * What main.ts turns a lone `-` argument into before yargs sees it (yargs drops a lone `-` from
 * positional lists). A NUL cannot be in a path, so it can never be a real file's name.
 */
export const STDIN_ARG = '\u0000stdin';

/** Where stdin's copies go for the store at `dbPath`. */
export function stdinDir(dbPath: string): string {
  const full = resolve(dbPath);
  return join(dirname(full), `${basename(full)}.stdin`);
}

/** `paths` with `-` replaced by the saved copy of stdin (read once, however often `-` is given). */
export async function materializeStdin(paths: string[], dbPath: string, input: NodeJS.ReadStream = process.stdin): Promise<string[]> {
  paths = paths.map((p) => (p === STDIN_ARG ? STDIN_PATH : p));
  if (!paths.includes(STDIN_PATH)) return paths;
  if (input.isTTY) throw new UsageError('ingest -: reads standard input, which is a terminal here; pipe a log into it (journalctl … | corr ingest -)');
  const dir = stdinDir(dbPath);
  mkdirSync(dir, { recursive: true });
  const partial = join(dir, `.partial-${process.pid}`);
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(input, tap, createWriteStream(partial));
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
  if (bytes === 0) {
    rmSync(partial, { force: true });
    throw new UsageError('ingest -: standard input was empty');
  }
  const saved = join(dir, `stdin-${hash.digest('hex').slice(0, 16)}.log`);
  if (existsSync(saved)) rmSync(partial, { force: true });
  else renameSync(partial, saved);
  return [...new Set(paths.map((p) => (p === STDIN_PATH ? saved : p)))];
}
