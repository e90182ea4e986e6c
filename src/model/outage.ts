/**
 * Outage windows as the correlator finds them: instants in UTC microseconds, the status saying how
 * far a window can be trusted, and the sources that stand for it. Only `src/correlate/contract-json.ts`
 * turns these instants into the ISO strings of the contract.
 */

export const OUTAGE_STATUSES = ['confirmed', 'unconfirmed', 'refuted', 'artifact'] as const;
/**
 * `confirmed`: independent data shows it; `unconfirmed`: a reported window with no data behind it;
 * `refuted`: a reported window inside which data shows the host answered over the network;
 * `artifact`: only a lying probe saw it.
 */
export type OutageStatus = (typeof OUTAGE_STATUSES)[number];

export const OUTAGE_SOURCES = ['probe', 'stream-silence', 'reported', 'symptom'] as const;
export type OutageSourceName = (typeof OUTAGE_SOURCES)[number];

export interface OutageSpan {
  host: string;
  /** UTC microseconds. */
  startUs: number;
  endUs: number;
  status: OutageStatus;
  /** Which sources support the window, in OUTAGE_SOURCES order. */
  sources: OutageSourceName[];
  /**
   * Where the onset can really lie: the data places it in [onsetEarliestUs, onsetLatestUs] (a probe's
   * last good poll and first failed one; a silence's last line before and the instant the stream's
   * next line was due). Equal to startUs when the evidence gives no spread. The judge widens a
   * window's lead and lag zones by it, so a lead shorter than the onset's own uncertainty is never
   * read as a lead.
   */
  onsetEarliestUs: number;
  onsetLatestUs: number;
}
