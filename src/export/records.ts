/**
 * A timeline row as the machine-readable exports write it: the contract's `--json` event (ts, host,
 * source, kind, severity, message, count, first, last, file, line, fields), plus the template and
 * the number of stored rows for a collapsed burst.
 */
import { usToIso } from '../store/queries.js';
import type { TimelineRow } from '../timeline/types.js';

export function eventRecord(r: TimelineRow) {
  return {
    ts: usToIso(r.firstUs),
    host: r.host,
    source: r.source,
    kind: r.kind,
    severity: r.severity,
    message: r.message,
    count: r.count,
    first: usToIso(r.firstUs),
    last: usToIso(r.lastUs),
    file: r.file,
    line: r.line,
    fields: r.fields,
    ...(r.rows > 1 && r.template ? { template: r.template, rows: r.rows } : {}),
  };
}

/** A renderer of a stream of timeline rows: a head, one text per row, a tail. */
export interface RowWriter {
  head(): string;
  row(r: TimelineRow): string;
  /** `truncated`: rows were cut by --limit. */
  tail(rows: number, events: number, truncated: boolean): string;
}
