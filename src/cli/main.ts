#!/usr/bin/env node
/**
 * The corr command line: registers one module per command (src/cli/<command>.ts) and maps every
 * failure to the contract's exit codes with a one-line reason on stderr (never a stack trace,
 * unless CORR_DEBUG=1 asks for one).
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { readFileSync } from 'node:fs';
import { CorrError } from '../errors.js';
import { escapeTerminal } from '../text/escape.js';
import { ingestCommand } from './ingest.js';
import { sourcesCommand } from './sources.js';
import { sqlCommand } from './sql.js';
import { timelineCommand } from './timeline.js';
import { correlateCommand } from './correlate.js';
import { reportCommand } from './report.js';
import { demoCommand } from './demo.js';
import { formatsCommand } from './formats.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function fail(message: string, code: number): never {
  process.stderr.write(`corr: ${escapeTerminal(message.replace(/\s*\n\s*/g, ' ').trim())}\n`);
  process.exit(code);
}

export async function main(argv: string[]): Promise<void> {
  const cli = yargs(argv)
    .scriptName('corr')
    .usage('corr <command> [options]\n\nIncident-forensics log correlation: ingest captures with different clocks, align them to UTC,\nfind the outage windows and judge what caused them.')
    .option('db', { type: 'string', global: true, describe: 'the SQLite store (default ./corr.db, or $CORR_DB)' })
    .option('json', { type: 'boolean', global: true, describe: 'one JSON document on stdout instead of tables' })
    .command(ingestCommand)
    .command(sourcesCommand)
    .command(timelineCommand)
    .command(correlateCommand)
    .command(reportCommand)
    .command(sqlCommand)
    .command(formatsCommand)
    .command(demoCommand)
    .demandCommand(1, 'name a command: ingest, sources, timeline, correlate, report, sql, formats, demo')
    .recommendCommands()
    .strict()
    .version(version())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      fail(msg ?? 'bad usage', 2);
    });
  await cli.parseAsync();
}

main(hideBin(process.argv)).catch((e: unknown) => {
  if (process.env.CORR_DEBUG) console.error(e);
  if (e instanceof CorrError) fail(e.message, e.exitCode);
  const err = e as { code?: string; message?: string };
  if (err?.code === 'SQLITE_BUSY') fail('the database is locked by another writer and stayed locked past the busy timeout', 1);
  fail(`internal error: ${err?.message ?? String(e)} (set CORR_DEBUG=1 for details)`, 1);
});
