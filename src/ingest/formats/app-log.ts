/**
 * Application logs with an ISO-like stamp and a level, as Python's logging, log4j/logback, Spring
 * Boot and most Java and Go services write them:
 * `2026-05-26 17:18:04,123 INFO [main] app started` (log4j), `2026-05-26 17:18:04,123 - app - ERROR -
 * msg` (Python's `%(asctime)s - %(name)s - %(levelname)s - %(message)s`), `2026-05-26 17:18:04.123
 * INFO 1234 --- [main] o.s.Class : msg` (Spring Boot), `2026-05-26T17:18:04 WARN ...`.
 *
 * The stamp usually names no zone: it is a local wall-clock time that carries its year, returned as
 * such (`kind: 'local'`) so the refiners assume the zone and record it exactly as for a zoneless
 * RFC 3339 syslog line (src/ingest/refiners.ts, src/time/). With `Z` or an offset it is exact.
 *
 * The level is the first word after the stamp that is a level (`INFO`, `[ERROR]`, `warn:`), with at
 * most three header words before it (a thread `[main]`, a pid, a logger name, `-`); a word ending in
 * `:` before it is a syslog tag, and such a line is left to the syslog formats. Lines without a stamp
 * after a record (a Java stack trace, a Python traceback) continue it.
 */
import type { FormatDescriptor, LineResult, ParsedEvent, RawTime, Severity } from '../types.js';
import { parseIsoStamp } from './syslog.js';
import { isoStampProblem } from './iso-calendar.js';
import { shareOfLines, stripCarriageReturn, type LineVerdict } from './line-share.js';

const LEVELS: Record<string, Severity> = {
  TRACE: 'debug', DEBUG: 'debug', FINE: 'debug', FINER: 'debug', FINEST: 'debug',
  INFO: 'info', NOTICE: 'notice',
  WARN: 'warning', WARNING: 'warning',
  ERROR: 'error', ERR: 'error', SEVERE: 'error',
  CRITICAL: 'critical', CRIT: 'critical', FATAL: 'critical', ALERT: 'critical', EMERG: 'critical', PANIC: 'critical',
};

/** The most words between the stamp and the level, and the longest such word. */
const MAX_HEADER_WORDS = 3;
const MAX_WORD = 80;
const STAMP_START = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/;

export interface AppRecord {
  time: RawTime;
  severity: Severity;
  levelText: string;
  message: string;
}

/** A word as a level: `INFO`, `info`, `[INFO]`, `<info>`, `INFO:`; null otherwise. */
function levelOf(word: string): { severity: Severity; text: string } | null {
  let w = word;
  if (w.endsWith(':')) w = w.slice(0, -1);
  if ((w.startsWith('[') && w.endsWith(']')) || (w.startsWith('<') && w.endsWith('>'))) w = w.slice(1, -1);
  if (w.length < 3 || w.length > 8) return null;
  const upper = w.toUpperCase();
  if (w !== upper && w !== w.toLowerCase()) return null;
  const severity = LEVELS[upper];
  return severity ? { severity, text: upper } : null;
}

/** The stamp at the start of the line, space or `T` between date and clock, `,` or `.` before the fraction. */
function readStamp(line: string): { time: RawTime; length: number } | null {
  if (!STAMP_START.test(line)) return null;
  const text = line.charCodeAt(10) === 0x20 ? `${line.slice(0, 10)}T${line.slice(11, 48)}` : line.slice(0, 48);
  const stamp = parseIsoStamp(text);
  if (!stamp || line.charCodeAt(stamp.length) !== 0x20) return null;
  return stamp;
}

export function readAppRecord(line: string): AppRecord | null {
  const stamp = readStamp(line);
  if (!stamp) return null;
  let i = stamp.length;
  for (let words = 0; words <= MAX_HEADER_WORDS; words++) {
    while (line.charCodeAt(i) === 0x20) i++;
    let end = line.indexOf(' ', i);
    if (end < 0) end = line.length;
    if (end - i > MAX_WORD || end === i) return null;
    const word = line.slice(i, end);
    const level = levelOf(word);
    if (level) {
      const message = line.slice(end).replace(/^ {1,64}(?:[-:|] {1,64})?/, '');
      return { time: stamp.time, severity: level.severity, levelText: level.text, message };
    }
    // A syslog tag (`sshd[1]:`, `kernel:`) before any level: a syslog line, not an application's.
    if (word.endsWith(':') && word !== ':') return null;
    i = end;
  }
  return null;
}

