/** What every classifier returns (its own file, so that the classifiers and their list import it without a circle). */
import type { Fields, Severity } from '../types.js';

export interface Classification {
  source: string;
  kind: string;
  severity: Severity;
  fields: Fields;
  /** Set for `message repeated N times: [ ... ]`. */
  repeated?: number;
  /** The message with any wrapper removed (e.g. the inside of `message repeated N times: [ ... ]`). */
  message?: string;
}
