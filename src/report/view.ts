import type { Finding as ContractFinding, Outage } from '../correlate/types.js';
import { LEAD_AFTER_US, LEAD_BEFORE_US } from '../correlate/judge.js';
import type { ReportInput, Story } from './types.js';
import { isoToMs } from './time.js';

/**
 * The report's reading of the correlator's result, done once: instants as epoch milliseconds, the
 * kind-specific figures as typed optional fields, and each finding's per-window hits exactly as the
 * judge counted them. Every section reads this view, never the raw result, so no section parses a
 * string or re-derives a verdict.
 */

export interface ViewWindow {
  /** Index in the correlator's `outages` (what a hit refers to). */
  index: number;
  host: string;
  startMs: number;
  endMs: number;
  status: Outage['status'];
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
  ms: number | null;
  ts: string;
  file: string;
  line: number;
  text: string;
}

export interface ViewFinding {
  id: string;
  host: string;
  kind: string;
  verdict: ContractFinding['verdict'];
  startMs: number | null;
  endMs: number | null;
  bursts: ViewBurst[];
  outagesHit: number;
  outagesTotal: number;
  chance: number | null;
  summary: string;
  reason: string | null;
  evidence: ViewEvidence[];
  hits: ViewHit[];
  /** Median lead over the hit windows in seconds (positive leads), as the judge gives it. */
  leadS: number | null;
  sourceIp: string | null;
  attempts: number | null;
  usernames: number | null;
  ratePerMin: number | null;
  periodS: number | null;
  template: string | null;
  target: string | null;
  reasons: string[];
}

export interface View {
  windows: ViewWindow[];
  findings: ViewFinding[];
  stories: Story[];
}

export function viewOf(input: ReportInput): View {
  const windows = input.result.outages.flatMap((o, index): ViewWindow[] => {
    const startMs = isoToMs(o.start);
    const endMs = isoToMs(o.end);
    return startMs === null || endMs === null ? [] : [{ index, host: o.host, startMs, endMs, status: o.status, sources: o.sources }];
  });
  const findings = input.result.findings.map((f) => findingView(f, windows));
  const stories = input.result.stories ?? findings.map((f, i) => ({ id: `S${i + 1}`, findings: [f.id], summary: f.summary }));
  return { windows: [...windows].sort((a, b) => a.startMs - b.startMs || a.index - b.index), findings, stories };
}

/** Real outage windows (not a lying monitor's), in time order. */
export function realWindows(view: View): ViewWindow[] {
  return view.windows.filter((w) => w.status !== 'artifact' && (w.status as string) !== 'refuted');
}

export function byVerdict(view: View, verdict: ContractFinding['verdict']): ViewFinding[] {
  return view.findings.filter((f) => f.verdict === verdict);
}

export function findingById(view: View, id: string): ViewFinding | undefined {
  return view.findings.find((f) => f.id === id);
}

/** `F1 bridge-churn`: how a finding is named in headings, lanes and table columns. */
export function findingLabel(f: ViewFinding): string {
  return `${f.id} ${f.kind}`;
}

function findingView(f: ContractFinding, windows: readonly ViewWindow[]): ViewFinding {
  const bursts = f.bursts.flatMap((b): ViewBurst[] => {
    const s = isoToMs(b.start);
    const e = isoToMs(b.end);
    return s === null ? [] : [{ startMs: s, endMs: e === null || e < s ? s : e, count: b.count }];
  });
  const evidence = f.evidence.map((e) => ({ ms: isoToMs(e.ts), ts: e.ts, file: e.file, line: e.line, text: e.text }));
  const num = (k: string): number | null => (typeof f[k] === 'number' && Number.isFinite(f[k]) ? (f[k] as number) : null);
  const str = (k: string): string | null => (typeof f[k] === 'string' ? (f[k] as string) : null);
  const reasons = Array.isArray(f['reasons']) ? (f['reasons'] as unknown[]).filter((r): r is string => typeof r === 'string') : [];
  const view: ViewFinding = {
    id: f.id,
    host: f.host,
    kind: f.kind,
    verdict: f.verdict,
    startMs: isoToMs(f.start),
    endMs: isoToMs(f.end),
    bursts,
    outagesHit: f.outages_hit,
    outagesTotal: f.outages_total,
    chance: f.chance,
    summary: f.summary,
    reason: str('reason'),
    evidence,
    hits: [],
    // The contract's lead_s: positive when the signal leads the onset, negative when it follows.
    leadS: num('lead_s'),
    sourceIp: str('source_ip'),
    attempts: num('attempts'),
    usernames: num('usernames'),
    ratePerMin: num('rate_per_min'),
    periodS: num('period_s'),
    template: str('template'),
    target: str('target'),
    reasons,
  };
  view.hits = judgedHits(f, view, windows);
  return view;
}

/**
 * The judge's per-window hits. TEMPORARY until the correlator's typed findings (src/model/finding.ts)
 * carry them: the windows are the judge's (confirmed ones of the finding's host) and the zones its own
 * constants, so the table cannot disagree with `outages_hit`; a test compares the two on every fixture.
 */
function judgedHits(f: ContractFinding, view: ViewFinding, windows: readonly ViewWindow[]): ViewHit[] {
  const supplied = f['hits'];
  if (Array.isArray(supplied)) {
    return supplied.flatMap((h): ViewHit[] => {
      const r = h as Record<string, unknown>;
      return typeof r['outage'] === 'number' && typeof r['lead_s'] === 'number'
        ? [{ window: r['outage'], leadS: r['lead_s'], led: r['led'] === true }]
        : [];
    });
  }
  if (f.verdict === 'artifact') return [];
  const before = LEAD_BEFORE_US / 1000;
  const after = LEAD_AFTER_US / 1000;
  const points = view.bursts.length > 0 ? view.bursts : view.evidence.flatMap((e) => (e.ms === null ? [] : [{ startMs: e.ms, endMs: e.ms, count: 1 }]));
  const hits: ViewHit[] = [];
  for (const w of windows) {
    if (w.status !== 'confirmed' || w.host !== f.host) continue;
    const zoneStart = w.startMs - before;
    const zoneEnd = Math.max(w.startMs + after, w.endMs);
    const inZone = points.filter((b) => b.endMs >= zoneStart && b.startMs <= zoneEnd);
    if (inZone.length === 0) continue;
    const first = Math.max(zoneStart, Math.min(...inZone.map((b) => b.startMs)));
    hits.push({ window: w.index, leadS: Math.round((w.startMs - first) / 1000), led: first <= w.startMs + after });
  }
  return hits;
}
