/**
 * Syslog text formats: traditional BSD lines (`May 26 19:44:01 host sshd[123]: msg`, also what
 * `journalctl -o short` / `short-precise` print), RFC 3339 rsyslog / `journalctl -o short-iso`
 * lines, and RFC 5424 lines (`<38>1 2019-07-08T17:40:16.954167-04:00 host sshd 57915 - - msg`).
 *
 * Framing only: the time is returned as found (a year-less BSD stamp stays year-less), and the
 * message goes to the classifier of the program that wrote it.
 */
import { classify } from '../classify/index.js';
import { unwrapRepeated } from '../classify/generic.js';
import type { FormatDescriptor, LineResult, ParsedEvent, RawTime, Severity } from '../types.js';
import { calendarProblem, isoStampProblem, offsetMinutesOf, utcMs } from './iso-calendar.js';
import { isGoContinuationLine, parseIsoInstantUs } from './go-log-records.js';
import { localisedMonth } from './month-names.js';

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
/** The most days a month can have (Feb 29 is valid: the year is the pipeline's to infer). */
const MAX_DAY = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** What the prefix of a syslog line says, before classification. */
export interface SyslogHeader {
  time: RawTime;
  host?: string;
  /** The tag as written (`sshd`, `/sbin/anacron`, `com.canonical.Unity.Scope.Music`). */
  program?: string;
  pid?: number;
  /** The rest of the line after `tag:` (leading blanks removed). */
  message: string;
  /** Whether a `prog:` / `prog[pid]:` tag was found (untagged lines exist: `host lookup failed`). */
  tagged: boolean;
}

/** Microseconds from a fraction of a second of any precision (`123` → 123000, `123456789` → 123456). */
export function fractionToMicros(fraction: string | undefined): number {
  if (!fraction) return 0;
  return Number((fraction + '000000').slice(0, 6));
}

function validClock(month: number, day: number, hour: number, minute: number, second: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= MAX_DAY[month]! && hour <= 23 && minute <= 59 && second <= 60;
}

export const BSD_TIME = /^([A-Za-z]{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|z|[+-]\d{2}(?::?\d{2})?)?/;

/** A BSD stamp with a month word we do not know (`août 19 11:08:37`, plaso's `MMM 22 07:54:32`). */
const FOREIGN_MONTH_TIME = /^([^\s\d]{3,6}\.?) {1,2}\d{1,2} \d{2}:\d{2}:\d{2}[ :.]/u;

/**
 * Parse an RFC 3339 / ISO-8601 stamp at the start of `text`. With an offset or `Z` the instant is
 * exact; without one it is a local wall-clock time that carries its year. Returns the time and the
 * length consumed, or null.
 */
export function parseIsoStamp(text: string): { time: RawTime; length: number } | null {
  const m = ISO_TIME.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number, number, number, number, number, number,
  ];
  const zone = m[8];
  const offsetMinutes = zone === undefined ? null : offsetMinutesOf(zone);
  if (zone !== undefined && offsetMinutes === null) return null;
  // Invalid stamps are not read (isoStampProblem gives the parsers their skip reason).
  if (calendarProblem(year, month, day, hour, minute, second, offsetMinutes) !== null) return null;
  const micro = fractionToMicros(m[7]);
  if (offsetMinutes === null) {
    return { time: { kind: 'local', year, month, day, hour, minute, second, micro }, length: m[0].length };
  }
  const ms = utcMs(year, month, day, hour, minute, second);
  return { time: { kind: 'exact', utcUs: ms * 1000 + micro - offsetMinutes * 60_000_000 }, length: m[0].length };
}

/** Code of an ASCII digit → its value, or -1 (NaN-free arithmetic below). */
function digitAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * BSD_TIME, read by hand: it starts every line of the biggest logs, and the regular expression's
 * match array and the strings it sliced cost more than the reading itself. Same result as
 * `BSD_TIME.exec` followed by the checks (test/formats/syslog-stamp.test.ts compares the two).
 */
