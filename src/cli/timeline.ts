/**
 * `corr timeline`: the merged timeline of every source, in true time order, bursts collapsed —
 * streamed: each row is written as soon as it is read from the store (and, collapsed, as soon as
 * its burst is over), in any of the export formats of src/export.
 */
import type { Argv, CommandModule } from 'yargs';
import type { StoreReader } from '../store/interface.js';
import type { EventRow } from '../store/types.js';
import { singleRows, streamBursts, DEFAULT_GAP_US, MAX_PENDING_ROWS } from '../timeline/collapse.js';
import type { TimelineRow } from '../timeline/types.js';
import { asList, compileGrep, openForRead, parsePositiveInt, resolveTimeRange, TIME_RANGE_OPTIONS, type Grep, type GlobalArgs, type ResolvedRange, type TimeRangeArgs } from './options.js';
import { style, warn, isQuiet } from './output.js';
import { UsageError } from '../errors.js';
import { stdoutSink } from '../export/sink.js';
import type { RowWriter } from '../export/records.js';
import { describeWindow, storeSpanLine } from './window.js';
import type { OptionTable } from './plain-line.js';
import { inertJson } from '../text/escape.js';
import { releasingAfter } from './tiering.js';

export const TIMELINE_FORMATS = ['table', 'csv', 'jsonl', 'timesketch', 'timesketch-jsonl', 'l2tcsv'] as const;
type Format = (typeof TIMELINE_FORMATS)[number];

interface TimelineArgs extends GlobalArgs, TimeRangeArgs {
  source?: string[];
  host?: string[];
  kind?: string[];
  grep?: string[];
  collapse?: boolean;
  limit?: number;
  csv?: boolean;
  format?: string;
  histogram?: boolean;
  by?: string;
  gap?: number;
  twins?: boolean;
}

/**
 * The options of `corr timeline`, as data: yargs is given them, and so is the plain-line reader
 * (plain-line.ts), which answers the common command lines without loading yargs.
 */
export const TIMELINE_OPTIONS = {
  ...TIME_RANGE_OPTIONS,
  source: { type: 'string', array: true, describe: 'only these sources (kernel, k3s, sshd, probe, syslog); repeatable' },
  host: { type: 'string', array: true, describe: 'only these hosts; repeatable' },
  kind: { type: 'string', array: true, describe: 'kind prefix (`sshd.` is all of sshd); repeatable' },
  grep: { type: 'string', array: true, describe: 'regular expression (RE2 syntax, linear time) the message must match; repeatable (all must match)' },
  collapse: { type: 'boolean', default: true, describe: 'fold bursts of one template into one row (--no-collapse: one row per event)' },
  gap: { type: 'number', describe: `seconds between events that still make one burst (default ${DEFAULT_GAP_US / 1e6})` },
  limit: { type: 'number', describe: 'at most this many rows' },
  format: { type: 'string', choices: TIMELINE_FORMATS, describe: 'output format: a table, CSV, JSON Lines, Timesketch CSV or JSONL, plaso l2tcsv' },
  csv: { type: 'boolean', describe: 'CSV output (= --format csv)' },
  histogram: { type: 'boolean', describe: 'events per time bucket per source, drawn with block characters' },
  by: { type: 'string', choices: ['source', 'kind'], default: 'source', describe: 'what --histogram counts per row' },
  twins: { type: 'boolean', describe: 'also the second copy of a kernel line stored from raw dmesg and a journal (hidden by default: one happening, one row)' },
} as const satisfies OptionTable;

export const timelineCommand: CommandModule<GlobalArgs, TimelineArgs> = {
  command: 'timeline',
  describe: 'print the merged timeline of every source in a window, bursts collapsed',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .options(TIMELINE_OPTIONS)
      .example('corr timeline --since "2026-05-26 17:15 PT" --until "17:30 PT" --tz America/Los_Angeles', 'a quarter of an hour, Pacific time beside UTC')
      .example('corr timeline --since "2 hours ago" --source kernel --grep "br-[0-9a-f]+"', 'the last two hours of the store, kernel bridge lines')
      .example('corr timeline --since "17:15 PT" --until +15m', 'fifteen minutes from a clock time (the store\'s last day)')
      .example('corr timeline --no-collapse --format timesketch > tl.csv', 'every event, for Timesketch')
      .example('corr timeline --histogram --by kind', 'where the activity is, per kind') as unknown as Argv<TimelineArgs>,
  handler: (args) => runTimeline(args),
};

