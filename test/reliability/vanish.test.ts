/**
 * #17: a file that vanishes or changes between the survey and the read (log rotation, a capture
 * still being written) is an error for that path: exit 2, named on stderr and under `errors`, never
 * recorded as a complete file. A restored identical copy is then ingested whole.
 *
 * The race is made deterministic with the documented test hook CORR_TEST_AFTER_SURVEY (a FIFO that
 * corr reads once every input is surveyed, docs/reliability.md): opening its other end returns only
 * when corr has finished the survey, and corr goes on to read only when the test closes it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, corrJson, tempDir } from '../helpers/cli.js';

const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const TIME = ['--tz', 'UTC', '--year', '2026'];

function authLines(from: number, to: number): string {
  const out: string[] = [];
  for (let i = from; i <= to; i++) {
    const s = String(i % 60).padStart(2, '0');
    const m = String(Math.floor(i / 60) % 60).padStart(2, '0');
    out.push(`Mar  1 10:${m}:${s} kai-server sshd[${1000 + i}]: Failed password for root from 203.0.113.${i % 250} port ${20000 + i} ssh2`);
  }
  return out.join('\n') + '\n';
}

interface IngestJson {
  events_added: number;
  events_total: number;
  errors: { path: string; error: string }[];
  files: { path: string; status: string; events: number }[];
}

/** Run `corr ingest` and, once it has surveyed every input, do `meanwhile` before it reads them. */
async function ingestWithRace(dir: string, db: string, paths: string[], meanwhile: () => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const fifo = join(dir, 'after-survey.fifo');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  const child = spawn(process.execPath, [BIN, '--db', db, '--json', 'ingest', ...paths, ...TIME], {
    env: { ...process.env, CORR_TEST_AFTER_SURVEY: fifo, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  // Returns once corr opened the FIFO: the survey is over, no line has been read for storing yet.
  const end = await open(fifo, 'w');
  meanwhile();
  await end.close();
  const code = await exited;
  unlinkSync(fifo);
  return { code, stdout, stderr };
}

function completeFiles(db: string): { path: string; complete: number }[] {
  return corrJson<{ rows: { path: string; complete: number }[] }>(['--db', db, 'sql', 'SELECT path, complete FROM files ORDER BY path']).json.rows
    .map((r) => ({ path: r.path.replace(/^.*\//, ''), complete: r.complete }));
}

/** Two auth logs of 30 and 40 lines in a fresh directory, and the second one's bytes (to restore it). */
function twoLogs(): { dir: string; db: string; a: string; b: string; bytes: Buffer } {
  const dir = tempDir();
  const a = join(dir, 'a.log');
  const b = join(dir, 'b.log');
  writeFileSync(a, authLines(1, 30));
  writeFileSync(b, authLines(31, 70));
  return { dir, db: join(dir, 's.db'), a, b, bytes: readFileSync(b) };
}

describe('a file that vanishes or changes during the run', () => {
  it('names a file deleted after the survey (exit 2), records nothing of it, and ingests a restored copy whole', async () => {
    const { dir, db, a, b, bytes } = twoLogs();
    const run = await ingestWithRace(dir, db, [a, b], () => unlinkSync(b));
    expect(run.code).toBe(2);
    const json = JSON.parse(run.stdout) as IngestJson;
    expect(json.errors).toHaveLength(1);
    expect(json.errors[0]!.path).toBe(b);
    expect(json.errors[0]!.error).toMatch(/^vanished before it was read \(ENOENT/);
    expect(run.stderr.split('\n').filter((l) => l.includes('b.log'))).toEqual([expect.stringMatching(/^corr: .*b\.log: vanished before it was read/)]);
    expect(json.events_added).toBe(30);
    expect(json.events_total).toBe(30);
    expect(completeFiles(db)).toEqual([{ path: 'a.log', complete: 1 }]);

    writeFileSync(b, bytes);
    const again = corrJson<IngestJson>(['--db', db, 'ingest', a, b, ...TIME]);
    expect(again.code).toBe(0);
    expect(again.json.events_added).toBe(40);
    expect(again.json.events_total).toBe(70);
    expect(again.json.files.map((f) => [f.path.replace(/^.*\//, ''), f.status, f.events])).toEqual([['a.log', 'unchanged', 30], ['b.log', 'ingested', 40]]);
    expect(completeFiles(db)).toEqual([{ path: 'a.log', complete: 1 }, { path: 'b.log', complete: 1 }]);
  });

  for (const [what, change] of [
    // Same length, same line count: only the bytes tell (the read hashes them again).
    ['edited in place with as many lines', (b: string) => writeFileSync(b, readFileSync(b, 'utf8').replace('port 20031', 'port 29031'))],
    ['grown by lines appended', (b: string) => appendFileSync(b, authLines(71, 75))],
  ] as const) {
    it(`names a file ${what} after the survey (exit 2), never records it complete, and ingests the restored original whole`, async () => {
      const { dir, db, a, b, bytes } = twoLogs();
      const run = await ingestWithRace(dir, db, [a, b], () => change(b));
      expect(run.code).toBe(2);
      const json = JSON.parse(run.stdout) as IngestJson;
      expect(json.errors.map((e) => [e.path, e.error.replace(/ \(.*$/, '')])).toEqual([[b, 'changed while it was read']]);
      expect(run.stderr).toMatch(/^corr: .*b\.log: changed while it was read/m);
      expect(json.events_added).toBe(30);
      expect(completeFiles(db).filter((f) => f.path === 'b.log' && f.complete === 1)).toEqual([]);

      writeFileSync(b, bytes);
      const again = corrJson<IngestJson>(['--db', db, 'ingest', a, b, ...TIME]);
      expect(again.code).toBe(0);
      expect(again.json.events_added).toBe(40);
      expect(again.json.events_total).toBe(70);
      expect(completeFiles(db)).toEqual([{ path: 'a.log', complete: 1 }, { path: 'b.log', complete: 1 }]);
    });
  }
});
