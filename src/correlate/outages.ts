/**
 * Outage windows: every piece of evidence that a host was unreachable (probe down periods, stream
 * silences, windows the user reported) merged into one window per outage, with a status saying how
 * far it can be trusted. Symptom events strengthen a window but never make one.
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
}

export interface OutageWindow {
  host: string;
  startUs: number;
  endUs: number;
  status: OutageStatus;
  sources: OutageSourceName[];
  evidence: WindowEvidence[];
}

const SOURCE_ORDER: OutageSourceName[] = ['probe', 'stream-silence', 'reported', 'symptom'];

function statusOf(items: readonly WindowEvidence[], hasSymptom: boolean): OutageStatus {
  const data = items.some((e) => e.source === 'stream-silence' || (e.source === 'probe' && e.trusted));
  if (data) return 'confirmed';
  const reported = items.some((e) => e.source === 'reported');
  // The user saw it, but a person's "it was down 17:18–17:27" is a recollection; it takes one data source to confirm.
  if (reported) return hasSymptom ? 'confirmed' : 'unconfirmed';
  return 'artifact';
}

/**
 * The extent of a group. Silences of several streams are intersected when they overlap: the outage
 * lies where every stream was quiet (after the latest "last line before", before the earliest "first
 * line after"), which is tighter than any one stream's gap. Other evidence is added as a union.
 */
function extentOf(items: readonly WindowEvidence[]): { startUs: number; endUs: number } {
  const trusted = items.filter((e) => e.trusted);
  // A lying probe may not stretch a window that other evidence stands for.
  const used = trusted.length > 0 ? trusted : items;
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
  return { startUs, endUs };
}

function finish(host: string, items: WindowEvidence[], symptoms: Series | undefined): OutageWindow {
  const { startUs, endUs } = extentOf(items);
  const hasSymptom = symptoms !== undefined && weightBetween(symptoms, startUs, endUs) > 0;
  const names = new Set<OutageSourceName>(items.map((e) => e.source));
  if (hasSymptom) names.add('symptom');
  return {
    host,
    startUs,
    endUs,
    status: statusOf(items, hasSymptom),
    sources: SOURCE_ORDER.filter((s) => names.has(s)),
    evidence: items,
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
    const overlapping = e.startUs <= groupEnd;
    const near = e.startUs - groupEnd <= MERGE_NEAR_US && !group.some((g) => g.stream === e.stream);
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
