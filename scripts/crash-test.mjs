#!/usr/bin/env node
/**
 * Crash test: `kill -9` a large `corr ingest` at random moments, ingest again, and check that the
 * store is intact (PRAGMA integrity_check) and holds exactly what one clean run stores: the same
 * number of events, the same checksum over (ts_us, line, message), and the same per-section counts.
 *
 * Usage: node scripts/crash-test.mjs [--kills N] [--lines N] [--seed N] [--keep]
 * Needs the built CLI (npm run build). Exit 0 when every round matches, 1 otherwise.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
// The project's one PRNG (src/correlate/prng.ts; run npm run build first).
import { mulberry32 as prng } from '../dist/correlate/prng.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const KILLS = opt('kills', 10);
const LINES = opt('lines', 300_000);
const SEED = opt('seed', Date.now() % 100_000);
const KEEP = args.includes('--keep');


if (!existsSync(BIN)) {
  console.error(`crash-test: ${BIN} is missing: run npm run build first`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'corr-crash-'));
const input = join(work, 'diag');
mkdirSync(input);
const rand = prng(SEED);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

// ---- the input: a capture file with several sections, an auth log (plain and rotated .gz), a probe log.
const share = { dmesg: 0.3, k3s: 0.2, auth: 0.25, authGz: 0.1, probe: 0.15 };
const n = (k) => Math.round(LINES * share[k]);
const pad = (x, w = 2) => String(x).padStart(w, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const base = Date.UTC(2026, 4, 26, 0, 0, 0); // local times below are written as if in UTC (--tz UTC)
const syslogStamp = (ms) => {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

const capture = ['===== date =====', 'Wed May 27 03:00:00 UTC 2026', '===== hostname =====', 'kai-server', '===== uptime -s =====', '2026-05-20 08:00:00', '===== dmesg ====='];
let up = 500_000;
for (let i = 0; i < n('dmesg'); i++) {
  up += rand() * 0.5;
  const port = 1 + Math.floor(rand() * 8);
  capture.push(`[${up.toFixed(6).padStart(13, ' ')}] ${pick(['br-fc96871cbe05', 'br-0e23bbc24992'])}: port ${port}(veth${(i % 997).toString(16)}a) entered ${pick(['blocking', 'disabled', 'forwarding'])} state`);
  if (i % 5000 === 4999) capture.push('[' + up.toFixed(6).padStart(13, ' ') + '] a line repeated for dedup'); // same stamp twice
}
capture.push('===== journalctl -u k3s =====');
for (let i = 0; i < n('k3s'); i++) {
  const ms = base + i * 600 + Math.floor(rand() * 500);
  const d = new Date(ms);
  const klog = `${pick(['I', 'W', 'E'])}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000    1187 writers.go:118] apiserver was unable to write a JSON response: http: Handler timeout #${i % 300}`;
  capture.push(`${syslogStamp(ms)} kai-server k3s[1187]: ${klog}`);
}
capture.push('===== ss -tlnp =====', 'State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process', 'LISTEN 0      4096   0.0.0.0:6443      0.0.0.0:*');
writeFileSync(join(input, 'output.txt'), capture.join('\n') + '\n');

const authLines = (count, startMs) => {
  const out = [];
  for (let i = 0; i < count; i++) {
    const ms = startMs + i * 400;
    const user = pick(['root', 'admin', 'oracle', 'user1', 'test']) + (i % 37);
    out.push(`${syslogStamp(ms)} kai-server sshd[${5000 + (i % 20000)}]: Failed password for invalid user ${user} from 60.163.${i % 250}.${(i * 7) % 250} port ${40000 + (i % 20000)} ssh2`);
    if (i % 1000 === 999) out.push(`${syslogStamp(ms)} kai-server sshd[1]: message repeated 3 times: [ Failed password for root from 60.163.1.1 port 22 ssh2]`);
  }
  return out.join('\n') + '\n';
};
writeFileSync(join(input, 'auth.log.1.gz'), gzipSync(authLines(n('authGz'), base - 86_400_000)));
writeFileSync(join(input, 'auth.log'), authLines(n('auth'), base));
const probe = [];
for (let i = 0; i < n('probe'); i++) {
  const t = new Date(base + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  probe.push(i % 50 === 0 ? `${t} target=kai-server alive -> dead exit=255 err="tcp dial kai-server:22: i/o timeout"` : `${t} target=kai-server state=alive exit=0`);
}
writeFileSync(join(input, 'watch.log'), probe.join('\n') + '\n');

const ingestArgs = (db) => [BIN, '--db', db, 'ingest', input, '--tz', 'UTC', '--year', '2026'];

/** What the store holds, reduced to figures two stores can be compared on. */
function fingerprint(db) {
  const d = new Database(db, { readonly: true });
  try {
    const integrity = d.pragma('integrity_check', { simple: true });
    const count = d.prepare('SELECT count(*) AS n FROM events').get().n;
    const h = createHash('sha256');
    for (const r of d.prepare('SELECT ts_us, line, message FROM events ORDER BY ts_us, line, message').iterate()) {
      h.update(`${r.ts_us}\t${r.line}\t${r.message}\n`);
    }
    const sections = d
      .prepare('SELECT f.path, s.ordinal, s.lines, s.events, s.continuations, s.skipped FROM sections s JOIN files f ON f.id = s.file_id ORDER BY f.path, s.ordinal')
      .all()
      .map((s) => `${s.path}#${s.ordinal}:${s.lines}/${s.events}/${s.continuations}/${s.skipped}`)
      .join(' ');
    const incomplete = d.prepare('SELECT count(*) AS n FROM files WHERE complete = 0').get().n;
    return { integrity, count, checksum: h.digest('hex'), sections, incomplete };
  } finally {
    d.close();
  }
}

