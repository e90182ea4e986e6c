/**
 * What `corr correlate --json` prints (../shared/CONTRACT.md): the contract's JSON shapes. All
 * instants are ISO-8601 UTC strings with `Z`. They are written by one function only
 * (contract-json.ts, `toContractJson`) from the typed result in src/model/; code that reasons about
 * findings should use the model, whose instants are microseconds.
 */
import type { OutageSourceName, OutageStatus } from '../model/outage.js';
import type { RuleCheck, Verdict } from '../model/finding.js';

export type { OutageSourceName, OutageStatus } from '../model/outage.js';
export type { Verdict } from '../model/finding.js';

export type OutageJson = {
  host: string;
  start: string;
  end: string;
  status: OutageStatus;
  /** Which sources support the window: `probe`, `stream-silence`, `reported`, `symptom`. */
  sources: OutageSourceName[];
  /** Where the onset can lie, when the evidence gives a spread: [onset_earliest, onset_latest] (a probe's poll interval, a silence's edges). */
  onset_earliest?: string;
  onset_latest?: string;};

export type Burst = {
  start: string;
  end: string;
  count: number;};

export type Evidence = {
  ts: string;
  file: string;
  line: number;
  text: string;
  /** On cross-host findings only: the host that logged the line. */
  host?: string;};

/** One confirmed window a finding reached, as the judge counted it. */
export type HitJson = {
  /** Index into `outages`. */
  outage: number;
  /** The signal's first event in the window's zone. */
  first: string;
  /** Seconds from that event to the onset: positive leads, negative lags. */
  lead_s: number;
  /** Whether it had an event in the window's lead zone. */
  led: boolean;};

export type RuleJson = {
  rule: string;
  met: boolean;
  detail: string;};

/** Keys every finding has. */
export type FindingCommon = {
  id: string;
  host: string;
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
  /** The judge's per-window hits (the report shows these, never its own). */
  hits: HitJson[];
  reason: string;};

/** The judge's figures, on every judged finding (not on probe findings). */
export type JudgedJson = {
  events_total: number;
  events_inside: number;
  events_lead: number;
  events_outside: number;
  lead_s: number | null;
  onsets_led: number;
  bursts_total: number;
  bursts_outside: number;
  /** Windows inside which the signal fell silent: on background findings only. */
  outages_silent?: number;
  likelihood_ratio: number | null;
  likelihood_low: number | null;
  likelihood_high: number | null;
  rules: RuleJson[];};

export type SignalFindingJson = FindingCommon & JudgedJson & {
  kind: 'bridge-churn' | 'apiserver-timeout' | 'lease-failure';};

export type SshBruteforceJson = FindingCommon & JudgedJson & {
  kind: 'ssh-bruteforce';
  source_ip: string;
  attempts: number;
  usernames: number;
  rate_per_min: number;
  peak_per_10min: number;
  accepted_logins: number;};

export type TemplateBurstJson = FindingCommon & JudgedJson & {
  kind: 'template-burst';
  template: string;
  event_kind: string;};

export type ProbeArtifactJson = FindingCommon & {
  kind: 'probe-artifact';
  period_s?: number;
  reasons: string[];
  windows: number;
  trusted_windows: number;};

export type ProbeClockJson = FindingCommon & {
  kind: 'probe-clock';
  offset_s: number;
  offset_uncertainty_s: number;
  realigned: boolean;
  reasons: string[];};

/** A signal of `host` judged against the outages of `windows_host`, another host of its cluster. */
export type CrossHostJson = FindingCommon & JudgedJson & {
  kind: 'cross-host';
  signal_kind: 'bridge-churn' | 'apiserver-timeout' | 'lease-failure' | 'ssh-bruteforce' | 'template-burst';
  /** signal_kind `ssh-bruteforce`: the campaign's address. */
  source_ip?: string;
  /** signal_kind `template-burst`: the template and its event kind. */
  template?: string;
  event_kind?: string;
  windows_host: string;
  cluster: string[];
  cluster_rule: string;
  pairs_tested: number;
  chance_needed: number;};

/** A finding exactly as `corr correlate --json` writes it, one shape per kind. */
export type FindingJson = SignalFindingJson | SshBruteforceJson | TemplateBurstJson | ProbeArtifactJson | ProbeClockJson | CrossHostJson;

/**
 * A finding as a reader of the JSON sees it when it does not narrow on `kind`: the common keys typed,
 * the rest looked up by name. Kept for the report until it reads src/model/ (whose findings are a
 * typed union with the judge's hits); new code should not use it.
 */
export type Finding = Omit<FindingCommon, 'hits' | 'reason' | 'kind'> & {
  kind: string;
  hits?: HitJson[];
  reason?: string;
  [extra: string]: unknown;
};

export type Outage = OutageJson;

export type StoryJson = {
  id: string;
  findings: string[];
  summary: string;};

export type CorrelateResult = {
  outages: Outage[];
  findings: Finding[];};

/** What `corr correlate --json` prints: the contract's keys plus `stories`. */
export type CorrelateJson = {
  outages: OutageJson[];
  findings: FindingJson[];
  stories: StoryJson[];};

export type { RuleCheck };
