import type { CorrelationResult } from '../model/finding.js';
import type { SectionSummary } from '../model/source.js';
import type { TimelineRow } from '../timeline/types.js';

export type { Story } from '../model/finding.js';

/** Everything `corr report` renders; gathered from the store by the CLI, rendered by pure functions here. */
export interface ReportInput {
  /** `--title`, or a default derived from hosts and the first outage date (see `defaultTitle`). */
  title: string;
  /** IANA zone shown beside UTC (default 'UTC'). */
  tz: string;
  /** The correlator's typed result: findings with the judge's own per-window hits, instants in microseconds. */
  result: CorrelationResult;
  /**
   * The lines the report quotes and draws, collapsed into bursts, in time order: every probe line of
   * the report's span and every line inside the first outage window. Never the whole store: the
   * full timeline is a `corr timeline` command the report prints.
   */
  timeline: TimelineRow[];
  /** What was ingested, with the assumptions made. */
  sources: SectionSummary[];
  /** As the user typed them; echoed (escaped) so a reader can reproduce the report. */
  options: { since?: string; until?: string; windows: string[]; db?: string };
}