/** The command itself, for yargs' handler and for a plain command line read without yargs. */
export async function runTimeline(args: TimelineArgs): Promise<void> {
  const format = chooseFormat(args);
  const greps = compileGrep(asList(args.grep));
  const limit = parsePositiveInt(args.limit, '--limit');
  if (args.gap !== undefined && !(Number(args.gap) > 0)) throw new UsageError(`--gap: expected a number of seconds above 0, got ${JSON.stringify(String(args.gap))}`);
  const gapUs = args.gap !== undefined ? Math.round(Number(args.gap) * 1e6) : DEFAULT_GAP_US;
  // A table or a chart needs string widths (~40 ms to load); JSON, CSV and the other exports do not.
  const drawing = args.histogram || (format === 'table' && !args.json) ? await loadDrawing() : null;
  const store = openForRead(args);
  store.streaming();
  const db = store.reader;
  try {
    const span = db.eventSpan();
    const range = resolveTimeRange(args, span);
    const zone = range.zone ?? bundleZone(db);
    for (const n of range.notes) warn(n);
    if (!isQuiet()) process.stderr.write(describeWindow(range, zone) + '\n');
    const filters = { sources: asList(args.source), hosts: asList(args.host), kinds: asList(args.kind) };
    const events = filterGrep(
      db.events({ sinceUs: range.sinceUs, untilUs: range.untilUs, ...filters, withTwins: args.twins === true,
        // Without collapsing, the limit can go to SQLite (one more row tells whether it cut).
        limit: args.collapse === false && greps.length === 0 && limit !== undefined ? limit + 1 : undefined }),
      greps,
    );
    const seen = new Seen(filters);
    // A stream long enough to pay for V8's optimizing compiler turns it back on (src/cli/tiering.ts).
    const watched = releasingAfter(seen.watch(events));
    if (args.histogram) {
      histogram(watched, range, span, args, zone, drawing!);
    } else {
      const rows = args.collapse === false ? singleRows(watched) : streamBursts(watched, gapUs, MAX_PENDING_ROWS);
      const written = writeRows(rows, await writerFor(format, args.json === true, zone, drawing), limit, format === 'table' && !args.json);
      if (written === 0) {
        const line = `No events in that window; ${storeSpanLine(span)}.`;
        if (format === 'table' && !args.json) process.stdout.write(line + '\n');
        else warn(line);
      }
    }
    await seen.report(db);
  } catch (e) {
    throw store.explain(e);
  } finally {
    store.close();
  }
}

function chooseFormat(args: TimelineArgs): Format {
  if (args.csv && args.format !== undefined && args.format !== 'csv') throw new UsageError(`--csv and --format ${args.format} ask for two formats; give one`);
  if (args.json && args.format !== undefined && args.format !== 'table') throw new UsageError(`--json and --format ${args.format} ask for two formats; give one (--format jsonl is one JSON object per line)`);
  if (args.histogram && (args.csv || (args.format !== undefined && args.format !== 'table'))) throw new UsageError('--histogram draws a chart; it has no --format or --csv (use --json for its numbers)');
  return args.csv ? 'csv' : ((args.format as Format | undefined) ?? 'table');
}

/** The table writer, the chart and the output width: loaded only for a command line that draws. */
interface Drawing {
  outputWidth: typeof import('../export/width.js').outputWidth;
  timelineTableWriter: typeof import('../export/timeline-table.js').timelineTableWriter;
  Histogram: typeof import('../export/histogram.js').Histogram;
  histogramCells: typeof import('../export/histogram.js').histogramCells;
}

async function loadDrawing(): Promise<Drawing> {
  const [width, table, chart] = await Promise.all([import('../export/width.js'), import('../export/timeline-table.js'), import('../export/histogram.js')]);
  return { outputWidth: width.outputWidth, timelineTableWriter: table.timelineTableWriter, Histogram: chart.Histogram, histogramCells: chart.histogramCells };
}

/** The writer of one format, loading only its own module (a window is short: each module is ~1 ms). */
async function writerFor(format: Format, json: boolean, zone: string | undefined, drawing: Drawing | null): Promise<RowWriter> {
  if (json) return (await import('../export/jsonl.js')).jsonDocumentWriter();
  switch (format) {
    case 'csv':
      return (await import('../export/csv.js')).csvWriter();
    case 'jsonl':
      return (await import('../export/jsonl.js')).jsonlWriter();
    case 'timesketch':
      return (await import('../export/timesketch.js')).timesketchCsvWriter();
    case 'timesketch-jsonl':
      return (await import('../export/timesketch.js')).timesketchJsonlWriter();
    case 'l2tcsv':
      return (await import('../export/l2tcsv.js')).l2tcsvWriter();
    case 'table':
      return drawing!.timelineTableWriter(zone, drawing!.outputWidth(), style());
  }
}

/**
 * Streams rows through a writer to stdout, up to `limit`. The table's header waits for its first
 * row (an empty result prints a sentence instead); other formats always start with their head.
 * Returns how many rows were written.
 */
function writeRows(rows: Iterable<TimelineRow>, writer: RowWriter, limit: number | undefined, lazyHead: boolean): number {
  const sink = stdoutSink();
  let n = 0;
  let events = 0;
  let truncated = false;
  if (!lazyHead) sink.write(writer.head());
  for (const r of rows) {
    if (limit !== undefined && n >= limit) {
      truncated = true;
      break;
    }
    if (lazyHead && n === 0) sink.write(writer.head());
    sink.write(writer.row(r));
    n++;
    events += r.rows;
  }
  if (!lazyHead || n > 0) sink.write(writer.tail(n, events, truncated));
  sink.flush();
  return n;
}

