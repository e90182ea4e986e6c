/**
 * The floor of any persistent ingest on this machine: the same files read line by line and inserted
 * unparsed into SQLite with better-sqlite3 — one prepared statement, transactions of BATCH rows, one
 * table with one index on a time column, and corr's own durability settings (WAL, synchronous=NORMAL).
 * The "time" is the line's number in its file: every file restarts it, so the index sees the same
 * interleaving as corr's events_ts does when several files cover the same span.
 *
 *   node bench/floor.mjs DB FILE...   → prints {"lines": N, "bytes": B} on stdout
 */
import Database from 'better-sqlite3';
import { createReadStream, rmSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const BATCH = 10_000;
const [dbPath, ...files] = process.argv.slice(2);
for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE lines (id INTEGER PRIMARY KEY, t INTEGER NOT NULL, file TEXT NOT NULL, raw TEXT NOT NULL); CREATE INDEX lines_t ON lines (t);');
const insert = db.prepare('INSERT INTO lines (t, file, raw) VALUES (?, ?, ?)');
const insertMany = db.transaction((rows, file) => {
  for (let i = 0; i < rows.length; i++) insert.run(rows[i][0], file, rows[i][1]);
});

let lines = 0;
let bytes = 0;
for (const file of files) {
  let lineNo = 0;
  let carry = '';
  let rows = [];
  const decoder = new StringDecoder('utf8'); // a character split across chunks stays whole
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    bytes += chunk.length;
    const text = carry + decoder.write(chunk);
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      rows.push([++lineNo, text.slice(start, nl)]);
      start = nl + 1;
      nl = text.indexOf('\n', start);
      if (rows.length >= BATCH) {
        insertMany(rows, file);
        rows = [];
      }
    }
    carry = text.slice(start);
  }
  if (carry) rows.push([++lineNo, carry]);
  if (rows.length) insertMany(rows, file);
  lines += lineNo;
}
db.close();
process.stdout.write(JSON.stringify({ lines, bytes }) + '\n');