export function parseBsdStamp(text: string): { time: RawTime; length: number } | null {
  const c0 = text.charCodeAt(0);
  const c1 = text.charCodeAt(1);
  const c2 = text.charCodeAt(2);
  if (!isAsciiLetter(c0) || !isAsciiLetter(c1) || !isAsciiLetter(c2)) return null;
  // `May  6` (two spaces before a one-digit day) or `May 26`.
  let i = 3;
  if (text.charCodeAt(i) !== 0x20) return null;
  i++;
  if (text.charCodeAt(i) === 0x20) i++;
  const d1 = digitAt(text, i);
  if (d1 < 0) return null;
  i++;
  let day = d1;
  const d2 = digitAt(text, i);
  if (d2 >= 0) {
    day = d1 * 10 + d2;
    i++;
  }
  if (text.charCodeAt(i) !== 0x20) return null;
  i++;
  const h1 = digitAt(text, i), h2 = digitAt(text, i + 1);
  const n1 = digitAt(text, i + 3), n2 = digitAt(text, i + 4);
  const s1 = digitAt(text, i + 6), s2 = digitAt(text, i + 7);
  if (h1 < 0 || h2 < 0 || n1 < 0 || n2 < 0 || s1 < 0 || s2 < 0) return null;
  if (text.charCodeAt(i + 2) !== 0x3a || text.charCodeAt(i + 5) !== 0x3a) return null;
  i += 8;
  const month = MONTHS[text.slice(0, 3).toLowerCase()];
  if (month === undefined) return null;
  const hour = h1 * 10 + h2, minute = n1 * 10 + n2, second = s1 * 10 + s2;
  if (!validClock(month, day, hour, minute, second)) return null;
  let micro = 0;
  if (text.charCodeAt(i) === 0x2e && digitAt(text, i + 1) >= 0) {
    // Up to nine digits of fraction; microseconds are the first six (padded).
    let digits = 0;
    let value = 0;
    i++;
    while (digits < 9) {
      const d = digitAt(text, i);
      if (d < 0) break;
      if (digits < 6) value = value * 10 + d;
      digits++;
      i++;
    }
    for (let k = Math.min(digits, 6); k < 6; k++) value *= 10;
    micro = value;
  }
  return { time: { kind: 'local', year: null, month, day, hour, minute, second, micro }, length: i };
}

const ENGLISH_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A BSD stamp whose month word is another language's (`août 19 11:08:37`: journalctl under a French
 * LC_TIME), read only when the word names exactly one month in the languages month-names.ts knows;
 * otherwise null, as for any line that is not a stamp.
 */
export function parseLocalisedBsdStamp(text: string): { time: RawTime; length: number } | null {
  const m = FOREIGN_MONTH_TIME.exec(text);
  if (!m) return null;
  const word = m[1]!;
  // An English abbreviation here failed parseBsdStamp on its date (`Feb 30`): impossible, not foreign.
  if (MONTHS[word.toLowerCase()] !== undefined) return null;
  const month = localisedMonth(word);
  if (month === undefined) return null;
  const stamp = parseBsdStamp(ENGLISH_MONTHS[month - 1]! + text.slice(word.length));
  return stamp ? { time: stamp.time, length: stamp.length - 3 + word.length } : null;
}

function parseAnyBsdStamp(text: string): { time: RawTime; length: number } | null {
  return parseBsdStamp(text) ?? parseLocalisedBsdStamp(text);
}

const TAG = /^([^\s[\]:]+)(?:\[(\d{1,10})\])?:$/;
/** A host written as a placeholder: `[Redacted]`, `<hostname>`. */
const PLACEHOLDER_HOST = /^(?:\[[^\s[\]]{1,64}\]|<[^\s<>]{1,64}>)$/;
/** fail2ban's corpus has `[sshd]:` and `[sshd]` with no host in front. */
const BRACKET_TAG = /^\[([^\s[\]:]+)\]:?$/;

function parseTag(token: string): { program: string; pid?: number } | null {
  const m = TAG.exec(token) ?? BRACKET_TAG.exec(token);
  if (!m) return null;
  return m[2] !== undefined ? { program: m[1]!, pid: Number(m[2]) } : { program: m[1]! };
}

function firstWord(text: string): { word: string; rest: string } {
  const space = text.indexOf(' ');
  if (space < 0) return { word: text, rest: '' };
  return { word: text.slice(0, space), rest: text.slice(space + 1) };
}

/**
 * After the time: `host tag: msg`, `tag: msg` (no host: kernel lines, fail2ban's `[sshd]:`),
 * `host msg` (no tag), `: msg` (plaso's `Feb 29 01:15:43: ---`), or `--- last message repeated`.
 */
export function parseAfterTime(time: RawTime, rest: string): SyslogHeader | null {
  if (rest.startsWith(':')) return { time, message: rest.slice(1).trimStart(), tagged: false };
  if (!rest.startsWith(' ')) return null;
  const body = rest.slice(1).trimStart();
  if (body === '' || body.startsWith('---')) return { time, message: body, tagged: false };
  const first = firstWord(body);
  const second = firstWord(first.rest);
  const tag = parseTag(second.word);
  // `Dec  4 23:16:08 [Redacted] kernel: …`: a bracketed word followed by a real tag is a host that
  // was blanked out (GitHub issue pastes), not fail2ban's `[sshd]` tag. Such a placeholder names no
  // host, so the file's host applies.
  if (tag && PLACEHOLDER_HOST.test(first.word) && TAG.test(second.word)) {
    return { time, ...tag, message: second.rest.trimStart(), tagged: true };
  }
  const ownTag = parseTag(first.word);
  if (ownTag) return { time, ...ownTag, message: first.rest.trimStart(), tagged: true };
  const host = first.word;
  if (tag) return { time, host, ...tag, message: second.rest.trimStart(), tagged: true };
  return { time, host, message: first.rest.trimStart(), tagged: false };
}

