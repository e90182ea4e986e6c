/** `corr probe TARGET...`: a monitor that validates what it sees, and says when it changed. */
import type { CommandModule } from 'yargs';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { DEFAULT_DOWN_OUTPUT } from '../probe/checks.js';
import { openSink } from '../probe/log.js';
import { resolveTargets, runProbe } from '../probe/run.js';
import { parseDuration, parseTarget } from '../probe/targets.js';
import type { GlobalArgs } from './options.js';

interface ProbeArgs extends GlobalArgs {
  targets?: string[];
  every: string;
  timeout?: string;
  once?: boolean;
  count?: number;
  out: string;
  expect?: string;
  'expect-down'?: string;
  quiet?: boolean;
}

function regex(pattern: string | undefined, option: string): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern, 'u');
  } catch (e) {
    throw new UsageError(`${option}: not a valid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
}

function corrVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `corr ${pkg.version}`;
}

export const probeCommand: CommandModule<GlobalArgs, ProbeArgs> = {
  command: 'probe <targets..>',
  describe: 'check hosts and write one JSON line per check: a monitor that validates what it sees',
  builder: (y) =>
    y
      .positional('targets', { type: 'string', array: true, describe: 'tcp://host:port, ssh://host[:22], http(s)://…, cmd:COMMAND' })
      .option('every', { type: 'string', default: '20s', describe: 'period between checks (20s, 1m, 500ms)' })
      .option('timeout', { type: 'string', describe: 'how long one check may take (default: 5s, or the period if shorter)' })
      .option('once', { type: 'boolean', describe: 'check every target once and exit' })
      .option('count', { type: 'number', describe: 'stop after this many rounds (like ping -c)' })
      .option('out', { type: 'string', default: '-', describe: 'the log to append to (- for stdout)' })
      .option('expect', { type: 'string', describe: 'regex the http body or the command output must match to be up' })
      .option('expect-down', { type: 'string', describe: 'regex of command output that means the host is down (default: network errors such as "i/o timeout", "Connection refused")' })
      .option('quiet', { type: 'boolean', describe: 'no transitions or summary on stderr' })
      .example('corr probe ssh://kai-server --every 20s --out watch.jsonl', 'the ssh banner must arrive, every 20 s')
      .example('corr probe \'cmd:ssh kai-server echo alive\' --expect "^alive$" --out watch.jsonl', 'a wrapped command whose output is validated')
      .example('corr probe https://example.org/health --expect ok --once', 'one check, printed on stdout'),
  handler: async (args) => {
    const targets = (args.targets ?? []).map(parseTarget);
    if (targets.length === 0) throw new UsageError('probe: name at least one target');
    const everyMs = parseDuration(args.every, '--every', 100);
    const timeoutMs = args.timeout !== undefined ? parseDuration(args.timeout, '--timeout', 10) : Math.min(5000, everyMs);
    const options = {
      timeoutMs,
      expect: regex(args.expect, '--expect'),
      expectDown: regex(args['expect-down'], '--expect-down') ?? DEFAULT_DOWN_OUTPUT,
    };
    if (args.count !== undefined && (!Number.isInteger(args.count) || args.count < 1)) throw new UsageError(`--count: expected a whole number of 1 or more, got ${JSON.stringify(String(args.count))}`);
    await resolveTargets(targets);
    const sink = openSink(args.out);
    await runProbe({ targets, everyMs, once: Boolean(args.once), options, sink, version: corrVersion(), quiet: Boolean(args.quiet), rounds: args.count });
  },
};
