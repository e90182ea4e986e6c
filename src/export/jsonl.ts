/**
 * JSON Lines: one contract event object per line, streamable (`jq -c`, Timesketch, any log shipper).
 * Also the streamed form of `--json`: the same objects inside `{"events": [...]}`, written as read.
 */
import { inertJson } from '../text/escape.js';
import { eventRecord, type RowWriter } from './records.js';
import type { TimelineRow } from '../timeline/types.js';

export function jsonlWriter(): RowWriter {
  return {
    head: () => '',
    row: (r: TimelineRow) => inertJson(eventRecord(r)) + '\n',
    tail: () => '',
  };
}

/** `--json`: one document, `{"events": [...]}` (plus `"truncated": true` when --limit cut it), streamed. */
export function jsonDocumentWriter(): RowWriter {
  let n = 0;
  return {
    head: () => '{"events": [',
    row: (r: TimelineRow) => (n++ === 0 ? '\n' : ',\n') + inertJson(eventRecord(r)),
    tail: (_rows, _events, truncated) => `${n ? '\n' : ''}]${truncated ? ', "truncated": true' : ''}}\n`,
  };
}
