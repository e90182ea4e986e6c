#!/usr/bin/env node
/**
 * `npm run bench [-- --sizes 1000000,5000000] [--runs N] [--no-lnav] [--no-floor] [--cli PATH] [--against PATH] [--ingest-only]`
 *
 * --cli measures another build of corr (e.g. a copy of dist/ from before a change; default dist/).
 * --against PATH adds that build's ingest to the interleaved ingest runs (corr, the other build,
 * floor, lnav, corr, ...), so a before/after comparison sees the same load on both sides.
 * --ingest-only stops each size after the ingest (no window, stream, count, correlate, report).
 *
 * For each size: generate the bundle (bench/generate.mjs, cached under bench/data/), then measure
 * as child processes, process start included:
 *   ingest      corr ingest into a fresh store: wall, CPU, lines/s, MB/s, peak RSS, database size
 *   floor       the same lines inserted unparsed with better-sqlite3: the issue's own floor,
 *               ../shared/tools/ingest-floor.cjs (bench/floor.mjs, the same idea, only when that is
 *               missing): ratio corr/floor
 *               ingest, floor and lnav runs are interleaved (corr, floor, lnav, corr, ...), so that a
 *               change of load on the shared machine falls on all three alike
 *   lnav        lnav -n -c ';SELECT count(*) FROM all_logs' on the same files, when lnav is installed
 *   window      corr timeline --since/--until (15 minutes mid-span) --json
 *   count       corr sql "SELECT count(*) FROM events"
 *   correlate   corr correlate --json: wall, peak RSS
 *   report      corr report --out (markdown and its SVG): wall, peak RSS; ratio report/correlate
 * Then, across sizes: ingest peak RSS against the smallest size (flat = within 15 %).
 * Every figure is the median of --runs runs (default 3; ingest, floor, lnav and correlate run once
 * per size above 1M unless --runs is given). Prints a table and writes bench/results/<time>.json.
 * Uses dist/: run `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBundle } from './generate.mjs';
import { measure, median } from './measure.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let CLI = join(ROOT, 'dist/cli/main.js');
const WINDOW_MS = 15 * 60_000;
/** The floor the issue names (#18); bench/floor.mjs only when it is not there. */
const SHARED_FLOOR = resolve(ROOT, '../shared/tools/ingest-floor.cjs');

function parseArgs(argv) {
  const opts = { sizes: [1_000_000, 5_000_000], runs: null, lnav: true, floor: true, stream: true, ingestOnly: false, against: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a.startsWith('--sizes')) opts.sizes = value().split(',').map((s) => Number(s.replace(/_/g, '')));
    else if (a.startsWith('--runs')) opts.runs = Number(value());
    else if (a.startsWith('--cli')) CLI = resolve(value());
    else if (a === '--no-lnav') opts.lnav = false;
    else if (a === '--no-floor') opts.floor = false;
    else if (a === '--no-stream') opts.stream = false;
    else if (a === '--ingest-only') opts.ingestOnly = true;
    else if (a.startsWith('--against')) opts.against = resolve(value());
    else if (a === '--help' || a === '-h') {
      process.stdout.write('npm run bench -- [--sizes 1000000,5000000[,10000000]] [--runs N] [--no-lnav] [--no-floor] [--no-stream] [--ingest-only] [--cli dist/cli/main.js] [--against other/dist/cli/main.js]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (opts.sizes.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error('--sizes: whole numbers of lines, at least 1000');
  if (opts.runs !== null && !(Number.isInteger(opts.runs) && opts.runs >= 1)) throw new Error('--runs: a whole number above 0');
  return opts;
}

function machine() {
  const sh = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  return {
    nproc: Number(sh('nproc', [])) || cpus().length,
    cpu: cpus()[0]?.model ?? null,
    memTotalGb: +(totalmem() / 2 ** 30).toFixed(1),
    memFreeGb: +(freemem() / 2 ** 30).toFixed(1),
    node: process.version,
    lnav: sh('lnav', ['-V']),
  };
}

const loads = () => loadavg().map((x) => +x.toFixed(2));

function dbSize(path) {
  let n = 0;
  for (const s of ['', '-wal', '-shm']) if (existsSync(path + s)) n += statSync(path + s).size;
  return n;
}

function removeDb(path) {
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
}

async function repeat(n, fn) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const r = await fn(i);
    r.load1 ??= loads()[0]; // the 1-minute load average as the run ended, beside its figure
    runs.push(r);
  }
  return runs;
}