/**
 * Parse the prefix of one syslog line, BSD (`May  6 19:44:01[.123456] host prog[pid]: msg`) or
 * RFC 3339 (`2026-05-26T19:44:01.123456-07:00 host prog[pid]: msg`). Returns null when the line does
 * not start with such a header. The time is as found: BSD stamps are `local` with `year: null`;
 * RFC 3339 stamps are `exact` when they carry an offset, else `local` with their year. A trailing
 * `\r` is removed. Reusable by any format that wraps a syslog prefix (kern.log, journalctl -k).
 */
export function parseSyslogHeader(line: string): SyslogHeader | null {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const stamp = parseBsdStamp(text) ?? parseIsoStamp(text);
  if (!stamp) return null;
  return parseAfterTime(stamp.time, text.slice(stamp.length));
}

const KERNEL_UPTIME = /^\[\s{0,12}(\d{1,10})\.(\d{1,9})\]\s?/;

/** The parts of an event that come from the message rather than the frame. */
export interface FramedMessage {
  source: string;
  kind: string;
  severity: Severity;
  message: string;
  fields: ParsedEvent['fields'];
  repeated?: number;
  uptimeUs?: number;
}

/**
 * Classify a message by its program. Kernel messages lose their embedded `[   54.878462]` uptime
 * stamp (returned as uptimeUs); `message repeated N times: [ msg ]` is unwrapped here for every
 * program (so kernel and k3s classifiers need not know about it) and the inner message classified.
 */
export function frameMessage(program: string | undefined, message: string): FramedMessage {
  const base = program === undefined ? undefined : program.slice(program.lastIndexOf('/') + 1);
  let text = message;
  let uptimeUs: number | undefined;
  if (base?.toLowerCase() === 'kernel') {
    const m = KERNEL_UPTIME.exec(text);
    if (m) {
      uptimeUs = Number(m[1]) * 1_000_000 + fractionToMicros(m[2]);
      text = text.slice(m[0].length);
    }
  }
  const repeated = unwrapRepeated(text);
  const c = classify(base, repeated ? repeated.inner : text);
  const framed: FramedMessage = {
    source: c.source,
    kind: c.kind,
    severity: c.severity,
    message: c.message ?? (repeated ? repeated.inner : text),
    fields: c.fields,
  };
  const count = repeated?.count ?? c.repeated;
  if (count !== undefined) {
    framed.repeated = count;
    framed.fields = { ...c.fields, repeated: count };
  }
  if (uptimeUs !== undefined) framed.uptimeUs = uptimeUs;
  return framed;
}

const LAST_REPEATED = /^-{2,3} ?last message repeated (\d{1,9}) times? ?-{0,3}$/;

/**
 * `--- last message repeated 5 times ---` names no program: it repeats the previous line. We emit
 * one event that copies the previous event's source, kind, message and fields with repeated = N
 * (N further occurrences), so a burst of failed passwords keeps counting as failed passwords.
 * With no previous event it becomes `syslog.repeated`.
 */
function lastMessageRepeated(header: SyslogHeader, count: number, prev: ParsedEvent | null): ParsedEvent {
  const event: ParsedEvent = prev
    ? {
        time: header.time,
        source: prev.source,
        kind: prev.kind,
        severity: prev.severity,
        message: prev.message,
        fields: { ...prev.fields, repeated: count },
        repeated: count,
      }
    : {
        time: header.time,
        source: 'syslog',
        kind: 'syslog.repeated',
        severity: 'info',
        message: header.message,
        fields: { repeated: count },
        repeated: count,
      };
  const host = header.host ?? prev?.host;
  if (host !== undefined) event.host = host;
  if (prev?.program !== undefined) event.program = prev.program;
  if (prev?.pid !== undefined) event.pid = prev.pid;
  return event;
}

