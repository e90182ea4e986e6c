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
  EPISODE_GAP_US,
  episodeStarts,
  startsBeside,
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
import { type Series, buildSeries, lowerBound } from './series.js';
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
  /** What it was judged with (its sources' watched time), to judge it again at another threshold. */
  ctx: JudgeContext;
  /** Its entry in Discovery.family (templates that are one happening share one). */
  group: number;
}

export interface Discovery {
  found: DiscoveredTemplate[];
  /** How many templates were judged (the count for the correction of the chance threshold). */
  candidates: number;
  /**
   * One lead chance per group of templates that are one happening (sameHappenings) and could lead
   * most of two or more watched onsets (a lead floor below 1): the smallest of the group's chances
   * judged alone. These are
   * the templates' tests in the incident-wide correction (engine.ts, judge.ts holmDivisors).
   */
  family: number[];
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
  if (n === 0) return { found: [], candidates: 0, family: [] };
  const miner = new TemplateMiner({ similarity: TEMPLATE_SIMILARITY, mask: maskForMining });
  const idOf = cachedIds(miner);
  // A template key (event kind and template id) is a small number, its text made once per distinct
  // key: a string and a map entry per mined event were most of discovery's memory at 5M events.
  const keys = new TemplateKeys();
  const keyOf = (i: number, message: string): number => keys.keyOf(events.kind(i), idOf(message));

  // Events near onsets, each once even where zones overlap, mined with their messages fetched
  // together. Positions here are into hostIndices (k), which is in time order like the events.
  const ranges = ctx.windows.map((w) => {
    const z = zoneOf(w);
    // Binary searches over the host's events in place (no copy of every instant: 40 MB at 5M).
    return { lo: firstAtOrAfter(events, hostIndices, z.startUs, false), hi: firstAtOrAfter(events, hostIndices, z.endUs, true) };
  });
  const inZone = new Uint8Array(hostIndices.length);
  let zoneCount = 0;
  for (const { lo, hi } of ranges) {
    for (let k = lo; k < hi; k++) {
      if (inZone[k] !== 0) continue;
      const uncovered = !covered(hostIndices[k]!);
      inZone[k] = uncovered ? 1 : 2;
      if (uncovered) zoneCount++;
    }
  }
  // The zone's positions in time order, and the key each was mined into.
  const zoneK = new Int32Array(zoneCount);
  for (let k = 0, z = 0; k < inZone.length; k++) if (inZone[k] === 1) zoneK[z++] = k;
  const zoneKey = new Int32Array(zoneCount);
  const inZones: number[] = [];
  forEachMessage(events, Array.from(zoneK, (k) => hostIndices[k]!), (i, message, z) => {
    const key = keyOf(i, message);
    zoneKey[z] = key;
    inZones[key] = (inZones[key] ?? 0) + events.weight(i);
  });
  const zoneKeys = keys.size;
  // The windows each key is near: a window's zone positions are one run of zoneK.
  const hitsByKey: Set<number>[] = Array.from({ length: zoneKeys }, () => new Set<number>());
  ranges.forEach(({ lo, hi }, wi) => {
    for (let z = lowerBound32(zoneK, lo), end = lowerBound32(zoneK, hi); z < end; z++) hitsByKey[zoneKey[z]!]!.add(wi);
  });
  // Each key's zone members (event indices, in time order), by a counting sort of zoneKey.
  const memberStart = new Int32Array(zoneKeys + 1);
  for (let z = 0; z < zoneCount; z++) memberStart[zoneKey[z]! + 1] = memberStart[zoneKey[z]! + 1]! + 1;
  for (let key = 0; key < zoneKeys; key++) memberStart[key + 1] = memberStart[key + 1]! + memberStart[key]!;
  const zoneMembers = new Int32Array(zoneCount);
  {
    const fill = memberStart.slice(0, zoneKeys);
    for (let z = 0; z < zoneCount; z++) {
      const key = zoneKey[z]!;
      zoneMembers[fill[key]!] = hostIndices[zoneK[z]!]!;
      fill[key] = fill[key]! + 1;
    }
  }
  const zoneMembersOf = (key: number): Int32Array => zoneMembers.subarray(memberStart[key]!, memberStart[key + 1]!);
  // A cause leads most onsets and a symptom fills most windows: either is near more than half of the
  // windows its source watched (a window where the source was not captured is no trial of it).
  const watchedWindows = (key: number): Set<number> => {
    const series = buildSeries(events, zoneMembersOf(key));
    return new Set(watchedDomain({ ...ctx, watched: watchedOf(series) }).observed);
  };
  const candidates = hitsByKey
    .map((hits, key): [number, Set<number>, number] => {
      const watched = watchedWindows(key);
      return [key, new Set([...hits].filter((wi) => watched.has(wi))), watched.size];
    })
    .filter(([, hits, watched]) => hits.size >= Math.floor(watched / 2) + 1)
    .sort(([ka, a], [kb, b]) => b.size - a.size || compareText(keys.text(ka), keys.text(kb)))
    .slice(0, MAX_TEMPLATE_CANDIDATES)
    .map(([key]) => key);
  if (candidates.length === 0) return { found: [], candidates: 0, family: [] };

