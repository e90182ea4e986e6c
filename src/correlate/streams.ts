/**
 * Streams and their silences. A scanner hitting sshd every ~8 s keeps a pace; when it stops for far
 * longer than its pace makes likely and then resumes, inside one capture's coverage, the host could
 * not be reached in between. That silence is evidence of an outage that no log line states. How long
 * is "far longer" is a test (src/correlate/silence.ts), not a number.
 *
 * A stream is the traffic of one remote address on one host, as sshd logs it or as an access log
 * (nginx, apache, traefik) does: it arrives over the network, so it is a **network witness** — while
 * it keeps its pace the host answered, and its silence is evidence the host did not. Two scanners
 * are two streams, so one that stops for good and another that starts later make no gap (neither
 * stream has one). Streams of local programs (the kernel, k3s's own routine lines, cron) are not
 * used: they keep logging through a network outage, so their pauses say something about the
 * program, not about whether the host could be reached. Probe events are never a stream: a probe is
 * judged, not trusted. Access-log lines that did not come over the network (the node's kubelet and
 * pods, loopback) or that are logged because nothing came (a 408) are left out: `httpWitness`.
 */
import type { Fields } from '../model/event.js';
import type { EventTable } from './event-table.js';
import { type Coverage, coverageKey, spanHolding } from './coverage.js';
import { type Series, buildSeries, lowerBound } from './series.js';
import { BLOCK_GAPS, CANDIDATE_P, type GapTail, MIN_FIT_GAPS, blockTails, logTailProbability } from './silence.js';
import { median } from './stats.js';

/** A stream needs enough distinct instants for its gaps to be fitted at all. */
export const MIN_STREAM_POINTS = MIN_FIT_GAPS + 1;
const LOG_CANDIDATE_P = Math.log(CANDIDATE_P);

export interface Silence {
  host: string;
  /** The stream's key (`sshd 60.163.139.198`, `http 203.0.113.9`). */
  stream: string;
  /** Streams of one origin are not independent (one client's sshd and http traffic: `from 60.163.139.198`). */
  origin: string;
  /** The last event before the gap. */
  startUs: number;
  /** The first event after it. */
  endUs: number;
  /** Event indices of those two lines (evidence). */
  beforeIndex: number;
  afterIndex: number;
  /** Natural log of the chance of a gap this long under the stream's local fit. */
  logP: number;
  /** The local fit (to judge a shorter part of the gap when streams are combined). */
  tail: GapTail;
}

export interface Stream {
  host: string;
  source: string;
  /** What the stream is, for sentences: `sshd from 60.163.139.198`, `http from 203.0.113.9`. */
  kind: string;
  key: string;
  origin: string;
  /** Traffic that arrives over the network (a remote address's sshd lines or requests). */
  witness: boolean;
  /** Distinct instants, weight 1 each. */
  series: Series;
  /** gaps[k] = ts[k + 1] − ts[k]. */
  gaps: Float64Array;
  tails: (GapTail | null)[];
  medianGapUs: number;
  /** Gaps tested: inside one covered span, with a fit. */
  tests: number;
  /** Candidate silences (chance ≤ CANDIDATE_P on this stream alone), before any correction. */
  silences: Silence[];
}

/**
 * k3s's default pod and service networks (`--cluster-cidr` 10.42.0.0/16, `--service-cidr`
 * 10.43.0.0/16): a request from there is the node's own pods or kubelet talking to a service on the
 * node, over its bridge. It keeps coming through an outage of the host's network, so it witnesses
 * nothing about whether the host could be reached from outside.
 */
