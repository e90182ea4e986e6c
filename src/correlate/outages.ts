/**
 * Outage windows: every piece of evidence that a host was unreachable (probe down periods, stream
 * silences, windows the user reported) merged into one window per outage, with a status saying how
 * far it can be trusted. Symptom events are listed with a window but never make or confirm one: a
 * slow apiserver times out for other reasons too, and one coincidental line is not data.
 */
import type { OutageSourceName, OutageStatus } from './types.js';
import { type Series, weightBetween } from './series.js';
import { MINUTE_US } from './stats.js';

/** Evidence this close (and from a different stream) describes the same outage. */
export const MERGE_NEAR_US = 2 * MINUTE_US;

export interface WindowEvidence {
  host: string;
  startUs: number;
  endUs: number;
  source: Exclude<OutageSourceName, 'symptom'>;
  /**
   * Which stream of evidence it comes from (`silence:sshd.failed_password`, `probe:kai-server`,
   * `reported:0`). Two windows of the same stream are never merged by nearness: the stream saw the
   * host come back in between.
   */
  stream: string;
  /** False for a probe window the probe is judged to lie about. */
  trusted: boolean;
  /** A reported window inside which a network witness kept its pace: the host answered. */
  refuted?: boolean;
  /**
   * Where the onset may lie, when the evidence gives a spread: a probe's last good poll and its
   * first failed one, a silence's last line before and the instant the stream's next line was due.
   */
  onsetEarliestUs?: number;
  onsetLatestUs?: number;
  /** Where the end may lie: a probe's last failed poll and its first good one, a silence's "next line due" before its first line after. */
  endEarliestUs?: number;
  endLatestUs?: number;
}

export interface OutageWindow {
  host: string;
  startUs: number;
  endUs: number;
  status: OutageStatus;
  sources: OutageSourceName[];
  evidence: WindowEvidence[];
  /** Where the onset may lie, from the evidence that set the start (startUs for both when it gives no spread). */
  onsetEarliestUs: number;
  onsetLatestUs: number;
}

const SOURCE_ORDER: OutageSourceName[] = ['probe', 'stream-silence', 'reported', 'symptom'];

function isData(e: WindowEvidence): boolean {
  return e.source === 'stream-silence' || (e.source === 'probe' && e.trusted);
}

function statusOf(items: readonly WindowEvidence[]): OutageStatus {
  if (items.some(isData)) return 'confirmed';
  const reported = items.filter((e) => e.source === 'reported');
  // The user saw it, but a person's "it was down 17:18–17:27" is a recollection: it takes independent
  // data to confirm it, and data showing the host answered over the network refutes it.
  if (reported.length > 0) return reported.every((e) => e.refuted) ? 'refuted' : 'unconfirmed';
  // A probe window through which a network witness kept its pace: the host answered, whatever the
  // probe saw from where it stood. Otherwise only a probe judged to lie saw it.
  return items.some((e) => e.refuted) ? 'refuted' : 'artifact';
}

interface Piece {
  startUs: number;
  endUs: number;
  onsetSpreadUs: number;
  endSpreadUs: number;
}

/**
 * One piece per stream of evidence (a probe's windows in the group are one piece: its first start,
 * its last end), with how precisely it places the onset and the end: a probe to one poll, a silence
 * to the gap its stream's next line was due in.
 */
function piecesOf(used: readonly WindowEvidence[]): Piece[] {
  const byStream = new Map<string, WindowEvidence[]>();
  for (const e of used) {
    let list = byStream.get(e.stream);
    if (!list) byStream.set(e.stream, (list = []));
    list.push(e);
  }
  const spread = (lo: number | undefined, hi: number | undefined): number => (lo !== undefined && hi !== undefined && hi >= lo ? hi - lo : Infinity);
  return [...byStream.values()].map((list) => {
    const first = list.reduce((a, b) => (b.startUs < a.startUs ? b : a));
    const last = list.reduce((a, b) => (b.endUs > a.endUs ? b : a));
    return {
      startUs: first.startUs,
      endUs: last.endUs,
      onsetSpreadUs: spread(first.onsetEarliestUs, first.onsetLatestUs),
      endSpreadUs: spread(last.endEarliestUs, last.endLatestUs),
    };
  });
}

/**
 * The extent of a group. Silences of several streams are intersected when they overlap: the outage
 * lies where every stream was quiet (after the latest "last line before", before the earliest "first
 * line after"), which is tighter than any one stream's gap. Other evidence is added as a union.
 */
