/** `corr export --to clickhouse://…`: copy the current (SQLite) store into a ClickHouse store. */
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { dbPath, type GlobalArgs } from './options.js';
import { isClickHouseUrl, openStoreAt } from '../store/factory.js';
import { exportToClickHouse } from '../store/clickhouse/export.js';
import { ClickHouseWriter } from '../store/clickhouse/writer.js';
import { printJson } from './output.js';
import { maskPasswords } from '../store/clickhouse/url.js';

interface ExportArgs extends GlobalArgs {
  to?: string;
}

export const exportCommand: CommandModule<GlobalArgs, ExportArgs> = {
  command: 'export',
  describe: 'copy the store into a ClickHouse store (--to clickhouse://user:pass@host:8123/db); re-running adds nothing',
  builder: (y: Argv<GlobalArgs>) =>
    y.option('to', { type: 'string', describe: 'the target: clickhouse://user:pass@host:8123/db' }) as Argv<ExportArgs>,
  handler: (args) => {
    if (!args.to) throw new UsageError('export: name the target with --to clickhouse://user:pass@host:8123/db');
    if (!isClickHouseUrl(args.to)) throw new UsageError(`export --to: expected a clickhouse:// URL, got ${JSON.stringify(maskPasswords(args.to))}`);
    const source = openStoreAt(dbPath(args), { readonly: true });
    if (!source.sqlite) {
      source.close();
      throw new UsageError('export: the store to copy (--db) must be an SQLite file; ClickHouse to ClickHouse is the server\'s own INSERT … SELECT');
    }
    try {
      const target = openStoreAt(args.to, { create: true });
      try {
        const summary = exportToClickHouse(source.sqlite, new ClickHouseWriter(target.clickhouse!));
        if (args.json) printJson(summary);
        else {
          process.stdout.write(`${summary.sections_copied} sections copied (${summary.events_written.toLocaleString('en-US')} events), ${summary.sections_present} already there; ${summary.events_total.toLocaleString('en-US')} events in ${target.shown}.\n`);
        }
      } catch (e) {
        throw target.explain(e);
      } finally {
        target.close();
      }
    } finally {
      source.close();
    }
  },
};