function summarize(runs) {
  const pick = (k) => median(runs.map((r) => r[k]).filter((x) => x !== null && x !== undefined));
  return {
    runs: runs.length,
    wallMs: pick('wallMs'),
    wallMsMin: Math.min(...runs.map((r) => r.wallMs)),
    cpuMs: pick('cpuMs'),
    peakRssMb: pick('peakRssMb'),
    load: pick('load1'),
    all: runs.map((r) => ({ load: r.load1 ?? null, wallMs: Math.round(r.wallMs), cpuMs: r.cpuMs === null ? null : Math.round(r.cpuMs), peakRssMb: r.peakRssMb === null ? null : +r.peakRssMb.toFixed(1) })),
  };
}

function check(r, what) {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return r;
}

async function benchSize(size, opts, ctx) {
  const dir = join(ROOT, 'bench/data', String(size));
  const t0 = Date.now();
  process.stderr.write(`[${size}] generating bundle in ${dir} ...\n`);
  const manifest = generateBundle(dir, size);
  const genMs = Date.now() - t0;
  const diag = join(dir, 'diag');
  const files = ['output.txt', 'auth.log', 'watch.log'].map((f) => join(diag, f));
  const heavyRuns = opts.runs ?? (size > 1_000_000 ? 1 : 3);
  const lightRuns = opts.runs ?? 3;
  const db = join(ctx.dir, `corr-${size}.db`);
  const mb = manifest.bytes / 1e6;
  const result = { size, lines: manifest.lines, bytes: manifest.bytes, generateMs: genMs, loadBefore: loads() };

  const floorDb = join(ctx.dir, `floor-${size}.db`);
  const floorCmd = existsSync(SHARED_FLOOR) ? [SHARED_FLOOR, floorDb, ...files] : [join(ROOT, 'bench/floor.mjs'), floorDb, ...files];
  const lnavOn = opts.lnav && ctx.lnavHome !== null;
  process.stderr.write(`[${size}] corr ingest${opts.floor ? `, floor (${floorCmd[0] === SHARED_FLOOR ? 'ingest-floor.cjs' : 'bench/floor.mjs'})` : ''}${lnavOn ? ', lnav' : ''} interleaved × ${heavyRuns} ...\n`);
  let ingestJson = null;
  const ingestRuns = [];
  const againstRuns = [];
  const floorRuns = [];
  const lnavRuns = [];
  for (let i = 0; i < heavyRuns; i++) {
    removeDb(db);
    const r = check(await measure(process.execPath, [CLI, 'ingest', '--db', db, '--json', diag]), 'corr ingest');
    r.load1 = loads()[0];
    ingestJson = JSON.parse(r.stdout);
    r.dbBytes = dbSize(db);
    ingestRuns.push(r);
    if (opts.against) {
      const otherDb = join(ctx.dir, `against-${size}.db`);
      removeDb(otherDb);
      const a = check(await measure(process.execPath, [opts.against, 'ingest', '--db', otherDb, '--json', diag]), 'corr ingest (--against)');
      a.load1 = loads()[0];
      a.stdout = '';
      againstRuns.push(a);
      removeDb(otherDb);
    }
    if (opts.floor) {
      removeDb(floorDb);
      const f = check(await measure(process.execPath, floorCmd, { cwd: ROOT }), 'floor');
      f.load1 = loads()[0];
      f.dbBytes = dbSize(floorDb);
      removeDb(floorDb);
      floorRuns.push(f);
    }
    if (lnavOn) {
      const l = check(await measure('lnav', ['-n', '-c', ';SELECT count(*) FROM all_logs', ...files], { env: { HOME: ctx.lnavHome } }), 'lnav');
      l.load1 = loads()[0];
      lnavRuns.push(l);
    }
  }
  const ingest = summarize(ingestRuns);
  ingest.linesPerS = Math.round(manifest.lines / (ingest.wallMs / 1000));
  ingest.mbPerS = +(mb / (ingest.wallMs / 1000)).toFixed(2);
  ingest.dbMb = +(ingestRuns.at(-1).dbBytes / 1e6).toFixed(1);
  ingest.eventsAdded = ingestJson.events_added;
  result.ingest = ingest;

  if (opts.floor) {
    result.floor = { ...summarize(floorRuns), dbMb: +(floorRuns.at(-1).dbBytes / 1e6).toFixed(1), tool: floorCmd[0] === SHARED_FLOOR ? '../shared/tools/ingest-floor.cjs' : 'bench/floor.mjs' };
    result.floor.linesPerS = Math.round(manifest.lines / (result.floor.wallMs / 1000));
    result.ratioToFloor = +(ingest.wallMs / result.floor.wallMs).toFixed(2);
    result.cpuRatioToFloor = ingest.cpuMs && result.floor.cpuMs ? +(ingest.cpuMs / result.floor.cpuMs).toFixed(2) : null;
  }

  if (opts.against) {
    result.against = { ...summarize(againstRuns), cli: opts.against };
    result.against.ratioToFloor = result.floor ? +(result.against.wallMs / result.floor.wallMs).toFixed(2) : null;
    result.against.cpuRatioToFloor = result.floor?.cpuMs && result.against.cpuMs ? +(result.against.cpuMs / result.floor.cpuMs).toFixed(2) : null;
  }

  if (lnavOn) {
    result.lnav = { ...summarize(lnavRuns), output: lnavRuns.at(-1).stdout.trim().split('\n').slice(-1)[0] };
    result.ratioToLnav = +(ingest.wallMs / result.lnav.wallMs).toFixed(2);
  }
  if (opts.ingestOnly) {
    result.loadAfter = loads();
    removeDb(db);
    return result;
  }

  const midMs = Math.floor((Date.parse(manifest.span.start) + Date.parse(manifest.span.end)) / 2 / 60_000) * 60_000;
  const since = new Date(midMs).toISOString();
  const until = new Date(midMs + WINDOW_MS).toISOString();
  process.stderr.write(`[${size}] timeline window ${since}..${until} × ${lightRuns} ...\n`);
  let windowRows = 0;
  const windowRuns = await repeat(lightRuns, async () => {
    const r = check(await measure(process.execPath, [CLI, 'timeline', '--db', db, '--since', since, '--until', until, '--json']), 'corr timeline');
    windowRows = JSON.parse(r.stdout).events.length;
    return r;
  });
  result.window = { ...summarize(windowRuns), since, until, rows: windowRows };

  // The whole timeline streamed: its first rows through `| head` (the time to first output, and that
  // the closed pipe ends corr quietly with exit 0), and every row to /dev/null in each format (peak RSS
  // must stay flat: rows are written as they are read, never gathered).
  if (opts.stream) {
  process.stderr.write(`[${size}] timeline --no-collapse | head × ${lightRuns} ...\n`);
  const headRuns = await repeat(lightRuns, async () => {
    const r = await measure('bash', ['-c', 'set -o pipefail; "$0" "$1" timeline --db "$2" --no-collapse --quiet | head -20 > /dev/null', process.execPath, CLI, db]);
    if (r.code !== 0) throw new Error(`timeline | head exited ${r.code}: ${r.stderr.trim().slice(0, 200)}`);
    return r;
  });
  result.head = summarize(headRuns);
  result.stream = {};
  for (const [name, args] of [['table', []], ['csv', ['--format', 'csv']], ['jsonl', ['--format', 'jsonl']], ['table collapsed', null]]) {
    process.stderr.write(`[${size}] timeline ${name} > /dev/null × ${heavyRuns} ...\n`);
    const argv = args === null ? ['timeline', '--db', db, '--quiet'] : ['timeline', '--db', db, '--no-collapse', '--quiet', ...args];
    result.stream[name] = summarize(await repeat(heavyRuns, async () => check(await measure(process.execPath, [CLI, ...argv], { discardStdout: true }), `corr timeline ${name}`)));
  }
  }

  process.stderr.write(`[${size}] full count × ${lightRuns} ...\n`);
  let counted = null;
  const countRuns = await repeat(lightRuns, async () => {
    const r = check(await measure(process.execPath, [CLI, 'sql', '--db', db, '--json', 'SELECT count(*) AS n FROM events']), 'corr sql');
    counted = JSON.parse(r.stdout).rows[0].n;
    return r;
  });
  result.count = { ...summarize(countRuns), events: counted };

  // correlate and report interleaved on the same store, so that the ratio compares like with like.
  process.stderr.write(`[${size}] correlate and report interleaved × ${heavyRuns} ...\n`);
  let correlated = null;
  const correlateRuns = [];
  const reportRuns = [];
  const reportDir = mkdtempSync(join(ctx.dir, 'report-'));
  for (let i = 0; i < heavyRuns; i++) {
    const c = check(await measure(process.execPath, [CLI, 'correlate', '--db', db, '--json']), 'corr correlate');
    c.load1 = loads()[0];
    const j = JSON.parse(c.stdout);
    correlated = { outages: j.outages.length, findings: j.findings.length };
    c.stdout = '';
    correlateRuns.push(c);
    const r = check(await measure(process.execPath, [CLI, 'report', '--db', db, '--quiet', '--out', join(reportDir, 'report.md')]), 'corr report');
    r.load1 = loads()[0];
    reportRuns.push(r);
  }
  rmSync(reportDir, { recursive: true, force: true });
  result.correlate = { ...summarize(correlateRuns), ...correlated };
  result.report = summarize(reportRuns);
  result.reportToCorrelate = +(result.report.wallMs / result.correlate.wallMs).toFixed(2);
  result.reportToCorrelateCpu = result.report.cpuMs && result.correlate.cpuMs ? +(result.report.cpuMs / result.correlate.cpuMs).toFixed(2) : null;
  result.loadAfter = loads();
  removeDb(db);
  return result;
}

