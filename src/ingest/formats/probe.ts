/**
 * Probe logs: a home-made watcher's `watch.log` that records whether a host answered. Lines start
 * with an ISO-8601 instant that carries its zone, in one of three shapes:
 *   2026-05-27T04:41:12Z kai-server alive -> dead (exit=1, err="tcp dial kai-server:22: i/o timeout")
 *   ts=2026-05-27T04:41:12Z target=kai-server state=dead exit=1
 *   {"ts":"2026-05-27T04:41:12Z","target":"kai-server","from":"alive","to":"dead"}
 * Kinds: probe.transition (from → to), probe.state (a state without a transition), probe.other.
 * A probe's word is evidence to be judged (it may lie), so everything it says is kept in fields.
 */
import { shareOfLines } from './line-share.js';
import type { FieldValue, Fields, FormatDescriptor, LineResult, ParsedEvent, RawTime } from '../types.js';
import { parseIsoStamp } from './syslog.js';

const UP_WORDS = new Set(['alive', 'up', 'ok', 'healthy', 'online', 'reachable', 'recovered', 'pass', 'passing']);
const DOWN_WORDS = new Set([
  'dead', 'down', 'timeout', 'unreachable', 'fail', 'failed', 'failing', 'offline', 'unhealthy', 'error',
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

function fieldValue(value: string): FieldValue {
  return /^-?\d{1,15}$/.test(value) ? Number(value) : value;
}

const STAMP_KEYS = ['ts', 'time', 'timestamp', '@timestamp'];

/** Turn the pairs and words of one line into kind, fields, severity and host. */
function interpret(time: RawTime, message: string, scanned: Scanned, allowBareState: boolean): ParsedEvent {
  const fields: Fields = {};
  for (const [key, value] of scanned.pairs) {
    // Keys come from the log: never let one reach an object's prototype machinery.
    if (STAMP_KEYS.includes(key) || key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    if (key === 'down_for' || key === 'down_for_s') {
      const s = durationSeconds(value);
      if (s !== null) fields.down_for_s = s;
      else fields.down_for = value;
    } else {
      fields[key] = fieldValue(value);
    }
  }
  const event: ParsedEvent = { time, source: 'probe', kind: 'probe.other', severity: 'info', message, fields };
  const host = scanned.pairs.get('target') ?? scanned.pairs.get('host');
  if (host !== undefined && host !== '') event.host = host;

  const fromPair = scanned.pairs.get('from');
  const toPair = scanned.pairs.get('to');
  const transition =
    fromPair !== undefined && toPair !== undefined && normalizeState(fromPair) && normalizeState(toPair)
      ? { from: fromPair, to: toPair }
      : findTransition(scanned.words);
  if (transition) {
    const state = normalizeState(transition.to)!;
    fields.from = transition.from.toLowerCase();
    fields.to = transition.to.toLowerCase();
    fields.state = state;
    event.kind = 'probe.transition';
    event.severity = state === 'down' ? 'warning' : 'info';
    return event;
  }
  const stateText = scanned.pairs.get('state') ?? scanned.pairs.get('status');
  let state = stateText !== undefined ? normalizeState(stateText) : null;
  if (state === null && stateText === undefined && allowBareState) {
    // A bare state word (`2026-05-27T04:41:12Z kai-server dead exit=1`) among the first words.
    for (const w of scanned.words.slice(0, 3)) {
      state = normalizeState(w);
      if (state) break;
    }
  }
  if (state) {
    if (stateText !== undefined) fields.state_raw = stateText;
    fields.state = state;
    event.kind = 'probe.state';
    event.severity = state === 'down' ? 'warning' : 'info';
  }
  return event;
}

/** `{"ts": ...}` probe records: scalar members become pairs (nested values are not ours). */
function scanJson(text: string): { stamp: string; scanned: Scanned } | null {
  if (!text.startsWith('{') || text.includes('"__REALTIME_TIMESTAMP"')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const pairs = new Map<string, string>();
  let stamp: string | undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = k.toLowerCase();
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    if (STAMP_KEYS.includes(key) && typeof v === 'string') stamp ??= v;
    pairs.set(key, String(v));
  }
  if (stamp === undefined) return null;
  const msg = pairs.get('msg') ?? pairs.get('message');
  return { stamp, scanned: { pairs, words: msg ? msg.split(/\s+/) : [] } };
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

export function parseProbeLine(raw: string): ParsedEvent | null {
  const line = (raw.endsWith('\r') ? raw.slice(0, -1) : raw).trim();
  const json = scanJson(line);
  if (json) {
    const stamp = exactStamp(json.stamp);
    if (!stamp || stamp.length !== json.stamp.length) return null;
    const message = json.scanned.pairs.get('msg') ?? json.scanned.pairs.get('message') ?? line;
    return interpret(stamp.time, message, json.scanned, false);
  }
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
    if (!stamp) return null;
    time = stamp.time;
    body = line.slice(stamp.length + (bracketed ? 2 : 0));
  }
  if (body !== '' && !/^[\s\]]/.test(body)) return null;
  const message = body.trim();
  const scanned = scan(message);
  const event = interpret(time, message, scanned, true);
  if (looksLikeSyslogTag(scanned.words) && event.kind !== 'probe.transition' && !scanned.pairs.has('state')) return null;
  return event;
}

export const probeFormat: FormatDescriptor = {
  name: 'probe',
  title: 'host probe log (`2026-05-27T04:41:12Z kai-server alive -> dead (exit=1)`, logfmt or JSON)',
  // Only lines that state a state or a transition count: many logs start with an ISO stamp.
  detect: (head) =>
    shareOfLines(head, (line) => {
      const event = parseProbeLine(line);
      return event && event.kind !== 'probe.other' ? 'record' : 'foreign';
    }),
  parse(line: string, prev: ParsedEvent | null): LineResult | null {
    void prev;
    if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
    const event = parseProbeLine(line);
    return event ? { type: 'event', event } : null;
  },
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
  ],
};
