/**
 * Discovered signals: message templates nobody named, and the precursor search. Every event not
 * already covered by a named signal is mined into a template by a Drain-style miner (fixed-depth
 * parse tree, similarity threshold; src/text/templates.ts) after masks kept as data, keyed by event
 * kind and template. Templates present near most onsets are judged like any named signal: a template
 * whose rate rises in the lead zones before onsets is a cause candidate, one that fills the windows a
 * symptom candidate; judge.ts decides with the likelihood ratio and the permutation chance.
 *
 * Cost: only events inside the outage zones are mined first; outside them, only events of the kinds
 * those candidate templates belong to are, each distinct message once, and a candidate is dropped as
 * soon as what it has outside rules out both verdicts that could report it (exact bounds in judge.ts).
 */
import type { EventTable } from './event-table.js';
import {
  ACCOMPANY_US,
  EPISODE_GAP_US,
  episodeStarts,
  type Judgement,
  type JudgeContext,
  coverageReach,
  judgeSignal,
  maxCoveredForCause,
  maxOutsideForSymptom,
  testedCount,
  watchedDomain,
  zoneOf,
} from './judge.js';
import { type Series, buildSeries, lowerBound, upperBound, weightBetween } from './series.js';
import { TemplateMiner, maskForMining } from '../text/templates.js';
import type { Interval } from './stats.js';

/** At most this many templates are judged (those hitting most windows), and reported. */
export const MAX_TEMPLATE_CANDIDATES = 50;
export const MAX_TEMPLATE_FINDINGS = 5;
/**
 * Drain's similarity: a message joins a template when at least three quarters of its token positions
 * agree. One varying value (a process name, a bus address) in a message of four or more tokens keeps
 * it in its template; two invented templates of one skeleton, which differ in three or more of their
 * 10–13 words, stay apart (docs/correlation.md has the simulator's figures).
 */
export const TEMPLATE_SIMILARITY = 0.75;

export interface DiscoveredTemplate {
  template: string;
  kind: string;
  series: Series;
  judgement: Judgement;
}

export interface Discovery {
  found: DiscoveredTemplate[];
  /** How many templates were judged (the count for the correction of the chance threshold). */
  candidates: number;
}

const SEP = '\u0000';

/**
 * Templates are picked because they line up with the windows, so each is held to the chance threshold
 * divided by the number of candidates picked (Bonferroni): fifty templates tested do not yield one
 * by luck.
 */
