/**
 * The probe loop: every target checked once per period (all targets at once, each with its own
 * timeout), a record per check, a change record whenever the monitor changes, transitions and a
 * summary on stderr for the operator. Periods are counted from the start, not from the end of the
 * last check, so a slow check never drifts the schedule. SIGINT and SIGTERM end it between writes.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { UsageError } from '../errors.js';
import { escapeTerminal } from '../text/escape.js';
import { type CheckOptions, runCheck, runCommand } from './checks.js';
import { type RecordSink } from './log.js';
import { TargetMemory, checkRecord, excerpt } from './record.js';
import type { ProbeTarget } from './targets.js';

export interface ProbeRun {
  targets: ProbeTarget[];
  everyMs: number;
  once: boolean;
  options: CheckOptions;
  sink: RecordSink;
  /** corr's own version, written into every record. */
  version: string;
  quiet: boolean;
  /** Stop after this many rounds (tests; 0 = until interrupted). */
  rounds?: number;
}

/** An unresolvable host is a mistake in the command line, found before the first record is written. */
export async function resolveTargets(targets: ProbeTarget[]): Promise<void> {
  for (const t of targets) {
    if (t.check === 'cmd' || isIP(t.host)) continue;
    try {
      await lookup(t.host);
    } catch {
      throw new UsageError(`probe target ${JSON.stringify(t.text)}: cannot resolve host "${t.host}"`);
    }
  }
}

/** `coily 2.43.0` from `coily --version`; the first line of its output, escaped and capped. */
async function toolVersion(t: ProbeTarget, timeoutMs: number): Promise<string> {
  const r = await runCommand(`${t.host} --version`, timeoutMs);
  const first = r.output.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  if (r.spawnError || r.timedOut || (r.exit !== 0 && first === '')) return `unknown (--version gave exit ${r.exit ?? 'none'})`;
  return excerpt(first) ?? 'unknown';
}

function say(quiet: boolean, line: string): void {
  if (!quiet) process.stderr.write(line + '\n');
}

export async function runProbe(run: ProbeRun): Promise<Record<string, Record<string, number>>> {
  const memory = new Map(run.targets.map((t) => [t.text, new TargetMemory(t)]));
  const last = new Map<string, string>();
  const counts: Record<string, Record<string, number>> = {};
  let stopping = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const commandTargets = run.targets.filter((t) => t.check === 'cmd');
  for (const t of commandTargets) {
    if (!run.options.expect) say(run.quiet, `corr probe: ${escapeTerminal(t.text)} has no --expect: only its exit code is judged, which is how monitors come to lie`);
  }

  const startMs = Date.now();
  try {
    for (let round = 0; !stopping; round++) {
      const at = new Date();
      const versions = await Promise.all(commandTargets.map((t) => toolVersion(t, run.options.timeoutMs)));
      const results = await Promise.all(run.targets.map((t) => runCheck(t, run.options)));
      // Records are written in target order after all checks of the round: one round, one block.
      commandTargets.forEach((t, i) => {
        const change = memory.get(t.text)!.version(at.toISOString(), versions[i]!, run.version);
        if (change) {
          run.sink.write(change);
          say(run.quiet, `${change.ts} ${escapeTerminal(t.text)}: ${change.detail}`);
        }
      });
      run.targets.forEach((t, i) => {
        const rec = checkRecord(t, at, results[i]!, run.version);
        const change = memory.get(t.text)!.observe(rec);
        run.sink.write(rec);
        if (change) run.sink.write(change);
        const byOutcome = (counts[t.text] ??= {});
        byOutcome[rec.outcome] = (byOutcome[rec.outcome] ?? 0) + 1;
        const before = last.get(t.text);
        if (before !== rec.outcome) {
          const why = rec.error ? ` (${rec.error}${rec.detail ? `: ${rec.detail}` : ''})` : '';
          say(run.quiet, `${rec.ts} ${escapeTerminal(t.text)} ${before ? `${before} -> ` : ''}${rec.outcome}${why}`);
          last.set(t.text, rec.outcome);
        }
      });
      if (run.once || (run.rounds && round + 1 >= run.rounds)) break;
      const nextMs = startMs + (round + 1) * run.everyMs;
      const waitMs = Math.max(0, nextMs - Date.now());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    run.sink.close();
  }
  for (const [target, byOutcome] of Object.entries(counts)) {
    const parts = Object.entries(byOutcome).map(([o, n]) => `${n} ${o}`);
    say(run.quiet, `corr probe: ${escapeTerminal(target)}: ${parts.join(', ')}`);
  }
  return counts;
}
