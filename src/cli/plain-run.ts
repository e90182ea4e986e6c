/**
 * Command lines answered without yargs (see plain-line.ts): `corr timeline` with plain options,
 * the command whose whole run should cost little more than starting node. Returns false, having
 * done nothing, for any other line: app.ts and yargs take it.
 */
import { commandWord } from './command-word.js';
import { readPlainLine } from './plain-line.js';
import { applyGlobals, GLOBAL_OPTIONS, loadStoreEngines } from './global-options.js';
import { failed, guardStreams } from './failure.js';

export async function runPlainLine(argv: string[]): Promise<boolean> {
  if (commandWord(argv) !== 'timeline') return false;
  const { TIMELINE_OPTIONS, runTimeline } = await import('./timeline.js');
  const args = readPlainLine(argv, 'timeline', GLOBAL_OPTIONS, TIMELINE_OPTIONS);
  if (!args) return false;
  guardStreams();
  applyGlobals(args);
  await loadStoreEngines(args)
    .then(() => runTimeline(args))
    .catch(failed);
  return true;
}
