import type { EventRow } from '../store/types.js';

/**
 * A timeline row: one event, or a burst of consecutive events of one host, source and message
 * template folded into one row (`count` > 1, `template` set, `message` the template with its variable
 * parts masked).
 */
export interface TimelineRow extends EventRow {
  /** First and last instant of the burst (equal to tsUs for a single event), UTC microseconds. */
  firstUs: number;
  lastUs: number;
  /** The masked template when the row is a collapsed burst of more than one event. */
  template?: string;
  /** How many stored rows were folded (count sums their `count`, which may be larger for repeats). */
  rows: number;
}