function runToEnd(db) {
  const r = spawnSync(process.execPath, ingestArgs(db), { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new Error(`ingest exited ${r.status}: ${r.stderr.split('\n').slice(-3).join(' ')}`);
}

/** Start an ingest and kill -9 it after `ms`; resolves with whether it was still running. */
function killAfter(db, ms) {
  return new Promise((resolveKill) => {
    const child = spawn(process.execPath, ingestArgs(db), { stdio: 'ignore', env: { ...process.env, TZ: 'UTC' } });
    let exited = false;
    child.on('exit', () => {
      exited = true;
      resolveKill(!killed);
    });
    let killed = false;
    setTimeout(() => {
      if (!exited) {
        killed = true;
        child.kill('SIGKILL');
      }
    }, ms);
  }).then((finishedOnItsOwn) => !finishedOnItsOwn);
}

console.log(`crash-test: seed ${SEED}, ${LINES} lines, ${KILLS} kills, in ${work}`);
const refDb = join(work, 'ref.db');
const t0 = Date.now();
runToEnd(refDb);
const cleanMs = Date.now() - t0;
const ref = fingerprint(refDb);
console.log(`clean run: ${ref.count} events in ${cleanMs} ms (integrity ${ref.integrity})`);
let failures = ref.integrity === 'ok' && ref.count > LINES * 0.8 ? 0 : 1;
if (failures) console.log(`FAIL: the clean run itself is wrong (integrity ${ref.integrity}, ${ref.count} events)`);

let killsDone = 0;
let round = 0;
while (killsDone < KILLS) {
  round++;
  const db = join(work, `round-${round}.db`);
  // One to three kills on the same store before it is allowed to finish: a resumed run is killed too.
  const killsThisRound = Math.min(KILLS - killsDone, 1 + Math.floor(rand() * 3));
  const delays = [];
  for (let k = 0; k < killsThisRound; k++) {
    const delay = Math.floor(150 + rand() * cleanMs * 1.05);
    delays.push(delay);
    const wasKilled = await killAfter(db, delay);
    if (wasKilled) killsDone++;
    else {
      killsDone++; // it finished before the kill: still a round; a later kill lands earlier
    }
  }
  try {
    runToEnd(db);
    const got = fingerprint(db);
    const same = got.integrity === 'ok' && got.count === ref.count && got.checksum === ref.checksum && got.sections === ref.sections && got.incomplete === 0;
    console.log(`round ${round}: killed at ${delays.join(', ')} ms -> ${got.count} events, integrity ${got.integrity}: ${same ? 'ok' : 'MISMATCH'}`);
    if (!same) {
      failures++;
      if (got.sections !== ref.sections) console.log(`  sections differ:\n  want ${ref.sections}\n  got  ${got.sections}`);
      if (got.checksum !== ref.checksum) console.log(`  event checksum differs (${got.count} vs ${ref.count} events)`);
    }
  } catch (e) {
    failures++;
    console.log(`round ${round}: killed at ${delays.join(', ')} ms -> FAIL: ${e.message}`);
  }
  if (!KEEP) for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
}

if (!KEEP) rmSync(work, { recursive: true, force: true });
console.log(failures ? `crash-test: ${failures} failure(s) (seed ${SEED})` : `crash-test: all ${round} rounds matched the clean run (seed ${SEED})`);
// The plain closing line CI reads.
console.log(`crash-test: ${Math.max(0, round - failures)} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
