/**
 * Turns a judged signal into a finding: bursts, figures, the one-sentence summary and evidence lines
 * chosen to prove the verdict.
 */
import type { EventTable } from './event-table.js';
import type { Burst, Finding, Verdict } from './types.js';
import { type Cluster, MAX_REPORTED_BURSTS, MIN_REPORTED_BURST } from './bursts.js';
import { evidenceFrom } from './evidence.js';
import type { Judgement, WindowLike } from './judge.js';
import { LEAD_AFTER_US, LEAD_BEFORE_US } from './judge.js';
import { type Series, firstBetween, lowerBound } from './series.js';
import { MINUTE_US, iso, round3 } from './stats.js';

/** A finding before ids are assigned (ids follow the final order; `id` is '' until then). */
export interface FindingDraft {
  finding: Finding;
  /** Confirmed windows (indices on the host) the finding is tied to; stories are grouped by these. */
  hitWindows: number[];
  /** Tie-breaker for a stable order among findings of one kind (source ip, template). */
  key: string;
}

const VERDICT_RANK: Record<Verdict, number> = { cause: 0, symptom: 1, artifact: 2, background: 3, inconclusive: 4 };

export function compareDrafts(a: FindingDraft, b: FindingDraft): number {
  const fa = a.finding;
  const fb = b.finding;
  return (
    VERDICT_RANK[fa.verdict] - VERDICT_RANK[fb.verdict] ||
    cmp(fa.host, fb.host) ||
    cmp(fa.start, fb.start) ||
    cmp(fa.kind, fb.kind) ||
    cmp(a.key, b.key)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Bursts worth printing: those in or near outages first, then the largest, shown in time order. */
export function reportedBursts(all: readonly Cluster[], windows: readonly WindowLike[]): Burst[] {
  const near = (c: Cluster): boolean =>
    windows.some((w) => c.startUs <= Math.max(w.endUs, w.startUs + LEAD_AFTER_US) && c.endUs >= w.startUs - LEAD_BEFORE_US);
  const candidates = all.filter((c) => c.count >= MIN_REPORTED_BURST);
  const ranked = [...candidates].sort(
    (a, b) => Number(near(b)) - Number(near(a)) || b.count - a.count || a.startUs - b.startUs,
  );
  return ranked
    .slice(0, MAX_REPORTED_BURSTS)
    .sort((a, b) => a.startUs - b.startUs)
    .map((c) => ({ start: iso(c.startUs), end: iso(c.endUs), count: c.count }));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function chanceText(chance: number | null): string {
  return chance === null ? 'chance not computed' : `chance ${chance}`;
}

function summaryOf(label: string, j: Judgement): string {
  const n = j.outagesTotal;
  const hits = j.hitWindows.length;
  switch (j.verdict) {
    case 'cause':
      return `${label}: bursts lead or coincide with ${j.leadHits} of ${plural(n, 'outage onset')} (median lead ${j.leadS ?? 0} s); ${j.clustersOutside} of ${plural(j.clusters.length, 'burst')} fall outside outages; ${chanceText(j.chance)}.`;
    case 'symptom':
      return `${label}: inside ${hits} of ${plural(n, 'outage')}, a median ${Math.abs(j.leadS ?? 0)} s after onset, and never before one (${j.eventsInside} of ${j.total} events inside).`;
    case 'background':
      return `${label}: runs through ${Math.round(j.outsideActiveUs / MINUTE_US)} min without outages (${j.eventsOutside} of ${j.total} events outside them) and does not rise before onsets (rate ratio ${round3(j.rise ?? 0)}); it falls silent inside ${j.silentIn} of ${plural(n, 'outage')}.`;
    default:
      return `${label}: inconclusive, because ${j.reason} (${hits} of ${plural(n, 'outage')} hit, ${chanceText(j.chance)}).`;
  }
}

/** Evidence that proves the verdict: the first line of the burst nearest each onset, and so on. */
function evidenceOf(s: Series, j: Judgement, windows: readonly WindowLike[]): number[] {
  const picks: number[] = [];
  const at = (k: number): void => {
    if (k >= 0 && k < s.eventIndex.length) picks.push(s.eventIndex[k]!);
  };
  if (j.verdict === 'cause') {
    for (const w of windows) at(firstBetween(s, w.startUs - LEAD_BEFORE_US, w.startUs + LEAD_AFTER_US));
  } else if (j.verdict === 'symptom') {
    for (const i of j.hitWindows) at(firstBetween(s, windows[i]!.startUs, windows[i]!.endUs));
  } else if (j.verdict === 'background') {
    at(0);
    // The last line before each outage and the first after it: the stream's silence, shown.
    for (const w of windows) {
      if (picks.length >= 9) break;
      at(lowerBound(s.ts, w.startUs) - 1);
    }
    at(s.ts.length - 1);
  } else {
    for (const c of j.clusters.slice(0, 10)) at(c.first);
  }
  return picks;
}

export interface SignalFindingInput {
  events: EventTable;
  host: string;
  kind: string;
  label: string;
  series: Series;
  judgement: Judgement;
  windows: readonly WindowLike[];
  key?: string;
  /** Kind-specific extras placed before the common ones. */
  extras?: Record<string, unknown>;
}

export function signalFinding(input: SignalFindingInput): FindingDraft {
  const { series: s, judgement: j } = input;
  const finding: Finding = {
    id: '',
    host: input.host,
    kind: input.kind,
    verdict: j.verdict,
    start: iso(s.ts[0]!),
    end: iso(s.ts[s.ts.length - 1]!),
    bursts: reportedBursts(j.clusters, input.windows),
    outages_hit: j.hitWindows.length,
    outages_total: j.outagesTotal,
    chance: j.chance,
    summary: summaryOf(input.label, j),
    evidence: evidenceFrom(input.events, evidenceOf(s, j, input.windows)),
    ...(input.extras ?? {}),
    events_total: j.total,
    events_inside: j.eventsInside,
    events_lead: j.eventsLead,
    events_outside: j.eventsOutside,
    lead_s: j.leadS,
    onsets_led: j.leadHits,
    // Falling silent inside outages is what makes a steady stream evidence for them.
    ...(j.verdict === 'background' ? { outages_silent: j.silentIn } : {}),
    bursts_total: j.clusters.length,
    reason: j.reason,
  };
  // Only outages the signal is tied to by its verdict group stories; background merely surrounds them.
  const tied = j.verdict === 'cause' || j.verdict === 'symptom' ? j.hitWindows : [];
  return { finding, hitWindows: tied, key: input.key ?? '' };
}
