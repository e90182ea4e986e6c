#!/usr/bin/env node
/**
 * The corr command line: registers one module per command (src/cli/<command>.ts) and maps every
 * failure to the contract's exit codes with a one-line reason on stderr (never a stack trace,
 * unless CORR_DEBUG=1 asks for one).
 */
import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { readFileSync } from 'node:fs';
import { CorrError } from '../errors.js';
import { translateSqliteError } from '../store/db.js';
import { escapeTerminal } from '../text/escape.js';

/**
 * Command modules, loaded on demand: importing all of them (chrono-node, the correlator, the
 * report renderer ...) cost more than a 15-minute timeline query itself. A run that names a
 * command loads only that one; help, a missing or unknown command load them all.
 */
type AnyCommand = CommandModule<any, any>;
const COMMANDS: [name: string, load: () => Promise<AnyCommand>][] = [
  ['ingest', async () => (await import('./ingest.js')).ingestCommand],
  ['sources', async () => (await import('./sources.js')).sourcesCommand],
  ['timeline', async () => (await import('./timeline.js')).timelineCommand],
  ['correlate', async () => (await import('./correlate.js')).correlateCommand],
  ['report', async () => (await import('./report.js')).reportCommand],
  ['sql', async () => (await import('./sql.js')).sqlCommand],
  ['formats', async () => (await import('./formats.js')).formatsCommand],
  ['demo', async () => (await import('./demo.js')).demoCommand],
  ['probe', async () => (await import('./probe.js')).probeCommand],
];

/** Global options that take a value: the word after them is not the command. */
const VALUE_OPTIONS = new Set(['--db']);

/** The command word of argv, or null when there is none before the first `--`. */
function commandWord(argv: string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return null;
    if (VALUE_OPTIONS.has(a)) {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return null;
}

async function commandsFor(argv: string[]): Promise<AnyCommand[]> {
  const word = commandWord(argv);
  // `corr timeline --help` needs only timeline; `corr --help` (no command word) lists every command.
  const named = COMMANDS.find(([name]) => name === word);
  if (named) return [await named[1]()];
  return Promise.all(COMMANDS.map(([, load]) => load()));
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function fail(message: string, code: number): never {
  process.stderr.write(`corr: ${escapeTerminal(message.replace(/\s*\n\s*/g, ' ').trim())}\n`);
  process.exit(code);
}

export async function main(argv: string[]): Promise<void> {
  const commands = await commandsFor(argv);
  const cli = yargs(argv)
    .scriptName('corr')
    .usage('corr <command> [options]\n\nIncident-forensics log correlation: ingest captures with different clocks, align them to UTC,\nfind the outage windows and judge what caused them.')
    .option('db', { type: 'string', global: true, describe: 'the SQLite store (default ./corr.db, or $CORR_DB)' })
    .option('json', { type: 'boolean', global: true, describe: 'one JSON document on stdout instead of tables' })
    .command(commands)
    .demandCommand(1, 'name a command: ingest, sources, timeline, correlate, report, sql, formats, demo, probe')
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

main(hideBin(process.argv)).catch((caught: unknown) => {
  if (process.env.CORR_DEBUG) console.error(caught);
  // SQLite's own failures on any command (a full disk, a damaged store, I/O errors) as one line and the contract's code.
  const e = translateSqliteError(caught, 'the database');
  if (e instanceof CorrError) fail(e.message, e.exitCode);
  const err = e as { code?: string; message?: string };
  if (err?.code === 'SQLITE_BUSY') fail('the database is locked by another writer and stayed locked past the busy timeout', 1);
  fail(`internal error: ${err?.message ?? String(e)} (set CORR_DEBUG=1 for details)`, 1);
});
