/**
 * What inserting the event rows costs, apart from everything else an ingest does (#18, ninth round):
 * the rows of an existing store (schema 9 or later: run `corr ingest` into it once) copied in id
 * order, as the ingest wrote them, into fresh stores.
 *
 *   node bench/insert-cost.mjs STORE.db [rows]
 *
 * 1. SQLite alone (INSERT … SELECT, 10 000-row transactions), with every index of event_rows and
 *    with each of the large ones left out in turn, then with none: what each index costs.
 * 2. The first `rows` (default 300 000) through a prepared INSERT's run() with the 19 values the
 *    writer binds, against INSERT … SELECT of the same rows: what the JavaScript binding adds; foreign
 *    keys off, on with the parents first, and on deferred with the parents at commit (as the writer).
 * CPU is process.cpuUsage() of this process: compare within one run.
 */
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '../dist/store/schema.js';

const Database = createRequire(import.meta.url)('better-sqlite3');
const [store, rowsArg = '300000'] = process.argv.slice(2);
if (!store) throw new Error('usage: node bench/insert-cost.mjs STORE.db [rows]');
const N = Number(rowsArg);
const tmp = join(tmpdir(), `corr-insert-cost-${process.pid}.db`);
const COLS = 'ts_us, section_id, line, host_code, source_code, kind_code, severity, message, msg_at, raw, fields, count, uptime_us, boot_id, time_note, tkey, dhash, occ, boot_key';
const LARGE = ['events_dedup', 'events_ts', 'events_section', 'events_boot'];
const ALL = [...LARGE, 'events_kernel_wall', 'events_twin_of', 'events_twins_section'];

function fresh(fk) {
  for (const s of ['', '-wal', '-shm']) rmSync(tmp + s, { force: true });
  const db = new Database(tmp);
  db.pragma('page_size = 8192');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = OFF');
  for (const m of MIGRATIONS) db.exec(m);
  db.pragma(`foreign_keys = ${fk ? 'ON' : 'OFF'}`);
  db.pragma('cache_size = -16384'); // the writer's (db.ts useWritingCache)
  db.prepare('ATTACH ? AS src').run(store);
  return db;
}
const cpu = (f) => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) / 1e6).toFixed(2);
};

for (const drop of [null, ...LARGE, 'all']) {
  const db = fresh(false);
  for (const i of ALL) if (drop === 'all' || i === drop) db.exec(`DROP INDEX ${i}`);
  const { lo, hi } = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM src.event_rows').get();
  const ins = db.prepare(`INSERT INTO main.event_rows (${COLS}) SELECT ${COLS} FROM src.event_rows WHERE id >= ? AND id < ?`);
  const s = cpu(() => {
    for (let at = lo; at <= hi; at += 10_000) db.transaction(() => ins.run(at, at + 10_000))();
  });
  console.log(`every row, INSERT … SELECT, ${drop === null ? 'every index' : drop === 'all' ? 'no index' : `without ${drop}`}: ${s} s CPU`);
  db.close();
}

const src = new Database(store, { readonly: true });
const rows = src.prepare(`SELECT ${COLS} FROM event_rows ORDER BY id LIMIT ?`).raw(true).all(N);
src.close();
const parents = (db) => {
  for (const t of ['files', 'sections', 'boots']) db.exec(`INSERT INTO main.${t} SELECT * FROM src.${t}`);
};
for (const mode of ['foreign keys off', 'foreign keys on, parents first', 'foreign keys on, deferred, parents at commit']) {
  for (const how of ['INSERT … SELECT', 'run() from JavaScript']) {
    const db = fresh(mode !== 'foreign keys off');
    const st = db.prepare(`INSERT OR IGNORE INTO event_rows (${COLS}) VALUES (${COLS.split(',').map(() => '?').join(', ')})`);
    const s = cpu(() => db.transaction(() => {
      db.pragma('defer_foreign_keys = ON');
      if (mode.includes('parents first')) parents(db);
      if (how === 'INSERT … SELECT') db.prepare(`INSERT INTO main.event_rows (${COLS}) SELECT ${COLS} FROM src.event_rows ORDER BY id LIMIT ?`).run(rows.length);
      else for (const r of rows) st.run(r);
      if (!mode.includes('parents first')) parents(db);
    })());
    console.log(`${rows.length} rows, ${how}, ${mode}: ${s} s CPU`);
    db.close();
  }
}
for (const s of ['', '-wal', '-shm']) rmSync(tmp + s, { force: true });
