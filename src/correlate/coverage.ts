/**
 * Coverage: the spans of time each source's captures cover. A gap in a stream says something about
 * the host only inside one covered span: where no capture covers, the stream is not silent, it is
 * unobserved (the end of one capture's tail and the start of the next is a gap in coverage, not in
 * traffic).
 *
 * Coverage is per host and event source (`kernel`, `k3s`, `sshd`, ...): overlapping captures of the
 * same log are stored once, so a stream's events come from several files and its coverage is the
 * union of theirs.
 */
import type { EventTable } from './event-table.js';
import { type Interval, unionOf } from './stats.js';

/** One covered span of one host's source, as the caller read it from the store. */
export interface CoverageSpan {
  host: string;
  source: string;
  startUs: number;
  endUs: number;
  /** The kinds the span speaks for, when its source's sections are different logs (store SourceCoverage.kinds); absent: all. */
  kinds?: readonly string[];
}

export type Coverage = Map<string, Interval[]>;

export function coverageKey(host: string, source: string): string {
  return `${host}\u0000${source}`;
}

/** The source of a coverage span that speaks for every stream of its host (an empty `journalctl` window). */
export const EVERY_STREAM = '*';

/**
 * Coverage per host and source, as sorted disjoint spans. From the spans the caller gives (the
 * store's per-file coverage); a host and source the caller says nothing about is covered from its
 * first event to its last (so in-memory callers and tests need not build coverage).
 *
 * A span of source `*` (a `journalctl` window with no unit that printed `-- No entries --`) is
 * covered silence for every stream of its host: it is added to each of that host's sources the
 * spans or the events name (not to a probe's, whose log is written elsewhere), never kept as a
 * source of its own.
 */
export function coverageOf(events: EventTable, given: readonly CoverageSpan[] | undefined): Coverage {
  const spans = new Map<string, Interval[]>();
  const everyStream = new Map<string, Interval[]>();
  for (const s of given ?? []) {
    const iv = { startUs: s.startUs, endUs: Math.max(s.startUs, s.endUs) };
    if (s.source === EVERY_STREAM) {
      appendSpan(everyStream, s.host, iv);
      continue;
    }
    appendSpan(spans, coverageKey(s.host, s.source), iv);
  }
  const seen = new Map<string, { iv: Interval }>();
  for (let i = 0; i < events.length; i++) {
    const key = coverageKey(events.host(i), events.source(i));
    if (spans.has(key)) continue;
    const t = events.ts(i);
    const known = seen.get(key);
    if (!known) seen.set(key, { iv: { startUs: t, endUs: t } });
    else known.iv.endUs = Math.max(known.iv.endUs, t);
  }
  // The host's journal says nothing of a probe's log (written elsewhere, about the host).
  const silenceOf = (key: string): Interval[] => {
    const at = key.indexOf('\u0000');
    return key.slice(at + 1) === 'probe' ? [] : (everyStream.get(key.slice(0, at)) ?? []);
  };
  const out: Coverage = new Map();
  for (const [key, list] of spans) out.set(key, unionOf([...list, ...silenceOf(key)]));
  for (const [key, { iv }] of seen) {
    const all = silenceOf(key);
    out.set(key, all.length ? unionOf([iv, ...all]) : [iv]);
  }
  return out;
}

/** Adds a span to the list under key, starting the list when it is the first. */
function appendSpan(map: Map<string, Interval[]>, key: string, iv: Interval): void {
  const list = map.get(key);
  if (list) list.push(iv);
  else map.set(key, [iv]);
}

/** Index of the covered span holding both instants, or -1 (a gap across a coverage edge). */
export function spanHolding(spans: readonly Interval[], a: number, b: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (a < s.startUs) hi = mid - 1;
    else if (a > s.endUs) lo = mid + 1;
    else return b <= s.endUs ? mid : -1;
  }
  return -1;
}

/**
 * When each kind of a source was watched, for the sources whose spans say which kinds they speak
 * for (syslog: an auth.log copied whole covers the hours of cron and sudo, a unit's journal
 * captured `--since -1h` only that hour of its unit; the union of both is no coverage of the unit).
 * Keyed by coverageKey(host, source) + NUL + kind; `kinded` holds the host and source keys that
 * are described so. A `*` span (an empty journal window) covers every kind of its host.
 */
export interface KindCoverage {
  spans: Map<string, Interval[]>;
  kinded: Set<string>;
}

export function kindCoverageOf(given: readonly CoverageSpan[] | undefined): KindCoverage {
  const lists = new Map<string, Interval[]>();
  const kinded = new Set<string>();
  const everyStream = new Map<string, Interval[]>();
  for (const s of given ?? []) {
    const iv = { startUs: s.startUs, endUs: Math.max(s.startUs, s.endUs) };
    if (s.source === EVERY_STREAM) {
      appendSpan(everyStream, s.host, iv);
      continue;
    }
    if (s.kinds === undefined) continue;
    const key = coverageKey(s.host, s.source);
    kinded.add(key);
    for (const kind of s.kinds) appendSpan(lists, `${key}\u0000${kind}`, iv);
  }
  const spans = new Map<string, Interval[]>();
  for (const [key, list] of lists) spans.set(key, unionOf([...list, ...(everyStream.get(key.slice(0, key.indexOf('\u0000'))) ?? [])]));
  return { spans, kinded };
}
