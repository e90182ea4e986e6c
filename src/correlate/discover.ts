/**
 * Discovered signals: message templates nobody named. Every event not already covered by a named
 * signal is masked into a template (variable parts replaced), and templates that occur near onsets
 * are judged like any named signal. A template that leads the onsets or fills the windows is a
 * `template-burst` finding, so a cause nobody thought to name still surfaces.
 *
 * Cost: only events inside the outage zones are masked first; outside them, only events of the
 * kinds those candidate templates belong to are masked, so a million sshd lines from a campaign
 * (excluded as covered) cost nothing here.
 */
import type { EventRow } from '../store/types.js';
import { type Judgement, type JudgeContext, LEAD_AFTER_US, LEAD_BEFORE_US, MIN_WINDOWS_FOR_CAUSE, judgeSignal } from './judge.js';
import { type Series, buildSeries, lowerBound, upperBound } from './series.js';

/** At most this many templates are judged (those hitting most windows), and reported. */
export const MAX_TEMPLATE_CANDIDATES = 50;
export const MAX_TEMPLATE_FINDINGS = 5;
/** A template seen near fewer than 2 onsets cannot be told from noise. */
export const MIN_TEMPLATE_HITS = 2;

export interface DiscoveredTemplate {
  template: string;
  kind: string;
  series: Series;
  judgement: Judgement;
}

const SEP = '\u0000';

export function discoverTemplates(
  events: readonly EventRow[],
  hostIndices: readonly number[],
  covered: (i: number) => boolean,
  ctx: JudgeContext,
  mask: (message: string) => string,
): DiscoveredTemplate[] {
  const n = ctx.windows.length;
  if (n === 0) return [];
  const ts = Float64Array.from(hostIndices, (i) => events[i]!.tsUs);
  const keyOf = (i: number): string => `${events[i]!.kind}${SEP}${mask(events[i]!.message)}`;
  const masked = new Map<number, string>();
  const hitsByKey = new Map<string, Set<number>>();
  ctx.windows.forEach((w, wi) => {
    const lo = lowerBound(ts, w.startUs - LEAD_BEFORE_US);
    const hi = upperBound(ts, Math.max(w.startUs + LEAD_AFTER_US, w.endUs));
    for (let k = lo; k < hi; k++) {
      const i = hostIndices[k]!;
      if (covered(i)) continue;
      let key = masked.get(i);
      if (key === undefined) masked.set(i, (key = keyOf(i)));
      let hits = hitsByKey.get(key);
      if (!hits) hitsByKey.set(key, (hits = new Set()));
      hits.add(wi);
    }
  });
  const needed = Math.max(MIN_TEMPLATE_HITS, Math.floor(n / 2) + 1);
  const candidates = [...hitsByKey]
    .filter(([, hits]) => hits.size >= needed)
    .sort(([ka, a], [kb, b]) => b.size - a.size || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .slice(0, MAX_TEMPLATE_CANDIDATES)
    .map(([key]) => key);
  if (candidates.length === 0) return [];

  const wanted = new Set(candidates);
  const kinds = new Set(candidates.map((key) => key.slice(0, key.indexOf(SEP))));
  const members = new Map<string, number[]>(candidates.map((key) => [key, []]));
  for (const i of hostIndices) {
    if (!kinds.has(events[i]!.kind) || covered(i)) continue;
    const key = masked.get(i) ?? keyOf(i);
    if (wanted.has(key)) members.get(key)!.push(i);
  }

  const found: DiscoveredTemplate[] = [];
  for (const key of candidates) {
    const series = buildSeries(events, members.get(key)!);
    const judgement = judgeSignal(series, ctx);
    const fewWindowsButAligned =
      judgement.verdict === 'inconclusive' && n < MIN_WINDOWS_FOR_CAUSE && judgement.leadHits === n;
    if (judgement.verdict !== 'cause' && judgement.verdict !== 'symptom' && !fewWindowsButAligned) continue;
    const sep = key.indexOf(SEP);
    found.push({ kind: key.slice(0, sep), template: key.slice(sep + 1), series, judgement });
  }
  found.sort(
    (a, b) =>
      (a.judgement.chance ?? 1) - (b.judgement.chance ?? 1) ||
      b.judgement.hitWindows.length - a.judgement.hitWindows.length ||
      (a.template < b.template ? -1 : a.template > b.template ? 1 : 0),
  );
  return found.slice(0, MAX_TEMPLATE_FINDINGS);
}
