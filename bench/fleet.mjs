#!/usr/bin/env node
/**
 * The fleet bench (docs/fleet.md): N events from H simulated hosts, ingested by 4 parallel
 * ingesters into a private ClickHouse server, and the same files into SQLite (one writer, as
 * SQLite allows); then `corr correlate --json` on both (checked identical), with the server's peak
 * memory (VmHWM of its process) and both stores' size on disk.
 *
 *   node bench/fleet.mjs [--events 200000] [--hosts 20] [--ingesters 4] [--keep DIR]
 *   npm run bench -- --engine clickhouse [--events …]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { startClickHouse } from '../scripts/clickhouse-server.mjs';

const CLI = resolve(import.meta.dirname, '..', 'dist', 'cli', 'main.js');

function args(argv) {
  const o = { events: 200_000, hosts: 20, ingesters: 4, keep: null };
  for (let i = 0; i < argv.length; i++) {
    const [k, v] = argv[i].includes('=') ? argv[i].split('=') : [argv[i], argv[i + 1]];
    if (!argv[i].includes('=') && k.startsWith('--') && k !== '--engine') i++;
    if (k === '--events') o.events = Number(v);
    else if (k === '--hosts') o.hosts = Number(v);
    else if (k === '--ingesters') o.ingesters = Number(v);
    else if (k === '--keep') o.keep = v;
  }
  return o;
}

/** One host's syslog: a steady sshd/kernel/app mix, and bridge churn before three outages where it falls silent. */
export function hostLog(h, n, start) {
  const lines = [];
  const outages = [0.25, 0.5, 0.75].map((f) => Math.floor(n * f));
  let t = start;
  for (let i = 0; i < n; i++) {
    const silent = outages.some((o) => i === o);
    t += silent ? 600_000 : 1000 + ((i * 7919) % 2000);
    const d = new Date(t);
    const stamp = `May ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
    const near = outages.some((o) => i < o && i >= o - 20);
    const k = i % 10;
    const msg = near
      ? `kernel: br-${(h * 31 + i).toString(16).padStart(6, '0')}: port 1(veth${i % 97}) entered disabled state`
      : k < 4 ? `sshd[${2000 + (i % 50)}]: Failed password for invalid user u${i % 13} from 203.0.113.${i % 200} port ${40000 + (i % 999)} ssh2`
      : k < 7 ? `app[${300 + h}]: request ${i} served in ${(i * 13) % 900} ms`
      : `CRON[${i % 900}]: (root) CMD (run-parts /etc/cron.hourly)`;
    lines.push(`${stamp} node-${String(h).padStart(2, '0')} ${msg}`);
  }
  return lines.join('\n') + '\n';
}

/** CPU seconds (user + sys) a process has used so far, from /proc (the server's, between phases). */
function cpuOf(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** A corr run through /usr/bin/time: wall seconds, CPU seconds (user + sys) and peak RSS. */
function run(argv, { peakOf, env } = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const p = spawn('/usr/bin/time', ['-f', '\nCORR-TIME %U %S %M', process.execPath, CLI, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    let peak = 0;
    const sample = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {}
      peakOf?.();
    }, 100);
    p.on('exit', (code) => {
      clearInterval(sample);
      const s = Number(process.hrtime.bigint() - started) / 1e9;
      const t = /CORR-TIME ([\d.]+) ([\d.]+) (\d+)/.exec(err);
      if (code !== 0) reject(new Error(`corr ${argv.join(' ')} exited ${code}: ${err.slice(0, 400)}`));
      else resolvePromise({ s, out, err, cpuS: t ? Number(t[1]) + Number(t[2]) : NaN, peakMb: t ? Number(t[3]) / 1024 : peak / 1024 });
    });
  });
}

function serverPeakMb(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function main(argv = process.argv.slice(2)) {
  const o = args(argv);
  const dir = o.keep ?? mkdtempSync(join(tmpdir(), 'corr-fleet-bench-'));
  const logs = join(dir, 'hosts');
  mkdirSync(logs, { recursive: true });
  const per = Math.floor(o.events / o.hosts);
  const files = [];
  for (let h = 0; h < o.hosts; h++) {
    const f = join(logs, `node-${String(h).padStart(2, '0')}.log`);
    writeFileSync(f, hostLog(h, per, Date.UTC(2026, 4, 26, 0, 0, 0) + h * 137));
    files.push(f);
  }
  const common = ['--year', '2026', '--tz', 'UTC', '--quiet'];
  const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
  const report = { events: per * o.hosts, hosts: o.hosts, ingesters: o.ingesters, load_before: load() };
  const loads = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 5000);
  const phase = (name) => process.stderr.write(`fleet bench: ${name} (${new Date().toISOString().slice(11, 19)}, load ${load()})\n`);
  const server = await startClickHouse();
  try {
    const url = server.url('bench');
    const groups = Array.from({ length: o.ingesters }, (_, g) => files.filter((_, i) => i % o.ingesters === g));
    phase(`ClickHouse ingest, ${o.ingesters} ingesters`);
    const s0 = cpuOf(server.pid);
    const t0 = process.hrtime.bigint();
    const ingesters = await Promise.all(groups.map((g) => run(['--db', url, 'ingest', ...g, ...common])));
    const chIngest = Number(process.hrtime.bigint() - t0) / 1e9;
    const s1 = cpuOf(server.pid);
    phase('SQLite ingest');
    const sqlite = join(dir, 'corr.db');
    const sq = await run(['--db', sqlite, 'ingest', ...files, ...common]);
    phase('ClickHouse correlate');
    const s2 = cpuOf(server.pid);
    const chCorr = await run(['--db', url, 'correlate', '--json', '--quiet']);
    const s3 = cpuOf(server.pid);
    phase('SQLite correlate');
    const sqCorr = await run(['--db', sqlite, 'correlate', '--json', '--quiet']);
    // Once more with the bridge's trace, untimed: how many round trips correlate makes (a count
    // the machine's load does not change) and how many of them are lookups by id.
    phase('ClickHouse correlate, traced');
    const traced = (await run(['--db', url, 'correlate', '--json', '--quiet'], { env: { CORR_CLICKHOUSE_TRACE: '1' } })).err
      .split('\n')
      .filter((l) => /^ch [\d.]+ ms /.test(l));
    // The trace cuts a statement at 100 characters: a lookup by id reads the row columns from `events` directly.
    // Whole rows (evidence) read the row columns, messages (template mining) `id, message`.
    const lookups = traced.filter((l) => /fields, count FROM ev|SELECT id, message FROM events/.test(l));
    const rowLookups = traced.filter((l) => /fields, count FROM ev/.test(l));
    const msOf = (ls) => +ls.reduce((a, l) => a + Number(/^ch ([\d.]+) ms/.exec(l)[1]), 0).toFixed(0);
    const chBytes = Number((await server.query("SELECT sum(bytes_on_disk) FROM system.parts WHERE database = 'bench' AND active")).trim());
    Object.assign(report, {
      clickhouse: {
        ingest_s: +chIngest.toFixed(1), events_per_s: Math.round((per * o.hosts) / chIngest),
        ingest_cpu_s: +ingesters.reduce((a, r) => a + r.cpuS, 0).toFixed(1), ingest_server_cpu_s: +(s1 - s0).toFixed(1),
        ingester_rss_mb: Math.round(Math.max(...ingesters.map((r) => r.peakMb))),
        correlate_s: +chCorr.s.toFixed(1), correlate_cpu_s: +chCorr.cpuS.toFixed(1), correlate_server_cpu_s: +(s3 - s2).toFixed(1),
        correlate_requests: traced.length, correlate_lookups_by_id: lookups.length, correlate_row_lookups: rowLookups.length, correlate_lookups_ms: msOf(lookups),
        correlate_rss_mb: Math.round(chCorr.peakMb), server_peak_rss_mb: Math.round(serverPeakMb(server.pid)), on_disk_mb: +(chBytes / 1e6).toFixed(1),
      },
      sqlite: {
        ingest_s: +sq.s.toFixed(1), events_per_s: Math.round((per * o.hosts) / sq.s), ingest_cpu_s: +sq.cpuS.toFixed(1), ingest_rss_mb: Math.round(sq.peakMb),
        correlate_s: +sqCorr.s.toFixed(1), correlate_cpu_s: +sqCorr.cpuS.toFixed(1), correlate_rss_mb: Math.round(sqCorr.peakMb), on_disk_mb: +(statSync(sqlite).size / 1e6).toFixed(1),
      },
      correlate_identical: chCorr.out === sqCorr.out,
      load_after: load(),
      load_min_max: [Math.min(...loads), Math.max(...loads)].map((x) => +x.toFixed(1)),
    });
  } finally {
    clearInterval(sampler);
    await server.stop();
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  if (!report.correlate_identical) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
