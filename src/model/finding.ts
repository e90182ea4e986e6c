/**
 * What the correlator concluded, as typed data: one finding per judged signal, with the judge's own
 * per-window hits, so that a report shows the judge's numbers and never recomputes them. Instants are
 * UTC microseconds; `src/correlate/contract-json.ts` is the one place that turns them into the
 * contract's ISO strings and snake_case keys.
 */
import type { OutageSpan } from './outage.js';

export const VERDICTS = ['cause', 'symptom', 'background', 'artifact', 'inconclusive'] as const;
/** Chance at or below this is "unlikely by chance" (before the correction for the number of signals tested). */
export const CHANCE_THRESHOLD = 0.05;
export type Verdict = (typeof VERDICTS)[number];

/**
 * The finding kinds of the named signals (one detector record each, src/correlate/detectors.ts). A
 * new detector adds its id here; the compiler then points at everything that must know it.
 */
export type SignalKind = 'bridge-churn' | 'apiserver-timeout' | 'lease-failure';

export interface BurstSpan {
  startUs: number;
  endUs: number;
  /** Weighted number of events (a `message repeated N times` line weighs N). */
  count: number;
}

export interface EvidenceLine {
  tsUs: number;
  file: string;
  line: number;
  /** The message, capped (log text is hostile); file:line leads to the whole line. */
  text: string;
  /** The host that logged it: set on cross-host findings, whose lines come from two hosts. */
  host?: string;
}

/** One confirmed window that a finding's events reached, exactly as the judge counted it. */
export interface WindowHit {
  /** Index of the window in the result's `outages`. */
  outage: number;
  /** The signal's first event in the window's zone (lead zone plus the window itself). */
  firstUs: number;
  /** Seconds from that event to the onset: positive when it leads, negative when it lags. */
  leadS: number;
  /** Whether the signal had an event in the window's lead zone (it "led" this onset). */
  led: boolean;
}

/** A rule of the judge, met or failed, with the figure it compared. */
export interface RuleCheck {
  rule: string;
  met: boolean;
  /** The figures compared, as a short phrase (`6 of 6 onsets led > half`). */
  detail: string;
}

/** The judge's figures for a signal judged against its host's confirmed windows. */
export interface JudgedFigures {
  eventsTotal: number;
  eventsInside: number;
  /** Events in lead zones, not inside windows. */
  eventsLead: number;
  eventsOutside: number;
  /** Median of the per-window leads in seconds (negative: after the onset), null without hits. */
  leadS: number | null;
  onsetsLed: number;
  burstsTotal: number;
  /** Bursts that start outside every zone. */
  burstsOutside: number;
  /** Windows inside which the signal fell silent (reported for background streams). */
  outagesSilent: number;
  /**
   * How much likelier an onset is in the lead time after one of its bursts than at other times
   * (onsets per unit of time after bursts over onsets per unit of time elsewhere), with a 90 %
   * interval; null when it cannot be computed.
   */
  likelihoodRatio: number | null;
  likelihoodLow: number | null;
  likelihoodHigh: number | null;
  /** The rules checked on the way to the verdict, in order. */
  rules: RuleCheck[];
}

interface FindingBase {
  id: string;
  host: string;
  verdict: Verdict;
  startUs: number;
  endUs: number;
  bursts: BurstSpan[];
  /** Confirmed windows the signal reached (= hits.length for judged findings). */
  outagesHit: number;
  outagesTotal: number;
  /** Permutation chance, null when not computed. */
  chance: number | null;
  /** One sentence with the figures; never contradicts them. */
  summary: string;
  evidence: EvidenceLine[];
  hits: WindowHit[];
  /** Why the verdict, as a clause that can follow "because". */
  reason: string;
}

interface JudgedBase extends FindingBase {
  figures: JudgedFigures;
}

export interface SignalFinding extends JudgedBase {
  kind: SignalKind;
}

export interface SshBruteforceFinding extends JudgedBase {
  kind: 'ssh-bruteforce';
  sourceIp: string;
  attempts: number;
  /** Distinct user names tried. */
  usernames: number;
  ratePerMin: number;
  peakPer10min: number;
  acceptedLogins: number;
}

export interface TemplateBurstFinding extends JudgedBase {
  kind: 'template-burst';
  template: string;
  eventKind: string;
}

export interface ProbeArtifactFinding extends FindingBase {
  kind: 'probe-artifact';
  verdict: 'artifact';
  /** Median period of the fake cycle, when it is periodic. */
  periodS: number | null;
  reasons: string[];
  /** Lying windows, and trusted ones before the lie. */
  windows: number;
  trustedWindows: number;
}

export interface ProbeClockFinding extends FindingBase {
  kind: 'probe-clock';
  verdict: 'artifact';
  /** Seconds the probe's clock runs ahead of the other sources (negative: behind). */
  offsetS: number;
  /** Half the width of the offsets every matched window allows. */
  offsetUncertaintyS: number;
  /** Whether the probe's windows were used realigned by the offset, or not at all. */
  realigned: boolean;
  reasons: string[];
}

/**
 * A signal on one host judged against the confirmed windows of another host of its cluster
 * (src/correlate/cross-host.ts): `host` is the signal's host, `windowsHost` the host whose outages
 * it was judged against; `hits` index those outages.
 */
export interface CrossHostFinding extends JudgedBase {
  kind: 'cross-host';
  /** The finding kind the signal has on its own host (`bridge-churn`, ..., `ssh-bruteforce`, `template-burst`). */
  signalKind: SignalKind | 'ssh-bruteforce' | 'template-burst';
  /** A brute force's source address (signalKind `ssh-bruteforce`). */
  sourceIp?: string;
  /** A discovered template and its event kind (signalKind `template-burst`). */
  template?: string;
  eventKind?: string;
  windowsHost: string;
  /** The hosts of the cluster, sorted, and why they are one. */
  cluster: string[];
  clusterRule: string;
  /**
   * Tests counted in the correction of the finding's family (named signals and brute forces: their
   * pairs, Tarone; templates: every template candidate of every pair), and the chance it had to reach.
   */
  pairsTested: number;
  chanceNeeded: number;
}

export type Finding = SignalFinding | SshBruteforceFinding | TemplateBurstFinding | ProbeArtifactFinding | ProbeClockFinding | CrossHostFinding;
export type FindingKind = Finding['kind'];
export type JudgedFinding = SignalFinding | SshBruteforceFinding | TemplateBurstFinding | CrossHostFinding;

export function isJudged(f: Finding): f is JudgedFinding {
  return 'figures' in f;
}

/** Findings grouped into independent stories (a cause with its symptoms; a brute force; a lying probe). */
export interface Story {
  id: string;
  /** Finding ids. */
  findings: string[];
  summary: string;
}

/** The whole result of `corr correlate`, before it is written as the contract's JSON. */
export interface CorrelationResult {
  outages: OutageSpan[];
  findings: Finding[];
  stories: Story[];
}
