import type { Finding } from '../model/finding.js';
import type { OutageStatus } from '../model/outage.js';
import type { ReportInput, Story } from './types.js';

/**
 * The report's reading of the correlator's typed result (src/model/), done once: instants as epoch
 * milliseconds (what luxon formats), the kind-specific figures flattened into optional fields, and
 * each finding's per-window hits exactly as the judge counted them. Sections read only this view:
 * none parses a string, and none re-derives what the judge decided.
 */

export interface ViewWindow {
  /** Index in the correlator's `outages` (what a hit refers to). */
  index: number;
  host: string;
  startMs: number;
  endMs: number;
  status: OutageStatus;
  sources: string[];
}

/** One confirmed window a finding reached, as the judge counted it. */
export interface ViewHit {
  /** Index into the correlator's outages (ViewWindow.index). */
  window: number;
  /** Seconds from the signal's first event in the window's zone to the onset: positive leads, negative lags. */
  leadS: number;
  /** Whether the signal had an event in the window's lead zone. */
  led: boolean;
}

export interface ViewBurst {
  startMs: number;
  endMs: number;
  count: number;
}

export interface ViewEvidence {
  ms: number;
  file: string;
  line: number;
  text: string;
  /** The host that logged it, on cross-host findings (their lines come from two hosts). */
  host: string | null;
}

export interface ViewFinding {
  id: string;
  host: string;
  kind: string;
  verdict: Finding['verdict'];
  startMs: number;
  endMs: number;
  bursts: ViewBurst[];
  outagesHit: number;
  outagesTotal: number;
  chance: number | null;
  summary: string;
  reason: string;
  evidence: ViewEvidence[];
  hits: ViewHit[];
  /** The judge's median lead over the windows it reached, in seconds (positive leads); null for probe findings. */
  leadS: number | null;
  sourceIp: string | null;
  attempts: number | null;
  usernames: number | null;
  ratePerMin: number | null;
  periodS: number | null;
  template: string | null;
  reasons: string[];
  /** Cross-host findings: the signal's own kind, the host whose outages it was judged against, and the correction. */
  signalKind: string | null;
  windowsHost: string | null;
  cluster: string[];
  clusterRule: string | null;
  pairsTested: number | null;
  chanceNeeded: number | null;
}

export interface View {
  windows: ViewWindow[];
  findings: ViewFinding[];
  stories: Story[];
}

export function viewOf(input: ReportInput): View {
  const windows = input.result.outages.map((o, index): ViewWindow => ({
    index,
    host: o.host,
    startMs: usToMs(o.startUs),
    endMs: usToMs(o.endUs),
    status: o.status,
    sources: [...o.sources],
  }));
  const findings = input.result.findings.map(findingView);
  return { windows: [...windows].sort((a, b) => a.startMs - b.startMs || a.index - b.index), findings, stories: input.result.stories };
}

/** Real outage windows (not a lying monitor's), in time order. */
export function realWindows(view: View): ViewWindow[] {
  return view.windows.filter((w) => w.status !== 'artifact' && w.status !== 'refuted');
}

export function byVerdict(view: View, verdict: Finding['verdict']): ViewFinding[] {
  return view.findings.filter((f) => f.verdict === verdict);
}

export function findingById(view: View, id: string): ViewFinding | undefined {
  return view.findings.find((f) => f.id === id);
}

/** `F1 bridge-churn`: how a finding is named in headings, lanes and table columns; `F4 cross-host bridge-churn cp→w1` across hosts. */
export function findingLabel(f: ViewFinding): string {
  return f.windowsHost === null ? `${f.id} ${f.kind}` : `${f.id} cross-host ${f.signalKind} ${f.host}→${f.windowsHost}`;
}

/** Cross-host findings are told in their own section (sections/cross-host.ts), not as stories. */
export function isCrossHost(f: ViewFinding): boolean {
  return f.windowsHost !== null;
}

const usToMs = (us: number): number => Math.floor(us / 1000);

function findingView(f: Finding): ViewFinding {
  const judged = 'figures' in f ? f.figures : null;
  return {
    id: f.id,
    host: f.host,
    kind: f.kind,
    verdict: f.verdict,
    startMs: usToMs(f.startUs),
    endMs: usToMs(f.endUs),
    bursts: f.bursts.map((b) => ({ startMs: usToMs(b.startUs), endMs: usToMs(Math.max(b.startUs, b.endUs)), count: b.count })),
    outagesHit: f.outagesHit,
    outagesTotal: f.outagesTotal,
    chance: f.chance,
    summary: f.summary,
    reason: f.reason,
    evidence: f.evidence.map((e) => ({ ms: usToMs(e.tsUs), file: e.file, line: e.line, text: e.text, host: e.host ?? null })),
    hits: f.hits.map((h) => ({ window: h.outage, leadS: h.leadS, led: h.led })),
    leadS: judged?.leadS ?? null,
    sourceIp: f.kind === 'ssh-bruteforce' ? f.sourceIp : null,
    attempts: f.kind === 'ssh-bruteforce' ? f.attempts : null,
    usernames: f.kind === 'ssh-bruteforce' ? f.usernames : null,
    ratePerMin: f.kind === 'ssh-bruteforce' ? f.ratePerMin : null,
    periodS: f.kind === 'probe-artifact' ? f.periodS : null,
    template: f.kind === 'template-burst' ? f.template : null,
    reasons: f.kind === 'probe-artifact' || f.kind === 'probe-clock' ? f.reasons : [],
    signalKind: f.kind === 'cross-host' ? f.signalKind : null,
    windowsHost: f.kind === 'cross-host' ? f.windowsHost : null,
    cluster: f.kind === 'cross-host' ? [...f.cluster] : [],
    clusterRule: f.kind === 'cross-host' ? f.clusterRule : null,
    pairsTested: f.kind === 'cross-host' ? f.pairsTested : null,
    chanceNeeded: f.kind === 'cross-host' ? f.chanceNeeded : null,
  };
}
