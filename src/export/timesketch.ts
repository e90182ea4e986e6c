/**
 * Timesketch's import format ("Create timeline from JSON/JSONL/CSV file" in Timesketch's user guide):
 * the mandatory `message`, `datetime` (ISO 8601) and `timestamp_desc`, the optional `timestamp`
 * (microseconds since the epoch, which Timesketch prefers when present), then any extra columns,
 * which Timesketch keeps as attributes of the event. CSV needs the header line; JSONL needs one
 * object per line. corr's extras: host, source, kind, severity, count, last, file, line (`file:line`
 * leads back to the evidence), and the parser's fields as `field_<name>` in JSONL.
 */
import { usToIso } from '../store/queries.js';
import { inertJson } from '../text/escape.js';
import type { TimelineRow } from '../timeline/types.js';
import { csvRecord } from './csv.js';
import type { RowWriter } from './records.js';

/** Timesketch's mandatory columns, as its importer names them. */
export const TIMESKETCH_REQUIRED = ['message', 'datetime', 'timestamp_desc'] as const;
export const TIMESKETCH_COLUMNS = ['message', 'timestamp', 'datetime', 'timestamp_desc', 'host', 'source', 'kind', 'severity', 'count', 'last', 'file', 'line'] as const;

/** What the timestamp means, in Timesketch's words ("Write time", "Time created" ...). */
export const TIMESTAMP_DESC = 'Log entry time';

function values(r: TimelineRow) {
  return {
    message: r.message,
    timestamp: r.firstUs,
    datetime: usToIso(r.firstUs),
    timestamp_desc: TIMESTAMP_DESC,
    host: r.host,
    source: r.source,
    kind: r.kind,
    severity: r.severity,
    count: r.count,
    last: usToIso(r.lastUs),
    file: r.file,
    line: r.line,
  };
}

export function timesketchCsvWriter(): RowWriter {
  return {
    head: () => csvRecord([...TIMESKETCH_COLUMNS]),
    row: (r) => {
      const v = values(r);
      return csvRecord(TIMESKETCH_COLUMNS.map((c) => v[c]));
    },
    tail: () => '',
  };
}

export function timesketchJsonlWriter(): RowWriter {
  return {
    head: () => '',
    row: (r) => {
      const extra: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r.fields ?? {})) extra[`field_${k}`] = v;
      return inertJson({ ...values(r), ...extra }) + '\n';
    },
    tail: () => '',
  };
}
