/**
 * The options every command takes, as data: app.ts gives them to yargs, plain-line.ts reads the
 * plain command lines it answers without yargs from the same table.
 */
import type { OptionTable } from './plain-line.js';
import { COLOR_MODES, setColorMode, setQuiet, type ColorMode } from './output.js';
import { loadEngineFor } from '../store/factory.js';

export const GLOBAL_OPTIONS = {
  db: { type: 'string', global: true, describe: 'the store: an SQLite file (default ./corr.db, or $CORR_DB), or clickhouse://user:pass@host:8123/db' },
  json: { type: 'boolean', global: true, describe: 'one JSON document on stdout instead of tables' },
  quiet: { type: 'boolean', global: true, describe: 'no progress or notes on stderr; errors still print' },
  color: { type: 'string', global: true, choices: COLOR_MODES, describe: 'colour: auto (a terminal; NO_COLOR and FORCE_COLOR honoured), always, never' },
} as const satisfies OptionTable;

/** What the global options set before a command runs (yargs' middleware; plain lines call it too). */
export function applyGlobals(a: { quiet?: unknown; color?: unknown }): void {
  setQuiet(Boolean(a.quiet));
  if (a.color !== undefined) setColorMode(a.color as ColorMode);
}

/**
 * The store engines the line's stores need, loaded before the command opens them: --db (or
 * $CORR_DB) and export's --to. Only a clickhouse:// URL loads anything (src/store/factory.ts).
 */
export async function loadStoreEngines(a: { db?: unknown; to?: unknown }): Promise<void> {
  for (const spec of [a.db ?? process.env.CORR_DB, a.to]) if (typeof spec === 'string') await loadEngineFor(spec);
}
