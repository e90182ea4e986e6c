/**
 * Runs the real CLI on one simulated incident: `corr ingest` on its bundle, then `corr correlate
 * --json` with the operator's reported windows as `--window`, in child processes (so several
 * incidents can run at once), and scores the answer.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeIncident } from './bundle.js';
import { type Answer, type IncidentScore, scoreIncident } from './score.js';
import type { IncidentTruth } from './truth.js';

/**
 * dist/cli/main.js of this checkout, found from this file (test/sim in the sources, dist/sim/test/sim
 * built); `SIM_CLI` points at another build (to score an older corr on the same incidents).
 */
export function cliPath(): string {
  if (process.env.SIM_CLI) return path.resolve(process.env.SIM_CLI);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above the simulator');
    dir = up;
  }
  return path.join(dir, 'dist', 'cli', 'main.js');
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath(), ...args], { cwd, env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' }, maxBuffer: 512 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface IncidentRun {
  truth: IncidentTruth;
  score: IncidentScore;
  ingest: unknown;
  answer: Answer | null;
  ms: number;
}

/** `corr correlate --json` on the incident's store (dir/corr.db) with its reported windows; what went wrong is added to failures. */
async function correlateIncident(truth: IncidentTruth, dir: string, failures: string[]): Promise<{ stdout: string; answer: Answer | null }> {
  const windows = truth.reported.flatMap((w) => ['--window', w.arg]);
  // The operator's zone: windows typed in local time are read in it.
  const correlate = await runCli(['--db', 'corr.db', 'correlate', '--json', '--tz', truth.zone, ...windows], dir);
  let answer: Answer | null = null;
  if (correlate.code !== 0) failures.push(`correlate exited ${correlate.code}: ${firstLine(correlate.stderr)}`);
  try {
    answer = JSON.parse(correlate.stdout) as Answer;
  } catch {
    failures.push('correlate --json printed no JSON');
  }
  return { stdout: correlate.stdout, answer };
}

/** Generate the incident of `seed` in `dir`, run corr on it, score it. `dir` is left for the caller to keep or remove. */
export async function runIncident(seed: number, dir: string): Promise<IncidentRun> {
  const t0 = Date.now();
  fs.mkdirSync(dir, { recursive: true });
  const truth = writeIncident(seed, dir);
  const db = 'corr.db';
  const ingest = await runCli(['--db', db, 'ingest', truth.bundle, '--json'], dir);
  const failures: string[] = [];
  let ingestJson: unknown = null;
  if (ingest.code !== 0) failures.push(`ingest exited ${ingest.code}: ${firstLine(ingest.stderr)}`);
  try {
    ingestJson = JSON.parse(ingest.stdout);
  } catch {
    failures.push('ingest --json printed no JSON');
  }
  const { stdout, answer } = await correlateIncident(truth, dir, failures);
  fs.writeFileSync(path.join(dir, 'ingest.json'), ingest.stdout);
  fs.writeFileSync(path.join(dir, 'correlate.json'), stdout);
  const score = scoreIncident(truth, answer ?? { outages: [], findings: [] });
  score.failures.unshift(...failures);
  return { truth, score, ingest: ingestJson, answer, ms: Date.now() - t0 };
}

/**
 * Scores an incident kept by an earlier run (`--keep`) again, running only `corr correlate` on its
 * ingested store: how a correlate change is measured on the same incidents without generating and
 * ingesting them again (only valid while the generator and the ingest are unchanged). The answer is
 * written beside the kept one, as correlate.rescore.json.
 */
export async function rescoreIncident(seed: number, dir: string): Promise<IncidentRun> {
  const t0 = Date.now();
  const truthFile = path.join(dir, 'truth.json');
  if (!fs.existsSync(truthFile) || !fs.existsSync(path.join(dir, 'corr.db'))) throw new Error(`${dir}: no kept incident (truth.json and corr.db) for seed ${seed}`);
  const truth = JSON.parse(fs.readFileSync(truthFile, 'utf8')) as IncidentTruth;
  const failures: string[] = [];
  const { stdout, answer } = await correlateIncident(truth, dir, failures);
  fs.writeFileSync(path.join(dir, 'correlate.rescore.json'), stdout);
  const score = scoreIncident(truth, answer ?? { outages: [], findings: [] });
  score.failures.unshift(...failures);
  return { truth, score, ingest: null, answer, ms: Date.now() - t0 };
}

const firstLine = (s: string): string => s.trim().split('\n')[0]?.slice(0, 300) ?? '';

/** Run `seeds` with at most `jobs` incidents at a time. */
export async function runMany(
  seeds: number[],
  jobs: number,
  dirFor: (seed: number) => string,
  onDone?: (r: IncidentRun) => void,
  run: (seed: number, dir: string) => Promise<IncidentRun> = runIncident,
): Promise<IncidentRun[]> {
  const results: IncidentRun[] = new Array(seeds.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < seeds.length) {
      const i = next++;
      results[i] = await run(seeds[i]!, dirFor(seeds[i]!));
      onDone?.(results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return results;
}