export function discoverTemplates(
  events: EventTable,
  hostIndices: readonly number[],
  covered: (i: number) => boolean,
  ctx: JudgeContext,
  /** When a template's sources were watched (JudgeContext.watched); the whole span by default. */
  watchedOf: (s: Series) => readonly Interval[] | undefined = () => undefined,
): Discovery {
  const n = ctx.windows.length;
  if (n === 0) return { found: [], candidates: 0 };
  const ts = Float64Array.from(hostIndices, (i) => events.ts(i));
  const miner = new TemplateMiner({ similarity: TEMPLATE_SIMILARITY, mask: maskForMining });
  const idOf = cachedIds(miner);
  const keyOf = (i: number, message: string): string => `${events.kind(i)}${SEP}${idOf(message)}`;

  // Events near onsets, each once even where zones overlap, mined with their messages fetched together.
  const windowsOf = new Map<number, number[]>();
  ctx.windows.forEach((w, wi) => {
    const z = zoneOf(w);
    const lo = lowerBound(ts, z.startUs);
    const hi = upperBound(ts, z.endUs);
    for (let k = lo; k < hi; k++) {
      const i = hostIndices[k]!;
      if (covered(i)) continue;
      let hit = windowsOf.get(i);
      if (!hit) windowsOf.set(i, (hit = []));
      hit.push(wi);
    }
  });
  const mined = new Map<number, string>();
  const hitsByKey = new Map<string, Set<number>>();
  const inZones = new Map<string, number>();
  const zonePositions = [...windowsOf.keys()].sort((a, b) => a - b);
  forEachMessage(events, zonePositions, (i, message) => {
    const key = keyOf(i, message);
    mined.set(i, key);
    inZones.set(key, (inZones.get(key) ?? 0) + events.weight(i));
    let hits = hitsByKey.get(key);
    if (!hits) hitsByKey.set(key, (hits = new Set()));
    for (const wi of windowsOf.get(i)!) hits.add(wi);
  });
  // A cause leads most onsets and a symptom fills most windows: either is near more than half of the
  // windows its source watched (a window where the source was not captured is no trial of it).
  const zoneMembers = new Map<string, number[]>();
  for (const [i, key] of mined) {
    let list = zoneMembers.get(key);
    if (!list) zoneMembers.set(key, (list = []));
    list.push(i);
  }
  const watchedWindows = (key: string): Set<number> => {
    const series = buildSeries(events, zoneMembers.get(key)!.sort((a, b) => a - b));
    return new Set(watchedDomain({ ...ctx, watched: watchedOf(series) }).observed);
  };
  const candidates = [...hitsByKey]
    .map(([key, hits]): [string, Set<number>] => {
      const watched = watchedWindows(key);
      return [key, new Set([...hits].filter((wi) => watched.has(wi)))];
    })
    .filter(([key, hits]) => hits.size >= Math.floor(watchedWindows(key).size / 2) + 1)
    .sort(([ka, a], [kb, b]) => b.size - a.size || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .slice(0, MAX_TEMPLATE_CANDIDATES)
    .map(([key]) => key);
  if (candidates.length === 0) return { found: [], candidates: 0 };

  const kindOf = (key: string): string => key.slice(0, key.indexOf(SEP));
  const wanted = new Set(candidates);
  const members = new Map<string, number[]>(candidates.map((key) => [key, []]));
  // Only a cause or a symptom becomes a finding. A template is dropped once what it has outside the
  // zones rules out both: more weight outside than a symptom may have, and more time covered by its
  // events than a cause may cover (both exact bounds, judge.ts).
  const symptomBound = new Map(candidates.map((key) => [key, maxOutsideForSymptom(inZones.get(key) ?? 0, ctx)]));
  const coverBound = maxCoveredForCause(ctx);
  const reach = coverageReach(ctx.windows);
  // Per candidate: its weight outside, and the time covered by its episode starts outside (a start is
  // certain when no member of the template, in the zones or outside, came within EPISODE_GAP before).
  const zoneTimes = new Map<string, Float64Array>();
  const outside = new Map<string, { weight: number; coveredUs: number; lastEndUs: number; lastUs: number }>();
  const addOutside = (i: number, key: string): void => {
    if (!wanted.has(key)) return;
    members.get(key)!.push(i);
    const t = events.ts(i);
    const o = outside.get(key) ?? { weight: 0, coveredUs: 0, lastEndUs: -Infinity, lastUs: -Infinity };
    o.weight += events.weight(i);
    const zone = zoneTimes.get(key)!;
    const before = lowerBound(zone, t) - 1;
    const previous = Math.max(o.lastUs, before >= 0 ? zone[before]! : -Infinity);
    if (t - previous >= EPISODE_GAP_US) {
      o.coveredUs += Math.max(0, t + reach.before - Math.max(t - reach.after, o.lastEndUs));
      o.lastEndUs = Math.max(o.lastEndUs, t + reach.before);
    }
    o.lastUs = t;
    outside.set(key, o);
    if (o.weight > symptomBound.get(key)! && o.coveredUs > coverBound) wanted.delete(key);
  };
  const liveKinds = (): Set<string> => new Set([...wanted].map(kindOf));
  let kinds = liveKinds();
  const unmined: number[] = [];
  for (const i of hostIndices) {
    if (!kinds.has(events.kind(i)) || covered(i)) continue;
    const key = mined.get(i);
    if (key !== undefined) {
      if (wanted.has(key)) members.get(key)!.push(i);
    } else unmined.push(i);
  }
  for (const key of candidates) zoneTimes.set(key, Float64Array.from(members.get(key)!, (i) => events.ts(i)));
  forEachMessage(events, unmined, (i, message) => addOutside(i, keyOf(i, message)), () => {
    kinds = liveKinds();
    return (i) => kinds.has(events.kind(i));
  });
  // Members were gathered in two passes; a series needs them in time order.
  for (const list of members.values()) list.sort((a, b) => a - b);

  // Each candidate is judged once alone to learn the smallest chance it could reach, then against
  // the threshold corrected for the candidates that could reach it (Tarone; judge.ts testedCount).
  const live = candidates
    .filter((key) => wanted.has(key))
    .map((key) => {
      const series = buildSeries(events, members.get(key)!);
      return { key, series, ctx: { ...ctx, watched: watchedOf(series) } };
    });
  const alone = live.map(({ series, ctx: own }) => judgeSignal(series, own));
  const minChances = alone.map((j) => Math.min(j.minChanceLead ?? 1, j.minChanceInside ?? 1));
  const tested = testedCount(sameHappenings(live.map((l) => l.series)).map((group) => Math.min(...group.map((k) => minChances[k]!))));
  const judged: DiscoveredTemplate[] = [];
  for (const { key, series, ctx: own } of live) {
    const judgement = judgeSignal(series, { ...own, tested });
    if (judgement.verdict !== 'cause' && judgement.verdict !== 'symptom') continue;
    const sep = key.indexOf(SEP);
    judged.push({ kind: key.slice(0, sep), template: miner.template(Number(key.slice(sep + 1))), series, judgement });
  }
  judged.sort(
    (a, b) =>
      (a.judgement.verdict === 'cause' ? 0 : 1) - (b.judgement.verdict === 'cause' ? 0 : 1) ||
      (a.judgement.chance ?? 1) - (b.judgement.chance ?? 1) ||
      b.judgement.hitWindows.length - a.judgement.hitWindows.length ||
      (a.template < b.template ? -1 : a.template > b.template ? 1 : 0),
  );
  // All of them, best first: the engine folds those that accompany another finding, then keeps MAX_TEMPLATE_FINDINGS.
  return { found: judged, candidates: candidates.length };
}

/**
 * Templates that are one happening told in several lines count as one test. A template accompanies
 * another when each of its episodes starts within ACCOMPANY_US of one of the other's events (a
 * kernel oops's `RIP:`/`RAX:` register lines beside the hung-task line that opens it, a service's
 * two lines per failure): wherever a random onset would find one leading, it finds the other, so
 * the two cannot both be lucky apart, and counting them twice would halve every template's
 * threshold for nothing. Groups are the connected sets of that relation; indices into `series`.
 */
export function sameHappenings(series: readonly Series[]): number[][] {
  const parent = series.map((_, k) => k);
  const find = (k: number): number => (parent[k] === k ? k : (parent[k] = find(parent[k]!)));
  const starts = series.map(episodeStarts);
  for (let a = 0; a < series.length; a++) {
    for (let b = 0; b < series.length; b++) {
      if (a === b || find(a) === find(b)) continue;
      if (startsBeside(starts[a]!, series[b]!)) parent[find(a)] = find(b);
    }
  }
  const groups = new Map<number, number[]>();
  series.forEach((_, k) => {
    const root = find(k);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = []));
    g.push(k);
  });
  return [...groups.values()];
}

/** Every episode start within ACCOMPANY_US of an event of the other series. */
function startsBeside(starts: Series, other: Series): boolean {
  if (starts.ts.length === 0) return false;
  for (let k = 0; k < starts.ts.length; k++) {
    const t = starts.ts[k]!;
    if (weightBetween(other, t - ACCOMPANY_US, t + ACCOMPANY_US) === 0) return false;
  }
  return true;
}

/** Messages are fetched and mined this many at a time, so a million-event kind never sits in memory whole. */
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
const ID_CACHE_SIZE = 50_000;

/** Mines each distinct message once: logs repeat the same lines, and a repeat joins the same template. */
function cachedIds(miner: TemplateMiner): (message: string) => number {
  const cache = new Map<string, number>();
  return (message) => {
    let id = cache.get(message);
    if (id === undefined) {
      id = miner.add(message);
      if (cache.size >= ID_CACHE_SIZE) cache.clear();
      cache.set(message, id);
    }
    return id;
  };
}
