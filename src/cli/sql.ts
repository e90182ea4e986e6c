/** `corr sql QUERY`: one read-only query against the store (schema in docs/schema.md). */
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { openForRead, type GlobalArgs } from './options.js';
import { isClickHouseQueryError, type OpenedStore } from '../store/factory.js';
import { safe, style } from './output.js';
import { inertJson } from '../text/escape.js';
import { csvRecord } from '../export/csv.js';
import { StreamTable } from '../export/table.js';
import { columnsOf, outputWidth } from '../export/width.js';
import { stdoutSink, type Sink } from '../export/sink.js';

interface SqlArgs extends GlobalArgs {
  query: string;
  csv?: boolean;
}

export const sqlCommand: CommandModule<GlobalArgs, SqlArgs> = {
  command: 'sql <query>',
  describe: 'run one read-only SQL query against the store (tables: files, sections, boots, events)',
  builder: (y: Argv<GlobalArgs>) =>
    y.positional('query', { type: 'string', demandOption: true }).option('csv', { type: 'boolean', describe: 'CSV output' }) as Argv<SqlArgs>,
  handler: (args) => {
    const store = openForRead(args);
    if (store.clickhouse) {
      try {
        clickhouseQuery(store, String(args.query), args);
      } finally {
        store.close();
      }
      return;
    }
    const db = store.sqlite!;
    try {
      let stmt;
      try {
        stmt = db.prepare(String(args.query));
      } catch (e) {
        throw new UsageError(`sql: ${(e as Error).message}`);
      }
      // The connection is read-only as well; this check gives the clearer message.
      if (!stmt.readonly) throw new UsageError('sql: only read-only statements are allowed (SELECT, WITH, read-only PRAGMA); this one would write');
      if (!stmt.reader) throw new UsageError('sql: the statement returns no rows');
      const columns = stmt.columns().map((c) => c.name);
      let rows: IterableIterator<Record<string, unknown>>;
      try {
        rows = stmt.iterate() as IterableIterator<Record<string, unknown>>;
      } catch (e) {
        throw new UsageError(`sql: ${(e as Error).message}`);
      }
      // Rows are written as SQLite yields them (a query over every event is a stream, not an array).
      const sink = stdoutSink();
      try {
        if (args.json) streamJson(rows, sink);
        else if (args.csv) streamCsv(columns, rows, sink);
        else streamTable(columns, rows, sink);
      } catch (e) {
        if ((e as { code?: string }).code?.startsWith('SQLITE')) throw new UsageError(`sql: ${(e as Error).message}`);
        throw e;
      }
      sink.flush();
    } finally {
      db.close();
    }
  },
};

/**
 * ClickHouse: the statement goes to the server as typed, with readonly=1, so the server itself
 * refuses anything that would write or change a setting.
 */
function clickhouseQuery(store: OpenedStore, query: string, args: SqlArgs): void {
  let result;
  try {
    result = store.clickhouse!.result(query, { readonly: 1 });
  } catch (e) {
    if (isClickHouseQueryError(e)) {
      if (e.serverCode === 164) throw new UsageError('sql: only read-only statements are allowed (SELECT, SHOW, DESCRIBE); this one would write or change a setting');
      throw new UsageError(`sql: ${e.message}`);
    }
    throw e;
  }
  const columns = result.meta.map((m) => m.name);
  const rows = result.data.map((d) => Object.fromEntries(columns.map((c, i) => [c, d[i]])));
  const sink = stdoutSink();
  if (args.json) streamJson(rows, sink);
  else if (args.csv) streamCsv(columns, rows, sink);
  else streamTable(columns, rows.values(), sink);
  sink.flush();
}

function streamJson(rows: Iterable<Record<string, unknown>>, sink: Sink): void {
  let n = 0;
  sink.write('{"rows": [');
  for (const r of rows) sink.write((n++ ? ',\n' : '\n') + inertJson(normalizeRow(r)));
  sink.write(`${n ? '\n' : ''}]}\n`);
}

function streamCsv(columns: string[], rows: Iterable<Record<string, unknown>>, sink: Sink): void {
  sink.write(csvRecord(columns));
  for (const r of rows) sink.write(csvRecord(columns.map((c) => cellValue(r[c]))));
}

/** Column widths from the first rows (up to 60 columns each), then every row as it comes. */
function streamTable(columns: string[], rows: IterableIterator<Record<string, unknown>>, sink: Sink): void {
  const first: Record<string, unknown>[] = [];
  // next() by hand: leaving a for-of early would close SQLite's iterator.
  while (first.length < SAMPLE_ROWS) {
    const step = rows.next();
    if (step.done) break;
    first.push(step.value);
  }
  const cellsOf = (r: Record<string, unknown>) => columns.map((c) => safe(cellValue(r[c])));
  const sample = first.map(cellsOf);
  const widths = columns.map((c, i) => Math.min(60, Math.max(columnsOf(safe(c)), ...sample.map((row) => columnsOf(row[i]!)))));
  const table = new StreamTable(
    columns.map((c, i) => ({ title: safe(c), width: widths[i], flex: i === columns.length - 1 && widths[i]! >= 40, align: typeof first[0]?.[c] === 'number' ? ('right' as const) : ('left' as const) })),
    outputWidth(),
    style().bold,
  );
  sink.write(table.head());
  let n = 0;
  for (const cells of sample) {
    sink.write(table.row(cells));
    n++;
  }
  for (const r of rows) {
    sink.write(table.row(cellsOf(r)));
    n++;
  }
  sink.write(`${n} row${n === 1 ? '' : 's'}\n`);
}

/** Rows read before the column widths are fixed. */
const SAMPLE_ROWS = 200;

function cellValue(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
  return v as string | number;
}

function normalizeRow(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'bigint' ? Number(v) : Buffer.isBuffer(v) ? v.toString('base64') : v;
  return out;
}
