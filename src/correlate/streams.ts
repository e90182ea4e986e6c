/**
 * Steady streams and their silences. A scanner hitting sshd every ~8 s, or regular apiserver
 * traffic, arrives over the host's network; when such a stream stops for far longer than its usual
 * gaps and then resumes, the host could not be reached in between. That silence is evidence of an
 * outage that no log line states.
 *
 * A stream is one event kind on one host (per kind rather than per source, so that timeouts logged
 * inside an outage do not break the silence of the traffic that stopped).
 */
import type { EventTable } from './event-table.js';
import { type Series, buildSeries, weightBetween } from './series.js';
import { MINUTE_US, median, quantileSorted } from './stats.js';

/** Fewer distinct instants than this and gaps say nothing about regularity. */
export const MIN_STREAM_POINTS = 30;
/** Regular: the 90th-percentile gap is at most this many median gaps (jitter, not pauses). */
export const MAX_P90_OVER_MEDIAN = 4;
/** A stream slower than one event per 10 min is too sparse to notice a 5-minute outage. */
export const MAX_STREAM_MEDIAN_GAP_US = 10 * MINUTE_US;
/**
 * A stream must flow most of the time: gaps over the silence threshold may take at most half of its
 * span. Bursty traffic (ten lines, then minutes of nothing) is quiet most of the time and its pauses
 * say nothing; a steady stream with a few outages is quiet for a small share of the time.
 */
export const MAX_QUIET_SHARE = 0.5;
/** A silence is a gap longer than max(10 × median gap, 2 min) ... */
export const SILENCE_GAP_FACTOR = 10;
export const MIN_SILENCE_US = 2 * MINUTE_US;
/** ... and shorter than an hour: longer pauses are the stream stopping (a scanner moving on), not the host. */
export const MAX_SILENCE_US = 60 * MINUTE_US;
/** The stream must be active on both sides of a silence: this many events within one threshold. */
export const MIN_ACTIVE_SIDE_EVENTS = 5;

export interface Silence {
  host: string;
  stream: string;
  /** The last event before the gap. */
  startUs: number;
  /** The first event after it. */
  endUs: number;
  /** Event indices of those two lines (evidence). */
  beforeIndex: number;
  afterIndex: number;
}

export interface Stream {
  host: string;
  source: string;
  kind: string;
  series: Series;
  medianGapUs: number;
  thresholdUs: number;
  silences: Silence[];
}

/** Groups a host's events by kind (probe events excluded: a probe is judged, not trusted). */
function byKind(events: EventTable, indices: readonly number[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const i of indices) {
    if (events.source(i) === 'probe') continue;
    const kind = events.kind(i);
    let list = groups.get(kind);
    if (!list) groups.set(kind, (list = []));
    list.push(i);
  }
  return groups;
}

function distinctGaps(ts: Float64Array): number[] {
  const gaps: number[] = [];
  for (let k = 1; k < ts.length; k++) {
    const gap = ts[k]! - ts[k - 1]!;
    if (gap > 0) gaps.push(gap);
  }
  return gaps;
}

export function findStreams(events: EventTable, host: string, indices: readonly number[]): Stream[] {
  const streams: Stream[] = [];
  const groups = [...byKind(events, indices)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [kind, list] of groups) {
    const series = buildSeries(events, list, () => 1);
    const gaps = distinctGaps(series.ts);
    if (gaps.length + 1 < MIN_STREAM_POINTS) continue;
    const sortedGaps = [...gaps].sort((a, b) => a - b);
    const medianGapUs = median(sortedGaps);
    if (!(medianGapUs > 0) || medianGapUs > MAX_STREAM_MEDIAN_GAP_US) continue;
    if (quantileSorted(sortedGaps, 0.9) > MAX_P90_OVER_MEDIAN * medianGapUs) continue;
    const thresholdUs = Math.max(SILENCE_GAP_FACTOR * medianGapUs, MIN_SILENCE_US);
    let quietUs = 0;
    for (const gap of gaps) if (gap > thresholdUs) quietUs += gap;
    const spanUs = series.ts[series.ts.length - 1]! - series.ts[0]!;
    if (quietUs > MAX_QUIET_SHARE * spanUs) continue;
    const silences: Silence[] = [];
    for (let k = 1; k < series.ts.length; k++) {
      const before = series.ts[k - 1]!;
      const after = series.ts[k]!;
      const gap = after - before;
      if (gap <= thresholdUs || gap > MAX_SILENCE_US) continue;
      if (weightBetween(series, before - thresholdUs, before) < MIN_ACTIVE_SIDE_EVENTS) continue;
      if (weightBetween(series, after, after + thresholdUs) < MIN_ACTIVE_SIDE_EVENTS) continue;
      silences.push({
        host,
        stream: kind,
        startUs: before,
        endUs: after,
        beforeIndex: series.eventIndex[k - 1]!,
        afterIndex: series.eventIndex[k]!,
      });
    }
    streams.push({ host, source: events.source(list[0]!), kind, series, medianGapUs, thresholdUs, silences });
  }
  return streams;
}

/**
 * Streams that prove the host is reachable while they flow: ones seen to fall silent in an outage
 * (they depend on the network), and sshd traffic (it can only arrive over the network). A kernel
 * stream carrying on proves nothing: the kernel logs locally whatever the network does.
 */
export function isNetworkWitness(stream: Stream): boolean {
  return stream.silences.length > 0 || stream.source === 'sshd';
}

/** Whether a stream carried on through [a, b] at no less than half its usual rate. */
export function carriesOnThrough(stream: Stream, a: number, b: number): boolean {
  const expected = (b - a) / stream.medianGapUs;
  const seen = weightBetween(stream.series, a, b);
  const active = weightBetween(stream.series, a - stream.thresholdUs, a) > 0 && weightBetween(stream.series, b, b + stream.thresholdUs) > 0;
  return active && seen >= Math.max(2, expected / 2);
}