  const wanted = new Set(candidates);
  const members = new Map<number, number[]>(candidates.map((key) => [key, []]));
  // Only a cause or a symptom becomes a finding. A template is dropped once what it has outside the
  // zones rules out both: more weight outside than a symptom may have, and more time covered by its
  // events than a cause may cover (both exact bounds, judge.ts).
  const symptomBound = new Map(candidates.map((key) => [key, maxOutsideForSymptom(inZones[key] ?? 0, ctx)]));
  const coverBound = maxCoveredForCause(ctx);
  const reach = coverageReach(ctx.windows);
  // Per candidate: its weight outside, and the time covered by its episode starts outside (a start is
  // certain when no member of the template, in the zones or outside, came within EPISODE_GAP before).
  const zoneTimes = new Map<number, Float64Array>();
  const outside = new Map<number, { weight: number; coveredUs: number; lastEndUs: number; lastUs: number }>();
  const addOutside = (i: number, key: number): void => {
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
  const liveKinds = (): Set<string> => new Set([...wanted].map((key) => keys.kind(key)));
  let kinds = liveKinds();
  const unmined: number[] = [];
  for (let k = 0, z = 0; k < hostIndices.length; k++) {
    const i = hostIndices[k]!;
    if (!kinds.has(events.kind(i)) || covered(i)) continue;
    // Zone positions are uncovered, so every one of them reaches here, in order.
    while (z < zoneCount && zoneK[z]! < k) z++;
    if (z < zoneCount && zoneK[z] === k) {
      const key = zoneKey[z]!;
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
  const groups = sameHappenings(live.map((l) => l.series));
  const tested = testedCount(groups.map((group) => Math.min(...group.map((k) => minChances[k]!))));
  const groupOf = new Int32Array(live.length);
  const family: number[] = [];
  groups.forEach((group) => {
    const able = group.filter((k) => alone[k]!.outagesTotal >= 2 && (alone[k]!.minChanceLead ?? 1) < 1);
    const at = able.length > 0 ? family.push(Math.min(...able.map((k) => alone[k]!.chanceLead ?? 1))) - 1 : -1;
    for (const k of group) groupOf[k] = at;
  });
  const judged: DiscoveredTemplate[] = [];
  live.forEach(({ key, series, ctx: own }, k) => {
    // Judged again only where it can change what is kept. With one test counted the threshold is
    // the one `alone` was judged at (ctx.tested only sets the chance needed), so that judgement is
    // this one. A stricter threshold only takes rules away from cause and symptom, never adds one
    // (each needs its chance at most the threshold, its other rules do not read it): a template
    // that was neither alone is neither now. test/correlate/discover-threshold.test.ts holds judge.ts to that.
    const before = alone[k]!;
    if (before.verdict !== 'cause' && before.verdict !== 'symptom') return;
    const judgement = tested <= 1 ? before : judgeSignal(series, { ...own, tested });
    if (judgement.verdict !== 'cause' && judgement.verdict !== 'symptom') return;
    judged.push({ kind: keys.kind(key), template: miner.template(keys.templateId(key)), series, judgement, ctx: { ...own, tested }, group: groupOf[k]! });
  });
  judged.sort(
    (a, b) =>
      (a.judgement.verdict === 'cause' ? 0 : 1) - (b.judgement.verdict === 'cause' ? 0 : 1) ||
      (a.judgement.chance ?? 1) - (b.judgement.chance ?? 1) ||
      b.judgement.hitWindows.length - a.judgement.hitWindows.length ||
      (a.template < b.template ? -1 : a.template > b.template ? 1 : 0),
  );
  // All of them, best first: the engine folds those that accompany another finding, then keeps MAX_TEMPLATE_FINDINGS.
  return { found: judged, candidates: candidates.length, family };
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

/** Messages are fetched and mined this many at a time, so a million-event kind never sits in memory whole. */
const MESSAGE_BATCH = 20_000;

/** `stillWanted` is asked before each batch which positions are still worth fetching. */
function forEachMessage(
  events: EventTable,
  positions: readonly number[],
  /** `at` is the position's place in `positions` (when no `stillWanted` leaves some out). */
  visit: (i: number, message: string, at: number) => void,
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
    for (let b = 0; b < batch.length; b++) visit(batch[b]!, messages.get(batch[b]!) ?? '', from + b);
  }
}

/** First k whose event's instant is >= t (`after`: > t); the indices are in time order. */
function firstAtOrAfter(events: EventTable, indices: readonly number[], t: number, after: boolean): number {
  let lo = 0;
  let hi = indices.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = events.ts(indices[mid]!);
    if (x < t || (after && x === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position of a sorted Int32Array whose value is >= x. */
function lowerBound32(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Code-unit order, as `<` compares strings. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Template keys (an event kind and a template id) as small numbers, in the order first seen. Its
 * text, `kind NUL id` (decimal), is what candidates are ordered by when they tie.
 */
class TemplateKeys {
  private readonly byKind = new Map<string, Map<number, number>>();
  private readonly kinds: string[] = [];
  private readonly ids: number[] = [];
  private readonly texts: (string | undefined)[] = [];

  get size(): number {
    return this.kinds.length;
  }

  keyOf(kind: string, templateId: number): number {
    let ofKind = this.byKind.get(kind);
    if (ofKind === undefined) this.byKind.set(kind, (ofKind = new Map()));
    let key = ofKind.get(templateId);
    if (key === undefined) {
      key = this.kinds.length;
      ofKind.set(templateId, key);
      this.kinds.push(kind);
      this.ids.push(templateId);
    }
    return key;
  }

  kind(key: number): string {
    return this.kinds[key]!;
  }

  templateId(key: number): number {
    return this.ids[key]!;
  }

  text(key: number): string {
    return (this.texts[key] ??= `${this.kinds[key]!}${SEP}${this.ids[key]!}`);
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
