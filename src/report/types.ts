import type { CorrelateResult } from '../correlate/types.js';
import type { SectionSummary } from '../store/types.js';
import type { TimelineRow } from '../timeline/types.js';

/** A group of findings the correlator judged to be one independent story (a cause and its symptoms). */
export interface Story {
  id: string;
  findings: string[];
  summary: string;
}

/** Everything `corr report` renders; gathered from the store by the CLI, rendered by pure functions here. */
export interface ReportInput {
  /** `--title`, or a default derived from hosts and the first outage date (see `defaultTitle`). */
  title: string;
  /** IANA zone shown beside UTC (default 'UTC'). */
  tz: string;
  result: CorrelateResult & { stories?: Story[] };
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
