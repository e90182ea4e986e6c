/**
 * `corr completion [bash|zsh]`: prints the shell completion script yargs generates for corr. The
 * script calls `corr --get-yargs-completions …` as the user types, which yargs answers from the same
 * command and option definitions as --help, so completion never drifts from the CLI.
 *
 * yargs picks the zsh template when $SHELL or $ZSH_NAME says zsh; main.ts sets that from the
 * argument before yargs starts (see shellFor), so `corr completion zsh` works from bash too.
 */
export const SHELLS = ['bash', 'zsh'] as const;

/** The shell named after `completion` on the command line, if any. */
export function shellFor(argv: string[]): (typeof SHELLS)[number] | undefined {
  const at = argv.indexOf('completion');
  const word = at >= 0 ? argv[at + 1] : undefined;
  return SHELLS.find((s) => s === word);
}

/** Make yargs choose the template of `shell` (it reads the environment when it is created). */
export function pointYargsAt(shell: (typeof SHELLS)[number]): void {
  if (shell === 'zsh') {
    process.env.ZSH_NAME = 'zsh';
  } else {
    delete process.env.ZSH_NAME;
    process.env.SHELL = '/bin/bash';
  }
}
