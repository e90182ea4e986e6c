/**
 * Bursts: runs of a signal's events with no gap of BURST_GAP or more. A docker network being created
 * writes its bridge/veth lines within seconds; 90 s keeps one job's lines together while two jobs
 * minutes apart stay two bursts. A steady stream (one event every 8 s) becomes one long burst, which
 * is exactly what tells it apart from bursts at onsets.
 */
import type { Series } from './series.js';
import { SECOND_US } from './stats.js';

export const BURST_GAP_US = 90 * SECOND_US;
/** Bursts printed in a finding need this many events; smaller clusters still count in the verdict. */
export const MIN_REPORTED_BURST = 2;
/** At most this many bursts are printed per finding (the verdict uses all of them). */
export const MAX_REPORTED_BURSTS = 50;

export interface Cluster {
  startUs: number;
  endUs: number;
  /** Weighted number of events. */
  count: number;
  /** Position of the first point in the series. */
  first: number;
}

export function clusters(s: Series, gapUs: number = BURST_GAP_US): Cluster[] {
  const out: Cluster[] = [];
  let current: Cluster | null = null;
  for (let k = 0; k < s.ts.length; k++) {
    const t = s.ts[k]!;
    if (current && t - current.endUs < gapUs) {
      current.endUs = t;
      current.count += s.weight[k]!;
    } else {
      current = { startUs: t, endUs: t, count: s.weight[k]!, first: k };
      out.push(current);
    }
  }
  return out;
}
