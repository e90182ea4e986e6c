/**
 * klog/glog lines, as kube-apiserver and k3s components write them to stderr:
 * `E0526 17:57:40.412233    1187 writers.go:118] msg`. No year and no zone: the time is local.
 *
 * Every line without a header that follows a record belongs to it: klog `Trace[...]` steps, Go
 * panics and goroutine dumps, and the further lines of a message that contained newlines. (A Go
 * process writes nothing else to this stream, so keeping them with the record loses nothing.)
 */
import type { FormatDescriptor, LineResult, ParsedEvent } from '../types.js';
import { classifyK3sRecord } from '../classify/k3s.js';
import { isGoContinuationLine, parseKlog, type GoLogRecord } from './go-log-records.js';
import { shareOfLines, stripCarriageReturn, type LineVerdict } from './line-share.js';

/** A record read from a Go header, as an event of program `k3s`. */
export function goRecordEvent(record: GoLogRecord): ParsedEvent {
  const c = classifyK3sRecord(record);
  return {
    time: record.time ?? { kind: 'none' },
    program: 'k3s',
    ...(record.pid !== undefined ? { pid: record.pid } : {}),
    source: c.source,
    kind: c.kind,
    severity: c.severity,
    message: c.message ?? record.body,
    fields: c.fields,
  };
}

/**
 * One line of a Go program's log stream: a header opens a record; a line without one continues the
 * record before it, or is skipped (with the reason) when no record came before.
 */
export function parseGoStreamLine(
  rawLine: string,
  prev: ParsedEvent | null,
  readHeader: (line: string) => GoLogRecord | null,
): LineResult {
  const line = stripCarriageReturn(rawLine);
  const record = readHeader(line);
  if (record) return { type: 'event', event: goRecordEvent(record) };
  if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
  if (prev) return { type: 'continuation' };
  return { type: 'skip', reason: 'line without a log header before the first record' };
}

function judge(line: string): LineVerdict {
  if (parseKlog(line)) return 'record';
  return isGoContinuationLine(line) ? 'companion' : 'foreign';
}

export const klog: FormatDescriptor = {
  name: 'klog',
  title: 'klog/glog lines (kube-apiserver, k3s components): E0526 17:57:40.412233 1187 file.go:118] msg',
  detect: (head) => shareOfLines(head, judge),
  parse: (line, prev) => parseGoStreamLine(line, prev, parseKlog),
  samples: [
    {
      line: 'E0526 17:57:40.412233    1187 writers.go:118] apiserver was unable to write a JSON response: http: Handler timeout',
      expect: {
        kind: 'k3s.handler_timeout',
        source: 'k3s',
        severity: 'error',
        time: '05-26 17:57:40',
        fields: { level: 'error', pid: 1187, file_line: 'writers.go:118', klog_time: '05-26 17:57:40.412233', part: 'write' },
      },
    },
    {
      line: 'Trace[1418061176]: [26m50.277491693s] [26m50.277491693s] END',
      expect: { continuation: true },
    },
    {
      line: 'W0526 17:57:41.000100    1187 reflector.go:441] failed to list: Get "https://127.0.0.1:6443/api": dial tcp 127.0.0.1:6443: connect: connection refused',
      expect: {
        kind: 'k3s.connection_refused',
        severity: 'warning',
        time: '05-26 17:57:41',
        fields: { level: 'warning', pid: 1187, port: 6443, address: '127.0.0.1' },
      },
    },
    {
      line: 'I0223 20:40:40.123959      17 trace.go:205] Trace[1418061176]: "Get" url:/api/v1/namespaces/x/pods/y/log,client:76.182.85.204 (23-Feb-2021 20:13:49.846) (total time: 1610277ms):',
      expect: {
        kind: 'k3s.slow_request',
        severity: 'info',
        time: '02-23 20:40:40',
        fields: { trace_id: '1418061176', operation: 'Get', total_ms: 1610277 },
      },
    },
  ],
};
