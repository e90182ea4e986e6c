/**
 * Turns a judged signal into a finding: bursts, the judge's figures and per-window hits, the
 * one-sentence summary and evidence lines chosen to prove the verdict. Instants stay microseconds
 * (src/model/finding.ts); contract-json.ts writes them as the contract's JSON.
 */
import type { EventTable } from './event-table.js';
import type { BurstSpan, Finding, JudgedFigures, Verdict, WindowHit } from '../model/finding.js';
import { type Cluster, MAX_REPORTED_BURSTS, MIN_REPORTED_BURST } from './bursts.js';
import { evidenceFrom } from './evidence.js';
import type { Judgement, WindowLike } from './judge.js';
import { leadZoneOf, zoneOf } from './judge.js';
import { type Series, firstBetween, lowerBound } from './series.js';
import { MINUTE_US, round3 } from './stats.js';

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
    Math.floor(fa.startUs / 1000) - Math.floor(fb.startUs / 1000) ||
    cmp(fa.kind, fb.kind) ||
    cmp(a.key, b.key)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Bursts worth printing: those in or near outages first, then the largest, shown in time order. */
export function reportedBursts(all: readonly Cluster[], windows: readonly WindowLike[]): BurstSpan[] {
  const near = (c: Cluster): boolean =>
    windows.some((w) => {
      const z = zoneOf(w);
      return c.startUs <= z.endUs && c.endUs >= z.startUs;
    });
  const candidates = all.filter((c) => c.count >= MIN_REPORTED_BURST);
  const ranked = [...candidates].sort(
    (a, b) => Number(near(b)) - Number(near(a)) || b.count - a.count || a.startUs - b.startUs,
  );
  return ranked
    .slice(0, MAX_REPORTED_BURSTS)
    .sort((a, b) => a.startUs - b.startUs)
    .map((c) => ({ startUs: c.startUs, endUs: c.endUs, count: c.count }));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function chanceText(chance: number | null): string {
  return chance === null ? 'chance not computed' : `chance ${chance}`;
}

function ratioText(x: number): string {
  return x === Infinity ? '∞' : String(x);
}

function likelihoodText(j: Judgement): string {
  const lr = j.likelihood;
  return lr === null ? 'likelihood not computed' : `an onset is ${ratioText(lr.ratio)} × likelier after it (90 % interval ${ratioText(lr.low)}–${ratioText(lr.high)})`;
}

/** One sentence with the figures the verdict rests on; it states them, so it cannot contradict them. */
function summaryOf(label: string, j: Judgement): string {
  const n = j.outagesTotal;
  const hits = j.hitWindows.length;
  switch (j.verdict) {
    case 'cause':
      return `${label}: bursts lead or coincide with ${j.leadHits} of ${plural(n, 'outage onset')} (median lead ${j.leadS ?? 0} s); ${likelihoodText(j)}; ${j.clustersOutside} of ${plural(j.clusters.length, 'burst')} fall outside outages; ${chanceText(j.chance)}.`;
    case 'symptom':
      return `${label}: inside ${j.insideHits} of ${plural(n, 'outage')}, a median ${Math.abs(j.leadS ?? 0)} s after onset (${j.eventsInside} of ${j.total} events inside); ${chanceText(j.chance)}.`;
    case 'background':
      return `${label}: runs through ${Math.round(j.outsideActiveUs / MINUTE_US)} min without outages (${j.eventsOutside} of ${j.total} events outside them) and does not rise before onsets (rate ratio ${round3(j.rise ?? 0)}); it falls silent inside ${j.silentIn} of ${plural(n, 'outage')}.`;
    default:
      return `${label}: inconclusive, because ${j.reason} (${hits} of ${plural(n, 'outage')} hit, ${j.leadHits} led).`;
  }
}

/** Evidence that proves the verdict: the first line of the burst nearest each onset, and so on. */
function evidenceOf(s: Series, j: Judgement, windows: readonly WindowLike[]): number[] {
  const picks: number[] = [];
  const at = (k: number): void => {
    if (k >= 0 && k < s.eventIndex.length) picks.push(s.eventIndex[k]!);
  };
  if (j.verdict === 'cause') {
    for (const w of windows) {
      const z = leadZoneOf(w);
      at(firstBetween(s, z.startUs, z.endUs));
    }
  } else if (j.verdict === 'symptom') {
    for (const i of j.hitWindows) at(firstBetween(s, windows[i]!.onsetEarliestUs ?? windows[i]!.startUs, windows[i]!.endUs));
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
  label: string;
  series: Series;
  judgement: Judgement;
  /** The host's confirmed windows the signal was judged against ... */
  windows: readonly WindowLike[];
  /** ... and the index of each in the result's outages. */
  outageIds: readonly number[];
}

/** What every judged finding has, whatever its kind; the caller adds `kind` and its own fields. */
export type JudgedCore = Omit<Extract<Finding, { figures: JudgedFigures }>, 'kind'>;

export function judgedCore(input: SignalFindingInput): JudgedCore {
  const { series: s, judgement: j } = input;
  const hits: WindowHit[] = j.hits.map((h) => ({ outage: input.outageIds[h.window]!, firstUs: h.firstUs, leadS: h.leadS, led: h.led }));
  return {
    id: '',
    host: input.host,
    verdict: j.verdict,
    startUs: s.ts[0]!,
    endUs: s.ts[s.ts.length - 1]!,
    bursts: reportedBursts(j.clusters, input.windows),
    outagesHit: j.hitWindows.length,
    outagesTotal: j.outagesTotal,
    chance: j.chance,
    summary: summaryOf(input.label, j),
    evidence: evidenceFrom(input.events, evidenceOf(s, j, input.windows)),
    hits,
    reason: j.reason,
    figures: {
      eventsTotal: j.total,
      eventsInside: j.eventsInside,
      eventsLead: j.eventsLead,
      eventsOutside: j.eventsOutside,
      leadS: j.leadS,
      onsetsLed: j.leadHits,
      burstsTotal: j.clusters.length,
      burstsOutside: j.clustersOutside,
      outagesSilent: j.silentIn,
      likelihoodRatio: j.likelihood?.ratio ?? null,
      likelihoodLow: j.likelihood?.low ?? null,
      likelihoodHigh: j.likelihood?.high ?? null,
      rules: j.rules,
    },
  };
}

/** A draft for a finding: only outages the verdict ties it to (cause, symptom) group stories. */
export function draftOf(finding: Finding, key = ''): FindingDraft {
  const tied = finding.verdict === 'cause' || finding.verdict === 'symptom' ? finding.hits.map((h) => h.outage) : [];
  return { finding, hitWindows: tied, key };
}