function extentOf(items: readonly WindowEvidence[]): { startUs: number; endUs: number; onsetEarliestUs: number; onsetLatestUs: number } {
  const data = items.filter(isData);
  const trusted = items.filter((e) => e.trusted);
  // Data sets the extent when there is any: a lying probe may not stretch a window that other
  // evidence stands for, nor may a recollection stretch one that data measured.
  const used = data.length > 0 ? data : trusted.length > 0 ? trusted : items;
  const silences = used.filter((e) => e.source === 'stream-silence');
  let startUs = Infinity;
  let endUs = -Infinity;
  if (silences.length > 0) {
    const latestStart = Math.max(...silences.map((e) => e.startUs));
    const earliestEnd = Math.min(...silences.map((e) => e.endUs));
    if (latestStart < earliestEnd) {
      startUs = latestStart;
      endUs = earliestEnd;
    }
  }
  for (const e of used) {
    if (e.source === 'stream-silence' && startUs < endUs && e.startUs <= endUs && e.endUs >= startUs) continue;
    startUs = Math.min(startUs, e.startUs);
    endUs = Math.max(endUs, e.endUs);
  }
  // Streams that saw the same outage place its edges with different precision: a scanner every 3 min
  // was last heard minutes before the onset a probe polling every minute places to that minute, and a
  // scanner every 2 s places it to seconds. Each edge is taken from the stream that places it most
  // precisely, when the two streams overlap (the same outage); the union would take the vaguest.
  const pieces = piecesOf(used);
  if (pieces.length > 1) {
    const onset = pieces.reduce((a, b) => (b.onsetSpreadUs < a.onsetSpreadUs || (b.onsetSpreadUs === a.onsetSpreadUs && b.startUs < a.startUs) ? b : a));
    const end = pieces.reduce((a, b) => (b.endSpreadUs < a.endSpreadUs || (b.endSpreadUs === a.endSpreadUs && b.endUs > a.endUs) ? b : a));
    const sameOutage = onset.startUs <= end.endUs && end.startUs <= onset.endUs && onset.startUs < end.endUs;
    if (sameOutage && Number.isFinite(onset.onsetSpreadUs) && Number.isFinite(end.endSpreadUs)) {
      startUs = onset.startUs;
      endUs = end.endUs;
    }
  }
  // The onset is as uncertain as the evidence says; several pieces narrow it to where they agree.
  let onsetEarliestUs = -Infinity;
  let onsetLatestUs = Infinity;
  for (const e of used) {
    if (e.onsetEarliestUs === undefined || e.onsetLatestUs === undefined) continue;
    onsetEarliestUs = Math.max(onsetEarliestUs, e.onsetEarliestUs);
    onsetLatestUs = Math.min(onsetLatestUs, e.onsetLatestUs);
  }
  if (!(onsetEarliestUs <= onsetLatestUs) || !Number.isFinite(onsetEarliestUs) || !Number.isFinite(onsetLatestUs)) {
    // No spread given, or spreads that do not meet (a probe's lag against a silence): the start itself.
    onsetEarliestUs = startUs;
    onsetLatestUs = startUs;
  }
  return { startUs, endUs, onsetEarliestUs, onsetLatestUs };
}

function finish(host: string, items: WindowEvidence[], symptoms: Series | undefined): OutageWindow {
  const { startUs, endUs, onsetEarliestUs, onsetLatestUs } = extentOf(items);
  const hasSymptom = symptoms !== undefined && weightBetween(symptoms, startUs, endUs) > 0;
  const names = new Set<OutageSourceName>(items.map((e) => e.source));
  if (hasSymptom) names.add('symptom');
  return {
    host,
    startUs,
    endUs,
    status: statusOf(items),
    sources: SOURCE_ORDER.filter((s) => names.has(s)),
    evidence: items,
    onsetEarliestUs,
    onsetLatestUs,
  };
}

/** Merges one host's evidence into windows, sorted by start. */
export function mergeWindows(host: string, evidence: readonly WindowEvidence[], symptoms: Series | undefined): OutageWindow[] {
  const sorted = [...evidence].sort(
    (a, b) => a.startUs - b.startUs || a.endUs - b.endUs || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0),
  );
  const windows: OutageWindow[] = [];
  let group: WindowEvidence[] = [];
  let groupEnd = -Infinity;
  for (const e of sorted) {
    const sameStream = group.some((g) => g.stream === e.stream);
    // Two pieces of one silence that another witness split meet at the instant it was heard: the
    // host answered then, so touching is no overlap for windows of one stream.
    const overlapping = e.startUs < groupEnd || (e.startUs === groupEnd && !sameStream);
    const near = e.startUs - groupEnd <= MERGE_NEAR_US && !sameStream;
    if (group.length > 0 && (overlapping || near)) {
      group.push(e);
      groupEnd = Math.max(groupEnd, e.endUs);
      continue;
    }
    if (group.length > 0) windows.push(finish(host, group, symptoms));
    group = [e];
    groupEnd = e.endUs;
  }
  if (group.length > 0) windows.push(finish(host, group, symptoms));
  return windows;
}