const NODE_LOCAL_PREFIXES = ['10.42.', '10.43.'] as const;
/** The kubelet's liveness and readiness checks (`kube-probe/1.31`): the node asking itself. */
const KUBE_PROBE_AGENT = 'kube-probe/';
/** 408 Request Timeout: the server gave up waiting, and logs it because the client sent nothing. */
const REQUEST_TIMEOUT = 408;

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:10.42.0.7`), else the address as given. */
function unmapped(ip: string): string {
  return ip.toLowerCase().startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

function remoteAddress(ip: unknown): string | null {
  if (typeof ip !== 'string' || ip === '') return null;
  const v4 = unmapped(ip);
  if (v4.startsWith('127.') || v4 === '::1' || v4 === 'localhost') return null;
  return ip;
}

/**
 * sshd lines a server writes when the peer stopped answering (`Timeout, client not responding`, a
 * login grace time running out): they name the remote address but prove no packet arrived — they
 * are logged *because* none did, inside outages.
 */
export function isInboundKind(kind: string): boolean {
  return !kind.endsWith('_timeout');
}

/**
 * The client address of an access-log request that witnesses the host answering from outside, or
 * null. Every status but 408 is a request that arrived: a 4xx is a scanner or a typo, and a 5xx
 * (traefik's 502/504 when a backend is down) is the proxy answering that it could not serve it —
 * evidence the host was reachable, not that it was healthy, which is all a witness claims. Left out:
 * 408s (logged because nothing arrived), the kubelet's `kube-probe/` checks, k3s's pod and service
 * networks and loopback (the node talking to itself, which goes on through a network outage).
 */
export function httpWitness(fields: Fields): string | null {
  if (fields.status === REQUEST_TIMEOUT) return null;
  const agent = fields.agent;
  if (typeof agent === 'string' && agent.toLowerCase().startsWith(KUBE_PROBE_AGENT)) return null;
  const ip = remoteAddress(fields.ip);
  if (ip === null) return null;
  const v4 = unmapped(ip);
  return NODE_LOCAL_PREFIXES.some((p) => v4.startsWith(p)) ? null : ip;
}

/** The remote address an event of a witness source comes from, or null when it witnesses nothing. */
function witnessAddress(events: EventTable, i: number, source: string): string | null {
  if (source === 'sshd') return isInboundKind(events.kind(i)) ? remoteAddress(events.fields(i).ip) : null;
  if (source === 'http') return httpWitness(events.fields(i));
  return null;
}

interface Group {
  source: string;
  kind: string;
  origin: string;
  witness: boolean;
  list: number[];
}

/**
 * Groups a host's witness events into one stream per source and remote address. One client's sshd
 * and http traffic are two streams of one origin: a scanner that pauses silences both, so they are
 * not two independent witnesses of an outage.
 */
function byStream(events: EventTable, indices: readonly number[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const i of indices) {
    const source = events.source(i);
    const ip = witnessAddress(events, i, source);
    if (ip === null) continue;
    const key = `${source} ${ip}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { source, kind: `${source} from ${ip}`, origin: `from ${unmapped(ip)}`, witness: true, list: [] }));
    g.list.push(i);
  }
  return groups;
}

/** Keeps the first event of each distinct instant: a burst within one second is one arrival. */
function distinctInstants(events: EventTable, list: readonly number[]): number[] {
  const out: number[] = [];
  let last = -Infinity;
  for (const i of list) {
    const t = events.ts(i);
    if (t > last) {
      out.push(i);
      last = t;
    }
  }
  return out;
}

export function findStreams(events: EventTable, host: string, indices: readonly number[], coverage: Coverage): Stream[] {
  const streams: Stream[] = [];
  const groups = [...byStream(events, indices)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, g] of groups) {
    const points = distinctInstants(events, g.list);
    if (points.length < MIN_STREAM_POINTS) continue;
    const series = buildSeries(events, points, () => 1);
    const gaps = new Float64Array(series.ts.length - 1);
    for (let k = 0; k < gaps.length; k++) gaps[k] = series.ts[k + 1]! - series.ts[k]!;
    const tails = blockTails(gaps);
    const spans = coverage.get(coverageKey(host, g.source)) ?? [];
    const silences: Silence[] = [];
    let tests = 0;
    for (let k = 0; k < gaps.length; k++) {
      const tail = tails[Math.floor(k / BLOCK_GAPS)];
      const before = series.ts[k]!;
      const after = series.ts[k + 1]!;
      // A gap across a coverage edge is not a silence: nothing was watching.
      if (!tail || spanHolding(spans, before, after) < 0) continue;
      tests++;
      const logP = logTailProbability(tail, gaps[k]!);
      if (logP > LOG_CANDIDATE_P) continue;
      silences.push({
        host,
        stream: key,
        origin: g.origin,
        startUs: before,
        endUs: after,
        beforeIndex: series.eventIndex[k]!,
        afterIndex: series.eventIndex[k + 1]!,
        logP,
        tail,
      });
    }
    streams.push({
      host,
      source: g.source,
      kind: g.kind,
      key,
      origin: g.origin,
      witness: g.witness,
      series,
      gaps,
      tails,
      medianGapUs: median(gaps),
      tests,
      silences,
    });
  }
  return streams;
}

/** Streams that prove the host is reachable while they flow: sshd and http traffic from remote addresses. */
export function isNetworkWitness(stream: Stream): boolean {
  return stream.witness;
}

/**
 * Whether a stream kept its pace through [a, b]: events on both sides and at least two inside, and
 * the longest gap overlapping the span is no candidate silence under the stream's local fit, given
 * how many gaps the span holds (the longest of many ordinary gaps is longer than most). A window
 * shorter than the stream's pace cannot be judged this way and is not "carried through".
 */
export function carriesOnThrough(stream: Stream, a: number, b: number): boolean {
  const ts = stream.series.ts;
  const first = lowerBound(ts, a); // first point >= a
  const afterB = lowerBound(ts, b + 1); // first point > b
  if (first === 0 || afterB >= ts.length) return false;
  if (afterB - first < 2) return false;
  let leastLogP = 0;
  for (let k = first - 1; k < afterB; k++) {
    const tail = stream.tails[Math.floor(k / BLOCK_GAPS)];
    if (!tail) return false;
    leastLogP = Math.min(leastLogP, logTailProbability(tail, stream.gaps[k]!));
  }
  return leastLogP + Math.log(afterB - first + 1) > LOG_CANDIDATE_P;
}
