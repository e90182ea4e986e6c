/**
 * `journalctl -o json`: one JSON object per line. The instant is `__REALTIME_TIMESTAMP`
 * (microseconds since the epoch, as a string), so times are exact; kernel records may also carry
 * `_SOURCE_MONOTONIC_TIMESTAMP` (microseconds since boot), which anchors boots.
 */
import { shareOfLines } from './line-share.js';
import type { FormatDescriptor, LineResult, ParsedEvent } from '../types.js';
import { continuesGoRecord, frameMessage, severityFromPriority } from './syslog.js';
import { parseJsonObject } from './json-object.js';

export type JournalRecord = Record<string, unknown>;

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Parse a line as a journal record; null when it is not a JSON object with `__REALTIME_TIMESTAMP`. */
function readRecord(line: string): JournalRecord | null {
  const text = line.trim();
  // Cheap filter before JSON.parse: detection runs this on every head line of every section.
  if (!text.startsWith('{') || !text.includes('"__REALTIME_TIMESTAMP"')) return null;
  const value = parseJsonObject(text);
  if (value === null) return null;
  return value as unknown as JournalRecord;
}

/** Journal numbers are strings (`"184"`); accept plain numbers too. */
export function integerField(record: JournalRecord, key: string): number | undefined {
  const v = record[key];
  const text = typeof v === 'number' ? String(v) : v;
  if (typeof text !== 'string' || !/^\d{1,17}$/.test(text)) return undefined;
  return Number(text);
}

function stringField(record: JournalRecord, key: string): string | undefined {
  const v = record[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * MESSAGE is a string, or an array of byte values when it is not valid UTF-8 (journalctl's way of
 * keeping binary data); decode the bytes leniently, as the terminal would show them.
 */
function messageOf(record: JournalRecord): string | null {
  const m = record.MESSAGE;
  if (typeof m === 'string') return m;
  if (Array.isArray(m) && m.every((b) => typeof b === 'number' && b >= 0 && b <= 255)) {
    return Buffer.from(m as number[]).toString('utf8');
  }
  return null;
}

function isKernelRecord(record: JournalRecord, program: string | undefined): boolean {
  return record._TRANSPORT === 'kernel' || program === 'kernel';
}

export function parseJournalJson(raw: string, prev: ParsedEvent | null): LineResult | null {
  const record = readRecord(stripCr(raw));
  if (!record) return null;
  return journalRecordEvent(record, prev);
}

/**
 * One journal entry (its fields as journalctl names them) as an event: shared by `-o json` (one
 * object per line) and `-o export` (one `KEY=value` line per field). `partial`: the entry is still
 * being read (export), so a missing MESSAGE is not yet a reason to skip it.
 */
export function journalRecordEvent(record: JournalRecord, prev: ParsedEvent | null, partial = false): LineResult {
  const realtime = integerField(record, '__REALTIME_TIMESTAMP');
  if (realtime === undefined) return { type: 'skip', reason: 'journal record without a readable __REALTIME_TIMESTAMP' };
  const message = messageOf(record) ?? (partial ? '' : null);
  if (message === null) return { type: 'skip', reason: 'journal record without MESSAGE' };
  const program = stringField(record, 'SYSLOG_IDENTIFIER') ?? stringField(record, '_COMM');
  if (!partial && continuesGoRecord(prev, program, integerField(record, '_PID') ?? integerField(record, 'SYSLOG_PID'), message)) return { type: 'continuation' };
  // journald stores kernel messages without the `[ t ]` stamp, so frame them as a bare message.
  const framed = frameMessage(program, message);
  const event: ParsedEvent = {
    time: { kind: 'exact', utcUs: realtime },
    source: framed.source,
    kind: framed.kind,
    severity: framed.severity,
    message: framed.message,
    fields: framed.fields,
  };
  const priority = integerField(record, 'PRIORITY');
  // PRIORITY is the sender's own level; it speaks for programs no classifier understands. A
  // classifier that recognised the message (sshd failure = warning) knows better than `info`.
  if (priority !== undefined && priority <= 7 && (framed.source === 'syslog' || framed.kind.endsWith('.other'))) {
    event.severity = severityFromPriority(priority);
  }
  const host = stringField(record, '_HOSTNAME');
  if (host !== undefined) event.host = host;
  if (program !== undefined) event.program = program;
  const pid = integerField(record, '_PID') ?? integerField(record, 'SYSLOG_PID');
  if (pid !== undefined) event.pid = pid;
  if (framed.repeated !== undefined) event.repeated = framed.repeated;
  const monotonic = integerField(record, '_SOURCE_MONOTONIC_TIMESTAMP');
  if (isKernelRecord(record, program) && monotonic !== undefined) event.uptimeUs = monotonic;
  else if (framed.uptimeUs !== undefined) event.uptimeUs = framed.uptimeUs;
  return { type: 'event', event };
}

export const journalJsonFormat: FormatDescriptor = {
  name: 'journal-json',
  title: 'journalctl -o json (one JSON object per line, __REALTIME_TIMESTAMP in µs)',
  detect: (head) => shareOfLines(head, (line) => (readRecord(line) ? 'record' : 'foreign')),
  parse: parseJournalJson,
  samples: [
    {
      line: '{"__REALTIME_TIMESTAMP":"1779851884000000","_HOSTNAME":"kai-server","SYSLOG_IDENTIFIER":"sshd","_PID":"4242","PRIORITY":"6","MESSAGE":"Failed password for root from 60.163.139.198 port 40022 ssh2"}',
      expect: {
        kind: 'sshd.failed_password',
        source: 'sshd',
        severity: 'warning',
        host: 'kai-server',
        time: '2026-05-27T03:18:04.000Z',
        fields: { ip: '60.163.139.198', user: 'root', port: 40022 },
      },
    },
    {
      line: '{ "__REALTIME_TIMESTAMP" : "1534860261221373", "PRIORITY" : "1", "_HOSTNAME" : "imx6ul-medusa", "SYSLOG_IDENTIFIER" : "python", "_PID" : "184", "_COMM" : "python", "MESSAGE" : "GPS Reference longitude: 7.358143333" }',
      expect: { kind: 'syslog.python', source: 'syslog', severity: 'critical', host: 'imx6ul-medusa', time: '2018-08-21T14:04:21.221Z' },
    },
  ],
};
