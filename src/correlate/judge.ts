/**
 * Judges one signal (its events as a Series) against the confirmed outage windows of its host, from
 * timing and overlap alone; the signal's name plays no part. See docs/correlation.md for the rules.
 *
 *   zone of a window   = [onset - LEAD_BEFORE, max(onset + LEAD_AFTER, end)]  (lead time plus inside)
 *   lead zone          = [onset - LEAD_BEFORE, onset + LEAD_AFTER]
 *   outside            = the observed span minus every zone
 */
import type { RuleCheck, Verdict } from '../model/finding.js';
import { type Cluster, clusters } from './bursts.js';
import type { Series } from './series.js';
import { firstBetween, lowerBound, upperBound, weightBetween, weightStrictlyInside } from './series.js';
import { type Interval, MINUTE_US, SECOND_US, median, totalLength, unionOf } from './stats.js';

/** A cause may lead an outage by up to 5 min: bridge churn precedes the lock-out by 1–3 min in the seed. */
export const LEAD_BEFORE_US = 5 * MINUTE_US;
/** ... or coincide with it: onsets are known to within a probe poll or a stream gap (about a minute). */
export const LEAD_AFTER_US = 1 * MINUTE_US;
/** Below this many confirmed windows no alignment can be told from chance (p >= 1/C(n) is too coarse). */
export const MIN_WINDOWS_FOR_CAUSE = 3;
/** chance at or below this is "unlikely by chance". */
export const CHANCE_THRESHOLD = 0.05;
/** A cause may have at most this share of its bursts away from every outage ("rarely outside"). */
export const MAX_OUTSIDE_BURST_SHARE = 0.25;
/** A cause's rate in the lead zones must be this many times its rate outside ("rises before onsets"). */
export const MIN_CAUSE_RISE = 3;
/** Background "does not rise": lead-zone rate below this multiple of the outside rate. */
export const MAX_BACKGROUND_RISE = 2;
/** A symptom has at least this share of its events inside windows. */
export const MIN_SYMPTOM_INSIDE_SHARE = 0.9;
/** Background: at least this share of events outside every zone ... */
export const MIN_BACKGROUND_OUTSIDE_SHARE = 0.5;
/** ... spread over at least this much time away from outages (10-minute bins holding events). */
export const MIN_BACKGROUND_ACTIVE_US = 30 * MINUTE_US;
const ACTIVITY_BIN_US = 10 * MINUTE_US;

export interface WindowLike {
  startUs: number;
  endUs: number;
}

export interface JudgeHit {
  window: number;
  firstUs: number;
  /** Seconds from the first event in the zone to the onset: positive leads, negative lags. */
  leadS: number;
  led: boolean;
}

export interface JudgeContext {
  span: Interval;
  /** Confirmed windows of the host, sorted by start, disjoint. */
  windows: readonly WindowLike[];
  /** Fractions of the span by which windows are shifted in the permutation test (seeded). */
  shifts: Float64Array;
}

export interface Judgement {
  verdict: Verdict;
  /** Why, in a clause that can follow "verdict because". */
  reason: string;
  outagesTotal: number;
  /** Windows whose zone holds at least one event, by index into ctx.windows. */
  hitWindows: number[];
  /** Per window hit: its index into ctx.windows, the first event in its zone, the lead, whether it led. */
  hits: JudgeHit[];
  /** Windows with an event in the lead zone [onset - 5 min, onset + 1 min]. */
  leadHits: number;
  /** Windows with no event strictly inside (the signal fell silent there). */
  silentIn: number;
  total: number;
  eventsInside: number;
  eventsLead: number;
  eventsOutside: number;
  /** Median seconds from the first event of the zone to the onset (negative = after onset). */
  leadS: number | null;
  chance: number | null;
  rise: number | null;
  clusters: Cluster[];
  clustersOutside: number;
  outsideActiveUs: number;
  /** How much likelier an onset is in the lead time after a burst than elsewhere (90 % interval), or null. */
  likelihood: { ratio: number; low: number; high: number } | null;
  /** The rules checked, in order, met or failed, with their figures. */
  rules: RuleCheck[];
}

function zoneOf(w: WindowLike): Interval {
  return { startUs: w.startUs - LEAD_BEFORE_US, endUs: Math.max(w.startUs + LEAD_AFTER_US, w.endUs) };
}

/** Whether any event falls in [a, b] once the interval is moved by `shift` around the span (circular). */
function hitAfterShift(s: Series, zone: Interval, shift: number, span: Interval): boolean {
  const length = span.endUs - span.startUs;
  const offset = (((zone.startUs - span.startUs + shift) % length) + length) % length;
  const a = span.startUs + offset;
  const b = a + (zone.endUs - zone.startUs);
  if (b <= span.endUs) return weightBetween(s, a, b) > 0;
  return weightBetween(s, a, span.endUs) > 0 || weightBetween(s, span.startUs, span.startUs + (b - span.endUs)) > 0;
}