function table(results, startup) {
  const rows = [['size', 'what', 'wall (median)', 'CPU', 'peak RSS', 'load', 'figures']];
  const ld = (x) => (x === null || x === undefined ? '-' : x.toFixed(1));
  const ms = (x) => (x === null || x === undefined ? '-' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
  const mbs = (x) => (x === null || x === undefined ? '-' : `${Math.round(x)} MB`);
  for (const r of results) {
    const n = r.size.toLocaleString('en-US');
    rows.push([n, 'corr ingest', ms(r.ingest.wallMs), ms(r.ingest.cpuMs), mbs(r.ingest.peakRssMb), ld(r.ingest.load),
      `${r.ingest.linesPerS.toLocaleString('en-US')} lines/s, ${r.ingest.mbPerS} MB/s, db ${r.ingest.dbMb} MB, ${r.ingest.eventsAdded} events`]);
    if (r.floor) rows.push([n, 'floor (raw insert)', ms(r.floor.wallMs), ms(r.floor.cpuMs), mbs(r.floor.peakRssMb), ld(r.floor.load),
      `${r.floor.tool}: ${r.floor.linesPerS.toLocaleString('en-US')} lines/s; corr/floor ${r.ratioToFloor}× wall, ${r.cpuRatioToFloor}× CPU`]);
    if (r.against) rows.push([n, 'other build ingest', ms(r.against.wallMs), ms(r.against.cpuMs), mbs(r.against.peakRssMb), ld(r.against.load),
      `${r.against.cli}: /floor ${r.against.ratioToFloor}× wall, ${r.against.cpuRatioToFloor}× CPU`]);
    if (r.lnav) rows.push([n, 'lnav (no store)', ms(r.lnav.wallMs), ms(r.lnav.cpuMs), mbs(r.lnav.peakRssMb), ld(r.lnav.load), `corr/lnav ${r.ratioToLnav}×; ${r.lnav.output}`]);
    if (!r.window) continue; // --ingest-only
    rows.push([n, 'timeline 15 min', ms(r.window.wallMs), ms(r.window.cpuMs), mbs(r.window.peakRssMb), ld(r.window.load), `${r.window.rows} rows; min ${ms(r.window.wallMsMin)}`]);
    if (r.head) rows.push([n, 'timeline | head -20', ms(r.head.wallMs), ms(r.head.cpuMs), mbs(r.head.peakRssMb), ld(r.head.load), `whole store, --no-collapse; min ${ms(r.head.wallMsMin)} (bash + head included)`]);
    for (const [name, st] of Object.entries(r.stream ?? {})) rows.push([n, `timeline ${name} >/dev/null`, ms(st.wallMs), ms(st.cpuMs), mbs(st.peakRssMb), ld(st.load), name.includes('collapsed') ? 'every event, bursts folded' : 'every event, streamed']);
    rows.push([n, 'sql count(*)', ms(r.count.wallMs), ms(r.count.cpuMs), mbs(r.count.peakRssMb), ld(r.count.load), `${r.count.events} events; min ${ms(r.count.wallMsMin)}`]);
    rows.push([n, 'report', ms(r.report.wallMs), ms(r.report.cpuMs), mbs(r.report.peakRssMb), ld(r.report.load), `report/correlate ${r.reportToCorrelate}× wall, ${r.reportToCorrelateCpu}× CPU (target ≤ 1.5×)`]);
    rows.push([n, 'correlate', ms(r.correlate.wallMs), ms(r.correlate.cpuMs), mbs(r.correlate.peakRssMb), ld(r.correlate.load), `${r.correlate.outages} outages, ${r.correlate.findings} findings`]);
  }
  rows.push(['-', 'node -e 0', ms(startup.node.wallMs), ms(startup.node.cpuMs), mbs(startup.node.peakRssMb), ld(startup.node.load), 'process start floor']);
  rows.push(['-', 'corr --version', ms(startup.corr.wallMs), ms(startup.corr.cpuMs), mbs(startup.corr.peakRssMb), ld(startup.corr.load), 'start + imports']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r, j) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ') + (j === 0 ? '\n' + widths.map((w) => '-'.repeat(w)).join('  ') : '')).join('\n');
}

/** The issue's targets (#18), each with the figure of this run beside it. */
function verdicts(results, startup) {
  const out = [];
  const say = (what, figure, ok) => out.push(`${ok === null ? '  ' : ok ? 'ok' : '--'}  ${what}: ${figure}`);
  const bySize = new Map(results.map((r) => [r.size, r]));
  const small = results[0];
  const m1 = bySize.get(1_000_000) ?? small;
  const n = (r) => r.size.toLocaleString('en-US');
  if (m1.floor) say(`ingest ≤ 2.0× the floor (${n(m1)})`, `${m1.ratioToFloor}× wall (${Math.round(m1.ingest.wallMs)} / ${Math.round(m1.floor.wallMs)} ms), ${m1.cpuRatioToFloor}× CPU`, m1.ratioToFloor <= 2);
  say(`ingest peak RSS ≤ 250 MB (${n(m1)})`, `${Math.round(m1.ingest.peakRssMb)} MB`, m1.ingest.peakRssMb <= 250);
  if (results.length > 1) {
    const base = small.ingest.peakRssMb;
    const worst = Math.max(...results.map((r) => Math.abs(r.ingest.peakRssMb / base - 1)));
    say('ingest peak RSS flat across sizes (within 15 %)', results.map((r) => `${n(r)} ${Math.round(r.ingest.peakRssMb)} MB`).join(', ') + ` (at most ${(worst * 100).toFixed(1)} % from ${n(small)})`, worst <= 0.15);
  }
  if (m1.report) say(`report ≤ 1.5× correlate (${n(m1)})`, `${m1.reportToCorrelate}× wall, ${m1.reportToCorrelateCpu}× CPU`, m1.reportToCorrelate <= 1.5);
  const m5 = bySize.get(5_000_000);
  if (m5?.correlate) {
    say('correlate on 5M ≤ 20 s, ≤ 600 MB', `${(m5.correlate.wallMs / 1000).toFixed(1)} s wall (${(m5.correlate.cpuMs / 1000).toFixed(1)} s CPU), ${Math.round(m5.correlate.peakRssMb)} MB`, m5.correlate.wallMs <= 20_000 && m5.correlate.peakRssMb <= 600);
    say('15-minute timeline window on 5M ≤ 250 ms', `${Math.round(m5.window.wallMs)} ms wall, ${Math.round(m5.window.cpuMs)} ms CPU, ${m5.window.rows} rows`, m5.window.wallMs <= 250);
  }
  const vr = startup.corr.wallMs / startup.node.wallMs;
  say('corr --version ≤ 1.6× node -e 0', `${vr.toFixed(2)}× wall (${Math.round(startup.corr.wallMs)} / ${Math.round(startup.node.wallMs)} ms)`, vr <= 1.6);
  say('load average as it ended', loads().join(' '), null);
  return out;
}

async function main() {
  // `npm run bench -- --engine clickhouse`: the fleet bench (bench/fleet.mjs, docs/fleet.md).
  const engineAt = process.argv.indexOf('--engine');
  if (engineAt !== -1 && process.argv[engineAt + 1] === 'clickhouse') return (await import('./fleet.mjs')).main(process.argv.slice(2));
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  const work = mkdtempSync(join(tmpdir(), 'corr-bench-'));
  let lnavHome = null;
  if (opts.lnav) {
    try {
      execFileSync('lnav', ['-V'], { stdio: 'ignore' });
      lnavHome = join(work, 'lnav-home'); // lnav writes its config under $HOME: keep the user's untouched
      mkdirSync(lnavHome);
    } catch {
      process.stderr.write('lnav is not installed: its comparison is skipped (apt-get install lnav)\n');
    }
  }
  const ctx = { dir: work, lnavHome };
  try {
    const startupRuns = opts.runs ?? 3;
    const startup = {
      node: summarize(await repeat(startupRuns, () => measure(process.execPath, ['-e', '0']))),
      corr: summarize(await repeat(startupRuns, async () => check(await measure(process.execPath, [CLI, '--version']), 'corr --version'))),
    };
    const results = [];
    const outDir = join(ROOT, 'bench/results');
    mkdirSync(outDir, { recursive: true });
    const when = new Date().toISOString();
    const outFile = join(outDir, `${when.replace(/[:.]/g, '-')}.json`);
    const save = () => {
      const doc = { when, cli: CLI, machine: machine(), load: loads(), startup, results, complete: results.length === opts.sizes.length };
      writeFileSync(outFile, JSON.stringify(doc, null, 2) + '\n');
      return doc;
    };
    for (const size of opts.sizes) {
      results.push(await benchSize(size, opts, ctx));
      save(); // each size as it is done: a long run stopped half-way keeps what it measured
      process.stderr.write(table(results.slice(-1), startup) + '\n');
    }
    const doc = save();
    process.stdout.write(table(results, startup) + '\n');
    process.stdout.write('\n' + verdicts(results, startup).join('\n') + '\n');
    process.stdout.write(`\nload average ${doc.load.join(' ')} on ${doc.machine.nproc} CPUs; results in ${outFile}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(1);
});