/** Build the event for a parsed header (shared by the BSD, RFC 3339 and RFC 5424 descriptors). */
export function eventFromHeader(header: SyslogHeader, prev: ParsedEvent | null): ParsedEvent {
  const repeat = header.tagged ? null : LAST_REPEATED.exec(header.message.trim());
  if (repeat) return lastMessageRepeated(header, Number(repeat[1]), prev);
  const framed = frameMessage(header.program, header.message);
  const event: ParsedEvent = {
    time: header.time,
    source: framed.source,
    kind: framed.kind,
    severity: framed.severity,
    message: framed.message,
    fields: framed.fields,
  };
  if (header.host !== undefined) event.host = header.host;
  if (header.program !== undefined) event.program = header.program;
  if (header.pid !== undefined) event.pid = header.pid;
  if (framed.uptimeUs !== undefined) event.uptimeUs = framed.uptimeUs;
  if (framed.repeated !== undefined) event.repeated = framed.repeated;
  refineSubsecond(event);
  return event;
}

/**
 * klog's clock `MM-DD hh:mm:ss.uuuuuu`, read by hand (a third of a bundle's lines carry one; the
 * regular expression it replaces, /^(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{6})$/, with
 * its match array, was the costliest step of their parse).
 */
export function isKlogClock(s: string): boolean {
  if (s.length !== 21 || s.charCodeAt(2) !== 0x2d || s.charCodeAt(5) !== 0x20 || s.charCodeAt(8) !== 0x3a || s.charCodeAt(11) !== 0x3a || s.charCodeAt(14) !== 0x2e) return false;
  return digitsAt(s, 0, 2) >= 0 && digitsAt(s, 3, 2) >= 0 && digitsAt(s, 6, 2) >= 0 && digitsAt(s, 9, 2) >= 0 && digitsAt(s, 12, 2) >= 0 && digitsAt(s, 15, 6) >= 0;
}

/** The value of n ASCII digits at s[at], or -1 when one is not a digit. */
export function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
// A logrus or zap `record_time`: ISO 8601 with an offset, or zap's epoch seconds.
const RECORD_ISO = /^\d{4}-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:Z|z|[+-]\d{2}(?::?\d{2})?)$/;
const RECORD_EPOCH = /^(\d{9,11})(?:\.(\d{1,9}))?$/;

/** The parts of an embedded record time the framing is compared with. */
interface RecordTime {
  /** Its wall clock in its own offset (null for an epoch). */
  wall: { month: number; day: number; hour: number; minute: number; second: number } | null;
  /** Whole seconds since the epoch (for an ISO stamp, read through its offset). */
  epochSeconds: number;
  micro: number;
  /** Digits of its fraction: the precision of what it adds. */
  digits: number;
}

function recordTime(text: string): RecordTime | null {
  const iso = RECORD_ISO.exec(text);
  if (iso) {
    const us = parseIsoInstantUs(text);
    if (us === null) return null;
    const [month, day, hour, minute, second] = iso.slice(1, 6).map(Number) as [number, number, number, number, number];
    return { wall: { month, day, hour, minute, second }, epochSeconds: Math.floor(us / 1e6), micro: fractionToMicros(iso[6]), digits: iso[6]?.length ?? 0 };
  }
  const epoch = RECORD_EPOCH.exec(text);
  if (epoch) return { wall: null, epochSeconds: Number(epoch[1]), micro: fractionToMicros(epoch[2]), digits: epoch[2]?.length ?? 0 };
  return null;
}

/** The most any zone's offset from UTC has been (Pacific/Kiritimati), and the step all offsets share. */
const MAX_OFFSET_S = 14 * 3600;
const OFFSET_STEP_S = 15 * 60;

/**
 * Does a record time name the framing's second? Against an exact framing, the same epoch second.
 * Against a wall-clock framing (year-less syslog, zone unknown yet), the same wall second; or, when
 * the record wrote its time in another offset (logrus in UTC under a local journal), a difference
 * of whole quarter hours within ±14 h, which only a zone makes.
 */
function namesSameSecond(t: RawTime, r: RecordTime): boolean {
  if (t.kind === 'exact') return r.epochSeconds === Math.floor(t.utcUs / 1e6);
  if (t.kind !== 'local') return false;
  const w = r.wall;
  if (w && w.month === t.month && w.day === t.day && w.hour === t.hour && w.minute === t.minute && w.second === t.second) return true;
  const framed = t.hour * 3600 + t.minute * 60 + t.second;
  const own = w ? w.hour * 3600 + w.minute * 60 + w.second : ((r.epochSeconds % 86400) + 86400) % 86400;
  let diff = (((framed - own) % 86400) + 86400) % 86400;
  if (diff > 43200) diff -= 86400;
  return diff % OFFSET_STEP_S === 0 && Math.abs(diff) <= MAX_OFFSET_S;
}

