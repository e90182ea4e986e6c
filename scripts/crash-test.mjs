#!/usr/bin/env node
/**
 * Crash test: `kill -9` `corr ingest` at random moments of every step, run the same commands again,
 * and check that the store is intact (PRAGMA integrity_check) and holds exactly what a clean run
 * stores: a fingerprint over every column of every event row (instant, file, line, host, kind,
 * message, raw, fields, uptime, time note, dedup key, its boot's anchor), of every boot, note,
 * section and second owner of a shared line.
 *
 * A round runs the steps in order, killing one of them part way (one to three times):
 *   1. ingest the bundle: a capture file (uptime -s, a raw dmesg ring buffer, `journalctl -k` with
 *      the last of those lines again — twins, linked in the section's transaction — the k3s journal),
 *      kern.log whose lines carry both clocks (some of them the dmesg lines again: twins that place
 *      the dmesg boot), auth logs plain and .gz, a probe log. Kills land in parsing, inserting,
 *      committing and boot placement (the section's end).
 *   2. `ingest kern.log --replace` (a corrected read): the old version is removed, its shared
 *      lines move to their other owner, the new version is read.
 * After the kills, the killed step is run again to its end, then the steps after it.
 *
 * Usage: node scripts/crash-test.mjs [--rounds N] [--lines N] [--seed N] [--keep]
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
const ROUNDS = opt('rounds', opt('kills', 10));
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
// journalctl -k: the last 2,000 dmesg lines again with journald's whole-second wall clock and no
// uptime stamp — twins of the raw lines (#12), linked in the section's transaction.
const dmesgLines = capture.filter((l) => l.startsWith('['));
capture.push('===== journalctl -k --no-pager =====');
for (const line of dmesgLines.slice(-2000)) {
  const m = /^\[\s*(\d+\.\d+)\] (.*)$/.exec(line);
  capture.push(`${syslogStamp(Date.UTC(2026, 4, 20, 8, 0, 0) + Math.floor(Number(m[1]) * 1000))} kai-server kernel: ${m[2]}`);
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

// kern.log: wall time and uptime on each line; every 10th dmesg line again (its twin), then lines of its own.
const BOOT_MS = Date.UTC(2026, 4, 20, 8, 0, 0);
const kern = [];
for (const line of capture) {
  const m = /^\[\s*(\d+\.\d+)\] (.*)$/.exec(line);
  if (!m || rand() > 0.1) continue;
  kern.push(`${syslogStamp(BOOT_MS + Math.floor(Number(m[1]) * 1000))} kai-server kernel: [${m[1].padStart(13, ' ')}] ${m[2]}`);
}
for (let i = 0; i < n('dmesg') / 10; i++) {
  up += rand();
  kern.push(`${syslogStamp(BOOT_MS + Math.floor(up * 1000))} kai-server kernel: [${up.toFixed(6).padStart(13, ' ')}] eth0: link ${pick(['up', 'down'])} #${i}`);
}
writeFileSync(join(input, 'kern.log'), kern.join('\n') + '\n');

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

// Two earlier boots of the same host, each captured on its own (#17, boot-aware dedup keys): both
// print the same [0.000000] lines, which must both be kept; the second boot is captured twice (the
// later capture holds more lines), and that overlap is stored once.
const EARLY = ['Linux version 5.15.0-105-generic (buildd@lcy02-amd64-007) #115-Ubuntu SMP', 'Command line: BOOT_IMAGE=/boot/vmlinuz root=/dev/sda2 ro', 'BIOS-provided physical RAM map:'];
const earlierBoot = (count) => {
  const out = EARLY.map((m) => `[    0.000000] ${m}`);
  let us = 0;
  for (let i = 0; i < count; i++) {
    us += 1 + Math.floor(rand() * 200_000);
    if (us % 1000 === 0) us += 1;
    out.push(`[${(us / 1e6).toFixed(6).padStart(12, ' ')}] ${pick(['eth0', 'eth1'])}: link becomes ready #${i}`);
  }
  return out;
};
const bootCapture = (lines) => ['===== hostname =====', 'kai-server', '===== dmesg =====', ...lines].join('\n') + '\n';
const bootLines = Math.max(20, Math.round(LINES / 1000));
writeFileSync(join(input, 'boot-1.txt'), bootCapture(earlierBoot(bootLines)));
const second = earlierBoot(bootLines);
writeFileSync(join(input, 'boot-2.txt'), bootCapture(second.slice(0, Math.round(second.length * 0.7))));
writeFileSync(join(input, 'boot-2-later.txt'), bootCapture(second));

const STEPS = [
  { name: 'ingest the bundle', args: [input] },
  { name: 'ingest kern.log --replace', args: [join(input, 'kern.log'), '--replace'] },
];
const ingestArgs = (db, step) => [BIN, '--db', db, 'ingest', ...STEPS[step].args, '--tz', 'UTC', '--year', '2026'];

/** What the store holds, every column of every row but the row ids, in an order independent of them. */
function fingerprint(db) {
  const d = new Database(db, { readonly: true });
  try {
    const integrity = d.pragma('integrity_check', { simple: true });
    const count = d.prepare('SELECT count(*) AS n FROM events').get().n;
    const place = `(SELECT f.path || '#' || s.ordinal FROM sections s JOIN files f ON f.id = s.file_id WHERE s.id = %s)`;
    const digest = (sql) => {
      const h = createHash('sha256');
      let rows = 0;
      for (const r of d.prepare(sql).raw(true).iterate()) {
        h.update(JSON.stringify(r) + '\n');
        rows++;
      }
      return `${rows}:${h.digest('hex').slice(0, 16)}`;
    };
    const events = digest(`SELECT ${place.replace('%s', 'e.section_id')} AS at, e.line, e.ts_us, e.host, e.source, e.kind, e.severity, e.message, e.raw,
      e.fields, e.count, e.uptime_us, e.time_note, e.tkey, e.dhash, e.occ, b.segment, b.anchor_us, b.anchor_why,
      (SELECT ${place.replace('%s', 'kb.section_id')} || ':' || kb.segment FROM boots kb WHERE kb.id = r.boot_key) AS boot_key,
      (SELECT t.tkey || ':' || t.dhash || ':' || t.occ FROM event_rows t WHERE t.id = e.twin_of) AS twin
      FROM events e JOIN event_rows r ON r.id = e.id LEFT JOIN boots b ON b.id = e.boot_id ORDER BY at, e.line, e.tkey, e.dhash, e.occ`);
    const boots = digest(`SELECT ${place.replace('%s', 'section_id')} AS at, segment, host, last_segment, min_uptime_us, max_uptime_us, anchor_us, anchor_why
      FROM boots ORDER BY at, segment`);
    const notes = digest(`SELECT ${place.replace('%s', 'section_id')} AS at, level, code, text, count FROM notes ORDER BY at, id`);
    const owners = digest(`SELECT ${place.replace('%s', 'o.section_id')} AS at, o.line, e.tkey, e.dhash, e.occ FROM event_owners o JOIN event_rows e ON e.id = o.event_id
      ORDER BY at, o.line, e.tkey, e.dhash, e.occ`);
    const sections = d
      .prepare(`SELECT f.path, s.ordinal, s.lines, s.events, s.continuations, s.skipped, s.duplicates, s.unanchored, s.first_us, s.last_us, s.host, s.tz, s.format
                FROM sections s JOIN files f ON f.id = s.file_id ORDER BY f.path, s.ordinal`)
      .all()
      .map((s) => Object.values(s).join('/'))
      .join(' ');
    const files = d.prepare('SELECT count(*) AS n, sum(complete = 0) AS open FROM files').get();
    // Both earlier boots keep their identical [0.000000] lines (boot-aware dedup keys).
    const earlyLines = d.prepare("SELECT count(*) AS n FROM events WHERE uptime_us = 0 AND host = 'kai-server'").get().n;
    return { integrity, count, earlyLines, events, boots, notes, owners, sections, files: `${files.n} files, ${files.open} incomplete` };
  } finally {
    d.close();
  }
}

