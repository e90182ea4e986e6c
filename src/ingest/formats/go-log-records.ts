/**
 * The record headers Go programs (k3s, kube-apiserver, etcd, containerd, dockerd) write: klog/glog,
 * logrus key=value, logrus terminal, and zap JSON. Pure text → structure, no classification, so that
 * both the format descriptors (which frame whole lines) and the k3s classifier (which meets the same
 * headers inside journal/syslog messages) share one reading of each header.
 *
 * Times are returned as found: klog has no year and no zone (local); logrus and zap carry an offset
 * (exact). Zones are never guessed here.
 */
import type { Fields, RawTime, Severity } from '../types.js';
import { calendarProblem, offsetMinutesOf, utcMs } from './iso-calendar.js';
import { parseJsonObject } from './json-object.js';

export interface GoLogRecord {
  style: 'klog' | 'logrus' | 'logrus-tty' | 'zap';
  severity: Severity;
  /** The level as written: `E`, `error`, `ERRO`, `warn`. */
  levelText: string;
  /** null when the record's time could not be read (logrus TTY `INFO[0000]` counts seconds since start). */
  time: RawTime | null;
  pid?: number;
  /** klog `writers.go:118`, zap `caller`. */
  fileLine?: string;
  /** klog only: the klog clock as text, `05-26 17:57:40.412233`. */
  clockText?: string;
  /** logrus and zap: the record's time as written (`2026-05-26T17:57:42.123456789-07:00`, `1779843460.5`). */
  timeText?: string;
  /** The message without the header. */
  body: string;
  /** Extra key=value pairs (logrus) or scalar JSON keys (zap), bounded in number and size. */
  extra: Fields;
}

const MAX_EXTRA_FIELDS = 16;
const MAX_FIELD_CHARS = 256;
const MAX_PAIRS_READ = 256;

// ---------------------------------------------------------------------------------------------
// Instants with offsets

// `2026-05-26T17:18:04,123456-07:00` (dmesg iso, comma), `2023-11-27T11:44:06.069-0800` (zap, no colon),
// `2019-01-22T15:16:19.908493986-07:00` (logrus, nanoseconds), `2022-10-09T21:33:15.541012931Z`.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|z|[+-]\d{2}(?::?\d{2})?)$/;

/** Microseconds since the epoch of an ISO-8601 instant that names its offset; null without one or when invalid. */
export function parseIsoInstantUs(text: string): number | null {
  const m = ISO_INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offset = offsetMinutesOf(m[8]!);
  if (offset === null || calendarProblem(year, month, day, hour, minute, second, offset) !== null) return null;
  const ms = utcMs(year, month, day, hour, minute, second);
  const micro = fractionToMicros(m[7] ?? '');
  return ms * 1000 + micro - offset * 60_000_000;
}

/** `123` → 123000 µs, `908493986` → 908493 µs (nanoseconds are truncated to microseconds). */
export function fractionToMicros(fraction: string): number {
  if (fraction === '') return 0;
  return Number(fraction.slice(0, 6).padEnd(6, '0'));
}


// ---------------------------------------------------------------------------------------------
// klog / glog: `E0526 17:57:40.412233    1187 writers.go:118] msg`

const KLOG_HEADER = /^([IWEF])(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{6}) {1,16}(\d{1,10}) ([^\s\]]{1,256})\] ?/;

const KLOG_SEVERITY: Record<string, Severity> = { I: 'info', W: 'warning', E: 'error', F: 'critical' };

export function parseKlog(text: string): GoLogRecord | null {
  const m = KLOG_HEADER.exec(text);
  if (!m) return null;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  return {
    style: 'klog',
    severity: KLOG_SEVERITY[m[1]!]!,
    levelText: m[1]!,
    time: { kind: 'local', year: null, month, day, hour, minute, second, micro: Number(m[7]) },
    pid: Number(m[8]),
    fileLine: m[9]!,
    clockText: `${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}.${m[7]}`,
    body: text.slice(m[0].length),
    extra: {},
  };
}