/**
 * `May 26 17:57:40 host kubelet[1187]: E0526 17:57:40.412233 …`: the journal's stamp has whole
 * seconds, the Go record the fraction. When both name the same second (the framing's precision),
 * the instant keeps the framing's second and takes the record's fraction, and `time_precision_s`
 * says how fine that is (the record's digits). klog's clock is compared as it is written; a logrus
 * or zap `record_time` (it carries an offset) by namesSameSecond. When they disagree beyond the
 * framing's second, the framing's time is kept and `record_time_disagrees` says so.
 */
function refineSubsecond(event: ParsedEvent): void {
  const t = event.time;
  const klog = event.fields.klog_time;
  if (typeof klog === 'string' && isKlogClock(klog)) {
    if (t.kind !== 'local' || t.micro !== 0) return;
    if (digitsAt(klog, 0, 2) === t.month && digitsAt(klog, 3, 2) === t.day && digitsAt(klog, 6, 2) === t.hour && digitsAt(klog, 9, 2) === t.minute && digitsAt(klog, 12, 2) === t.second) {
      event.time = { ...t, micro: digitsAt(klog, 15, 6) };
      // In place: the fields were built for this line by its classifier (a key added last, as a spread would).
      event.fields.time_precision_s = 0.000001;
    }
    return;
  }
  const text = event.fields.record_time;
  if (typeof text !== 'string') return;
  const wholeSecond = t.kind === 'local' ? t.micro === 0 : t.kind === 'exact' ? t.utcUs % 1_000_000 === 0 : false;
  if (!wholeSecond) return;
  const r = recordTime(text);
  if (!r) return;
  if (!namesSameSecond(t, r)) {
    event.fields = { ...event.fields, record_time_disagrees: true };
    return;
  }
  if (r.digits === 0) return;
  if (t.kind === 'exact') event.time = { kind: 'exact', utcUs: t.utcUs + r.micro };
  else if (t.kind === 'local') event.time = { ...t, micro: r.micro };
  event.fields = { ...event.fields, time_precision_s: 10 ** -Math.min(6, r.digits) };
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** journalctl's own lines: `-- Boot 0dc874d3... --`, `-- Logs begin at ... --`, `-- No entries --`. */
const JOURNAL_MARKER = /^-- ((?:Boot|Reboot|Logs begin|Journal begins|No entries)[^\n]{0,200}?) --$/;

/**
 * What to do with a line that has no header: inside a record it continues the previous event (an
 * indented macOS `\tASL Module ...` or rsyslog's unindented wrapped `signature=dbus...`); before
 * any event it is not ours.
 */
function continuationOrNull(line: string, prev: ParsedEvent | null): LineResult | null {
  if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
  const marker = JOURNAL_MARKER.exec(line);
  if (marker) return { type: 'skip', reason: `journalctl marker: ${marker[1]!.slice(0, 80)}` };
  // An unindented line that opens a record of its own (an ISO-stamped or RFC 5424 line, JSON, a
  // dmesg stamp) or a comment is not part of the event before it: it is not ours, so the pipeline
  // can read it with the format it belongs to, or count it as skipped, instead of gluing it on.
  if (OTHER_RECORD_START.test(line)) return null;
  return prev ? { type: 'continuation' } : null;
}

const OTHER_RECORD_START = /^(?:#|\d{4}-\d{2}-\d{2}[T ]\d{2}:|<\d{1,3}>|\{|\[\s*\d+\.\d+\]|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2})/;

/** Parse a line whose header shape has already been recognised as BSD or RFC 3339. */
function parseSyslogLine(
  raw: string,
  prev: ParsedEvent | null,
  stampOf: (text: string) => { time: RawTime; length: number } | null,
): LineResult | null {
  const line = stripCr(raw);
  const stamp = stampOf(line);
  if (!stamp) {
    const problem = stampOf === parseIsoStamp ? isoStampProblem(line) : null;
    return problem ? { type: 'skip', reason: problem } : continuationOrNull(line, prev);
  }
  const header = parseAfterTime(stamp.time, line.slice(stamp.length));
  if (!header) return continuationOrNull(line, prev);
  if (continuesGoRecord(prev, header.program, header.pid, header.message)) return { type: 'continuation' };
  return { type: 'event', event: eventFromHeader(header, prev) };
}

/**
 * A journal or syslog line whose message is a Go record's companion (a klog `Trace[…]` step, a
 * goroutine dump line) from the same program and pid as the Go record before it continues that
 * record, as it does in a plain klog stream.
 */
export function continuesGoRecord(prev: ParsedEvent | null, program: string | undefined, pid: number | undefined, message: string): boolean {
  if (!prev || prev.fields.file_line === undefined || program === undefined || prev.program !== program || prev.pid !== pid) return false;
  return message.startsWith('Trace[') || message.startsWith('goroutine ') || message.startsWith('panic: ') ? isGoContinuationLine(message) : false;
}

/**
 * Share of non-blank head lines that are this format's events; indented lines after an event count
 * as ours (continuations), anything else against.
 */
function detectShare(head: string[], isOurs: (line: string) => boolean): number {
  let seen = 0;
  let ours = 0;
  let inRecord = false;
  for (const raw of head) {
    const line = stripCr(raw);
    if (line.trim() === '') continue;
    seen++;
    if (isOurs(line)) {
      ours++;
      inRecord = true;
    } else if (inRecord && /^\s/.test(line)) {
      ours++;
    }
  }
  return seen === 0 ? 0 : ours / seen;
}

export const syslogBsdFormat: FormatDescriptor = {
  name: 'syslog',
  title: 'BSD syslog / journalctl short (`May 26 19:44:01 host prog[pid]: msg`, no year)',
  detect(head) {
    return detectShare(head, (line) => {
      const stamp = parseAnyBsdStamp(line);
      return stamp !== null && parseAfterTime(stamp.time, line.slice(stamp.length)) !== null;
    });
  },
  parse(raw, prev) {
    const line = stripCr(raw);
    const foreign = parseBsdStamp(line) ? null : FOREIGN_MONTH_TIME.exec(line);
    if (foreign && parseLocalisedBsdStamp(line) !== null) return parseSyslogLine(line, prev, parseAnyBsdStamp);
    if (foreign) {
      // A month word no language names (plaso's `MMM 22 07:54:32`), or one that names different
      // months in two of them, is not read: a guessed month would put the event in the wrong place
      // on the timeline, which is worse than leaving it out.
      const word = foreign[1]!;
      if (MONTHS[word.toLowerCase()] !== undefined || localisedMonth(word) !== undefined) return { type: 'skip', reason: `impossible date or time in "${line.slice(0, 15)}"` };
      return { type: 'skip', reason: `month name "${word.slice(0, 12)}" is not a month corr can read (English, or one month in another language)` };
    }
    return parseSyslogLine(line, prev, parseBsdStamp);
  },
  samples: [
    {
      line: 'May 26 17:18:04 kai-server sshd[4242]: Failed password for invalid user admin from 60.163.139.198 port 51234 ssh2',
      expect: {
        kind: 'sshd.failed_password',
        source: 'sshd',
        severity: 'warning',
        host: 'kai-server',
        time: '05-26 17:18:04',
        fields: { ip: '60.163.139.198', user: 'admin', port: 51234, invalid_user: true, method: 'password' },
      },
    },
    {
      line: 'May  6 09:01:02.250000 kai-server CRON[31051]: (root) CMD (touch /var/run/crond.somecheck)',
      expect: { kind: 'syslog.cron', source: 'syslog', severity: 'info', host: 'kai-server', time: '05-06 09:01:02' },
    },
    {
      line: 'May 26 17:18:04 kai-server kernel: [   54.878462] br-3f2a1b4c5d6e: port 2(veth1a2b3c4) entered blocking state',
      expect: { source: 'kernel', host: 'kai-server', time: '05-26 17:18:04' },
    },
    {
      line: 'Mar  7 18:53:34 bar sshd[1559]: message repeated 3 times: [ Failed password for root from 192.0.2.116 port 52100 ssh2]',
      expect: { kind: 'sshd.failed_password', host: 'bar', fields: { ip: '192.0.2.116', user: 'root', repeated: 3 } },
    },
    {
      line: '\tmany syslog parsers.',
      expect: { continuation: true },
    },
    {
      line: 'Nov 18 08:30:20 kernel: [997.390602] sda2: rw=0, want=65, limit=2',
      expect: { source: 'kernel', time: '11-18 08:30:20' },
    },
    // sshd variants. Old Linux-PAM under `sshd(pam_unix)`: the shape of LogHub's Linux log (Red Hat 9, host `combo`).
    {
      line: 'Jun 15 02:04:59 combo sshd(pam_unix)[20882]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=220-135-151-1.hinet-ip.hinet.net  user=root',
      expect: { kind: 'sshd.pam_auth_failure', severity: 'warning', host: 'combo', fields: { ip: '220-135-151-1.hinet-ip.hinet.net', user: 'root' } },
    },
    // UseDNS's check, as OpenSSH's canohost.c words it.
    {
      line: 'Jun 18 02:08:10 combo sshd[31225]: reverse mapping checking getaddrinfo for 222.12.broadband.example.net [59.61.12.222] failed - POSSIBLE BREAK-IN ATTEMPT!',
      expect: { kind: 'sshd.reverse_mapping', severity: 'warning', fields: { ip: '59.61.12.222', rdns: '222.12.broadband.example.net' } },
    },
    // OpenSSH >= 9.8 logs per connection as `sshd-session` (plaso's syslog_sshd_session.log).
    {
      line: 'Oct  7 11:26:40 ubuntu sshd-session[2617]: Connection closed by authenticating user root 192.168.248.1 port 60274 [preauth]',
      expect: { kind: 'sshd.connection_closed', fields: { ip: '192.168.248.1', user: 'root', port: 60274, preauth: true } },
    },
    {
      line: 'Oct  7 11:27:12 ubuntu sshd[1187]: Timeout before authentication for 192.168.248.1 port 60280',
      expect: { kind: 'sshd.auth_timeout', fields: { ip: '192.168.248.1', port: 60280 } },
    },
    {
      line: 'Oct  7 11:28:01 ubuntu sshd-session[2650]: Disconnecting authenticating user root 203.0.113.50 port 41022: Too many authentication failures [preauth]',
      expect: { kind: 'sshd.max_auth_attempts', severity: 'warning', fields: { ip: '203.0.113.50', user: 'root', port: 41022 } },
    },
    {
      line: 'Oct  7 11:29:44 ubuntu sshd-session[2655]: banner exchange: Connection from 203.0.113.51 port 53124: invalid format',
      expect: { kind: 'sshd.bad_protocol', fields: { ip: '203.0.113.51', port: 53124, reason: 'invalid format' } },
    },
    // klog under any program in journal framing (`journalctl -u kubelet`): level, pid, file:line, and
    // the klog microseconds refine the journal's whole second.
    {
      line: 'May 26 17:57:40 kai-server kubelet[2211]: E0526 17:57:40.412233    2211 kubelet.go:2855] "Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady"',
      expect: { kind: 'k3s.other', source: 'k3s', severity: 'error', fields: { level: 'error', pid: 2211, file_line: 'kubelet.go:2855', klog_time: '05-26 17:57:40.412233' } },
    },
    {
      line: 'May 26 17:57:42 kai-server containerd[900]: time="2026-05-26T17:57:42.123456789-07:00" level=error msg="failed to reserve sandbox name"',
      // The journal's whole second, refined by logrus' own fraction (the same wall second).
      expect: { source: 'k3s', severity: 'error', fields: { level: 'error', record_time: '2026-05-26T17:57:42.123456789-07:00', time_precision_s: 0.000001 } },
    },
    {
      // Any other Go program keeps its own kind, with the klog header's fields.
      line: 'May 26 17:57:45 kai-server coredns[77]: W0526 17:57:45.500000       1 reflector.go:324] failed to list *v1.Service',
      expect: { kind: 'syslog.coredns', source: 'syslog', severity: 'warning', fields: { level: 'warning', file_line: 'reflector.go:324' } },
    },
    {
      line: 'May 26 17:57:44 kai-server k3s[1187]: I0526 17:57:44.123959    1187 trace.go:205] Trace[1418061176]: "Get" url:/api/v1/namespaces/x/pods/y/log (26-May-2026 17:57:40.846) (total time: 3277ms):',
      expect: { kind: 'k3s.slow_request', fields: { trace_id: '1418061176', total_ms: 3277 } },
    },
    {
      // A Trace step of the same program and pid continues the record, as in plain klog.
      line: 'May 26 17:57:44 kai-server k3s[1187]: Trace[1418061176]: ---"Transformed response object" 3270ms (17:57:44.123)',
      expect: { continuation: true },
    },
    // A host blanked out before pasting (the shape of #13's report): the program is kernel, the host the file's.
    {
      line: 'Dec  4 23:16:08 [Redacted] kernel: [ 4011.541293] docker0: port 1(veth7c1e2f3) entered forwarding state',
      expect: { kind: 'kernel.bridge_state', source: 'kernel', fields: { bridge: 'docker0', state: 'forwarding' } },
    },
  ],
};

export const syslogRfc3339Format: FormatDescriptor = {
  name: 'syslog-rfc3339',
  title: 'RFC 3339 syslog / journalctl short-iso (`2026-05-26T19:44:01.123456-07:00 host prog[pid]: msg`)',
  detect(head) {
    // A tag is required: an ISO stamp followed by words is also how probe logs and many apps write.
    // A comma before the fraction is `dmesg --time-format iso`'s; RFC 3339 writes a dot.
    return detectShare(head, (line) => line.charCodeAt(19) !== 0x2c && parseSyslogHeaderIso(line)?.tagged === true);
  },
  parse(raw, prev) {
    return parseSyslogLine(raw, prev, parseIsoStamp);
  },
  samples: [
    {
      line: '2026-05-26T19:44:01.123456-07:00 kai-server sshd[123]: Accepted publickey for kai from 100.64.0.7 port 50522 ssh2: ED25519 SHA256:abc',
      expect: {
        kind: 'sshd.accepted',
        severity: 'notice',
        host: 'kai-server',
        time: '2026-05-27T02:44:01.123Z',
        fields: { ip: '100.64.0.7', user: 'kai', port: 50522, method: 'publickey' },
      },
    },
    {
      line: '2026-05-27T00:18:04+0000 kai-server systemd-logind[812]: New session 12 of user kai.',
      expect: { kind: 'syslog.systemd_logind', source: 'syslog', host: 'kai-server', time: '2026-05-27T00:18:04.000Z' },
    },
    {
      line: '2020-05-31T00:00:45 localhost rsyslogd:  message repeated 76 times: [-- MARK --]',
      expect: { kind: 'syslog.rsyslogd', time: '2020-05-31 00:00:45', fields: { repeated: 76 } },
    },
    {
      // journalctl -o short-iso (whole seconds) around etcd's zap record, whose `ts` has milliseconds.
      line: '2026-05-27T00:57:45+0000 kai-server etcd[1000]: {"level":"warn","ts":"2026-05-27T00:57:45.069Z","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"1.203s"}',
      expect: { source: 'k3s', severity: 'warning', time: '2026-05-27T00:57:45.069Z', fields: { record_time: '2026-05-27T00:57:45.069Z', time_precision_s: 0.001 } },
    },
  ],
};

function parseSyslogHeaderIso(line: string): SyslogHeader | null {
  const stamp = parseIsoStamp(line);
  return stamp ? parseAfterTime(stamp.time, line.slice(stamp.length)) : null;
}

const RFC5424_HEAD = /^<(\d{1,3})>1 (\S{1,64}) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) /;

/** Skip RFC 5424 STRUCTURED-DATA (`-` or `[id k="v"]...`, values may hold `]` inside quotes). */
function skipStructuredData(text: string): number | null {
  if (text.startsWith('-')) return 1;
  let i = 0;
  while (text[i] === '[') {
    let inQuotes = false;
    i++;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (inQuotes && ch === '\\') i++;
      else if (ch === '"') inQuotes = !inQuotes;
      else if (ch === ']' && !inQuotes) break;
    }
    if (i >= text.length) return null;
    i++;
  }
  return i === 0 ? null : i;
}

