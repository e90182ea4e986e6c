/**
 * The plain-line reader (src/cli/plain-line.ts) against yargs: on generated `corr timeline` command
 * lines, whenever the reader takes a line, yargs — set up exactly as corr runs it (app.ts
 * commandLine) — must take it too and hand the command the same value for every option; whatever
 * the reader declines is yargs' to read or refuse, so declining is always safe. Then the real CLI:
 * a plain line loads no yargs and prints what the same line read by yargs prints.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readPlainLine } from '../../src/cli/plain-line.js';
import { GLOBAL_OPTIONS } from '../../src/cli/global-options.js';
import { TIMELINE_OPTIONS, timelineCommand } from '../../src/cli/timeline.js';
import { commandLine } from '../../src/cli/app.js';
import { corr, FIXTURES, tempDir } from '../helpers/cli.js';

const KEYS = [...Object.keys(GLOBAL_OPTIONS), ...Object.keys(TIMELINE_OPTIONS)];
const pick = (args: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(KEYS.map((k) => [k, args[k]]));

/** What yargs hands the timeline handler for argv, or the message it fails with. */
async function yargsRead(argv: string[]): Promise<{ args: Record<string, unknown> } | { failed: string }> {
  let got: Record<string, unknown> | null = null;
  const command = { ...timelineCommand, handler: (a: Record<string, unknown>) => void (got = a) };
  try {
    await commandLine(argv, [command])
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new Error(msg);
      })
      .parseAsync();
  } catch (e) {
    return { failed: (e as Error).message };
  }
  return got ? { args: got } : { failed: 'the handler did not run' };
}

const VALUES = [
  '2026-05-27T03:00:00Z', '+15m', '2 hours ago', '17:15 PT', 'UTC', 'America/Los_Angeles', 'kernel', 'sshd', 'kai-server', 'sshd.', 'br-[0-9a-f]+',
  'table', 'csv', 'jsonl', 'timesketch', 'l2tcsv', 'source', 'kind', 'auto', 'always', 'never', 'x.db', '/tmp/a b.db',
  '30', '0', '1', '1.5', '010', '1e3', '0x10', ' 5', '5 ', '-5', '-', '', 'true', 'false', 'timeline', 'a=b', '--', '-h', 'clickhouse://u:p@h:8123/d',
];
const NAMES = [...KEYS, 'sinc', 'help', 'version', 'no-collapse', 'no-json', 'no-twins', 'no-since', 'no-gap', 'Since', 'time-line', 'since.x'];

const token = fc.oneof(
  fc.record({ name: fc.constantFrom(...NAMES), value: fc.constantFrom(...VALUES), form: fc.constantFrom('space', 'eq', 'bare') }).map(({ name, value, form }) =>
    form === 'bare' ? [`--${name}`] : form === 'eq' ? [`--${name}=${value}`] : [`--${name}`, value],
  ),
  fc.constantFrom(['-h'], ['--'], ['extra'], ['timeline']),
);

/** An option the command has, with a value of its type in one of the spellings yargs reads. */
const SPECS = { ...GLOBAL_OPTIONS, ...TIMELINE_OPTIONS } as Record<string, { type: string; choices?: readonly string[] }>;
const fitting = fc.constantFrom(...KEYS).chain((name): fc.Arbitrary<string[]> => {
  const spec = SPECS[name]!;
  if (spec.type === 'boolean') return fc.constantFrom<string[]>([`--${name}`], [`--no-${name}`]);
  const value = spec.choices ? fc.constantFrom(...spec.choices) : spec.type === 'number' ? fc.constantFrom('30', '1', '1.5', '120', '0') : fc.constantFrom(...VALUES.slice(0, 23));
  return fc.tuple(value, fc.boolean()).map(([v, eq]) => (eq ? [`--${name}=${v}`] : [`--${name}`, v]));
});
const globalFitting = fc.constantFrom(['--db', 'x.db'], ['--db=y.db'], ['--json'], ['--quiet'], ['--no-quiet'], ['--color', 'never'], ['--color=always']);

/** A timeline line: some tokens, the command word, more tokens; mostly options the command has. */
const line = fc
  .tuple(
    fc.array(fc.oneof({ weight: 3, arbitrary: globalFitting }, { weight: 1, arbitrary: token }), { maxLength: 2 }),
    fc.array(fc.oneof({ weight: 6, arbitrary: fitting }, { weight: 1, arbitrary: token }), { maxLength: 6 }),
    fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  )
  .map(([before, after, withCommand]): string[] => [...before.flat(), ...(withCommand ? ['timeline'] : []), ...after.flat()]);

