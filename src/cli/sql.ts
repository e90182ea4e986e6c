/** `corr sql QUERY`: one read-only query against the store (schema in docs/schema.md). */
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { openForRead, type GlobalArgs } from './options.js';
import { printJson, renderTable, safe } from './output.js';
import { csvCell } from '../text/escape.js';

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
    const db = openForRead(args);
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
      let rows: Record<string, unknown>[];
      try {
        rows = stmt.all() as Record<string, unknown>[];
      } catch (e) {
        throw new UsageError(`sql: ${(e as Error).message}`);
      }
      if (args.json) {
        printJson({ rows: rows.map(normalizeRow) });
        return;
      }
      const columns = stmt.columns().map((c) => c.name);
      if (args.csv) {
        const out = [columns.map(csvCell).join(',')];
        for (const r of rows) out.push(columns.map((c) => csvCell(cellValue(r[c]) as string | number | null)).join(','));
        process.stdout.write(out.join('\r\n') + '\r\n');
        return;
      }
      const cells = rows.map((r) => columns.map((c) => safe(cellValue(r[c]) as string)));
      // Each column as wide as its content (up to 60), the last one taking what is left.
      const widths = columns.map((c, i) => Math.min(60, Math.max(safe(c).length, ...cells.slice(0, 200).map((row) => row[i]!.length))) + 2);
      process.stdout.write(
        renderTable(columns.map((c, i) => ({ title: safe(c), width: widths[i], flex: i === columns.length - 1 && widths[i]! >= 40, align: typeof rows[0]?.[c] === 'number' ? ('right' as const) : ('left' as const) })), cells) + '\n',
      );
      process.stdout.write(`${rows.length} row${rows.length === 1 ? '' : 's'}\n`);
    } finally {
      db.close();
    }
  },
};

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
