/**
 * `npm run sim`: generate simulated incidents, run the real CLI on each, print the figures against
 * the issue's targets, a breakdown, and every failure with the seed that reproduces it alone.
 *
 *   npm run sim                               # seeds 1..200, 2 at a time
 *   SIM_COUNT=500 npm run sim                 # seeds 1..500
 *   SIM_SEED=123 npm run sim -- --keep DIR    # one incident, kept in DIR/seed-123
 *   npm run sim -- --jobs 1 --json out.json   # per-incident scores as JSON too
 *   SIM_SEED=1 SIM_COUNT=200 npm run sim -- --rescore DIR   # correlate again on incidents kept in DIR
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type IncidentRun, rescoreIncident, runIncident, runMany } from './harness.js';
import { type Figure, type IncidentScore, figures, meetsTarget } from './score.js';

interface Options {
  seeds: number[];
  jobs: number;
  keep: string | null;
  rescore: string | null;
  json: string | null;
  quiet: boolean;
}

export const DEFAULT_COUNT = 200;

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Options {
  const value = (name: string): string | null => {
    const i = argv.indexOf(name);
    if (i < 0) return null;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  };
  for (const a of argv) if (a.startsWith('--') && !['--keep', '--rescore', '--jobs', '--json', '--count', '--seed', '--quiet'].includes(a)) throw new Error(`unknown option ${a}`);
  const int = (text: string, what: string): number => {
    if (!/^\d{1,9}$/.test(text)) throw new Error(`${what} must be a whole number, not ${JSON.stringify(text)}`);
    return Number(text);
  };
  const seedText = value('--seed') ?? env.SIM_SEED ?? null;
  const countText = value('--count') ?? env.SIM_COUNT ?? null;
  const first = seedText === null ? 1 : int(seedText, 'SIM_SEED');
  const count = countText === null ? (seedText === null ? DEFAULT_COUNT : 1) : int(countText, 'SIM_COUNT');
  return {
    seeds: Array.from({ length: count }, (_, i) => first + i),
    jobs: int(value('--jobs') ?? env.SIM_JOBS ?? '2', '--jobs'),
    keep: value('--keep'),
    rescore: value('--rescore'),
    json: value('--json'),
    quiet: argv.includes('--quiet'),
  };
}

const pct = (v: number | null): string => (v === null ? '   –  ' : `${(v * 100).toFixed(1).padStart(5)} %`);

function figureLine(f: Figure): string {
  const target = `${f.higherIsBetter ? '≥' : '≤'} ${(f.target * 100).toFixed(0)} %`;
  const met = f.value === null ? 'n/a' : meetsTarget(f) ? 'met' : 'NOT met';
  return `  ${f.label.padEnd(42)} ${pct(f.value)}  (${f.num}/${f.den})  target ${target.padEnd(7)} ${met}`;
}

/** Figures per group of incidents (an incident may be in several groups of one breakdown). */
function breakdown(title: string, runs: IncidentRun[], groupsOf: (r: IncidentRun) => string[]): string[] {
  const groups = new Map<string, IncidentScore[]>();
  for (const r of runs) for (const g of groupsOf(r)) (groups.get(g) ?? groups.set(g, []).get(g)!).push(r.score);
  const out = [`  by ${title}:`, `    ${''.padEnd(22)} ${'n'.padStart(4)}  ${'found'.padStart(7)}  ${'invented'.padStart(8)}  ${'cause ok'.padStart(8)}  ${'invented'.padStart(8)}  ${'probes'.padStart(7)}  ${'offsets'.padStart(7)}`];
  for (const [g, scores] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
    const f = figures(scores);
    out.push(`    ${g.slice(0, 22).padEnd(22)} ${String(scores.length).padStart(4)}  ${pct(f.outage_recall.value)}  ${pct(f.invented_windows.value).padStart(8)}  ${pct(f.cause_right.value).padStart(8)}  ${pct(f.cause_invented.value).padStart(8)}  ${pct(f.probes_right.value)}  ${pct(f.offsets_right.value)}`);
  }
  return out;
}

/** The classes a failure line belongs to, without its instants, addresses and numbers. */
export function failureClasses(line: string): string[] {
  const head = line.split(':')[0]!;
  if (head === 'outage missed') {
    const shown = /shown by ([^)]*)\)/.exec(line)?.[1]?.split(', ').map((e) => e.replace(/:sshd:.*/, ' of a scanner')) ?? [];
    return [`outage missed: ${line.endsWith('not found') ? 'not found' : 'start more than 90 s off'} (shown by ${shown.join(' and ')})`];
  }
  if (head === 'outage invented') {
    const sources = /from ([^—]*)/.exec(line)?.[1]?.trim() ?? '';
    const what = line.includes(' — ') ? line.split(' — ')[1]!.split('; ').map((w) => w.replace(/scanner \S+ (stopped for good|started) at .*/, 'a scanner $1').replace(/seen -?\d+ s off/, 'seen off')) : ['nothing the truth explains'];
    return [...new Set(what)].map((w) => `outage invented (from ${sources}): ${w}`);
  }
  if (head === 'cause missed') {
    const kind = /^cause missed: (\S+)/.exec(line)?.[1] ?? '?';
    const verdict = /judged (\w+)/.exec(line)?.[1];
    return [`cause missed: ${kind}, ${verdict ? `judged ${verdict}` : 'no finding'}`];
  }
  if (head === 'probe misjudged') {
    const what = /\(([a-z]+), ([a-z-]+)/.exec(line);
    return [`probe misjudged: ${what?.[2] ?? '?'} probe, corr said ${line.split('corr said ')[1]?.replace(/-?\d+ s/, 'N s') ?? '?'}`];
  }
  if (head === 'cause invented' || head === 'wrong cause named too') return [`${head}: ${/: (\S+)/.exec(line)?.[1] ?? '?'}`];
  return [head];
}