describe('plain command lines', () => {
  it('the reader takes only what yargs reads the same way', async () => {
    let taken = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(line, async (argv) => {
        runs++;
        const plain = readPlainLine(argv, 'timeline', GLOBAL_OPTIONS, TIMELINE_OPTIONS);
        if (plain === null) return;
        taken++;
        const y = await yargsRead(argv);
        expect(y, argv.join(' ')).toHaveProperty('args');
        expect(pick(plain), argv.join(' ')).toEqual(pick((y as { args: Record<string, unknown> }).args));
      }),
      { numRuns: 1500 },
    );
    // The comparison means something only if the reader takes a fair share of the lines.
    expect(taken / runs).toBeGreaterThan(0.15);
  });

  it('the common lines are taken, with yargs\' values', async () => {
    const lines = [
      ['timeline', '--since', '2026-05-27T03:00:00Z', '--until', '+15m', '--json'],
      ['--db', 'x.db', 'timeline', '--since=2 hours ago', '--source', 'kernel', '--source', 'sshd', '--no-collapse', '--limit', '20'],
      ['timeline', '--format', 'csv', '--gap', '1.5', '--quiet', '--color', 'never', '--tz', 'UTC', '--twins', '--grep', 'br-[0-9a-f]+'],
      ['timeline', '--histogram', '--by', 'kind'],
      ['timeline'],
    ];
    for (const argv of lines) {
      const plain = readPlainLine(argv, 'timeline', GLOBAL_OPTIONS, TIMELINE_OPTIONS);
      expect(plain, argv.join(' ')).not.toBeNull();
      const y = await yargsRead(argv);
      expect(pick(plain!)).toEqual(pick((y as { args: Record<string, unknown> }).args));
    }
    expect(readPlainLine(lines[1]!, 'timeline', GLOBAL_OPTIONS, TIMELINE_OPTIONS)).toMatchObject({ db: 'x.db', since: '2 hours ago', source: ['kernel', 'sshd'], collapse: false, limit: 20, by: 'source' });
  });

  it('declines what only yargs can answer: help, unknown or repeated options, stray words, odd values', () => {
    for (const argv of [
      ['timeline', '--help'], ['timeline', '-h'], ['timeline', '--sinc', 'x'], ['timeline', '--since', 'a', '--since', 'b'], ['timeline', 'extra'],
      ['timeline', '--since', '-2h'], ['timeline', '--format', 'xml'], ['timeline', '--limit', '1e3'], ['timeline', '--json', 'true'], ['timeline', '--json=false'],
      ['timeline', '--since'], ['timeline', '--'], ['--since', 'x', 'timeline'], ['sources'], ['timeline', '--no-since'], ['timeline', '--gap', ''],
    ]) {
      expect(readPlainLine(argv, 'timeline', GLOBAL_OPTIONS, TIMELINE_OPTIONS), argv.join(' ')).toBeNull();
    }
  });
});

describe('a plain timeline line, run', () => {
  const db = join(tempDir(), 'seed.db');
  expect(corr(['ingest', '--db', db, '--quiet', join(FIXTURES, 'incident-seed', 'diag')]).code).toBe(0);
  const window = ['timeline', '--db', db, '--since', '2026-05-27T03:00:00Z', '--until', '+15m'];

  it('loads no yargs and prints what yargs\' reading of the same line prints, in each format', () => {
    const dir = tempDir('corr-plain-');
    const log = join(dir, 'loaded.log');
    writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}
`);
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
    for (const extra of [[], ['--json'], ['--format', 'csv'], ['--histogram'], ['--no-collapse', '--limit', '5'], ['--source', 'nope'], ['--gap', '0']]) {
      writeFileSync(log, '');
      const plain = corr([...window, ...extra], { env: { NODE_OPTIONS: `--import ${pathToFileURL(join(dir, 'register.mjs')).href}` } });
      const loaded = readFileSync(log, 'utf8');
      expect(loaded, extra.join(' ')).toContain('/dist/cli/timeline.js');
      expect(loaded, extra.join(' ')).not.toMatch(/node_modules\/(yargs|cliui)\//);
      // `--twins false` means what leaving it out means, and only yargs reads it (a word after a flag).
      const viaYargs = corr([...window, ...extra, '--twins', 'false']);
      expect({ code: plain.code, stdout: plain.stdout, stderr: plain.stderr }, extra.join(' ')).toEqual(viaYargs);
    }
  });

  it('a line it declines still works, through yargs, and a mistyped option is yargs\' one-line error', () => {
    const bad = corr([...window, '--sinc', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^corr: unknown option --sinc; did you mean --since\?/);
    expect(corr([...window, '--help']).stdout).toMatch(/--no-collapse|--collapse/);
  });
});
