/**
 * CSV with csv-stringify: quoting by RFC 4180, CRLF records, and `escape_formulas` so no cell can
 * start a spreadsheet formula (= + - @ TAB CR get a leading '). Control characters in log text are
 * made visible first (escapeTerminal), so the file is inert when printed to a terminal too.
 */
import { createRequire } from 'node:module';
import { escapeTerminal } from '../text/escape.js';
import { usToIso } from '../store/queries.js';
import type { TimelineRow } from '../timeline/types.js';
import type { RowWriter } from './records.js';

// csv-stringify is loaded on the first CSV record, not at import: every `corr timeline` imports
// this module, and the package costs ~25 ms to load that a --json or table run never uses.
let stringifyCsv: typeof import('csv-stringify/sync').stringify | null = null;
const stringify: typeof import('csv-stringify/sync').stringify = (input, options) =>
  (stringifyCsv ??= (createRequire(import.meta.url)('csv-stringify/sync') as typeof import('csv-stringify/sync')).stringify)(input, options);

export type CsvValue = string | number | null | undefined;

/**
 * A cell written as a bare `-`: plaso's "no value". escape_formulas would make it `'-` (a leading
 * minus can start a formula); a lone minus cannot, so it is passed through as a placeholder that
 * log text can never hold (escapeTerminal has made every control character visible text).
 */
export const NO_VALUE = Symbol('no value');
const PLACEHOLDER = '\u0001';
const PLACEHOLDER_CELL = /(^|,)\u0001(?=,|\r\n)/g;

/** One CSV record (with its CRLF) of already-ordered values. */
export function csvRecord(values: (CsvValue | typeof NO_VALUE)[]): string {
  let placeholders = false;
  const cells = values.map((v) => {
    if (v === NO_VALUE) {
      placeholders = true;
      return PLACEHOLDER;
    }
    return typeof v === 'string' ? escapeTerminal(v) : v;
  });
  const line = stringify([cells], { escape_formulas: true, record_delimiter: 'windows' });
  return placeholders ? line.replace(PLACEHOLDER_CELL, '$1-') : line;
}

const HEAD = ['ts', 'host', 'source', 'kind', 'severity', 'count', 'first', 'last', 'file', 'line', 'message'];

export function csvWriter(): RowWriter {
  return {
    head: () => csvRecord(HEAD),
    row: (r: TimelineRow) =>
      csvRecord([usToIso(r.firstUs), r.host, r.source, r.kind, r.severity, r.count, usToIso(r.firstUs), usToIso(r.lastUs), r.file, r.line, r.message]),
    tail: () => '',
  };
}
