/**
 * Probe logs: any home-made monitor whose records say when, about what, and whether it answered.
 * One descriptor reads records by what their fields mean, not by their names:
 *   time      ts, time, timestamp, @timestamp, date, datetime (ISO-8601 with a zone, or epoch s/ms)
 *   target    target, host, hostname, node, instance, endpoint, url, addr, address, server, service
 *   outcome   outcome, state, status, result, health (ok/up/alive/true/success versus
 *             fail/down/dead/false/timeout/error), booleans ok/up/alive/success/healthy/reachable,
 *             else exit/rc (0 up, non-zero down)
 *   exit      exit, rc, exit_code, exitcode, returncode, exit_status  → field `exit`
 *   latency   latency_ms, latency, ms, rtt, time_ms, duration_ms, elapsed, took, response_time
 *             (`12ms`, `0.2s`, bare numbers are milliseconds) → field `latency_ms`
 *   error     err, error, error_message, errmsg, reason, detail → field `err`
 * in four shapes: JSON lines, CSV (or TSV) with a header, logfmt, and plain text
 * (`2026-05-27T04:41:12Z kai-server up 12ms`), plus transition logs (`alive -> dead`).
 * Shapes come from: the seed incident's host-watch.sh (`alive -> dead (exit=1, err="…")`), `corr
 * probe` (#20: `{"ts","target","check","outcome","latency_ms","error","seen","digest","version"}`),
 * and the usual uptime-checker exports (`timestamp,target,result,ms`).
 *
 * Kinds: probe.transition (an edge: stated `from → to`, or a poll whose state differs from the
 * target's previous poll — then `interval_s` is the time since that poll, the edge's uncertainty),
 * probe.state (a poll, `interval_s` since the previous one), probe.degraded (it answered, but not
 * as expected), probe.error (the probe itself failed: evidence about the probe, never about the
 * host, so it carries no `state`), probe.change (a `corr probe` change record), probe.other.
 * A probe's word is evidence to be judged (it may lie), so everything it says is kept in fields.
 */
import { shareOfLines } from './line-share.js';
import type { FieldValue, Fields, FormatDescriptor, LineResult, ParsedEvent, RawTime } from '../types.js';
import { parseIsoStamp } from './syslog.js';
import { isoStampProblem } from './iso-calendar.js';
import { parseJsonObject } from './json-object.js';

const UP_WORDS = new Set([
  'alive', 'up', 'ok', 'healthy', 'online', 'reachable', 'recovered', 'pass', 'passing', 'passed', 'success', 'succeeded', 'true',
]);
const DOWN_WORDS = new Set([
  'dead', 'down', 'timeout', 'unreachable', 'fail', 'failed', 'failing', 'failure', 'offline', 'unhealthy', 'error', 'false',
  'timedout', 'timed_out', 'refused', 'nok',
]);

/** `up`/`down` for a state word, null for anything else. */
export function normalizeState(word: string): 'up' | 'down' | null {
  const w = word.toLowerCase();
  if (UP_WORDS.has(w)) return 'up';
  if (DOWN_WORDS.has(w)) return 'down';
  return null;
}

interface Scanned {
  pairs: Map<string, string>;
  words: string[];
}

const KEY = /^[A-Za-z_][\w.-]{0,63}$/;

/**
 * Split the text after the stamp into `key=value` pairs (values bare or double-quoted with
 * backslash escapes) and free words; commas and parentheses separate like blanks, so
 * `(exit=1, err="...")` reads as two pairs. One pass over the characters: linear on any input.
 */
function scan(text: string): Scanned {
  const pairs = new Map<string, string>();
  const words: string[] = [];
  const isSep = (ch: string) => ch === ' ' || ch === '\t' || ch === ',' || ch === '(' || ch === ')';
  let i = 0;
  while (i < text.length) {
    if (isSep(text[i]!)) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && !isSep(text[i]!) && text[i] !== '=' && text[i] !== '"') i++;
    if (text[i] === '=' && KEY.test(text.slice(start, i))) {
      const key = text.slice(start, i);
      i++;
      let value = '';
      if (text[i] === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          value += text[i];
          i++;
        }
        i++;
      } else {
        const vStart = i;
        while (i < text.length && !isSep(text[i]!)) i++;
        value = text.slice(vStart, i);
      }
      pairs.set(key.toLowerCase(), value);
    } else {
      while (i < text.length && !isSep(text[i]!)) i++;
      words.push(text.slice(start, i));
    }
  }
  return { pairs, words };
}