const PARTS = ['earlyLines', 'events', 'boots', 'notes', 'owners', 'sections', 'files'];

function runToEnd(db, step) {
  const r = spawnSync(process.execPath, ingestArgs(db, step), { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new Error(`${STEPS[step].name} exited ${r.status}: ${r.stderr.split('\n').slice(-3).join(' ')}`);
}

/** Start an ingest and kill -9 it after `ms`; resolves with whether it was still running. */
function killAfter(db, step, ms) {
  return new Promise((resolveKill) => {
    const child = spawn(process.execPath, ingestArgs(db, step), { stdio: 'ignore', env: { ...process.env, TZ: 'UTC' } });
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

console.log(`crash-test: seed ${SEED}, ${LINES} lines, ${ROUNDS} rounds, in ${work}`);
const refDb = join(work, 'ref.db');
const stepMs = STEPS.map((_, step) => {
  const t0 = Date.now();
  runToEnd(refDb, step);
  return Date.now() - t0;
});
const ref = fingerprint(refDb);
console.log(`clean run: ${ref.count} events; steps took ${stepMs.join(', ')} ms (integrity ${ref.integrity})`);
let failures = ref.integrity === 'ok' && ref.count > LINES * 0.8 && ref.earlyLines === 2 * EARLY.length ? 0 : 1;
if (failures) console.log(`FAIL: the clean run itself is wrong (integrity ${ref.integrity}, ${ref.count} events, ${ref.earlyLines} [0.000000] lines of two boots)`);

for (let round = 1; round <= ROUNDS; round++) {
  const db = join(work, `round-${round}.db`);
  const killed = Math.floor(rand() * STEPS.length);
  const delays = [];
  try {
    for (let step = 0; step < killed; step++) runToEnd(db, step);
    // One to three kills of the same step before it may finish: a resumed run is killed too.
    const kills = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < kills; k++) {
      const delay = Math.floor(100 + rand() * stepMs[killed] * 1.05);
      const wasKilled = await killAfter(db, killed, delay);
      delays.push(wasKilled ? `${delay}` : `${delay} (done first)`);
    }
    for (let step = killed; step < STEPS.length; step++) runToEnd(db, step);
    const got = fingerprint(db);
    const differ = PARTS.filter((p) => got[p] !== ref[p]);
    const same = got.integrity === 'ok' && got.count === ref.count && differ.length === 0;
    console.log(`round ${round}: ${STEPS[killed].name} killed at ${delays.join(', ')} ms -> ${got.count} events, integrity ${got.integrity}: ${same ? 'ok' : 'MISMATCH'}`);
    if (!same) {
      failures++;
      for (const p of differ) console.log(`  ${p} differ:\n  want ${ref[p].slice(0, 400)}\n  got  ${got[p].slice(0, 400)}`);
    }
  } catch (e) {
    failures++;
    console.log(`round ${round}: ${STEPS[killed].name} killed at ${delays.join(', ')} ms -> FAIL: ${e.message}`);
  }
  if (!KEEP) for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
}
const round = ROUNDS;

if (!KEEP) rmSync(work, { recursive: true, force: true });
console.log(failures ? `crash-test: ${failures} failure(s) (seed ${SEED})` : `crash-test: all ${round} rounds matched the clean run (seed ${SEED})`);
// The plain closing line CI reads.
console.log(`crash-test: ${Math.max(0, round - failures)} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
