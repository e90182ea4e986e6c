/** `corr report`: the postmortem draft (markdown with an SVG figure beside it, or one HTML file). */
import type { Argv, CommandModule } from 'yargs';
import { writeFileSync, renameSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { analyse } from '../analysis/gather.js';
import type { CorrelationResult } from '../model/finding.js';
import type { OutageSpan } from '../model/outage.js';
import { collapseBursts } from '../timeline/collapse.js';
import { defaultTitle } from '../report/sections/intro.js';
import { renderMarkdown } from '../report/render/markdown.js';
import { renderSvg } from '../report/render/svg.js';
import { renderHtml } from '../report/render/html.js';
import type { EventRow } from '../store/types.js';
import type { ReportInput } from '../report/types.js';
import { asList, openForRead, resolveTimeRange, withCluster, withTimeRange, type ClusterArgs, type GlobalArgs, type TimeRangeArgs } from './options.js';
import { clusterOption } from './cluster-option.js';
import { warn } from './output.js';
import { parseInstant } from '../time/expressions.js';
import { UsageError } from '../errors.js';

interface ReportArgs extends GlobalArgs, TimeRangeArgs, ClusterArgs {
  out?: string;
  format?: string;
  title?: string;
  window?: string[];
}

export const reportCommand: CommandModule<GlobalArgs, ReportArgs> = {
  command: 'report',
  describe: 'write the postmortem draft: the opening symptom, one section per independent story, key moments, lessons to fill',
  builder: (y: Argv<GlobalArgs>) =>
    withCluster(withTimeRange(y))
      .option('out', { type: 'string', describe: 'file to write (default: stdout); the SVG figure goes beside it' })
      .option('format', { type: 'string', choices: ['md', 'html'], default: 'md', describe: 'markdown (with an SVG beside it) or one self-contained HTML file' })
      .option('title', { type: 'string', describe: 'the report title (default: hosts and date of the first outage)' })
      .option('window', { type: 'string', array: true, describe: 'a reported outage window A..B (repeatable), as for correlate' }) as Argv<ReportArgs>,
  handler: (args) => {
    const written = writeReport(args);
    for (const w of written) process.stderr.write(`corr: wrote ${w}\n`);
  },
};

export interface ReportRequest extends GlobalArgs, TimeRangeArgs, ClusterArgs {
  out?: string;
  format?: string;
  title?: string;
  window?: string[];
}

/** Build and write the report; returns the paths written (empty when printed to stdout). */
export function writeReport(args: ReportRequest): string[] {
  return writeReportInput(gatherReport(args), args.format ?? 'md', args.out);
}

/**
 * Correlates once and gathers what the report renders. `correlated` lets a caller that already ran
 * the correlator on the same store and options (the demo) pass its result instead of running it again.
 */
export function gatherReport(args: ReportRequest, correlated?: CorrelationResult): ReportInput {
  const range = resolveTimeRange(args);
  for (const n of range.notes) warn(n);
  const tz = range.zone ?? 'UTC';
  const refMs = args.ref !== undefined ? parseInstant(args.ref, '--ref', { tz: range.zone }).ms : undefined;
  const windows = asList(args.window) ?? [];
  const store = openForRead(args);
  const db = store.reader;
  try {
    const result = correlated ?? analyse(db, { sinceUs: range.sinceUs, untilUs: range.untilUs, windows, tz: range.zone, refMs, cluster: clusterOption(args.cluster, () => db.distinctValues('host')) }).model;
    // The report quotes and draws only the probe's lines over the incident and the lines inside the
    // first window — never every row of the store (the full timeline is a command it prints).
    const span = focusSpan(result.outages, range);
    const first = firstRealWindow(result.outages);
    // The incident's span can be most of the store: loadEventsInOrder then reads the table once in
    // storage order instead of fetching every row in the span through the time index (#18).
    const probe = db.eventList({ sinceUs: span.sinceUs, untilUs: span.untilUs, sources: ['probe'] });
    const inside: Iterable<EventRow> = first === null ? [] : db.events({ sinceUs: first.startUs, untilUs: first.endUs });
    const timeline = collapseBursts(mergeByTime(probe, [...inside].filter((e) => e.source !== 'probe')));
    const sources = db.sections().map(({ id: _id, duplicates: _d, unanchored: _u, ...s }) => s);
    return {
      title: args.title ?? defaultTitle(result, sources, tz),
      tz,
      result,
      timeline,
      sources,
      options: { since: args.since, until: args.until, windows, db: args.db === undefined ? undefined : store.shown },
    };
  } catch (e) {
    // A usage error (an unknown --cluster host) is the user's, not the store's: it keeps its exit code.
    throw e instanceof UsageError ? e : store.explain(e);
  } finally {
    store.close();
  }
}

/** Renders one format: HTML as one file, markdown with its SVG figure beside it; stdout without --out. */
export function writeReportInput(input: ReportInput, format: string, out: string | undefined): string[] {
  if (format !== 'md' && format !== 'html') throw new UsageError(`--format: expected md or html, got ${JSON.stringify(format)}`);
  if (format === 'html') {
    const html = renderHtml(input);
    if (!out) {
      process.stdout.write(html);
      return [];
    }
    atomicWrite(out, html);
    return [out];
  }
  if (!out) {
    process.stdout.write(renderMarkdown(input, null));
    return [];
  }
  const svgPath = join(dirname(out), `${basename(out, extname(out))}.svg`);
  const markdown = renderMarkdown(input, { href: basename(svgPath) });
  atomicWrite(svgPath, renderSvg(input));
  atomicWrite(out, markdown);
  return [out, svgPath];
}

/** Margins around the outages that the report's timeline and figure show when no --since/--until is given. */
const FOCUS_BEFORE_US = 60 * 60 * 1_000_000;
const FOCUS_AFTER_US = 30 * 60 * 1_000_000;

/**
 * Without an explicit span, the report's timeline and figure show the incident — the outages with an
 * hour before and half an hour after — rather than every line the store holds (a day of cron lines
 * would squeeze the incident into a corner of the figure). Correlation still sees every event.
 */
function focusSpan(outages: readonly { startUs: number; endUs: number }[], range: { sinceUs?: number; untilUs?: number }): { sinceUs?: number; untilUs?: number } {
  if (range.sinceUs !== undefined || range.untilUs !== undefined || outages.length === 0) return range;
  let startUs = Infinity;
  let endUs = -Infinity;
  for (const o of outages) {
    startUs = Math.min(startUs, o.startUs);
    endUs = Math.max(endUs, o.endUs);
  }
  return { sinceUs: startUs - FOCUS_BEFORE_US, untilUs: endUs + FOCUS_AFTER_US };
}

/** The first window that is not a lying monitor's, in microseconds. */
function firstRealWindow(outages: readonly OutageSpan[]): { startUs: number; endUs: number } | null {
  const real = outages.filter((o) => o.status !== 'artifact' && o.status !== 'refuted').map((o) => ({ startUs: o.startUs, endUs: o.endUs }));
  real.sort((a, b) => a.startUs - b.startUs);
  return real[0] ?? null;
}

/** Two time-ordered event lists as one, in (ts, id) order. */
function mergeByTime(a: EventRow[], b: EventRow[]): EventRow[] {
  const out: EventRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && (x.tsUs < y.tsUs || (x.tsUs === y.tsUs && x.id <= y.id)))) {
      out.push(x as EventRow);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}

/** Write to a temporary file and rename, so a reader never sees half a report. */
function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--out: cannot write ${path}${code ? ` (${code})` : ''}`);
  }
}
