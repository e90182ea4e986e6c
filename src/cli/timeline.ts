/** `corr timeline`: the merged timeline of every source, in true time order, bursts collapsed. */
import type { Argv, CommandModule } from 'yargs';
import { DateTime } from 'luxon';
import { iterateEvents, usToIso } from '../store/queries.js';
import type { EventRow } from '../store/types.js';
import { collapseBursts, singleRows, DEFAULT_GAP_US } from '../timeline/collapse.js';
import type { TimelineRow } from '../timeline/types.js';
import { asList, compileGrep, openForRead, parsePositiveInt, resolveTimeRange, withTimeRange, type GlobalArgs, type TimeRangeArgs } from './options.js';
import { colourSeverity, printJson, renderTable, safe, warn, dim, zoned } from './output.js';
import { csvCell } from '../text/escape.js';
import { UsageError } from '../errors.js';

interface TimelineArgs extends GlobalArgs, TimeRangeArgs {
  source?: string[];
  host?: string[];
  kind?: string[];
  grep?: string[];
  collapse?: boolean;
  limit?: number;
  csv?: boolean;
  gap?: number;
}

export const timelineCommand: CommandModule<GlobalArgs, TimelineArgs> = {
  command: 'timeline',
  describe: 'print the merged timeline of every source in a window, bursts collapsed',
  builder: (y: Argv<GlobalArgs>) =>
    withTimeRange(y)
      .option('source', { type: 'string', array: true, describe: 'only these sources (kernel, k3s, sshd, probe, syslog); repeatable' })
      .option('host', { type: 'string', array: true, describe: 'only these hosts; repeatable' })
      .option('kind', { type: 'string', array: true, describe: 'kind prefix (`sshd.` is all of sshd); repeatable' })
      .option('grep', { type: 'string', array: true, describe: 'regular expression the message must match; repeatable (all must match)' })
      .option('collapse', { type: 'boolean', default: true, describe: 'fold bursts of one template into one row (--no-collapse: one row per event)' })
      .option('gap', { type: 'number', describe: `seconds between events that still make one burst (default ${DEFAULT_GAP_US / 1e6})` })
      .option('limit', { type: 'number', describe: 'at most this many rows' })
      .option('csv', { type: 'boolean', describe: 'CSV output' }) as Argv<TimelineArgs>,
  handler: (args) => {
    const range = resolveTimeRange(args);
    const greps = compileGrep(asList(args.grep));
    const limit = parsePositiveInt(args.limit, '--limit');
    if (args.gap !== undefined && !(Number(args.gap) > 0)) throw new UsageError(`--gap: expected a number of seconds above 0, got ${JSON.stringify(String(args.gap))}`);
    const gapUs = args.gap !== undefined ? Math.round(Number(args.gap) * 1e6) : DEFAULT_GAP_US;
    for (const n of range.notes) warn(n);
    const db = openForRead(args);
    let rows: TimelineRow[];
    try {
      const events = filterGrep(
        iterateEvents(db, { sinceUs: range.sinceUs, untilUs: range.untilUs, sources: asList(args.source), hosts: asList(args.host), kinds: asList(args.kind),
          // Without collapsing, the limit can go to SQLite; with it, rows are only known after folding.
          limit: args.collapse === false && greps.length === 0 ? limit : undefined }),
        greps,
      );
      rows = args.collapse === false ? singleRows(events) : collapseBursts(events, gapUs);
    } finally {
      db.close();
    }
    const truncated = limit !== undefined && rows.length > limit;
    if (limit !== undefined) rows = rows.slice(0, limit);
    if (args.json) {
      printJson({ events: rows.map(jsonRow), ...(truncated ? { truncated: true } : {}) });
      return;
    }
    if (args.csv) {
      process.stdout.write(toCsv(rows));
      return;
    }
    if (rows.length === 0) {
      process.stdout.write('No events in that window.\n');
      return;
    }
    process.stdout.write(renderTimeline(rows, range.zone) + '\n');
    const events = rows.reduce((n, r) => n + r.rows, 0);
    process.stdout.write(dim(`${rows.length} rows (${events} events)${truncated ? `; cut at --limit ${limit}` : ''}`) + '\n');
  },
};

function* filterGrep(events: Iterable<EventRow>, greps: RegExp[]): Generator<EventRow> {
  if (greps.length === 0) {
    yield* events;
    return;
  }
  for (const e of events) if (greps.every((g) => g.test(e.message))) yield e;
}

export function jsonRow(r: TimelineRow) {
  return {
    ts: usToIso(r.firstUs),
    host: r.host,
    source: r.source,
    kind: r.kind,
    severity: r.severity,
    message: r.message,
    count: r.count,
    first: usToIso(r.firstUs),
    last: usToIso(r.lastUs),
    file: r.file,
    line: r.line,
    fields: r.fields,
    ...(r.rows > 1 && r.template ? { template: r.template, rows: r.rows } : {}),
  };
}

function toCsv(rows: TimelineRow[]): string {
  const head = ['ts', 'host', 'source', 'kind', 'severity', 'count', 'first', 'last', 'file', 'line', 'message'];
  const out = [head.join(',')];
  for (const r of rows) {
    out.push([usToIso(r.firstUs), r.host, r.source, r.kind, r.severity, r.count, usToIso(r.firstUs), usToIso(r.lastUs), r.file, r.line, r.message].map(csvCell).join(','));
  }
  return out.join('\r\n') + '\r\n';
}

function clock(us: number, zone: string): string {
  return DateTime.fromMillis(Math.floor(us / 1000), { zone }).toFormat('yyyy-LL-dd HH:mm:ss');
}

export function renderTimeline(rows: TimelineRow[], zone: string | undefined): string {
  const showLocal = zone !== undefined && zone !== 'UTC';
  const columns = [
    { title: 'UTC', width: 21 },
    ...(showLocal ? [{ title: safe(zone!), width: Math.max(20, zone!.length + 2) }] : []),
    { title: 'host', width: 12 },
    { title: 'source', width: 8 },
    { title: 'count', width: 7, align: 'right' as const },
    { title: 'message', flex: true },
  ];
  const body = rows.map((r) => {
    const span = r.lastUs > r.firstUs ? `\n…${clock(r.lastUs, 'UTC').slice(11)}` : '';
    const local = showLocal ? [`${zoned(Math.floor(r.firstUs / 1000), zone!, 'LL-dd HH:mm:ss')}${r.lastUs > r.firstUs ? `\n…${zoned(Math.floor(r.lastUs / 1000), zone!, 'HH:mm:ss')}` : ''}`] : [];
    return [
      clock(r.firstUs, 'UTC') + span,
      ...local,
      safe(r.host),
      r.source,
      r.count > 1 ? `×${r.count}` : '',
      colourSeverity(r.severity, safe(r.message)) + `\n${dim(safe(`${r.file}:${r.line}`))}`,
    ];
  });
  return renderTable(columns, body);
}