/** The events every --grep matches (the events themselves without one: no stage per event for nothing). */
function filterGrep(events: Iterable<EventRow>, greps: Grep[]): Iterable<EventRow> {
  if (greps.length === 0) return events;
  return (function* () {
    for (const e of events) if (greps.every((g) => g.test(e.message))) yield e;
  })();
}

function histogram(events: Iterable<EventRow>, range: ResolvedRange, span: { firstUs: number | null; lastUs: number | null }, args: TimelineArgs, zone: string | undefined, drawing: Drawing): void {
  const { outputWidth, Histogram, histogramCells } = drawing;
  const startUs = range.sinceUs ?? span.firstUs;
  const endUs = range.untilUs ?? (span.lastUs === null ? null : span.lastUs + 1);
  const sink = stdoutSink();
  if (startUs === null || endUs === null || endUs <= startUs) {
    if (args.json) sink.write(inertJson({ histogram: null }) + '\n');
    else sink.write(`No events in that window; ${storeSpanLine(span)}.\n`);
    sink.flush();
    return;
  }
  const width = outputWidth();
  const by = args.by === 'kind' ? 'kind' : 'source';
  // Room for the row names: sources are short words, kinds `source.snake_case_name`.
  const nameBudget = by === 'kind' ? 28 : 12;
  const h = new Histogram(startUs, endUs, histogramCells(width, nameBudget), by, nameBudget);
  for (const e of events) h.add(e);
  if (args.json) sink.write(inertJson({ histogram: h.toJson() }, 2) + '\n');
  else sink.write(h.render(style(), width) || `No events in that window; ${storeSpanLine(span)}.\n`);
  sink.flush();
}

/** The display zone when --tz names none: the one zone the bundle's timedatectl states, if any. */
function bundleZone(db: StoreReader): string | undefined {
  const stated = new Set<string>();
  for (const s of db.sections()) {
    if (s.tz && s.tz !== 'UTC' && s.assumptions.some((a) => a.includes('timedatectl'))) stated.add(s.tz);
  }
  if (stated.size !== 1) return undefined;
  const [zone] = stated;
  warn(`showing ${zone} beside UTC: the zone the bundle's timedatectl states (--tz UTC for UTC only)`);
  return zone;
}

/**
 * Which --source/--host/--kind values matched at least one event. One that matched none is told on
 * stderr after the output — with "did you mean" from the store's own values when the store has no
 * such value at all — instead of an empty timeline that looks like a quiet system.
 */
class Seen {
  private readonly sources = new Set<string>();
  private readonly hosts = new Set<string>();
  private readonly kindsSeen = new Set<string>();

  constructor(private readonly filters: { sources?: string[]; hosts?: string[]; kinds?: string[] }) {}

  /** The events, noting the values they hold when some filter asks for them (else the events themselves). */
  watch(events: Iterable<EventRow>): Iterable<EventRow> {
    const track = Boolean(this.filters.sources?.length || this.filters.hosts?.length || this.filters.kinds?.length);
    if (!track) return events;
    const seen = this;
    return (function* () {
      for (const e of events) {
        seen.sources.add(e.source);
        seen.hosts.add(e.host);
        seen.kindsSeen.add(e.kind);
        yield e;
      }
    })();
  }

  async report(db: StoreReader): Promise<void> {
    if (!this.missing()) return;
    const { didYouMean } = await import('./suggest.js');
    const check = (option: string, column: 'source' | 'host' | 'kind', wanted: string[] | undefined, matched: (v: string) => boolean, existsIn: (v: string, all: string[]) => boolean) => {
      const missing = (wanted ?? []).filter((v) => !matched(v));
      if (!missing.length) return;
      const all = db.distinctValues(column);
      for (const v of missing) {
        if (existsIn(v, all)) warn(`${option} ${v}: no events in this window (the store has some outside it)`);
        else {
          // --kind is a prefix: compare with the store's kinds cut to about the typed length.
          const candidates = column === 'kind' ? [...all, ...all.flatMap((k) => [k.slice(0, v.length), k.slice(0, v.length + 1)])] : all;
          warn(`${option} ${v}: the store has no such ${column}${didYouMean(v, candidates)} (${column}s: ${all.slice(0, 12).join(', ')}${all.length > 12 ? ', …' : ''})`);
        }
      }
    };
    check('--source', 'source', this.filters.sources, (v) => this.sources.has(v), (v, all) => all.includes(v));
    check('--host', 'host', this.filters.hosts, (v) => this.hosts.has(v), (v, all) => all.includes(v));
    check('--kind', 'kind', this.filters.kinds, (v) => [...this.kindsSeen].some((k) => k.startsWith(v)), (v, all) => all.some((k) => k.startsWith(v)));
  }

  /** Whether some --source/--host/--kind value matched no event (the "did you mean" is loaded only then). */
  private missing(): boolean {
    return (
      (this.filters.sources ?? []).some((v) => !this.sources.has(v)) ||
      (this.filters.hosts ?? []).some((v) => !this.hosts.has(v)) ||
      (this.filters.kinds ?? []).some((v) => ![...this.kindsSeen].some((k) => k.startsWith(v)))
    );
  }
}

