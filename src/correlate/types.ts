/**
 * What `corr correlate --json` prints (../shared/CONTRACT.md) and what `corr report` renders.
 * All instants are ISO-8601 UTC strings with `Z`.
 */

export type OutageStatus = 'confirmed' | 'unconfirmed' | 'refuted' | 'artifact';
export type OutageSourceName = 'probe' | 'stream-silence' | 'reported' | 'symptom';

export interface Outage {
  host: string;
  start: string;
  end: string;
  status: OutageStatus;
  /** Which sources support the window: `probe`, `stream-silence`, `reported`, `symptom`. */
  sources: string[];
  /**
   * Seconds after `start` within which the onset lies (a probe's poll interval, a silence's edge):
   * what a lead or lag shorter than this cannot tell apart. Null when the evidence does not say.
   */
  onset_uncertainty_s?: number | null;
}

export type Verdict = 'cause' | 'symptom' | 'background' | 'artifact' | 'inconclusive';

export interface Burst {
  start: string;
  end: string;
  count: number;
}

export interface Evidence {
  ts: string;
  file: string;
  line: number;
  text: string;
}

export interface Finding {
  id: string;
  host: string;
  /** `bridge-churn`, `apiserver-timeout`, `ssh-bruteforce`, `probe-artifact`, `template-burst`, ... */
  kind: string;
  verdict: Verdict;
  start: string;
  end: string;
  bursts: Burst[];
  outages_hit: number;
  outages_total: number;
  /** Share of random shifts of the windows that hit as many onsets (permutation test); null when not computed. */
  chance: number | null;
  summary: string;
  evidence: Evidence[];
  /** Kind-specific and explanatory extras (source_ip, attempts, usernames, period_s, template, lead_s ...). */
  [extra: string]: unknown;
}

export interface CorrelateResult {
  outages: Outage[];
  findings: Finding[];
}
