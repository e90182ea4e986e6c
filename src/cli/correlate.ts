/** `corr correlate`: outage windows, signal verdicts with evidence, and monitors that lie. */
import type { Argv, CommandModule } from 'yargs';
import { analyse } from '../analysis/gather.js';
import type { CorrelateReport } from '../correlate/engine.js';
import { asList, openForRead, resolveTimeRange, withCluster, withTimeRange, type ClusterArgs, type GlobalArgs, type TimeRangeArgs } from './options.js';
import { clusterOption } from './cluster-option.js';
import { printJson, safe, warn, dim, zoned } from './output.js';
import { renderTable } from './tables.js';
import { parseInstant } from '../time/expressions.js';
import { UsageError } from '../errors.js';

interface CorrelateArgs extends GlobalArgs, TimeRangeArgs, ClusterArgs {
  window?: string[];
}

export const correlateCommand: CommandModule<GlobalArgs, CorrelateArgs> = {
  command: 'correlate',
  describe: 'find outage windows, judge each signal (cause, symptom, background, artifact) with evidence',
  builder: (y: Argv<GlobalArgs>) =>
    withCluster(withTimeRange(y)).option('window', {
      type: 'string',
      array: true,
      describe: 'a reported outage window A..B (repeatable), e.g. "2026-05-26 17:18..17:27 PT"',
    }) as Argv<CorrelateArgs>,
  handler: (args) => {
    const range = resolveTimeRange(args);
    for (const n of range.notes) warn(n);
    const refMs = args.ref !== undefined ? parseInstant(args.ref, '--ref', { tz: range.zone }).ms : undefined;
    const store = openForRead(args);
    let result: CorrelateReport;
    try {
      const cluster = clusterOption(args.cluster, () => store.reader.distinctValues('host'));
      result = analyse(store.reader, { sinceUs: range.sinceUs, untilUs: range.untilUs, windows: asList(args.window) ?? [], tz: range.zone, refMs, cluster }).result;
    } catch (e) {
      // A usage error (an unknown --cluster host) is the user's, not the store's: it keeps its exit code.
    throw e instanceof UsageError ? e : store.explain(e);
    } finally {
      store.close();
    }
    if (args.json) {
      printJson(result);
      return;
    }
    process.stdout.write(renderCorrelation(result, range.zone) + '\n');
  },
};

const MAX_ROWS_PER_KIND = 8;

/** Every cause and artifact, and for each kind the rest up to `max` rows, largest first; order kept. */
function limitPerKind(findings: CorrelateReport['findings'], max: number): CorrelateReport['findings'] {
  const weight = (f: CorrelateReport['findings'][number]) => (f.kind === 'ssh-bruteforce' ? f.attempts : f.bursts.reduce((n, b) => n + b.count, 0));
  const keep = new Set<string>();
  const byKind = new Map<string, CorrelateReport['findings']>();
  for (const f of findings) {
    if (f.verdict === 'cause' || f.verdict === 'artifact') keep.add(f.id);
    else byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  }
  for (const list of byKind.values()) for (const f of [...list].sort((a, b) => weight(b) - weight(a)).slice(0, max)) keep.add(f.id);
  return findings.filter((f) => keep.has(f.id));
}

function when(iso: string, zone: string | undefined): string {
  const utc = iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  if (!zone || zone === 'UTC') return utc;
  return `${utc}\n${zoned(Date.parse(iso), zone, 'yyyy-LL-dd HH:mm')}`;
}

export function renderCorrelation(result: CorrelateReport, zone: string | undefined): string {
  const out: string[] = [];
  if (result.outages.length === 0) {
    out.push('No outage windows found: no probe went down, no steady stream fell silent, and no --window was given.');
  } else {
    // Windows only a lying probe produced are listed as one line: at 3 a.m. they are noise to skip.
    const real = result.outages.filter((o) => o.status !== 'artifact');
    const fake = result.outages.filter((o) => o.status === 'artifact');
    out.push(`Outage windows (${real.length}${fake.length ? `, and ${fake.length} artifact windows of a probe that lies` : ''}):`);
    if (real.length) {
      out.push(
        renderTable(
          [{ title: 'host', width: 14 }, { title: 'start', width: 24 }, { title: 'end', width: 24 }, { title: 'min', width: 6, align: 'right' }, { title: 'status', width: 13 }, { title: 'sources', flex: true }],
          real.map((o) => [
            safe(o.host), when(o.start, zone), when(o.end, zone),
            String(Math.round((Date.parse(o.end) - Date.parse(o.start)) / 60000)), o.status, o.sources.join(', '),
          ]),
        ),
      );
    }
    if (fake.length) {
      out.push(`Artifact windows: ${fake.length} between ${when(fake[0]!.start, undefined)} and ${when(fake[fake.length - 1]!.end, undefined)} — only the lying probe saw them (see its probe-artifact finding).`);
    }
  }
  if (result.findings.length) {
    // Many small brute-force campaigns (a botnet spreads its addresses) would bury the causes: the
    // table keeps the largest few of each kind and counts the rest; --json has them all.
    const shown = limitPerKind(result.findings, MAX_ROWS_PER_KIND);
    out.push(`\nFindings (${result.findings.length}):`);
    out.push(
      renderTable(
        [{ title: 'id', width: 5 }, { title: 'kind', width: 18 }, { title: 'verdict', width: 13 }, { title: 'hits', width: 7, align: 'right' }, { title: 'chance', width: 8, align: 'right' }, { title: 'summary', flex: true }],
        shown.map((f) => [
          f.id, safe(f.kind), f.verdict, `${f.outages_hit}/${f.outages_total}`, f.chance === null || f.chance === undefined ? '' : chanceCell(f.chance), safe(f.summary),
        ]),
      ),
    );
    const hidden = result.findings.length - shown.length;
    if (hidden > 0) out.push(`… and ${hidden} more findings of the same kinds (smaller campaigns and bursts): --json lists them all.`);
    // Every verdict with the rule it met or failed and its figures (--json has each rule under `rules`).
    out.push('\nWhy:');
    for (const f of shown) out.push(`  ${f.id} ${safe(f.kind)} is ${f.verdict} because ${safe(f.reason)}.`);
    for (const f of result.findings.filter((x) => x.verdict === 'cause' || x.verdict === 'artifact')) {
      out.push(`\n${f.id} ${safe(f.kind)} (${f.verdict}) — evidence:`);
      // A cross-host finding quotes two hosts' lines: each says whose it is.
      const shown = f.kind === 'cross-host' ? f.evidence.slice(0, 10) : f.evidence.slice(0, 5);
      for (const e of shown) out.push(`  ${e.ts.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}  ${e.host !== undefined ? `${safe(e.host)}  ` : ''}${safe(`${e.file}:${e.line}`)}  ${safe(e.text).slice(0, 160)}`);
    }
  } else {
    out.push('\nNo findings.');
  }
  if (result.stories?.length) {
    out.push(`\nIndependent stories (${result.stories.length}):`);
    for (const s of result.stories) out.push(`  ${s.id}: ${safe(s.summary)} [${s.findings.join(', ')}]`);
  }
  out.push(dim('\n(--json for the full result with every evidence line)'));
  return out.join('\n');
}

/** A chance of 9e-11 is not "0.000": below a thousandth it is shown with its exponent. */
function chanceCell(p: number): string {
  return p === 0 || p >= 0.001 ? p.toFixed(3) : p.toExponential(0);
}
