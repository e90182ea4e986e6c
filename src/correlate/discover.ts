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
import type { EventTable } from './event-table.js';
import { type Judgement, type JudgeContext, LEAD_AFTER_US, LEAD_BEFORE_US, MIN_WINDOWS_FOR_CAUSE, judgeSignal, maxOutsideForVerdict } from './judge.js';
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
  events: EventTable,
  hostIndices: readonly number[],
  covered: (i: number) => boolean,
  ctx: JudgeContext,
  mask: (message: string) => string,
): DiscoveredTemplate[] {
  const n = ctx.windows.length;
  if (n === 0) return [];
  const ts = Float64Array.from(hostIndices, (i) => events.ts(i));
  const templateOf = cachedMask(mask);
  const keyOf = (i: number, message: string): string => `${events.kind(i)}${SEP}${templateOf(message)}`;

  // Events near onsets, each once even where zones overlap, masked with their messages fetched together.
  const windowsOf = new Map<number, number[]>();
  ctx.windows.forEach((w, wi) => {
    const lo = lowerBound(ts, w.startUs - LEAD_BEFORE_US);
    const hi = upperBound(ts, Math.max(w.startUs + LEAD_AFTER_US, w.endUs));
    for (let k = lo; k < hi; k++) {
      const i = hostIndices[k]!;
      if (covered(i)) continue;
      let hit = windowsOf.get(i);
      if (!hit) windowsOf.set(i, (hit = []));
      hit.push(wi);
    }
  });
  const masked = new Map<number, string>();
  const hitsByKey = new Map<string, Set<number>>();
  const inZones = new Map<string, number>();
  forEachMessage(events, [...windowsOf.keys()], (i, message) => {
    const key = keyOf(i, message);
    masked.set(i, key);
    inZones.set(key, (inZones.get(key) ?? 0) + events.weight(i));
    let hits = hitsByKey.get(key);
    if (!hits) hitsByKey.set(key, (hits = new Set()));
    for (const wi of windowsOf.get(i)!) hits.add(wi);
  });
  const needed = Math.max(MIN_TEMPLATE_HITS, Math.floor(n / 2) + 1);
  const candidates = [...hitsByKey]
    .filter(([, hits]) => hits.size >= needed)
    .sort(([ka, a], [kb, b]) => b.size - a.size || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .slice(0, MAX_TEMPLATE_CANDIDATES)
    .map(([key]) => key);
  if (candidates.length === 0) return [];

  const kindOf = (key: string): string => key.slice(0, key.indexOf(SEP));
  const wanted = new Set(candidates);
  const members = new Map<string, number[]>(candidates.map((key) => [key, []]));
  // With enough windows, only a cause or a symptom becomes a finding, and both are rare outside the
  // zones: a template is dropped as soon as its weight outside passes the bound (exact: its verdict
  // could be neither), so the lines of a chatty kind are not all fetched and masked.
  const prune = n >= MIN_WINDOWS_FOR_CAUSE;
  const outsideBound = new Map(candidates.map((key) => [key, maxOutsideForVerdict(inZones.get(key) ?? 0, ctx)]));
  const outside = new Map<string, number>();
  const addOutside = (i: number, key: string): void => {
    if (!wanted.has(key)) return;
    members.get(key)!.push(i);
    const weight = (outside.get(key) ?? 0) + events.weight(i);
    outside.set(key, weight);
    if (prune && weight > outsideBound.get(key)!) wanted.delete(key);
  };
  const liveKinds = (): Set<string> => new Set([...wanted].map(kindOf));
  let kinds = liveKinds();
  const unmasked: number[] = [];
  for (const i of hostIndices) {
    if (!kinds.has(events.kind(i)) || covered(i)) continue;
    const key = masked.get(i);
    if (key !== undefined) {
      if (wanted.has(key)) members.get(key)!.push(i);
    } else unmasked.push(i);
  }
  forEachMessage(events, unmasked, (i, message) => addOutside(i, keyOf(i, message)), () => {
    kinds = liveKinds();
    return (i) => kinds.has(events.kind(i));
  });
  // Members were gathered in two passes; a series needs them in time order.
  for (const list of members.values()) list.sort((a, b) => a - b);

  const found: DiscoveredTemplate[] = [];
  for (const key of candidates) {
    if (!wanted.has(key)) continue;
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

/** Messages are fetched and masked this many at a time, so a million-event kind never sits in memory whole. */
const MESSAGE_BATCH = 20_000;

/** `stillWanted` is asked before each batch which positions are still worth fetching. */
function forEachMessage(
  events: EventTable,
  positions: readonly number[],
  visit: (i: number, message: string) => void,
  stillWanted?: () => (i: number) => boolean,
): void {
  for (let from = 0; from < positions.length; from += MESSAGE_BATCH) {
    let batch = positions.slice(from, from + MESSAGE_BATCH);
    if (stillWanted) {
      const keep = stillWanted();
      batch = batch.filter(keep);
    }
    if (batch.length === 0) continue;
    const messages = events.messages(batch);
    for (const i of batch) visit(i, messages.get(i) ?? '');
  }
}

/** At most this many distinct messages are remembered; the cache starts over when full. */
const MASK_CACHE_SIZE = 50_000;

/** Masks each distinct message once: logs repeat the same lines, and masking is the costly step. */
function cachedMask(mask: (message: string) => string): (message: string) => string {
  const cache = new Map<string, string>();
  return (message) => {
    let template = cache.get(message);
    if (template === undefined) {
      template = mask(message);
      if (cache.size >= MASK_CACHE_SIZE) cache.clear();
      cache.set(message, template);
    }
    return template;
  };
}
