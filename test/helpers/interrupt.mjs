/**
 * Runs `corr ARGS...` with this process's stdio (a terminal under `script`, pipes under spawnSync),
 * waits until the store at DB holds at least one committed section, sends SIGNAL, and exits with
 * corr's exit code. Exits 99 when corr finished before the signal could be sent (the input was
 * too small for the machine): the test then fails saying so, never passes by luck.
 *
 *   node test/helpers/interrupt.mjs SIGINT path/to.db --db path/to.db ingest DIR
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const [signal, db, ...args] = process.argv.slice(2);
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'main.js');
const child = spawn(process.execPath, [bin, ...args], { stdio: 'inherit' });
let exited = false;
child.on('exit', (code, sig) => {
  exited = true;
  clearInterval(timer);
  process.exit(sent ? (code ?? 128) : 99);
});
let sent = false;
const committedSections = () => {
  if (!existsSync(db)) return 0;
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return conn.prepare('SELECT count(*) AS n FROM sections').get().n;
  } catch {
    return 0; // the schema is not written yet
  } finally {
    conn.close();
  }
};
const timer = setInterval(() => {
  if (exited || sent) return;
  if (committedSections() >= 1) {
    sent = true;
    child.kill(signal);
  }
}, 20);