// ---------------------------------------------------------------------------------------------
// logrus

const LOGRUS_SEVERITY: Record<string, Severity> = {
  panic: 'critical',
  fatal: 'critical',
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  info: 'info',
  debug: 'debug',
  trace: 'debug',
};

/** One `key=value` or `key="quoted \"value\""` pair; quoted values allow backslash escapes. */
const KV_PAIR = /([^\s="]{1,64})=("(?:[^"\\]|\\.)*"|[^\s"]*)/y;

function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  const inner = value.slice(1, -1);
  return inner.replace(/\\(.)/g, (_all, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch));
}

/**
 * Every key=value pair of a logrus line, left to right (keys may hold odd characters:
 * `graphdriver(s)=overlay2`). A token that is no pair is passed over up to the next space.
 */
function keyValuePairs(text: string): Map<string, string> {
  const pairs = new Map<string, string>();
  let at = 0;
  let seen = 0;
  // logrus writes time, level and msg first; a line of thousands of tokens is not worth reading to the end.
  while (at < text.length && seen < MAX_PAIRS_READ) {
    if (text[at] === ' ') {
      at += 1;
      continue;
    }
    KV_PAIR.lastIndex = at;
    const m = KV_PAIR.exec(text);
    if (!m) {
      const space = text.indexOf(' ', at);
      at = space === -1 ? text.length : space;
      seen += 1;
      continue;
    }
    if (!pairs.has(m[1]!)) pairs.set(m[1]!, unquote(m[2]!));
    at = KV_PAIR.lastIndex;
    seen += 1;
  }
  return pairs;
}

function boundedExtra(entries: Iterable<[string, string | number | boolean]>, skip: Set<string>): Fields {
  const extra: Fields = {};
  let count = 0;
  for (const [key, value] of entries) {
    if (skip.has(key) || count >= MAX_EXTRA_FIELDS) continue;
    extra[key] = typeof value === 'string' ? value.slice(0, MAX_FIELD_CHARS) : value;
    count += 1;
  }
  return extra;
}

/** `time="2026-05-26T17:57:40-07:00" level=info msg="..." key=value`. */
export function parseLogrusKeyValue(text: string): GoLogRecord | null {
  if (!text.startsWith('time=')) return null;
  const pairs = keyValuePairs(text);
  const timeText = pairs.get('time');
  const levelText = pairs.get('level');
  if (timeText === undefined || levelText === undefined) return null;
  const severity = LOGRUS_SEVERITY[levelText.toLowerCase()];
  if (!severity) return null;
  const utcUs = parseIsoInstantUs(timeText);
  return {
    style: 'logrus',
    severity,
    levelText,
    time: utcUs === null ? null : { kind: 'exact', utcUs },
    ...(utcUs === null ? {} : { timeText }),
    body: pairs.get('msg') ?? '',
    extra: boundedExtra(pairs, new Set(['time', 'level', 'msg'])),
  };
}

const LOGRUS_TTY = /^(PANI|FATA|ERRO|WARN|INFO|DEBU|TRAC)\[([^\]]{1,64})\] ?/;
const TTY_LEVEL: Record<string, Severity> = {
  PANI: 'critical',
  FATA: 'critical',
  ERRO: 'error',
  WARN: 'warning',
  INFO: 'info',
  DEBU: 'debug',
  TRAC: 'debug',
};

/**
 * `INFO[2019-01-22T15:16:19.908493986-07:00] msg   key=value`. With logrus' default terminal settings
 * the bracket holds seconds since the process started (`INFO[0000]`): that is no clock, so time is null.
 */
export function parseLogrusTty(text: string): GoLogRecord | null {
  const m = LOGRUS_TTY.exec(text);
  if (!m) return null;
  const stamp = m[2]!;
  const utcUs = parseIsoInstantUs(stamp);
  if (utcUs === null && !/^\d{1,10}$/.test(stamp)) return null;
  // logrus pads the message to 44 columns before the key=value pairs; trailing spaces are padding.
  return {
    style: 'logrus-tty',
    severity: TTY_LEVEL[m[1]!]!,
    levelText: m[1]!,
    time: utcUs === null ? null : { kind: 'exact', utcUs },
    body: text.slice(m[0].length).trimEnd(),
    extra: {},
  };
}

// ---------------------------------------------------------------------------------------------
// zap JSON (etcd, embedded etcd in k3s): {"level":"warn","ts":"2023-11-27T11:44:06.069-0800","caller":"...","msg":"..."}

const ZAP_SEVERITY: Record<string, Severity> = {
  fatal: 'critical',
  panic: 'critical',
  dpanic: 'critical',
  error: 'error',
  warn: 'warning',
  warning: 'warning',
  info: 'info',
  debug: 'debug',
};

export function parseZapJson(text: string): GoLogRecord | null {
  if (!text.startsWith('{') || !text.includes('"level"') || !text.includes('"ts"')) return null;
  const record = parseJsonObject(text);
  if (record === null) return null;
  const levelText = record['level'];
  const ts = record['ts'];
  if (typeof levelText !== 'string') return null;
  const severity = ZAP_SEVERITY[levelText.toLowerCase()];
  if (!severity) return null;
  let time: RawTime | null = null;
  if (typeof ts === 'string') {
    const utcUs = parseIsoInstantUs(ts);
    if (utcUs === null) return null;
    time = { kind: 'exact', utcUs };
  } else if (typeof ts === 'number' && Number.isFinite(ts)) {
    // zap's production encoder writes epoch seconds as a float.
    time = { kind: 'exact', utcUs: Math.round(ts * 1_000_000) };
  } else {
    return null;
  }
  const scalars: [string, string | number | boolean][] = [];
  for (const [key, v] of Object.entries(record)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') scalars.push([key, v]);
  }
  const caller = record['caller'];
  const msg = record['msg'];
  return {
    style: 'zap',
    severity,
    levelText,
    time,
    timeText: String(ts),
    ...(typeof caller === 'string' ? { fileLine: caller.slice(0, MAX_FIELD_CHARS) } : {}),
    body: typeof msg === 'string' ? msg : '',
    extra: boundedExtra(scalars, new Set(['level', 'ts', 'caller', 'msg'])),
  };
}

/** Whichever Go header the text starts with, or null. */
export function parseGoLogRecord(text: string): GoLogRecord | null {
  return parseKlog(text) ?? parseLogrusKeyValue(text) ?? parseLogrusTty(text) ?? parseZapJson(text);
}

// ---------------------------------------------------------------------------------------------
// Lines that continue the record before them

const GOROUTINE = /^goroutine \d{1,12} \[[^\]]{1,128}\]:$/;
// A Go stack frame's function line: `k8s.io/apiserver/pkg/server.(*Handler).ServeHTTP(0xc000123, ...)`, `main.main()`.
const GO_FRAME_START = /^[\w./*()\[\]-]{1,512}\(/;

/**
 * Lines a Go process writes inside one record: klog `Trace[...]` steps, panics and goroutine dumps,
 * tab-indented frames, `Flag --x has been deprecated` warnings from the flag parser.
 */
export function isGoContinuationLine(line: string): boolean {
  if (line.startsWith('Trace[')) return /^Trace\[\d{1,20}\]:/.test(line);
  if (line.startsWith('\t') || line.startsWith('  ')) return true;
  if (line.startsWith('goroutine ')) return GOROUTINE.test(line);
  if (line.startsWith('panic: ') || line.startsWith('fatal error: ') || line.startsWith('created by ')) return true;
  if (line.startsWith('[signal ') || line.startsWith('Flag --')) return true;
  return line.endsWith(')') && line.length <= 4096 && GO_FRAME_START.test(line);
}
