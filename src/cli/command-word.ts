/** Which command a command line names, found without loading yargs (main.ts decides things before it loads). */

/** Global options that take a value: the word after them is not the command. */
const VALUE_OPTIONS = new Set(['--db', '--color']);

/** The command word of argv, or null when there is none before the first `--`. */
export function commandWord(argv: string[]): string | null {
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
