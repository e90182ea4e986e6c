/**
 * Many tiny files (#17: "many small files in bounded time and memory"). Writes N small logs, each a
 * few syslog or klog lines, spread over directories of 1,000, with every 20th file a byte-identical
 * copy of an earlier one and every 7th sharing its first line with the file before it (lines stored
 * once, owned by both). The same N always gives the same bytes (a seeded PRNG, fixed mtimes).
 *
 *   node bench/tiny-files.mjs --count 100000 --out /tmp/tiny
 *   node bench/tiny-files.mjs --count 20000 --out /tmp/tiny --measure   # also ingest and time it
 *
 * With --measure it runs `corr --db OUT.db ingest OUT` under /usr/bin/time -v and prints one
 * JSON line: files, wall seconds, peak RSS in MB, events stored, and the load average at the start.
 * The growth check prints the time per 1,000 files (from the progress lines) when --per-1000 is set.
 */
import { closeSync, existsSync, mkdirSync, openSync, rmSync, utimesSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mulberry32 as prng } from '../dist/correlate/prng.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : args[i + 1];
};
const count = Number(opt('count', '20000'));
const out = resolve(opt('out', '/tmp/corr-tiny'));
const measure = args.includes('--measure');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => (n < 10 ? '0' + n : String(n));
const PROGRAMS = ['sshd[811]', 'cron[402]', 'systemd[1]', 'kernel', 'k3s[1203]'];
const MESSAGES = [
  (r) => `Failed password for root from 203.0.113.${1 + Math.floor(r() * 250)} port ${1024 + Math.floor(r() * 60000)} ssh2`,
  (r) => `Accepted publickey for deploy from 198.51.100.${1 + Math.floor(r() * 250)} port ${1024 + Math.floor(r() * 60000)} ssh2`,
  (r) => `(root) CMD (run-parts /etc/cron.hourly) #${Math.floor(r() * 1e6)}`,
  (r) => `Started Session ${Math.floor(r() * 1e5)} of user deploy.`,
  (r) => `br0: port ${1 + Math.floor(r() * 4)}(veth${Math.floor(r() * 1e6).toString(16)}) entered forwarding state`,
];

/** Start of the span (UTC ms) and its length: a week, so instants rarely coincide by chance. */
const START_MS = Date.UTC(2026, 4, 20, 0, 0, 0);
const SPAN_MS = 7 * 86_400_000;
const MTIME = new Date(Date.UTC(2026, 4, 27, 12, 0, 0));

function syslogLine(utcMs, r) {
  const d = new Date(utcMs);
  const prog = PROGRAMS[Math.floor(r() * PROGRAMS.length)];
  const msg = MESSAGES[Math.floor(r() * MESSAGES.length)](r);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} host-${Math.floor(r() * 8)} ${prog}: ${msg}`;
}

function klogLine(utcMs, r) {
  const d = new Date(utcMs);
  const us = String(Math.floor(r() * 1e6)).padStart(6, '0');
  return `I${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${us}    1203 kubelet.go:${100 + Math.floor(r() * 2000)}] "SyncLoop UPDATE" pod="kube-system/coredns-${Math.floor(r() * 1e6).toString(36)}"`;
}

export function generate(n, dir) {
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  const r = prng(17);
  const files = [];
  let prevFirst = { klog: null, syslog: null };
  for (let i = 0; i < n; i++) {
    const sub = join(dir, `d${String(Math.floor(i / 1000)).padStart(3, '0')}`);
    if (i % 1000 === 0) mkdirSync(sub, { recursive: true });
    let text;
    if (i % 20 === 19 && files.length > 0) {
      text = files[Math.floor(r() * files.length)]; // a byte-identical copy of an earlier file
    } else {
      const klog = r() < 0.3;
      const lines = [];
      const k = 2 + Math.floor(r() * 5);
      let t = START_MS + Math.floor(r() * SPAN_MS);
      for (let j = 0; j < k; j++) {
        lines.push(klog ? klogLine(t, r) : syslogLine(t, r));
        t += Math.floor(r() * 5000);
      }
      const kind = klog ? 'klog' : 'syslog';
      if (i % 7 === 6 && prevFirst[kind] !== null) lines[0] = prevFirst[kind]; // a line two files hold
      prevFirst[kind] = lines[0];
      text = lines.join('\n') + '\n';
      // Keep a bounded pool of earlier texts to copy from (memory stays flat at any N).
      if (files.length < 500) files.push(text);
      else files[Math.floor(r() * 500)] = text;
    }
    const path = join(sub, `f${String(i).padStart(6, '0')}.log`);
    const fd = openSync(path, 'w');
    writeSync(fd, text);
    closeSync(fd);
    utimesSync(path, MTIME, MTIME);
  }
}

function main() {
  const t0 = Date.now();
  generate(count, out);
  process.stderr.write(`wrote ${count} files under ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  if (!measure) return;
  const store = `${out}.db`;
  for (const s of ['', '-wal', '-shm']) rmSync(store + s, { force: true });
  const corr = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  const started = Date.now();
  const run = spawnSync('/usr/bin/time', ['-v', process.execPath, corr, '--db', store, '--json', 'ingest', out, '--tz', 'UTC'], {
    encoding: 'utf8', maxBuffer: 1 << 30,
  });
  const wall = (Date.now() - started) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
  const cpu = ['User', 'System'].reduce((t, k) => t + Number(new RegExp(`${k} time \\(seconds\\): ([\\d.]+)`).exec(run.stderr)?.[1] ?? NaN), 0);
  let events = null;
  try {
    events = JSON.parse(run.stdout).events_total ?? null;
  } catch {
    /* reported below */
  }
  const result = { files: count, wall_s: Number(wall.toFixed(1)), cpu_s: Number(cpu.toFixed(1)), peak_rss_mb: rss ? Math.round(Number(rss[1]) / 1024) : null, events, exit: run.status, load_at_start: load, load_at_end: loadavg().map((x) => x.toFixed(2)).join(' ') };
  process.stdout.write(JSON.stringify(result) + '\n');
  if (run.status !== 0) process.stderr.write(run.stderr.split('\n').filter((l) => l.startsWith('corr:')).slice(0, 5).join('\n') + '\n');
}

main();