const OTHER_RECORD_START = /^(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:|<\d{1,3}>|\{"|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2})/;

/** What follows a record without a stamp of its own: a stack trace, a traceback, a wrapped message. */
function isCompanion(line: string): boolean {
  return /^\s/.test(line) || line.startsWith('Caused by: ') || line.startsWith('Traceback (most recent call last):') || /^[\w$.]{1,200}(?:Exception|Error)\b/.test(line);
}

export function parseAppLine(raw: string, prev: ParsedEvent | null): LineResult | null {
  const line = stripCarriageReturn(raw);
  const record = readAppRecord(line);
  if (record) {
    return {
      type: 'event',
      event: { time: record.time, source: 'app', kind: 'app.message', severity: record.severity, message: record.message, fields: { level: record.severity, level_text: record.levelText } },
    };
  }
  if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
  if (STAMP_START.test(line)) {
    const problem = isoStampProblem(line.charCodeAt(10) === 0x20 ? `${line.slice(0, 10)}T${line.slice(11, 48)}` : line);
    if (problem) return { type: 'skip', reason: problem };
  }
  if (OTHER_RECORD_START.test(line)) return null;
  return prev ? { type: 'continuation' } : null;
}

function judge(line: string): LineVerdict {
  if (readAppRecord(line)) return 'record';
  return isCompanion(line) ? 'companion' : 'foreign';
}

export const appLogFormat: FormatDescriptor = {
  name: 'app-log',
  title: 'application logs with a local ISO stamp and a level (Python logging, log4j, Spring Boot: `2026-05-26 17:18:04,123 INFO [main] msg`)',
  detect: (head) => shareOfLines(head, judge),
  parse: parseAppLine,
  samples: [
    // lnav's java_log samples (tstack/lnav src/formats/java_log.json): jetty under log4j, a thread before the level.
    {
      line: '2024-04-23 09:17:27,871 INFO  [main] server.Server: jetty-9.4.50.v20221201; built: 2022-12-01T22:07:03.915Z; git: da9a0b30691a45daf90a9f17b5defa2f1434f882; jvm 11.0.21+9-LTS',
      expect: { kind: 'app.message', source: 'app', severity: 'info', time: '2024-04-23 09:17:27', fields: { level: 'info', level_text: 'INFO' } },
    },
    {
      line: '2015-05-22 16:10:00,123 [DefaultQuartzScheduler_Worker-5] INFO  com.redhat.rhn.taskomatic.task.ErrataCacheTask  - In the queue: 24',
      expect: { kind: 'app.message', severity: 'info', time: '2015-05-22 16:10:00' },
    },
    // Python's logging with its documented `%(asctime)s - %(name)s - %(levelname)s - %(message)s`.
    {
      line: '2026-05-26 17:18:04,123 - worker - ERROR - Failed to connect to redis://10.43.12.7:6379: Connection refused',
      expect: { kind: 'app.message', severity: 'error', time: '2026-05-26 17:18:04', fields: { level: 'error', level_text: 'ERROR' } },
    },
    {
      line: 'Traceback (most recent call last):',
      expect: { continuation: true },
    },
    // Spring Boot's default console pattern.
    {
      line: '2026-05-26 17:18:04.123  WARN 1 --- [           main] o.s.b.a.jdbc.DataSourceHealthIndicator  : DataSource health check failed',
      expect: { kind: 'app.message', severity: 'warning', time: '2026-05-26 17:18:04' },
    },
    // With an offset the instant is exact.
    {
      line: '2026-05-26 17:18:04.500+02:00 WARN  [http-nio-8080-exec-3] c.e.PaymentClient - payment gateway timed out after 30s',
      expect: { kind: 'app.message', severity: 'warning', time: '2026-05-26T15:18:04.500Z' },
    },
  ],
};