/**
 * The permutation test: the share of circular shifts of all windows (together, keeping their
 * spacing) whose zones hold the signal at least as often as the real windows do. The real
 * arrangement counts as one of the permutations, so the smallest possible chance is 1/(shifts+1).
 */
export function permutationChance(s: Series, zones: readonly Interval[], observedHits: number, ctx: JudgeContext): number | null {
  const length = ctx.span.endUs - ctx.span.startUs;
  if (length <= 0 || zones.length === 0) return null;
  if (observedHits === 0) return 1;
  let asMany = 1;
  for (let k = 0; k < ctx.shifts.length; k++) {
    const shift = ctx.shifts[k]! * length;
    let hits = 0;
    for (const z of zones) if (hitAfterShift(s, z, shift, ctx.span)) hits++;
    if (hits >= observedHits) asMany++;
  }
  return Math.round((asMany / (ctx.shifts.length + 1)) * 10000) / 10000;
}

/** Weighted events outside every zone, and how much of the time away from outages they cover. */
function outsideActivity(s: Series, zones: readonly Interval[], span: Interval): { weight: number; activeUs: number } {
  const bins = new Set<number>();
  let weight = 0;
  let z = 0;
  for (let k = 0; k < s.ts.length; k++) {
    const t = s.ts[k]!;
    while (z < zones.length && zones[z]!.endUs < t) z++;
    if (z < zones.length && zones[z]!.startUs <= t) continue;
    weight += s.weight[k]!;
    bins.add(Math.floor((t - span.startUs) / ACTIVITY_BIN_US));
  }
  return { weight, activeUs: bins.size * ACTIVITY_BIN_US };
}

function clip(intervals: Interval[], span: Interval): Interval[] {
  return intervals
    .map((iv) => ({ startUs: Math.max(iv.startUs, span.startUs), endUs: Math.min(iv.endUs, span.endUs) }))
    .filter((iv) => iv.endUs > iv.startUs);
}

export function judgeSignal(s: Series, ctx: JudgeContext): Judgement {
  const windows = ctx.windows;
  const n = windows.length;
  const zones = windows.map(zoneOf);
  const zoneUnion = unionOf(zones);
  const windowUnion = unionOf(windows.map((w) => ({ startUs: w.startUs, endUs: w.endUs })));
  const leadUnion = unionOf(windows.map((w) => ({ startUs: w.startUs - LEAD_BEFORE_US, endUs: w.startUs })));
  const leadZoneUnion = unionOf(windows.map((w) => ({ startUs: w.startUs - LEAD_BEFORE_US, endUs: w.startUs + LEAD_AFTER_US })));

  const hitWindows: number[] = [];
  const hits: JudgeHit[] = [];
  const leads: number[] = [];
  let leadHits = 0;
  let silentIn = 0;
  windows.forEach((w, i) => {
    const z = zones[i]!;
    const first = firstBetween(s, z.startUs, z.endUs);
    const led = weightBetween(s, w.startUs - LEAD_BEFORE_US, w.startUs + LEAD_AFTER_US) > 0;
    if (first >= 0) {
      const leadS = (w.startUs - s.ts[first]!) / SECOND_US;
      hitWindows.push(i);
      leads.push(leadS);
      hits.push({ window: i, firstUs: s.ts[first]!, leadS: Math.round(leadS * 10) / 10, led });
    }
    if (led) leadHits++;
    if (weightStrictlyInside(s, w.startUs, w.endUs) === 0) silentIn++;
  });

  let eventsInZones = 0;
  for (const z of zoneUnion) eventsInZones += weightBetween(s, z.startUs, z.endUs);
  let eventsInside = 0;
  for (const w of windowUnion) eventsInside += weightBetween(s, w.startUs, w.endUs);
  let eventsBeforeOnsets = 0;
  for (const l of leadUnion) {
    // Half-open [onset - 5 min, onset): an event at the onset instant belongs to the window.
    const lo = lowerBound(s.ts, l.startUs);
    const hi = lowerBound(s.ts, l.endUs);
    if (hi > lo) eventsBeforeOnsets += s.prefix[hi]! - s.prefix[lo]!;
  }
  const outside = outsideActivity(s, zoneUnion, ctx.span);
  const eventsOutside = outside.weight;

  const spanUs = Math.max(1, ctx.span.endUs - ctx.span.startUs);
  const outsideUs = Math.max(1, spanUs - totalLength(clip(zoneUnion, ctx.span)));
  // The rise is measured over the whole lead zone: a cause may coincide with the onset, not only precede it.
  let eventsInLeadZones = 0;
  for (const l of leadZoneUnion) eventsInLeadZones += weightBetween(s, l.startUs, l.endUs);
  const leadUs = totalLength(clip(leadZoneUnion, ctx.span));
  const leadRate = leadUs > 0 ? eventsInLeadZones / leadUs : 0;
  const outsideRate = eventsOutside / outsideUs;
  const rise = eventsOutside === 0 ? null : leadRate / outsideRate;

  const all = clusters(s);
  let clustersOutside = 0;
  const zoneStarts = Float64Array.from(zoneUnion.map((iv) => iv.startUs));
  for (const c of all) {
    const z = upperBound(zoneStarts, c.startUs) - 1;
    const inside = z >= 0 && zoneUnion[z]!.endUs >= c.startUs;
    if (!inside) clustersOutside++;
  }

  const chance = n > 0 ? permutationChance(s, zones, hitWindows.length, ctx) : null;
  const leadS = leads.length > 0 ? Math.round(median(leads) * 10) / 10 : null;

  const base = {
    outagesTotal: n,
    hitWindows,
    hits,
    leadHits,
    silentIn,
    total: s.total,
    eventsInside,
    eventsLead: eventsInZones - eventsInside,
    eventsOutside,
    leadS,
    chance,
    rise,
    clusters: all,
    clustersOutside,
    outsideActiveUs: outside.activeUs,
    likelihood: null,
  };
  return { ...base, ...decide(base, eventsBeforeOnsets) };
}

