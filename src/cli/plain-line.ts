/**
 * A plain command line read without yargs (#18). yargs takes longer to import (~90 ms CPU here,
 * more under load: it loads its help renderer and string widths whatever the line) than a
 * 15-minute timeline window takes to answer. For the lines users and scripts type most — the
 * command word, then `--name value`, `--name=value`, `--flag` and `--no-flag` of options the
 * command declares — the arguments are unambiguous, and this reads them from the same option
 * declarations yargs is given. Anything else (help, an unknown or repeated option, a positional
 * word, a value starting with `-`, a value outside an option's choices, a number that is not plain
 * digits, `--`) is left to yargs, which reads it or fails with its own message and exit code:
 * `null` here never means an error, only "ask yargs". test/cli/plain-line.test.ts compares the
 * two on generated command lines.
 */

/** An option as yargs is told about it (the subset of yargs' `Options` corr's commands use). */
export interface PlainOption {
  readonly type: 'string' | 'boolean' | 'number';
  readonly array?: boolean;
  readonly choices?: readonly string[];
  readonly default?: string | number | boolean;
  readonly describe?: string;
  readonly global?: boolean;
}

export type OptionTable = Readonly<Record<string, PlainOption>>;

/** A number exactly as a user writes one for --gap or --limit; yargs reads these the same way. */
const PLAIN_NUMBER = /^(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,6})?$/;
const NAME = /^[a-z][a-z0-9]*$/;

/**
 * The arguments of `argv` for `command`, as yargs would hand them to the command's handler (the
 * declared options only, defaults filled in), or null when the line is not plain. `globals` may
 * also come before the command word; the command's own options only after it.
 */
export function readPlainLine(argv: readonly string[], command: string, globals: OptionTable, own: OptionTable): Record<string, unknown> | null {
  const args: Record<string, unknown> = {};
  const given = new Set<string>();
  let seenCommand = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('--')) {
      // The one positional word a plain line has is its command, first.
      if (seenCommand || token !== command) return null;
      seenCommand = true;
      continue;
    }
    const eq = token.indexOf('=');
    let name = eq < 0 ? token.slice(2) : token.slice(2, eq);
    let negated = false;
    let spec = lookUp(name, seenCommand, globals, own);
    if (!spec && eq < 0 && name.startsWith('no-')) {
      name = name.slice(3);
      spec = lookUp(name, seenCommand, globals, own);
      if (!spec || spec.type !== 'boolean') return null;
      negated = true;
    }
    if (!spec || !NAME.test(name)) return null;
    // A repeated option is an array to yargs unless it is declared one: only arrays repeat here.
    if (given.has(name) && !spec.array) return null;
    given.add(name);
    if (spec.type === 'boolean') {
      // `--flag=false`, `--flag true`: yargs reads several spellings; only the bare flag is plain.
      if (eq >= 0) return null;
      args[name] = !negated;
      continue;
    }
    let value: string;
    if (eq >= 0) value = token.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) return null;
      value = argv[++i]!;
    }
    if (value === '' || value.startsWith('-')) return null;
    if (spec.choices && !spec.choices.includes(value)) return null;
    let read: string | number = value;
    if (spec.type === 'number') {
      if (!PLAIN_NUMBER.test(value)) return null;
      read = Number(value);
    }
    if (spec.array) args[name] = [...((args[name] as unknown[] | undefined) ?? []), read];
    else args[name] = read;
  }
  if (!seenCommand) return null;
  for (const [name, spec] of [...Object.entries(globals), ...Object.entries(own)]) {
    if (args[name] === undefined && spec.default !== undefined) args[name] = spec.default;
  }
  return args;
}

function lookUp(name: string, afterCommand: boolean, globals: OptionTable, own: OptionTable): PlainOption | undefined {
  if (Object.hasOwn(globals, name)) return globals[name];
  return afterCommand && Object.hasOwn(own, name) ? own[name] : undefined;
}