/** `alive -> dead`, `alive->dead`, `ALIVE → DEAD` among the free words. */
function findTransition(words: string[]): { from: string; to: string } | null {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const glued = /^([A-Za-z]{1,20})(?:->|→|=>)([A-Za-z]{1,20})$/.exec(w);
    if (glued && normalizeState(glued[1]!) && normalizeState(glued[2]!)) return { from: glued[1]!, to: glued[2]! };
    if ((w === '->' || w === '→' || w === '=>') && i > 0 && i + 1 < words.length) {
      const from = words[i - 1]!;
      const to = words[i + 1]!;
      if (normalizeState(from) && normalizeState(to)) return { from, to };
    }
  }
  return null;
}

/** `160s`, `2m40s`, `1h`, `160` (seconds) → seconds; null when unreadable. */
export function durationSeconds(text: string): number | null {
  if (/^\d{1,9}(?:\.\d{1,6})?$/.test(text)) return Number(text);
  const m = /^(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,9}(?:\.\d{1,6})?)s)?$/.exec(text);
  if (!m || text === '') return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

const TIME_KEYS = ['ts', 'time', 'timestamp', '@timestamp', 'date', 'datetime'];
const TARGET_KEYS = ['target', 'host', 'hostname', 'node', 'instance', 'endpoint', 'url', 'addr', 'address', 'server', 'service'];
const OUTCOME_KEYS = ['outcome', 'state', 'status', 'result', 'health'];
const BOOLEAN_KEYS = ['ok', 'up', 'alive', 'success', 'healthy', 'reachable', 'online'];
const EXIT_KEYS = ['exit', 'rc', 'exit_code', 'exitcode', 'returncode', 'return_code', 'exit_status'];
const LATENCY_KEYS = ['latency_ms', 'latency', 'ms', 'rtt', 'rtt_ms', 'time_ms', 'duration_ms', 'elapsed_ms', 'elapsed', 'took', 'response_time', 'response_time_ms'];
const ERROR_KEYS = ['err', 'error', 'error_message', 'errmsg', 'reason', 'detail'];
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type Outcome = 'up' | 'down' | 'degraded' | 'probe-error';

/** What an outcome value means: a state word, a boolean, `degraded`, `probe-error`. */
function outcomeOf(value: string): Outcome | null {
  const w = value.trim().toLowerCase();
  if (w === 'degraded') return 'degraded';
  if (w === 'probe-error' || w === 'probe_error') return 'probe-error';
  return normalizeState(w);
}

function booleanOutcome(value: string): Outcome | null {
  const w = value.trim().toLowerCase();
  if (w === 'true' || w === '1' || w === 'yes') return 'up';
  if (w === 'false' || w === '0' || w === 'no') return 'down';
  return null;
}

