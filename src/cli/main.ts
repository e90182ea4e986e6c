#!/usr/bin/env node
/**
 * corr's entry point. `corr --version` answers before anything else is loaded: yargs alone takes
 * longer to import than node takes to start, and a version check (scripts, CI, `corr --version`
 * in a bug report) should cost no more than starting node. A plain `corr timeline` line is read
 * without yargs (src/cli/plain-run.ts), with V8's optimizing compiler held back until its stream is
 * long enough to pay for it (src/cli/tiering.ts). Every other command line goes to src/cli/app.ts, which
 * loads yargs and only the command module the line names; a streaming command first gets its heap
 * set up (src/cli/heap.ts), before anything is allocated.
 */
import { version } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') process.stdout.write(version() + '\n');
else {
  const [{ commandWord }, { boundYoungGenerationFor }, { holdOptimizingCompiler }] = await Promise.all([import('./command-word.js'), import('./heap.js'), import('./tiering.js')]);
  const word = commandWord(argv);
  boundYoungGenerationFor(word);
  // A timeline window is over before TurboFan's code would pay for compiling it (src/cli/tiering.ts).
  if (word === 'timeline') holdOptimizingCompiler();
  // A plain timeline line is read without yargs (src/cli/plain-line.ts); anything else goes to it.
  const plain = word === 'timeline' && (await (await import('./plain-run.js')).runPlainLine(argv));
  if (!plain) await (await import('./app.js')).run(argv);
}
