/**
 * The corr command line (entered through src/cli/main.ts): registers one module per command (src/cli/<command>.ts) and maps every
 * failure to the contract's exit codes with a one-line reason on stderr (never a stack trace,
 * unless CORR_DEBUG=1 asks for one).
 */
import yargs, { type CommandModule } from 'yargs';
import { version } from './version.js';
import { fail, failed, guardStreams } from './failure.js';
import { applyGlobals, GLOBAL_OPTIONS, loadStoreEngines } from './global-options.js';
import { EXAMPLES } from './examples.js';
import { pointYargsAt, shellFor } from './completion.js';
import { didYouMean } from './suggest.js';
import { STDIN_ARG, STDIN_PATH } from './stdin.js';
import { commandWord } from './command-word.js';

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
  ['export', async () => (await import('./export.js')).exportCommand],
];

async function commandsFor(argv: string[]): Promise<AnyCommand[]> {
  const word = commandWord(argv);
  // `corr timeline --help` needs only timeline; `corr --help` (no command word) lists every command.
  const named = COMMANDS.find(([name]) => name === word);
  if (named) return [withExamples(await named[1](), named[0])];
  return Promise.all(COMMANDS.map(async ([name, load]) => withExamples(await load(), name)));
}

/** The command with the examples of src/cli/examples.ts added to its --help. */
function withExamples(cmd: AnyCommand, name: string): AnyCommand {
  const examples = EXAMPLES[name];
  if (!examples) return cmd;
  const builder = cmd.builder;
  return {
    ...cmd,
    builder: (y: any) => {
      const built = typeof builder === 'function' ? (builder(y) ?? y) : builder ? y.options(builder) : y;
      for (const [c, what] of examples) built.example(c, what);
      return built;
    },
  };
}

/**
 * `Unknown argument: sinc` becomes `unknown option --sinc; did you mean --since?`, from the options
 * the command really has.
 */
function explainUnknown(msg: string, known: string[]): string {
  const m = /^Unknown arguments?: (.*)$/.exec(msg);
  if (!m) return msg;
  const words = m[1]!.split(', ');
  return words
    .map((w) => {
      const bare = w.replace(/^-+/, '');
      const looksLikeOption = known.includes(bare) || w.startsWith('-') || !/\s/.test(w);
      return looksLikeOption ? `unknown option ${w.startsWith('-') ? w : '--' + bare}${didYouMean(bare, known, '--')}` : `unexpected argument ${JSON.stringify(w)}`;
    })
    .join('. ');
}

export async function main(argv: string[]): Promise<void> {
  guardStreams();
  // `corr ingest -`: yargs drops a lone `-` from positionals; hand it over under another name.
  if (commandWord(argv) === 'ingest') argv = argv.map((a) => (a === STDIN_PATH ? STDIN_ARG : a));
  const shell = shellFor(argv);
  if (shell) {
    pointYargsAt(shell);
    argv = argv.filter((a, i) => !(a === shell && argv[i - 1] === 'completion'));
  }
  await commandLine(argv, await commandsFor(argv)).parseAsync();
}

/**
 * The yargs command line for `argv` with `commands` registered (main's, and the tests' comparing
 * it with plain-line.ts), not yet parsed.
 */
export function commandLine(argv: string[], commands: AnyCommand[]) {
  const cli = yargs(argv)
    .scriptName('corr')
    .usage('corr <command> [options]\n\nIncident-forensics log correlation: ingest captures with different clocks, align them to UTC,\nfind the outage windows and judge what caused them.')
    .options(GLOBAL_OPTIONS)
    .middleware(async (a) => {
      applyGlobals(a);
      await loadStoreEngines(a);
    })
    .command(commands)
    .completion('completion', 'print a shell completion script: corr completion [bash|zsh]')
    .example('corr ingest ./diag && corr correlate', 'load a bundle, then find the outages and what caused them')
    .example('corr timeline --since "2026-05-26 17:15 PT" --until +15m --tz America/Los_Angeles', 'fifteen minutes of every source')
    .demandCommand(1, 'name a command: ingest, sources, timeline, correlate, report, sql, formats, demo, probe, export, completion')
    .recommendCommands()
    .strict()
    .version(version())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err, y) => {
      if (err) throw err;
      // yargs hands the usage object: its descriptions are the options of the command being parsed.
      const known = Object.keys((y as unknown as { getDescriptions?: () => Record<string, unknown> } | undefined)?.getDescriptions?.() ?? {});
      fail(explainUnknown(msg ?? 'bad usage', known), 2);
    });
  // yargs renders the whole --help text after every command's handler, only to keep it in case
  // the command later asks for its help: corr never does (failures are one line, see .fail), and
  // rendering it (cliui, string widths) cost ~40–90 ms of a 15-minute timeline run. `--help`
  // itself renders it afresh as before.
  const usage = (cli as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.()
    .getUsageInstance?.();
  if (usage?.cacheHelpMessage) usage.cacheHelpMessage = () => {};
  return cli;
}

/** Runs one command line; every failure ends the process with the contract's exit code and one line. */
export function run(argv: string[]): Promise<void> {
  return main(argv).catch(failed);
}