/** `12ms`, `12 ms`, `0.2s`, `300us`, `1.5` (milliseconds) → milliseconds; null when unreadable. */
export function latencyMs(value: string): number | null {
  const m = /^(\d{1,9}(?:\.\d{1,6})?) ?(ms|s|us|µs|ns)?$/.exec(value.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const ms = unit === 's' ? n * 1000 : unit === 'ms' ? n : unit === 'ns' ? n / 1e6 : n / 1000;
  return Math.round(ms * 1000) / 1000;
}

/** The host a target names: `ssh://user@kai-server:22/x` → `kai-server`; null for a command target. */
export function hostOfTarget(target: string): string | null {
  let t = target.trim();
  if (/^cmd:/i.test(t) || /\s/.test(t)) return null;
  t = t.replace(/^[a-z][a-z0-9+.-]{0,15}:\/\//i, '');
  t = t.replace(/[/?#].*$/, '');
  const at = t.lastIndexOf('@');
  if (at >= 0) t = t.slice(at + 1);
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i.exec(t);
  if (bracketed) return bracketed[1]!;
  const port = /^([^:]+):\d{1,5}$/.exec(t);
  if (port) t = port[1]!;
  return /^[A-Za-z0-9_.:-]{1,253}$/.test(t) ? t : null;
}

function fieldValue(value: string): FieldValue {
  return /^-?\d{1,15}$/.test(value) ? Number(value) : value;
}

function firstOf(pairs: Map<string, string>, keys: readonly string[]): [string, string] | null {
  for (const k of keys) {
    const v = pairs.get(k);
    if (v !== undefined && v !== '') return [k, v];
  }
  return null;
}

/** A time value: an ISO-8601 instant with its zone, or epoch seconds (10 digits) / milliseconds (13). */
function timeOf(value: string): RawTime | null {
  const v = value.trim();
  if (/^\d{10}(?:\.\d{1,6})?$/.test(v)) return { kind: 'exact', utcUs: Math.round(Number(v) * 1e6) };
  if (/^\d{13}$/.test(v)) return { kind: 'exact', utcUs: Number(v) * 1000 };
  const s = exactStamp(v);
  return s && s.length === v.length ? s.time : null;
}

/** Turn the pairs and words of one record into kind, fields, severity and host. */
function interpret(time: RawTime, message: string, scanned: Scanned, allowBareWords: boolean): ParsedEvent {
  const { pairs, words } = scanned;
  const fields: Fields = {};
  for (const [key, value] of pairs) {
    // Keys come from the log: never let one reach an object's prototype machinery.
    if (TIME_KEYS.includes(key) && timeOf(value) !== null) continue;
    if (UNSAFE_KEYS.has(key)) continue;
    if (key === 'down_for' || key === 'down_for_s') {
      const s = durationSeconds(value);
      if (s !== null) fields.down_for_s = s;
      else fields.down_for = value;
    } else {
      fields[key] = fieldValue(value);
    }
  }
  const event: ParsedEvent = { time, source: 'probe', kind: 'probe.other', severity: 'info', message, fields };

  if (pairs.get('record') === 'change') {
    // `corr probe` says the monitor itself changed (a new failure mode, a tool's new version).
    for (const k of ['from', 'to']) {
      if (k in fields) {
        fields[`change_${k}`] = fields[k]!;
        delete fields[k];
      }
    }
    event.kind = 'probe.change';
    event.severity = 'notice';
    const target = pairs.get('target');
    const host = target ? hostOfTarget(target) : null;
    if (host) event.host = host;
    return event;
  }

  const target = firstOf(pairs, TARGET_KEYS);
  if (target) {
    fields.target = target[1];
    const host = hostOfTarget(target[1]);
    if (host) event.host = host;
  }
  const exit = firstOf(pairs, EXIT_KEYS);
  if (exit && /^-?\d{1,6}$/.test(exit[1])) fields.exit = Number(exit[1]);
  const latency = firstOf(pairs, LATENCY_KEYS) ?? (pairs.has('time') && timeOf(pairs.get('time')!) === null ? ['time', pairs.get('time')!] : null);
  const wordLatency = allowBareWords ? words.find((w) => /^\d{1,9}(?:\.\d{1,6})?(?:ms|s|us|µs)$/.test(w)) : undefined;
  const ms = latency ? latencyMs(latency[1]) : wordLatency ? latencyMs(wordLatency) : null;
  if (ms !== null) fields.latency_ms = ms;
  const err = firstOf(pairs, ERROR_KEYS);
  if (err) fields.err = err[1];

  const fromPair = pairs.get('from');
  const toPair = pairs.get('to');
  const transition =
    fromPair !== undefined && toPair !== undefined && normalizeState(fromPair) && normalizeState(toPair)
      ? { from: fromPair, to: toPair }
      : findTransition(words);
  if (transition) {
    const state = normalizeState(transition.to)!;
    fields.from = transition.from.toLowerCase();
    fields.to = transition.to.toLowerCase();
    fields.state = state;
    event.kind = 'probe.transition';
    event.severity = state === 'down' ? 'warning' : 'info';
    return event;
  }

  let outcome: Outcome | null = null;
  let raw: string | null = null;
  const stated = firstOf(pairs, OUTCOME_KEYS);
  if (stated && !/^\d+$/.test(stated[1])) {
    // A numeric `status` is an HTTP or exit code, not a state word.
    outcome = outcomeOf(stated[1]);
    raw = stated[1];
  }
  if (outcome === null) {
    const flag = firstOf(pairs, BOOLEAN_KEYS);
    if (flag) outcome = booleanOutcome(flag[1]);
  }
  if (outcome === null && stated === null && allowBareWords) {
    // A bare state word (`2026-05-27T04:41:12Z kai-server dead exit=1`) among the first words; the
    // word before it names the target.
    for (let i = 0; i < Math.min(words.length, 3); i++) {
      outcome = outcomeOf(words[i]!);
      if (outcome) {
        if (i > 0 && !target && hostOfTarget(words[i - 1]!)) {
          fields.target = words[i - 1]!;
          event.host = hostOfTarget(words[i - 1]!)!;
        }
        break;
      }
    }
  }
  if (outcome === null && stated === null && exit && /^-?\d{1,6}$/.test(exit[1]) && (target || stated)) {
    outcome = Number(exit[1]) === 0 ? 'up' : 'down';
  }
  if (outcome === 'probe-error') {
    fields.outcome = 'probe-error';
    event.kind = 'probe.error';
    event.severity = 'warning';
  } else if (outcome === 'degraded') {
    fields.outcome = 'degraded';
    event.kind = 'probe.degraded';
    event.severity = 'warning';
  } else if (outcome) {
    if (raw !== null && raw.toLowerCase() !== outcome) fields.state_raw = raw;
    delete fields.outcome;
    if (stated && stated[0] !== 'state' && stated[0] !== 'outcome') delete fields[stated[0]];
    fields.state = outcome;
    event.kind = 'probe.state';
    event.severity = outcome === 'down' ? 'warning' : 'info';
  }
  return event;
}

/** `{"ts": ...}` probe records: scalar members become pairs (nested values are not ours). */
function scanJson(text: string): { stamp: RawTime; scanned: Scanned; message: string } | null {
  if (!text.startsWith('{') || text.includes('"__REALTIME_TIMESTAMP"')) return null;
  const value = parseJsonObject(text);
  if (value === null) return null;
  const pairs = new Map<string, string>();
  let stamp: RawTime | null = null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = k.toLowerCase();
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    if (TIME_KEYS.includes(key) && stamp === null) stamp = timeOf(String(v));
    pairs.set(key, String(v));
  }
  if (stamp === null) return null;
  const msg = pairs.get('msg') ?? pairs.get('message');
  const summary = [pairs.get('target') ?? pairs.get('host'), pairs.get('outcome') ?? pairs.get('state') ?? pairs.get('status'), pairs.get('error')]
    .filter((x) => x !== undefined && x !== '')
    .join(' ');
  return { stamp, scanned: { pairs, words: msg ? msg.split(/\s+/) : [] }, message: msg ?? (summary || text) };
}

/** A probe instant must carry its zone: a watcher's log without one cannot be placed. */
function exactStamp(text: string): { time: RawTime; length: number } | null {
  const s = parseIsoStamp(text);
  return s && s.time.kind === 'exact' ? s : null;
}

/** Syslog-shaped lines (`host prog[pid]: ...`) belong to syslog unless they state a transition. */
function looksLikeSyslogTag(words: string[]): boolean {
  return words.slice(0, 2).some((w) => /^[^\s[\]:=]+(?:\[\d{1,10}\])?:$/.test(w));
}

// ---------------------------------------------------------------------------------------------
// CSV / TSV with a header: `timestamp,target,result,ms`

const CSV_CELL_NAME = /^[A-Za-z_@][\w@.-]{0,40}$/;

/** Split one CSV/TSV line (double quotes, `""` inside them); linear in the line. */
function splitDelimited(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

function delimiterOf(line: string): string | null {
  for (const d of [',', '\t', ';']) if (line.includes(d)) return d;
  return null;
}

/** The columns of a probe CSV header: names only, one that means time and one that means target or outcome. */
const HEADER_TIME_CELL = /(?:^|[,;\t])"?(?:ts|time|timestamp|@timestamp|date|datetime)"?(?:[,;\t]|$)/i;

export function csvHeader(line: string): { columns: string[]; delimiter: string } | null {
  const text = line.trim();
  // Cheap tests first: detection asks this of every line of every section.
  if (text.length > 400 || !HEADER_TIME_CELL.test(text)) return null;
  const delimiter = delimiterOf(text);
  if (!delimiter) return null;
  const columns = splitDelimited(text, delimiter).map((c) => c.toLowerCase());
  if (columns.length < 2 || !columns.every((c) => CSV_CELL_NAME.test(c))) return null;
  const has = (keys: readonly string[]) => columns.some((c) => keys.includes(c));
  if (!has(TIME_KEYS) || !(has(TARGET_KEYS) || has(OUTCOME_KEYS) || has(BOOLEAN_KEYS))) return null;
  return { columns, delimiter };
}

/**
 * One CSV row. With the header's columns the cells are named; without (a row read alone), cells are
 * named by what their values are: an instant is the time, a state word the outcome, a host-like
 * word the target, the rest `col<N>`.
 */
function parseCsvRow(line: string, header: { columns: string[]; delimiter: string } | null): ParsedEvent | null {
  const delimiter = header?.delimiter ?? delimiterOf(line);
  if (!delimiter) return null;
  const cells = splitDelimited(line.trim(), delimiter);
  if (cells.length < 2) return null;
  const pairs = new Map<string, string>();
  let time: RawTime | null = null;
  if (header) {
    if (cells.length !== header.columns.length) return null;
    header.columns.forEach((c, i) => {
      pairs.set(c, cells[i]!);
      if (time === null && TIME_KEYS.includes(c)) time = timeOf(cells[i]!);
    });
  } else {
    cells.forEach((cell, i) => {
      if (time === null && (time = timeOf(cell)) !== null) return;
      if (!pairs.has('state') && outcomeOf(cell)) pairs.set('state', cell);
      else if (!pairs.has('target') && !/^-?[\d.]+$/.test(cell) && hostOfTarget(cell)) pairs.set('target', cell);
      else pairs.set(`col${i + 1}`, cell);
    });
  }
  if (time === null) return null;
  const message = cells.join(' ');
  return interpret(time, message, { pairs, words: [] }, false);
}

// ---------------------------------------------------------------------------------------------

const ROW_OPENS_WITH_TIME = /^"?(?:\d{4}-\d{2}-\d{2}T|\d{10})/;

/** One line read on its own (no CSV header known, no memory of earlier polls). */
export function parseProbeLine(raw: string): ParsedEvent | null {
  const line = (raw.endsWith('\r') ? raw.slice(0, -1) : raw).trim();
  const json = scanJson(line);
  if (json) return interpret(json.stamp, json.message, json.scanned, false);
  let body: string;
  let time: RawTime;
  if (line.startsWith('ts=') || line.startsWith('time=')) {
    const eq = line.indexOf('=') + 1;
    const quoted = line[eq] === '"';
    const stamp = exactStamp(line.slice(eq + (quoted ? 1 : 0)));
    if (!stamp) return null;
    time = stamp.time;
    body = line.slice(eq + (quoted ? 2 : 0) + stamp.length);
  } else {
    const bracketed = line.startsWith('[');
    const stamp = exactStamp(line.slice(bracketed ? 1 : 0));
    // A CSV row read on its own must open with its instant (a cheap test first: most lines are not).
    if (!stamp) return ROW_OPENS_WITH_TIME.test(line) && delimiterOf(line) ? parseCsvRow(line, null) : null;
    time = stamp.time;
    body = line.slice(stamp.length + (bracketed ? 2 : 0));
  }
  if (body !== '' && !/^[\s\]]/.test(body)) return /^[,;\t]/.test(body) ? parseCsvRow(line, null) : null;
  const message = body.trim();
  const scanned = scan(message);
  const event = interpret(time, message, scanned, true);
  if (looksLikeSyslogTag(scanned.words) && event.kind !== 'probe.transition' && !scanned.pairs.has('state')) return null;
  return event;
}

/** Whether an event states an up/down outcome that polls can be compared by. */
function polledState(e: ParsedEvent): 'up' | 'down' | null {
  return e.kind === 'probe.state' && (e.fields.state === 'up' || e.fields.state === 'down') ? e.fields.state : null;
}

/**
 * Each target's last poll within a section, so that a poll whose state differs from the previous
 * one becomes a transition, and every poll says how long it came after the one before
 * (`interval_s`): the edge lies somewhere in that interval. Shared by every monitor dialect.
 */
export class PollEdges {
  private readonly last = new Map<string, { state: 'up' | 'down'; us: number }>();

  /** Gives `event` its interval and, when its state changed, its edge (in place). */
  observe(event: ParsedEvent): void {
    const state = polledState(event) ?? (event.kind === 'probe.transition' ? (event.fields.state as 'up' | 'down') : null);
    if (!state || event.time.kind !== 'exact') return;
    const key = typeof event.fields.target === 'string' ? event.fields.target : event.host ?? '';
    const before = this.last.get(key);
    if (before && event.kind === 'probe.state') {
      const interval = (event.time.utcUs - before.us) / 1e6;
      if (interval >= 0) event.fields.interval_s = interval;
      if (before.state !== state) {
        event.kind = 'probe.transition';
        event.fields.from = before.state;
        event.fields.to = state;
      }
    }
    this.last.set(key, { state, us: event.time.utcUs });
  }
}

/** A section's reader: remembers the CSV header, and each target's last poll (PollEdges). */
function probeReader(): (line: string, prev: ParsedEvent | null) => LineResult | null {
  let header: { columns: string[]; delimiter: string } | null = null;
  const edges = new PollEdges();
  return (raw) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
    const h = csvHeader(line);
    if (h) {
      header = h;
      return { type: 'skip', reason: 'CSV header (the column names)' };
    }
    const event = header ? parseCsvRow(line, header) ?? parseProbeLine(line) : parseProbeLine(line);
    if (!event) {
      const problem = isoStampProblem(line.trim().replace(/^(?:ts|time)="?|^\[/, ''));
      return problem ? { type: 'skip', reason: problem } : null;
    }
    edges.observe(event);
    return { type: 'event', event };
  };
}

export const probeFormat: FormatDescriptor = {
  name: 'probe',
  title: 'host probe log (`2026-05-27T04:41:12Z kai-server alive -> dead (exit=1)`, JSON lines, CSV with a header, logfmt)',
  // Only lines that state an outcome count: many logs start with an ISO stamp.
  detect: (head) =>
    shareOfLines(head, (line) => {
      if (csvHeader(line)) return 'companion';
      const event = parseProbeLine(line);
      return event && event.kind !== 'probe.other' ? 'record' : 'foreign';
    }),
  parse: (line, prev) => probeReader()(line, prev),
  reader: probeReader,
  samples: [
    {
      line: '2026-05-27T04:41:12Z kai-server alive -> dead (exit=1, err="tcp dial kai-server:22: i/o timeout")',
      expect: {
        kind: 'probe.transition',
        source: 'probe',
        severity: 'warning',
        time: '2026-05-27T04:41:12.000Z',
        fields: { from: 'alive', to: 'dead', state: 'down', exit: 1, err: 'tcp dial kai-server:22: i/o timeout' },
      },
    },
    {
      line: 'ts=2026-05-27T04:43:52Z target=kai-server state=alive down_for=160s snapshot=/tmp/recover-0441.txt',
      expect: {
        kind: 'probe.state',
        severity: 'info',
        host: 'kai-server',
        time: '2026-05-27T04:43:52.000Z',
        fields: { state: 'up', target: 'kai-server', down_for_s: 160, snapshot: '/tmp/recover-0441.txt' },
      },
    },
    {
      line: '{"ts":"2026-05-27T04:45:12.500Z","target":"kai-server","from":"ALIVE","to":"DEAD","exit":1}',
      expect: {
        kind: 'probe.transition',
        host: 'kai-server',
        time: '2026-05-27T04:45:12.500Z',
        fields: { from: 'alive', to: 'dead', state: 'down', exit: 1 },
      },
    },
    {
      // `corr probe` (#20), docs/probe.md.
      line: '{"ts":"2026-05-27T04:41:10.004Z","target":"ssh://kai-server:22","check":"ssh","outcome":"down","latency_ms":3000.4,"error":"timeout","detail":"no connection within 3000 ms","seen":null,"digest":null,"version":"corr 0.1.0"}',
      expect: {
        kind: 'probe.state',
        host: 'kai-server',
        severity: 'warning',
        fields: { target: 'ssh://kai-server:22', state: 'down', latency_ms: 3000.4, err: 'timeout', check: 'ssh' },
      },
    },
    {
      line: '{"ts":"2026-05-27T04:41:10.004Z","target":"cmd:coily ssh kai-server -- echo alive","check":"cmd","outcome":"probe-error","latency_ms":212.4,"error":"output","exit":1,"version":"corr 0.1.0"}',
      expect: { kind: 'probe.error', severity: 'warning', fields: { outcome: 'probe-error', exit: 1, latency_ms: 212.4 } },
    },
    {
      // A home-made JSON-lines monitor with its own names (host, ok, rc).
      line: '{"time":"2026-05-27T04:41:10Z","host":"kai-server","ok":false,"rc":255,"rtt":"3.0s"}',
      expect: { kind: 'probe.state', host: 'kai-server', fields: { state: 'down', exit: 255, latency_ms: 3000, target: 'kai-server' } },
    },
    {
      // Plain text: `date -Is` then the host, the outcome and the latency.
      line: '2026-05-27T04:41:10+00:00 kai-server up 12ms',
      expect: { kind: 'probe.state', host: 'kai-server', fields: { state: 'up', latency_ms: 12, target: 'kai-server' } },
    },
    {
      // A CSV row read on its own (the header names the columns when there is one).
      line: '2026-05-27T04:41:10Z,kai-server,fail,3001',
      expect: { kind: 'probe.state', host: 'kai-server', fields: { state: 'down', target: 'kai-server' } },
    },
  ],
};