export function summarize(runs: IncidentRun[], seconds: number, jobs: number): string {
  const f = figures(runs.map((r) => r.score));
  const load = os.loadavg()[0]!.toFixed(1);
  const lines = [`corr on ${runs.length} simulated incidents (seeds ${runs[0]?.truth.seed}..${runs[runs.length - 1]?.truth.seed}), ${seconds.toFixed(0)} s with ${jobs} at a time (load average ${load} on ${os.cpus().length} cores):`, ''];
  for (const fig of Object.values(f)) lines.push(figureLine(fig));
  lines.push('');
  lines.push(...breakdown('cause kind', runs, (r) => [r.truth.tags.cause]));
  lines.push(...breakdown('zone', runs, (r) => [r.truth.tags.zone + (r.truth.dst_changes.length > 0 ? ' (DST)' : '')]));
  lines.push(...breakdown('witness rate', runs, (r) => [r.truth.tags.rate_band]));
  lines.push(...breakdown('probe shape (incidents with one)', runs, (r) => (r.truth.probes.length ? [...new Set(r.truth.probes.map((p) => p.shape + (p.lie ? ` ${p.lie.kind}` : '')))] : ['no probe'])));
  lines.push(...breakdown('hosts', runs, (r) => [`${r.truth.tags.hosts} host${r.truth.tags.hosts > 1 ? 's' : ''}`]));
  lines.push('  probes by shape and what they do (judged right / probes):');
  const probeGroups = new Map<string, [number, number]>();
  for (const r of runs) {
    for (const p of r.truth.probes) {
      const key = `${p.shape} ${p.lie?.kind ?? 'truthful'}`;
      const g = probeGroups.get(key) ?? [0, 0];
      g[1]++;
      if (!r.score.failures.some((f) => f.startsWith(`probe misjudged: ${p.host} `))) g[0]++;
      probeGroups.set(key, g);
    }
  }
  for (const [k, [right, n]] of [...probeGroups].sort((a, b) => a[0].localeCompare(b[0]))) lines.push(`    ${k.padEnd(26)} ${String(right).padStart(4)} / ${n}`);
  lines.push('', '  what went wrong, by class (count):');
  const classes = new Map<string, number>();
  for (const r of runs) for (const f of r.score.failures) for (const c of failureClasses(f)) classes.set(c, (classes.get(c) ?? 0) + 1);
  for (const [c, n] of [...classes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) lines.push(`    ${String(n).padStart(5)}  ${c}`);
  const failing = runs.filter((r) => r.score.failures.length > 0);
  lines.push('', `Failures (${failing.length} of ${runs.length} incidents; reproduce one alone with SIM_SEED=<seed> npm run sim -- --keep DIR):`);
  for (const r of failing) {
    const t = r.truth;
    lines.push(`  seed ${t.seed} (${t.zone}${t.dst_changes.length ? ', DST change' : ''}, ${t.hosts.length} host${t.hosts.length > 1 ? 's' : ''}, cause ${t.tags.cause}, probes ${t.probes.map((p) => p.shape + (p.lie ? `/${p.lie.kind}` : '')).join(' ') || 'none'}):`);
    for (const line of r.score.failures) lines.push(`    - ${line}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  // `npm run sim | head` closes the pipe early: stop quietly rather than with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2), process.env);
  } catch (e) {
    process.stderr.write(`sim: ${(e as Error).message}\n`);
    process.exit(2);
  }
  if (opts.keep && opts.rescore) {
    process.stderr.write('sim: --keep and --rescore name different runs; give one\n');
    process.exit(2);
  }
  // --rescore reuses kept incidents (their truth and ingested store) and runs only correlate again.
  const kept = opts.keep ?? opts.rescore;
  const root = kept ? path.resolve(kept) : fs.mkdtempSync(path.join(os.tmpdir(), 'corr-sim-'));
  const t0 = Date.now();
  let done = 0;
  const finished: IncidentRun[] = [];
  // Interrupted (Ctrl-C, a time limit): the figures of the incidents done so far, said to be partial.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      process.stdout.write(`Interrupted after ${finished.length} of ${opts.seeds.length} incidents: figures over those.\n`);
      if (finished.length > 0) process.stdout.write(summarize([...finished].sort((a, b) => a.truth.seed - b.truth.seed), (Date.now() - t0) / 1000, opts.jobs) + '\n');
      if (!kept) fs.rmSync(root, { recursive: true, force: true });
      process.exit(130);
    });
  }
  const runs = await runMany(opts.seeds, opts.jobs, (seed) => path.join(root, `seed-${seed}`), (r) => {
    finished.push(r);
    done++;
    if (!kept) fs.rmSync(path.join(root, `seed-${r.truth.seed}`), { recursive: true, force: true });
    if (!opts.quiet && process.stderr.isTTY) process.stderr.write(`\r${done}/${opts.seeds.length}`);
  }, opts.rescore ? rescoreIncident : runIncident);
  if (!opts.quiet && process.stderr.isTTY) process.stderr.write('\n');
  if (!kept) fs.rmSync(root, { recursive: true, force: true });
  const seconds = (Date.now() - t0) / 1000;
  process.stdout.write(summarize(runs, seconds, opts.jobs) + '\n');
  if (opts.keep) process.stdout.write(`\nKept: ${root}/seed-<seed>/ (bundle/, truth.json, ingest.json, correlate.json, corr.db)\n`);
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify({ figures: figures(runs.map((r) => r.score)), incidents: runs.map((r) => ({ ...r.score, ms: r.ms, tags: r.truth.tags })) }, null, 1) + '\n');
}

await main();