/**
 * The most weight a signal may have outside every zone and still be judged a cause or a symptom,
 * given its weight inside the zones: a symptom has >= 90 % of its weight inside windows (so outside
 * <= inZones / 9), and a cause rises >= MIN_CAUSE_RISE times (so outside <= inLeadZones x outsideUs
 * / (MIN_CAUSE_RISE x leadUs), and the lead zones lie within the zones). Template discovery stops
 * masking a template's events once it is past this bound: its verdict can no longer be either. The
 * bound is made 1 % looser than exact so rounding can only keep a template, never drop one.
 */
export function maxOutsideForVerdict(inZones: number, ctx: JudgeContext): number {
  const windows = ctx.windows;
  const zoneUnion = unionOf(windows.map(zoneOf));
  const leadZoneUnion = unionOf(windows.map((w) => ({ startUs: w.startUs - LEAD_BEFORE_US, endUs: w.startUs + LEAD_AFTER_US })));
  const spanUs = Math.max(1, ctx.span.endUs - ctx.span.startUs);
  const outsideUs = Math.max(1, spanUs - totalLength(clip(zoneUnion, ctx.span)));
  const leadUs = totalLength(clip(leadZoneUnion, ctx.span));
  const asSymptom = inZones / 9;
  const asCause = leadUs > 0 ? (inZones * outsideUs) / (MIN_CAUSE_RISE * leadUs) : 0;
  return Math.max(asSymptom, asCause) * 1.01 + 1e-9;
}

type Figures = Omit<Judgement, 'verdict' | 'reason' | 'rules'>;

function decide(f: Figures, eventsBeforeOnsets: number): { verdict: Verdict; reason: string; rules: RuleCheck[] } {
  const rules: RuleCheck[] = [];
  return { ...decideVerdict(f, eventsBeforeOnsets), rules };
}

function decideVerdict(f: Figures, eventsBeforeOnsets: number): { verdict: Verdict; reason: string } {
  const n = f.outagesTotal;
  if (f.total === 0) return { verdict: 'inconclusive', reason: 'it has no events' };
  if (n === 0) return { verdict: 'inconclusive', reason: 'there is no confirmed outage to compare it with' };

  const insideShare = f.eventsInside / f.total;
  if (insideShare >= MIN_SYMPTOM_INSIDE_SHARE && eventsBeforeOnsets <= 0.1 * f.total && (f.leadS ?? 0) <= 0) {
    return { verdict: 'symptom', reason: 'it appears only after onsets, inside outages' };
  }

  const outsideBurstShare = f.clusters.length > 0 ? f.clustersOutside / f.clusters.length : 0;
  const rises = f.rise === null ? f.leadHits > 0 : f.rise >= MIN_CAUSE_RISE;
  const leadsMost = f.leadHits * 2 > n;
  if (leadsMost && rises && outsideBurstShare <= MAX_OUTSIDE_BURST_SHARE) {
    if (n < MIN_WINDOWS_FOR_CAUSE) {
      return {
        verdict: 'inconclusive',
        reason: `it lines up with the onsets, but ${n} confirmed outage${n === 1 ? ' is' : 's are'} too few to tell that from chance`,
      };
    }
    if (f.chance !== null && f.chance <= CHANCE_THRESHOLD) {
      return { verdict: 'cause', reason: 'its bursts lead or coincide with most onsets and rarely occur elsewhere' };
    }
    return { verdict: 'inconclusive', reason: 'it lines up with the onsets, but no better than randomly shifted windows do' };
  }

  const outsideShare = f.eventsOutside / f.total;
  const flat = f.rise !== null && f.rise < MAX_BACKGROUND_RISE;
  if (outsideShare >= MIN_BACKGROUND_OUTSIDE_SHARE && flat && f.outsideActiveUs >= MIN_BACKGROUND_ACTIVE_US) {
    return { verdict: 'background', reason: 'it runs through long stretches without outages and does not rise before onsets' };
  }
  return { verdict: 'inconclusive', reason: 'its timing neither leads the onsets, follows them, nor runs steadily through' };
}