const PRIORITY_SEVERITY: Severity[] = ['critical', 'critical', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];

/** Severity from a syslog priority number (PRI % 8, or journal PRIORITY 0-7). */
export function severityFromPriority(priority: number): Severity {
  return PRIORITY_SEVERITY[priority & 7]!;
}

export const syslogRfc5424Format: FormatDescriptor = {
  name: 'syslog-rfc5424',
  title: 'RFC 5424 syslog (`<38>1 2019-07-08T17:40:16.954167-04:00 host app procid msgid [sd] msg`)',
  detect(head) {
    return detectShare(head, (line) => RFC5424_HEAD.test(line));
  },
  parse(raw, prev) {
    const line = stripCr(raw);
    const m = RFC5424_HEAD.exec(line);
    if (!m) return continuationOrNull(line, prev);
    const stamp = m[2] === '-' ? null : parseIsoStamp(m[2]!);
    if (m[2] !== '-' && (!stamp || stamp.length !== m[2]!.length)) return { type: 'skip', reason: isoStampProblem(m[2]!) ?? 'unreadable RFC 5424 timestamp' };
    const after = line.slice(m[0].length);
    const sd = skipStructuredData(after);
    if (sd === null) return { type: 'skip', reason: 'unterminated RFC 5424 structured data' };
    const message = after.slice(sd).replace(/^ ?\uFEFF?/, '');
    const header: SyslogHeader = { time: stamp ? stamp.time : { kind: 'none' }, message, tagged: m[4] !== '-' };
    if (m[3] !== '-') header.host = m[3]!;
    if (m[4] !== '-') header.program = m[4]!;
    if (/^\d{1,10}$/.test(m[5]!)) header.pid = Number(m[5]);
    const event = eventFromHeader(header, prev);
    // A generic program has no opinion of its own; the sender's priority is the better word.
    if (event.source === 'syslog') event.severity = severityFromPriority(Number(m[1]));
    return { type: 'event', event };
  },
  samples: [
    {
      line: '<38>1 2019-07-08T17:40:16.954167-04:00 hostname.example.com sshd 57915 - - Failed unknown for invalid user redmond from 192.0.2.1 port 59197 ssh2',
      expect: {
        kind: 'sshd.failed_other',
        host: 'hostname.example.com',
        time: '2019-07-08T21:40:16.954Z',
        fields: { ip: '192.0.2.1', user: 'redmond', port: 59197, invalid_user: true, method: 'unknown' },
      },
    },
  ],
};
