/**
 * The read worker (src/ingest/read-thread.ts) against the pipeline's own thread: the same inputs
 * ingested both ways through the built CLI must leave the same store, every row of every table,
 * ids included — the fixture incidents (the DST one starts sections inside a repeated hour), the
 * shared corpus (formats, continuations, fallbacks, skips), a bench-like bundle (raw dmesg placed
 * by its boot, the k3s journal's folded records) and a resumed run. Every file goes to the worker
 * (CORR_INGEST_WORKER_MIN_BYTES=0), and the test checks it did.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, existsSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CORPUS, FIXTURES, ROOT, corr, tempDir } from '../helpers/cli.js';

/** Every table's rows, in the order of all their columns (the id first where there is one). */
function dump(dbPath: string): Record<string, unknown[][]> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const out: Record<string, unknown[][]> = {};
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    for (const t of tables) {
      const cols = (db.prepare('SELECT count(*) FROM pragma_table_info(?)').pluck().get(t) as number);
      const order = Array.from({ length: cols }, (_, i) => i + 1).join(', ');
      out[t] = db.prepare(`SELECT * FROM "${t}" ORDER BY ${order}`).raw().all() as unknown[][];
    }
    return out;
  } finally {
    db.close();
  }
}

function ingestBoth(inputs: string[], extra: string[] = []): { inThread: Record<string, unknown[][]>; worker: Record<string, unknown[][]>; readInWorker: string[] } {
  const dir = tempDir('corr-read-worker-');
  const log = join(dir, 'worker.log');
  const run = (db: string, env: Record<string, string>): void => {
    const r = corr(['ingest', '--db', db, '--quiet', ...extra, ...inputs], { env });
    expect(r.code, r.stderr).toBe(0);
  };
  run(join(dir, 'in-thread.db'), { CORR_INGEST_THREADS: '0', CORR_TEST_READ_WORKER_LOG: log });
  expect(existsSync(log)).toBe(false);
  run(join(dir, 'worker.db'), { CORR_INGEST_WORKER_MIN_BYTES: '0', CORR_TEST_READ_WORKER_LOG: log });
  const readInWorker = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return { inThread: dump(join(dir, 'in-thread.db')), worker: dump(join(dir, 'worker.db')), readInWorker };
}

function expectSameStores(a: Record<string, unknown[][]>, b: Record<string, unknown[][]>): void {
  expect(Object.keys(b)).toEqual(Object.keys(a));
  for (const t of Object.keys(a)) {
    expect(b[t]!.length, `rows of ${t}`).toBe(a[t]!.length);
    for (let i = 0; i < a[t]!.length; i++) expect(b[t]![i], `${t} row ${i}`).toEqual(a[t]![i]);
  }
}

describe('the read worker stores what the in-thread read stores', () => {
  for (const incident of ['incident-seed', 'incident-dst']) {
    it(`fixtures/${incident}`, () => {
      const r = ingestBoth([join(FIXTURES, incident)]);
      expect(r.readInWorker.length).toBeGreaterThan(0);
      expect(r.inThread.event_rows!.length).toBeGreaterThan(100);
      expectSameStores(r.inThread, r.worker);
    });
  }

  it('the shared corpus, read from where it lies', () => {
    const dirs = readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'LICENSES').map((d) => join(CORPUS, d.name));
    const r = ingestBoth(dirs);
    expect(r.readInWorker.length).toBeGreaterThan(10);
    expect(r.inThread.event_rows!.length).toBeGreaterThan(1000);
    expectSameStores(r.inThread, r.worker);
  });

  it('a bench bundle: raw dmesg placed by its boot, the k3s journal, auth.log', () => {
    const dir = tempDir('corr-read-worker-bundle-');
    execFileSync(process.execPath, [resolve(ROOT, 'bench', 'generate.mjs'), dir, '30000'], { stdio: 'ignore' });
    const r = ingestBoth([join(dir, 'diag')]);
    // output.txt may be read twice: its dmesg section's predicted boot may not hold (RetrySection).
    expect(new Set(r.readInWorker).size).toBe(3);
    expect(r.inThread.event_rows!.length).toBeGreaterThan(29_000);
    expect(r.inThread.boots!.length).toBeGreaterThan(0);
    expectSameStores(r.inThread, r.worker);
  });

  it('a second run over more files (unchanged ones skipped, a new one read) and a --replace', () => {
    const dir = tempDir('corr-read-worker-rerun-');
    const a = join(dir, 'in');
    mkdirSync(a);
    const seed = join(FIXTURES, 'incident-seed');
    const files = readdirSync(seed, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
    for (const f of files.slice(0, Math.ceil(files.length / 2))) copyFileSync(join(seed, f), join(a, f));
    const stores: Record<string, Record<string, unknown[][]>> = {};
    for (const [name, env] of [['in-thread', { CORR_INGEST_THREADS: '0' }], ['worker', { CORR_INGEST_WORKER_MIN_BYTES: '0' }]] as const) {
      const db = join(dir, `${name}.db`);
      expect(corr(['ingest', '--db', db, '--quiet', a], { env }).code).toBe(0);
      expect(corr(['ingest', '--db', db, '--quiet', a, seed], { env }).code).toBe(0);
      expect(corr(['ingest', '--db', db, '--quiet', '--replace', join(seed, files[0]!)], { env }).code).toBe(0);
      stores[name] = dump(db);
    }
    expectSameStores(stores['in-thread']!, stores['worker']!);
  });
});
