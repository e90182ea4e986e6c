/**
 * Judges one signal (its events as a Series) against the confirmed outage windows of its host, from
 * timing and overlap alone; the signal's name plays no part. See docs/correlation.md for the rules.
 *
 * Each window's onset is known only within [onsetLo, onsetHi] (a probe's poll interval, a silence's
 * edges; LEAD_AFTER after the start when the evidence gives no spread), and equally likely anywhere
 * in it: a start inside the spread leads the onset with the chance that the onset came later (ledShare):
 *
 *   lead zone of a window = [onsetLo - LEAD_BEFORE, onsetHi]        (where a cause must show)
 *   inside                = [onsetLo, end]                          (where a symptom shows)
 *   zone                  = [onsetLo - LEAD_BEFORE, max(onsetHi, end)]
 *   outside               = the observed span minus every zone
 *
 * Three statistics decide:
 *  - the **likelihood ratio** of an onset in the lead time after the signal's events against other
 *    times (onsets per hour in the time the signal "covers" over onsets per hour elsewhere), with a
 *    90 % interval: bursts with no outage after them lower it, they do not veto;
 *  - the **share of onsets led**, each counted by the chance its onset came after the lead;
 *  - the **permutation chance**: the share of random placements of the windows (each block of
 *    clustered windows moved whole, the blocks on their own, uniformly over the span) under which as
 *    many lead zones (or insides, for a symptom) hold an event. It is computed exactly, not sampled,
 *    so small chances are resolved and the result is deterministic.
 */
import { CHANCE_THRESHOLD, type RuleCheck, type Verdict } from '../model/finding.js';
import { type Cluster, clusters } from './bursts.js';
import type { Series } from './series.js';
import { firstBetween, lowerBound, upperBound, weightBetween, weightStrictlyInside } from './series.js';
import { FAMILY_ALPHA, MIN_FIT_GAPS } from './silence.js';
import { SCAN_MAX_WINDOWS, type ScanResult, consistentLeadChance } from './lead-scan.js';
import { type Interval, MINUTE_US, SECOND_US, binomialUpperTail, median, totalLength, unionOf } from './stats.js';

/** A cause may lead an outage by up to 5 min: the seed's churn led by 1–3 min, the simulator's causes by 5–180 s. */
export const LEAD_BEFORE_US = 5 * MINUTE_US;
/** ... or coincide with it: when the evidence gives no onset spread, the onset is taken as known to within a minute. */
export const LEAD_AFTER_US = 1 * MINUTE_US;
/** Chance at or below this is "unlikely by chance": one threshold for the judge and the report, kept in the model. */
export { CHANCE_THRESHOLD };
/** A cause makes an onset at least this many times likelier in the lead time after it than elsewhere. */
export const MIN_CAUSE_LIKELIHOOD = 4;
/** A symptom's rate inside windows is at least this many times its rate outside every zone ... */
export const MIN_SYMPTOM_RATE_RATIO = 10;
/** ... or at least this share of its events are inside windows (it appears only with outages). */
export const MIN_SYMPTOM_INSIDE_SHARE = 0.9;
/**
 * A cause is busier in the lead zones than at its own rate elsewhere: the rise test's chance
 * (riseTestOf) is at most this. Uncorrected for the templates picked: it is a second condition
 * beside the permutation chance, which carries the correction; it can only withhold a verdict.
 */
export const RISE_CHANCE_THRESHOLD = CHANCE_THRESHOLD;
/** Background "does not rise": lead-zone rate below this multiple of the outside rate. */
export const MAX_BACKGROUND_RISE = 2;
/** Background: at least this share of events outside every zone ... */
export const MIN_BACKGROUND_OUTSIDE_SHARE = 0.5;
/** ... spread over at least this much time away from outages (10-minute bins holding events). */
export const MIN_BACKGROUND_ACTIVE_US = 30 * MINUTE_US;
const ACTIVITY_BIN_US = 10 * MINUTE_US;
/**
 * Events closer than the lead time form one episode of the signal (and, for a signal that runs
 * steadily, events closer than a pause its pace cannot explain: episodeGapOf): within it the signal is
 * already on, and only a change (its start) can precede a change (an onset). A signal leads an onset
 * when one of its episodes starts in the onset's lead zone; a steady stream is one episode and leads nothing.
 */
export const EPISODE_GAP_US = LEAD_BEFORE_US;
/**
 * Lines within this of each other are one happening told twice (a docker network's `link becomes
 * ready` beside its bridge lines, an oops's register lines beside the line that opens it): whole
 * seconds of stamping plus the few seconds a driver or a daemon takes to write its next line.
 */
export const ACCOMPANY_US = 10 * SECOND_US;
/** z of a two-sided 90 % interval. */
const Z90 = 1.6449;

export interface WindowLike {
  startUs: number;
  endUs: number;
  /** Where the onset can lie (defaults: the start, and the start + LEAD_AFTER). */
  onsetEarliestUs?: number;
  onsetLatestUs?: number;
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
  /**
   * The stretches of time the signal's sources were captured. The permutation places windows only
   * there, the likelihood compares covered time with the rest of it, and a window outside them is no
   * trial of the signal (it is left out of n). Default: the whole span.
   *
   * Where a stretch begins, watching began: an episode that starts within EPISODE_GAP_US after it may
   * have been on before anyone looked, so its start is not seen as a start (censored; the span's
   * start always counts). Without this, a steady stream's first line at the start of a capture is an
   * "episode start" that a random onset right after it would find leading.
   */
  watched?: readonly Interval[];
  /**
   * How many signals were picked for this test (templates chosen because they line up with the
   * windows): the chance a cause or symptom must reach is CHANCE_THRESHOLD divided by it (Bonferroni).
   * 1 for a signal named before the windows were known.
   */
  tested?: number;
  /**
   * How `tested` was reached when it is the incident-wide correction (holmDivisors): said beside the
   * chance rule, e.g. `Holm over 7 signals tested in the incident: this chance 1st smallest`.
   */
  correction?: string;
  /**
   * The divisor of the chance threshold for the cause rule alone, when the incident-wide correction
   * sets it (holmDivisors); the symptom test keeps `tested`. Default: `tested`.
   */
  leadTested?: number;
}

/**
 * Holm's step-down over the chances of a family of tests (every signal and template group judged
 * with the consistent-lead scan in one incident): the k-th smallest chance is held to α/(m − k + 1),
 * and once one fails every larger one fails too (held to the threshold that stopped it). Returns,
 * per chance, the divisor of α it is held to (JudgeContext.tested), and its rank (1 = smallest).
 * Valid under any dependence between the tests (Holm 1979), and never stricter than Bonferroni's α/m.
 */
export function holmDivisors(chances: readonly number[]): { divisor: number; rank: number }[] {
  const m = chances.length;
  const order = chances.map((c, i) => ({ c, i })).sort((a, b) => a.c - b.c || a.i - b.i);
  const out = new Array<{ divisor: number; rank: number }>(m);
  let stopped = -1;
  order.forEach(({ c, i }, k) => {
    const divisor = m - k;
    if (stopped < 0 && !(c <= CHANCE_THRESHOLD / divisor)) stopped = divisor;
    out[i] = { divisor: stopped < 0 ? divisor : stopped, rank: k + 1 };
  });
  return out;
}

export interface Likelihood {
  ratio: number;
  low: number;
  /** Infinity when no onset happened away from the signal (the interval is open above). */
  high: number;
}

/**
 * Whether the signal's rate in the lead zones exceeds its own rate outside every zone, as a test
 * (riseTestOf): `lead` events in `leadUs` of lead zones against `outside` events in `outsideUs`
 * outside, both in the watched time.
 */
export interface RiseTest {
  lead: number;
  outside: number;
  leadUs: number;
  outsideUs: number;
  /** P(at least `lead` of the lead + outside events in the lead zones) at one rate throughout; null without events. */
  chance: number | null;
}

/**
 * A signal's pace while it is on needs this many gaps under EPISODE_GAP_US to be estimated: as many
 * as the silence test asks of a stream's neighbourhood (silence.ts MIN_FIT_GAPS).
 */
export const MIN_PACE_GAPS = MIN_FIT_GAPS;

/**
 * The mean gap of a signal while it is on, from its gaps under EPISODE_GAP_US: the maximum-likelihood
 * mean of an exponential truncated there (gaps of EPISODE_GAP_US or more are pauses between episodes,
 * or the on-state's own rare long gaps — the question this estimate is asked to decide). It solves
 * E[x | x < T] = m − T/(e^(T/m) − 1) = the gaps' mean. Infinity when the gaps are spread at least as
 * evenly as a uniform one over [0, T) (a stream slower than the gap itself); null with fewer than
 * MIN_PACE_GAPS gaps under T, when the pace is not known.
 */
export function onPaceOf(s: Series): number | null {
  const T = EPISODE_GAP_US;
  let count = 0;
  let sum = 0;
  for (let k = 1; k < s.ts.length; k++) {
    const gap = s.ts[k]! - s.ts[k - 1]!;
    if (gap < T) {
      count++;
      sum += gap;
    }
  }
  if (count < MIN_PACE_GAPS) return null;
  const target = sum / count;
  if (target >= T / 2) return Infinity;
  const truncatedMean = (m: number): number => m - T / Math.expm1(T / m);
  // truncatedMean rises with m from 0 to T/2: bisect on a log scale.
  let lo = Math.max(1, target / 2);
  let hi = T * 1e6;
  for (let i = 0; i < 100 && hi / lo > 1 + 1e-9; i++) {
    const mid = Math.sqrt(lo * hi);
    if (truncatedMean(mid) < target) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/**
 * The pause that ends an episode of this signal. EPISODE_GAP_US (the lead time) for a signal that
 * comes in bursts; longer for one that runs steadily: a pause is the signal being off only when
 * that long a gap is unlikely at its own pace while on, corrected for the number of its gaps (the
 * test the silence windows use, with their family-wise FAMILY_ALPHA): N·e^(−g/m) ≤ α, g ≥ m·ln(N/α).
 * A service's routine line every 55 s that once pauses 346 s is still on when it resumes — the
 * resumption is no start, and must not "lead" an onset that follows a second later (the simulator's
 * seed 1032: judged a cause at chance 0.00096). Container churn whose lines come seconds apart inside
 * a burst keeps the lead time: at its pace a minute of quiet is already a stop.
 */
export function episodeGapOf(s: Series): number {
  const m = onPaceOf(s);
  if (m === null) return EPISODE_GAP_US;
  if (m === Infinity) return Infinity;
  const gaps = Math.max(1, s.ts.length - 1);
  return Math.max(EPISODE_GAP_US, m * Math.log(gaps / FAMILY_ALPHA));
}

const episodeGaps = new WeakMap<Series, number>();

/** episodeGapOf, once per series (a series is never changed once built). */
function episodeGap(s: Series): number {
  let gap = episodeGaps.get(s);
  if (gap === undefined) episodeGaps.set(s, (gap = episodeGapOf(s)));
  return gap;
}

/** The episodes of the signal: runs of its events with no pause that ends one (episodeGapOf). */
export function episodes(s: Series): Cluster[] {
  return clusters(s, episodeGap(s));
}

/** The first instant of each episode of the signal, as a series of its own (weight 1 each). */
export function episodeStarts(s: Series): Series {
  const runs = episodes(s);
  const ts = Float64Array.from(runs, (c) => c.startUs);
  const weight = new Float64Array(ts.length).fill(1);
  const prefix = new Float64Array(ts.length + 1);
  for (let k = 0; k < ts.length; k++) prefix[k + 1] = k + 1;
  const eventIndex = Int32Array.from(runs, (c) => s.eventIndex[c.first]!);
  return { ts, weight, prefix, eventIndex, total: ts.length };
}

/**
 * The longest gap between consecutive events of one episode (gaps shorter than the pause that ends
 * one, episodeGapOf): how long the signal, once on, has been seen to stay quiet before its next line.
 * 0 when no episode has two events.
 */
export function longestEpisodeGap(s: Series): number {
  const end = episodeGap(s);
  let longest = 0;
  for (let k = 1; k < s.ts.length; k++) {
    const gap = s.ts[k]! - s.ts[k - 1]!;
    if (gap < end && gap > longest) longest = gap;
  }
  return longest;
}

/**
 * Episode starts seen as starts (JudgeContext.watched). A start that comes soon after watching began
 * may belong to an episode that was already on: it is censored when the quiet watched before it is
 * no longer than the signal's own longest gap inside an episode (an episode on at the start of
 * watching would have shown a line within that). A steady
 * stream's first line after a capture begins comes within one of its gaps and is censored; a burst
 * of container churn 4.5 minutes into a dmesg ring, from a signal whose episodes never pause 4
 * minutes, is a start (the simulator's seed 1014: censored by a fixed 5 minutes, the one onset it
 * led of two was lost and the cause judged inconclusive).
 */
export function seenStarts(s: Series, ctx: Pick<JudgeContext, 'span' | 'watched'>): Series {
  const starts = episodeStarts(s);
  const from = Float64Array.from([ctx.span.startUs, ...(ctx.watched ?? []).map((w) => w.startUs)]).sort();
  const quietNeeded = Math.max(longestEpisodeGap(s), onQuietBound(s));
  const keep: number[] = [];
  for (let k = 0; k < starts.ts.length; k++) {
    const t = starts.ts[k]!;
    // The latest instant watching began before t; censored when the quiet since then is no longer
    // than an episode of this signal can stay quiet. A coverage start at t itself is one read off this
    // very line (a section without stated coverage is covered from its first line): it says nothing
    // about when watching began.
    const c = lowerBound(from, t) - 1;
    if (c >= 0 && t - from[c]! <= quietNeeded) continue;
    keep.push(k);
  }
  if (keep.length === starts.ts.length) return starts;
  const ts = Float64Array.from(keep, (k) => starts.ts[k]!);
  const prefix = new Float64Array(ts.length + 1);
  for (let k = 0; k < ts.length; k++) prefix[k + 1] = k + 1;
  return { ts, weight: new Float64Array(ts.length).fill(1), prefix, eventIndex: Int32Array.from(keep, (k) => starts.eventIndex[k]!), total: ts.length };
}

/**
 * The longest quiet a signal whose pace while on is known (onPaceOf) shows with chance above the
 * silence test's family-wise α over its N gaps: m·ln(N/α), the pause episodeGapOf asks of an
 * episode's end, without the lead-time floor. A first line that long after watching began says the
 * signal was off before it; a shorter one is what an episode already on shows (a k3s line among six
 * that come every 30 s, its own mean 2.4 min, first seen 17.5 min into a journal capture: its
 * longest gap in an episode was 8.7 min, so by that alone it "started" 116 s before the only onset
 * and was judged a cause at chance 0.011 — the simulator's seed 1272; at its pace, 21 min). 0 when
 * the pace is unknown (the longest gap in an episode decides alone).
 */
export function onQuietBound(s: Series): number {
  const m = onPaceOf(s);
  if (m === null) return 0;
  if (m === Infinity) return Infinity;
  return m * Math.log(Math.max(1, s.ts.length - 1) / FAMILY_ALPHA);
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
  /** Windows with an episode of the signal starting in the lead zone. */
  leadHits: number;
  /**
   * Onsets led, each weighed by the chance that it came after the start that leads it (ledShare): a
   * start inside an onset's spread leads it only as likely as the onset lies later in the spread.
   */
  ledExpected: number;
  /** The median, over windows hit, of the chance that the onset came after the signal's first event there. */
  firstLedShare: number | null;
  /** The smallest chance the lead test could give this signal (had it led every onset): what decides whether it counts as tested. */
  minChanceLead: number | null;
  /** The same for the inside test (had it been inside every window). */
  minChanceInside: number | null;
  /** Windows with an event inside, after the earliest onset. */
  insideHits: number;
  /** Windows with no event strictly inside (the signal fell silent there). */
  silentIn: number;
  total: number;
  eventsInside: number;
  eventsLead: number;
  eventsOutside: number;
  /** Median seconds from the first event of the zone to the onset (negative = after onset). */
  leadS: number | null;
  /** The permutation chance of the statistic the verdict rests on (lead zones; insides for a symptom). */
  chance: number | null;
  chanceLead: number | null;
  /**
   * The consistent-lead scan (lead-scan.ts) when it is the lead test: 2..SCAN_MAX_WINDOWS onsets and
   * most of them led; chanceLead is then its chance. null where the exact reach test decides alone.
   */
  leadScan: (ScanResult & { exact: number | null }) | null;
  /** The incident-wide correction the chance was held to (JudgeContext.correction), when there is one. */
  correction?: string;
  /** The chance the cause rule must reach (CHANCE_THRESHOLD / JudgeContext.leadTested, else chanceNeeded). */
  chanceNeededLead: number;
  chanceInside: number | null;
  /** The chance a cause or symptom must reach here (CHANCE_THRESHOLD / signals tested). */
  chanceNeeded: number;
  rise: number | null;
  /** The rise test (riseTest): its counts, exposures and one-sided chance; null chance without any event in either. */
  riseTest: RiseTest;
  likelihood: Likelihood | null;
  /** Rate inside windows over rate outside every zone (null without events outside). */
  insideRatio: number | null;
  clusters: Cluster[];
  clustersOutside: number;
  outsideActiveUs: number;
  /** The blocks the permutation moved the windows in (windowBlocks: indices into the judged windows). */
  blocks: number[][];
  /** The rules checked, in order, met or failed, with their figures. */
  rules: RuleCheck[];
}

/** Whether the window's evidence gives the onset a spread (a probe's poll, a silence's edges) that holds together. */
function hasOnsetSpread(w: WindowLike): boolean {
  return w.onsetEarliestUs !== undefined && w.onsetLatestUs !== undefined && w.onsetEarliestUs <= w.onsetLatestUs;
}

/**
 * The earliest the onset can be. A window's start is its earliest evidence (a scanner's last line
 * before the silence); where the evidence narrows the onset (a probe's last good poll after that
 * line), the onset is no earlier than that.
 */
function onsetLo(w: WindowLike): number {
  return hasOnsetSpread(w) ? w.onsetEarliestUs! : w.startUs;
}

/**
 * The latest the onset can be. When the evidence gives a spread it is the spread's end (a probe's
 * first failed poll, a silence's expected next line), never less than a whole second after its start
 * (stamps are whole seconds); without one, the start + LEAD_AFTER. A fixed minute added to every
 * spread let a line 16 s after an onset known to within 4 s "lead" it (the simulator's seed 57: a
 * veth of ordinary container churn judged a cause).
 */
function onsetHi(w: WindowLike): number {
  return hasOnsetSpread(w) ? Math.max(w.onsetLatestUs!, onsetLo(w) + ONSET_STAMP_US) : w.startUs + LEAD_AFTER_US;
}

/** Stamps are whole seconds: an onset spread is never narrower than that. */
export const ONSET_STAMP_US = SECOND_US;

/**
 * The probability that the onset came after an instant t, the onset being equally likely anywhere in
 * its spread [onsetLo, onsetHi] (a probe's poll: the outage began at some moment between the last good
 * poll and the first failed one). 1 before the spread, 0 after it. A line inside the spread may lead
 * the onset or follow it: a lease failure 22 s into a 60 s poll is likelier after it (0.37).
 */
export function ledShare(w: WindowLike, t: number): number {
  const lo = onsetLo(w);
  const hi = onsetHi(w);
  if (t <= lo) return 1;
  if (t >= hi) return 0;
  return (hi - t) / (hi - lo);
}

/**
 * The onset leads are measured from: the window's start, moved into the onset's spread when the
 * evidence puts the onset elsewhere (a scanner's last line comes before a probe's last good poll:
 * the outage began after that poll, not at the line). Not the middle of the spread: a probe that
 * logs only its transitions gives no poll interval, and the spread read from its lines can be as
 * long as the window (the fixtures' and the simulator's transition probes), which would put the
 * onset minutes early and turn every cause into a symptom.
 */
export function onsetEstimate(w: WindowLike): number {
  return hasOnsetSpread(w) ? Math.min(Math.max(w.startUs, w.onsetEarliestUs!), w.onsetLatestUs!) : w.startUs;
}

export function leadZoneOf(w: WindowLike): Interval {
  return { startUs: onsetLo(w) - LEAD_BEFORE_US, endUs: onsetHi(w) };
}

export function zoneOf(w: WindowLike): Interval {
  return { startUs: onsetLo(w) - LEAD_BEFORE_US, endUs: Math.max(onsetHi(w), w.endUs) };
}

function insideOf(w: WindowLike): Interval {
  return { startUs: onsetLo(w), endUs: Math.max(onsetLo(w), w.endUs) };
}

/**
 * The permutation chance, exactly: each window is moved on its own to a random place in the span
 * (uniformly, its length kept, inside the span), and the chance is the share of all such placements under which at
 * least `observed` of the intervals hold an event. For interval k, the placements that put an event
 * in it cover a share q_k of the span (the union, over the signal's events, of the offsets that reach
 * them), so the number hit is a sum of independent Bernoulli(q_k): its upper tail is computed exactly
 * by dynamic programming. A bursty signal covers little time, a steady one nearly all of it: the
 * chance of a signal that is everywhere is 1.
 */
export function exactChance(s: Series, intervals: readonly Interval[], observed: number, span: Domain, blocks?: readonly (readonly number[])[], memo?: BlockMemo): number | null {
  const length = totalLength(domainOf(span));
  if (length <= 0 || intervals.length === 0) return null;
  if (observed <= 0) return 1;
  let p: number;
  if (blocks === undefined || blocks.every((b) => b.length === 1)) {
    const shares = intervals.map((iv) => hitShare(s, iv.endUs - iv.startUs, span));
    p = upperTail(shares, observed);
  } else {
    const counts = (b: readonly number[], at: number) =>
      memo !== undefined ? memo.counts(s, intervals, blocks, at, span) : blockCounts(s, b.map((k) => intervals[k]!), span);
    p = upperTailOfCounts(blocks.map(counts), observed);
  }
  return Number(Math.min(1, Math.max(0, p)).toPrecision(3));
}

/**
 * Outages that cluster (a link flapping: down, up for two minutes, down again) are not independent
 * trials: one of the signal's episodes can sit in the lead zone of one window and inside the one
 * before, and the second onset's place is set by the first's. Consecutive windows whose zones come
 * closer than this are one **block** of the permutation: the block is moved as a whole, its
 * windows' spacing kept, and only blocks are moved independently of each other. An episode is the
 * signal's events closer than EPISODE_GAP (one happening), so zones closer than that can be touched
 * by one happening of the signal; zones further apart are touched by different ones.
 */
export const BLOCK_GAP_US = EPISODE_GAP_US;

/**
 * The blocks of the permutation (indices into `windows`, which are sorted by start): runs of windows
 * whose zones (lead zone through end) come within BLOCK_GAP_US of the zone before. Windows far apart
 * are blocks of one, and the chance is then the Poisson binomial of independent windows.
 */
export function windowBlocks(windows: readonly WindowLike[]): number[][] {
  const blocks: number[][] = [];
  let lastEnd = -Infinity;
  windows.forEach((w, i) => {
    const z = zoneOf(w);
    if (blocks.length > 0 && z.startUs - lastEnd < BLOCK_GAP_US) blocks[blocks.length - 1]!.push(i);
    else blocks.push([i]);
    lastEnd = Math.max(lastEnd, z.endUs);
  });
  return blocks;
}

/**
 * For one block of intervals moved together (their spacing kept) to a uniformly random place in the
 * domain: the probability that exactly c of them hold an event, c = 0..size. The block's origin x
 * ranges over the rooms (each stretch minus the block's width); interval k, at offset o_k from the
 * block's start with width w_k, holds an event at t when x ∈ [t − o_k − w_k, t − o_k]. The count is
 * piecewise constant in x; a sweep over the boundaries of those sets measures each value exactly.
 */
export function blockCounts(s: Series, intervals: readonly Interval[], span: Domain): Float64Array {
  const m = intervals.length;
  const out = new Float64Array(m + 1);
  const blockStart = Math.min(...intervals.map((iv) => iv.startUs));
  const blockEnd = Math.max(...intervals.map((iv) => iv.endUs));
  const width = Math.max(0, blockEnd - blockStart);
  const rooms = domainOf(span)
    .map((d) => ({ startUs: d.startUs, endUs: d.endUs - width }))
    .filter((r) => r.endUs > r.startUs);
  const length = totalLength(rooms);
  if (s.ts.length === 0) {
    out[0] = 1;
    return out;
  }
  if (length <= 0) {
    // No room to move the block (wider than every stretch): as hitShare, every interval counts as held.
    out[m] = 1;
    return out;
  }
  // Interval k holds an event for the origins in the union of [c.start − w − o, c.end − o] over the
  // series' runs c of events closer than w + 1 (w its width, o its offset in the block): each such
  // stretch gives an edge up at its start and one down at its end. Runs are read off the series'
  // gap tree (gapTreeOf: only the gaps that split it are visited, not every event), and the stretches
  // are merged in run order, which is their sorted order, as a union of them.
  const edges = edgeScratch;
  edges.ups = 0;
  edges.downs = 0;
  for (const iv of intervals) {
    const w = Math.max(0, iv.endUs - iv.startUs);
    const o = iv.startUs - blockStart;
    let openStart = 0;
    let openEnd = 0;
    let open = false;
    forEachRun(s, Math.max(1, w) + 1, (runStart, runEnd) => {
      const a = runStart - w - o;
      const b = runEnd - o;
      if (open && a <= openEnd) openEnd = Math.max(openEnd, b);
      else {
        if (open) edges.push(openStart, openEnd);
        openStart = a;
        openEnd = b;
        open = true;
      }
    });
    if (open) edges.push(openStart, openEnd);
  }
  const ups = edges.up.subarray(0, edges.ups).sort();
  const downs = edges.down.subarray(0, edges.downs).sort();
  // Each room starts after the edges at or before its start (their steps summed), and is measured
  // piece by piece between the distinct edge positions in it, the count at each piece being the steps
  // of every edge before it: the same pieces, added in the same order, as a sweep over every edge
  // sorted by position, for every room (which is what this computed before, a third of correlate's
  // CPU at 5M; test/correlate/block-counts.test.ts holds the two to the same bits).
  for (const room of rooms) {
    let i = upperBound(ups, room.startUs);
    let j = upperBound(downs, room.startUs);
    let count = i - j;
    let at = room.startUs;
    while (at < room.endUs && (i < ups.length || j < downs.length)) {
      const p = Math.min(i < ups.length ? ups[i]! : Infinity, j < downs.length ? downs[j]! : Infinity);
      if (p > at) {
        const to = Math.min(p, room.endUs);
        out[Math.min(m, Math.max(0, count))]! += to - at;
        at = to;
      }
      while (i < ups.length && ups[i] === p) {
        count++;
        i++;
      }
      while (j < downs.length && downs[j] === p) {
        count--;
        j++;
      }
    }
    if (at < room.endUs) out[Math.min(m, Math.max(0, count))]! += room.endUs - at;
  }
  for (let c = 0; c <= m; c++) out[c] = out[c]! / length;
  return out;
}

/** Growable buffers of a block's edge positions (up and down), reused across calls. */
class EdgeBuffers {
  up = new Float64Array(1024);
  down = new Float64Array(1024);
  ups = 0;
  downs = 0;
  push(startUs: number, endUs: number): void {
    if (this.ups === this.up.length) {
      const up = new Float64Array(this.up.length * 2);
      up.set(this.up);
      this.up = up;
      const down = new Float64Array(this.down.length * 2);
      down.set(this.down);
      this.down = down;
    }
    this.up[this.ups++] = startUs;
    this.down[this.downs++] = endUs;
  }
}
const edgeScratch = new EdgeBuffers();

/**
 * The maxima of a series' gaps (ts[k + 1] − ts[k]) over groups of GAP_LEAF gaps and over groups of
 * GAP_LEAF² gaps: the gaps at least g apart, which split the series into its runs at gap g, are
 * found by visiting only the groups whose maximum reaches g. A judgement asks for the runs of one
 * series at many gaps (one per width of zone), and a dense series (a brute force of a million lines)
 * has few runs at any of them: reading every event for each was most of blockCounts' time.
 */
interface GapTree {
  leaf: Float64Array;
  top: Float64Array;
}
const GAP_LEAF = 32;
const gapTrees = new WeakMap<Series, GapTree>();

function gapTreeOf(s: Series): GapTree {
  let tree = gapTrees.get(s);
  if (tree !== undefined) return tree;
  const ts = s.ts;
  const gaps = Math.max(0, ts.length - 1);
  const leaf = new Float64Array(Math.ceil(gaps / GAP_LEAF));
  for (let b = 0; b < leaf.length; b++) {
    let max = -Infinity;
    const to = Math.min(gaps, (b + 1) * GAP_LEAF);
    for (let k = b * GAP_LEAF; k < to; k++) {
      const d = ts[k + 1]! - ts[k]!;
      if (d > max) max = d;
    }
    leaf[b] = max;
  }
  const top = new Float64Array(Math.ceil(leaf.length / GAP_LEAF));
  for (let c = 0; c < top.length; c++) {
    let max = -Infinity;
    const to = Math.min(leaf.length, (c + 1) * GAP_LEAF);
    for (let b = c * GAP_LEAF; b < to; b++) if (leaf[b]! > max) max = leaf[b]!;
    top[c] = max;
  }
  tree = { leaf, top };
  gapTrees.set(s, tree);
  return tree;
}

/**
 * Calls `each(start, end)` for the runs of the series' events closer than gapUs, in order: the same
 * runs as clusters(s, gapUs) (an event joins the run before it when it follows the run's last event
 * by less than gapUs), found through the gap tree.
 */
export function forEachRun(s: Series, gapUs: number, each: (startUs: number, endUs: number) => void): void {
  const ts = s.ts;
  if (ts.length === 0) return;
  const { leaf, top } = gapTreeOf(s);
  const gaps = ts.length - 1;
  let first = 0;
  for (let c = 0; c < top.length; c++) {
    if (!(top[c]! >= gapUs)) continue;
    const leafTo = Math.min(leaf.length, (c + 1) * GAP_LEAF);
    for (let b = c * GAP_LEAF; b < leafTo; b++) {
      if (!(leaf[b]! >= gapUs)) continue;
      const to = Math.min(gaps, (b + 1) * GAP_LEAF);
      for (let k = b * GAP_LEAF; k < to; k++) {
        if (!(ts[k + 1]! - ts[k]! < gapUs)) {
          each(ts[first]!, ts[k]!);
          first = k + 1;
        }
      }
    }
  }
  each(ts[first]!, ts[gaps]!);
}

/**
 * blockCounts' answers within one judgement: a block's distribution depends on the series, the
 * block's intervals and the domain alone, and a judgement asks for the same ones more than once (the
 * inside test's two tails differ only in k; the lead test at reach 0 and its floor share zones).
 * Kept per judgement, not per series, so that it holds nothing once the judgement is made.
 */
export class BlockMemo {
  /** Per series and intervals array (by identity: the judgement passes the same arrays again), each block's distribution. */
  private readonly bySeries = new Map<Series, Map<readonly Interval[], { blocks: readonly (readonly number[])[]; counts: (Float64Array | undefined)[] }>>();
  /** The lead test's zones per reach, made once, so that a reach asked again hands over the same array. */
  private readonly zones = new Map<number, Interval[]>();
  private zonesOf: readonly WindowLike[] | null = null;
  constructor(private readonly domain: Domain) {}

  /** blockCounts of block `at` of `blocks` (indices into `intervals`), remembered for this domain. */
  counts(s: Series, intervals: readonly Interval[], blocks: readonly (readonly number[])[], at: number, span: Domain): Float64Array {
    const compute = () => blockCounts(s, blocks[at]!.map((k) => intervals[k]!), span);
    if (span !== this.domain) return compute();
    let known = this.bySeries.get(s);
    if (known === undefined) this.bySeries.set(s, (known = new Map()));
    let entry = known.get(intervals);
    if (entry === undefined || entry.blocks !== blocks) known.set(intervals, (entry = { blocks, counts: [] }));
    return (entry.counts[at] ??= compute());
  }

  /** The zones of `windows` at this reach: `make()` the first time, the same array after. */
  zonesAt(windows: readonly WindowLike[], reachUs: number, make: () => Interval[]): Interval[] {
    if (this.zonesOf !== windows) {
      this.zones.clear();
      this.zonesOf = windows;
    }
    let zones = this.zones.get(reachUs);
    if (zones === undefined) this.zones.set(reachUs, (zones = make()));
    return zones;
  }
}

/** P(at least k) for a sum of independent counts, each with its own distribution over 0..size. */
export function upperTailOfCounts(distributions: readonly Float64Array[], k: number): number {
  // Two buffers in turn rather than one made per distribution; the same products, added in the same order.
  let dist = new Float64Array(k + 1);
  let next = new Float64Array(k + 1);
  dist[0] = 1;
  for (const d of distributions) {
    next.fill(0);
    for (let j = 0; j <= k; j++) {
      const p = dist[j]!;
      if (p === 0) continue;
      for (let c = 0; c < d.length; c++) next[Math.min(k, j + c)]! += p * d[c]!;
    }
    const done = next;
    next = dist;
    dist = done;
  }
  return dist[k]!;
}

/**
 * Where a window may be placed: the span, or the covered stretches of it (a signal's sources were
 * watched only there; a window placed where nobody looked could not have shown the signal, so it is
 * no trial of it).
 */
export type Domain = Interval | readonly Interval[];

function domainOf(d: Domain): readonly Interval[] {
  return Array.isArray(d) ? (d as readonly Interval[]) : [d as Interval];
}

/**
 * hitShare's answers, per series, by width and domain. A signal is judged against every window, and
 * windows of one width (every lead zone; outages of the same length) share one answer, which costs
 * a pass over the whole series: at 5M events, with hundreds of windows and a brute-force campaign of
 * a million lines, recomputing it was half of `corr correlate`. Exact: the share depends on the
 * series' instants, the width and the domain alone, and a series is never changed once built.
 */
const hitShares = new WeakMap<Series, Map<string, number>>();

/** The share of placements of an interval of this width inside the domain that hold at least one event. */
export function hitShare(s: Series, widthUs: number, span: Domain): number {
  let known = hitShares.get(s);
  if (known === undefined) hitShares.set(s, (known = new Map()));
  let key = String(widthUs);
  for (const d of domainOf(span)) key += ` ${d.startUs}:${d.endUs}`;
  let share = known.get(key);
  if (share === undefined) {
    share = computeHitShare(s, widthUs, span);
    known.set(key, share);
  }
  return share;
}

function computeHitShare(s: Series, widthUs: number, span: Domain): number {
  // Placements keep the interval inside one stretch of the domain: it starts in [start, end − width].
  const rooms = domainOf(span)
    .map((d) => ({ startUs: d.startUs, endUs: d.endUs - Math.max(0, widthUs) }))
    .filter((r) => r.endUs > r.startUs);
  const length = totalLength(rooms);
  if (s.ts.length === 0) return 0;
  if (length <= 0) return 1;
  // An interval starting at x holds an event at t when x ∈ [t − width, t]; runs of events closer than
  // the width give one contiguous stretch of such starts.
  const runs = clusters(s, Math.max(1, widthUs) + 1);
  const starts = unionOf(runs.map((r) => ({ startUs: r.startUs - widthUs, endUs: r.endUs })));
  let held = 0;
  for (const room of rooms) held += totalLength(clip(starts, room));
  return Math.min(1, held / length);
}

/** P(at least k successes) for independent trials with these success probabilities (Poisson binomial). */
export function upperTail(probabilities: readonly number[], k: number): number {
  // dist[j] = P(exactly j successes so far), j capped at k (k or more folded into dist[k]).
  const dist = new Float64Array(k + 1);
  dist[0] = 1;
  for (const q of probabilities) {
    for (let j = k; j >= 0; j--) {
      const stay = j === k ? dist[j]! : dist[j]! * (1 - q);
      const from = j > 0 ? dist[j - 1]! * q : 0;
      dist[j] = stay + from;
    }
  }
  return dist[k]!;
}

/**
 * The lead test's chance, with the reach fitted to the data. A start at t leads window i at reach r
 * when t ∈ [onsetLo − r, onsetHi]; window i's own reach r_i is the smallest that makes its nearest
 * start lead it (0 inside the onset's spread; none beyond LEAD_BEFORE). For each observed reach r_j
 * the chance is the exact permutation chance that at least as many windows as are led at r_j hold a
 * start in zones of that reach; the least of them is multiplied by n, the number of reaches that
 * could have been picked (Bonferroni: P(min over j of p_j ≤ α) ≤ n·α, since each p_j is the exact
 * distribution of the j-th nearest lead). A cause whose bursts come a steady 20 s before each onset
 * is judged against 20 s zones, not 5-minute ones; with one onset the chance is just the share of
 * the span within that lead of one of its starts (n = 1: no correction).
 */
export function leadChance(starts: Series, windows: readonly WindowLike[], span: Domain, blocks?: readonly (readonly number[])[], memo?: BlockMemo): number | null {
  const n = windows.length;
  if (n === 0) return null;
  const reaches: number[] = [];
  for (const w of windows) {
    const lz = leadZoneOf(w);
    const last = upperBound(starts.ts, lz.endUs) - 1;
    if (last >= 0 && starts.ts[last]! >= lz.startUs) reaches.push(Math.max(0, onsetLo(w) - starts.ts[last]!));
  }
  if (reaches.length === 0) return 1;
  reaches.sort((a, b) => a - b);
  let best = 1;
  for (let j = 0; j < reaches.length; j++) {
    if (j + 1 < reaches.length && reaches[j + 1] === reaches[j]) continue;
    best = Math.min(best, chanceAtReach(starts, windows, reaches[j]!, j + 1, span, blocks, memo));
  }
  return Number(Math.min(1, n * best).toPrecision(3));
}

/** "Most onsets": more than half of them. The cause rule and the floor of its chance both ask it. */
export function isMostOf(part: number, whole: number): boolean {
  return part * 2 > whole;
}

/**
 * The smallest chance the lead test could give: as many onsets led at reach 0 as the signal has
 * starts to lead them with (each start leads one onset at most: windows are disjoint), and 1 when
 * those are too few to lead most onsets (the signal can never be a cause, so its chance does not
 * matter). Without the bound, a steady stream with one start — its first line — counted as able to
 * lead every onset at a chance near 0 and made K, the number of templates tested, larger for all
 * (the simulator's seed 1035: K 2 → 4 once steady streams stopped having spurious starts).
 *
 * Only starts strictly inside a stretch of the domain count. The permutation places a zone inside a
 * stretch, so a start at a stretch's very first (or last) instant is held by one placement alone, a
 * set of measure zero: it can never be seen leading, yet counted it gave a floor of exactly 0, and a
 * cron line whose only start was the span's first instant "could reach" every threshold (the
 * simulator's seed 1078: K 1 → 2, the true cause's 0.0317 then above 0.05/2).
 */
export function leadChanceFloor(starts: Series, windows: readonly WindowLike[], span: Domain, blocks?: readonly (readonly number[])[], memo?: BlockMemo): number | null {
  const n = windows.length;
  if (n === 0) return null;
  const stretches = domainOf(span);
  let able = 0;
  for (const t of starts.ts) if (stretches.some((d) => t > d.startUs && t < d.endUs)) able++;
  const most = Math.min(n, able);
  if (!isMostOf(most, n)) return 1;
  return Number(Math.min(1, n * chanceAtReach(starts, windows, 0, most, span, blocks, memo)).toPrecision(3));
}

function chanceAtReach(starts: Series, windows: readonly WindowLike[], reachUs: number, observed: number, span: Domain, blocks?: readonly (readonly number[])[], memo?: BlockMemo): number {
  const make = () => windows.map((w) => ({ startUs: onsetLo(w) - reachUs, endUs: onsetHi(w) }));
  const zones = memo !== undefined ? memo.zonesAt(windows, reachUs, make) : make();
  return exactChance(starts, zones, observed, span, blocks, memo) ?? 1;
}

/** Kept for callers that name it: the permutation chance of the given zones (exact). */
export function permutationChance(s: Series, zones: readonly Interval[], observedHits: number, ctx: JudgeContext): number | null {
  return exactChance(s, zones, observedHits, ctx.span);
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

/** The parts of the intervals inside any of the stretches (both sorted and disjoint). */
function clipAll(intervals: readonly Interval[], stretches: readonly Interval[]): Interval[] {
  return stretches.flatMap((st) => clip([...intervals], st));
}

function clip(intervals: Interval[], span: Interval): Interval[] {
  return intervals
    .map((iv) => ({ startUs: Math.max(iv.startUs, span.startUs), endUs: Math.min(iv.endUs, span.endUs) }))
    .filter((iv) => iv.endUs > iv.startUs);
}

function weightIn(s: Series, union: readonly Interval[]): number {
  let sum = 0;
  for (const iv of union) sum += weightBetween(s, iv.startUs, iv.endUs);
  return sum;
}

/**
 * How much likelier an onset is in the lead time after the signal's events than at other times.
 * The time an event "covers" is where an onset would count as led by it: from LEAD_AFTER (the
 * onset's spread) before it to LEAD_BEFORE after it. With k of n onsets led, covered time Ta and the
 * rest To, the ratio is (k/Ta)/((n−k)/To); given n, k is binomial with p = Ta·r/(Ta·r + To), so a
 * Wilson interval on p gives the interval on r. Half an onset is added to each side so that a ratio
 * stays finite and small samples are not overstated (Haldane).
 */
export function likelihoodOf(s: Series, led: number, n: number, windows: readonly WindowLike[], span: Domain): Likelihood | null {
  if (n === 0 || s.ts.length === 0) return null;
  const before = LEAD_BEFORE_US + mean(windows.map((w) => onsetEstimate(w) - onsetLo(w)));
  const after = mean(windows.map((w) => onsetHi(w) - onsetEstimate(w)));
  // Runs of events closer than the covered stretch is long cover one contiguous stretch.
  const covered = unionOf(clusters(s, before + after + 1).map((c) => ({ startUs: c.startUs - after, endUs: c.endUs + before })));
  const domain = domainOf(span);
  const spanUs = totalLength(domain);
  let ta = 0;
  for (const d of domain) ta += totalLength(clip(covered, d));
  ta = Math.min(spanUs, ta);
  const to = spanUs - ta;
  if (ta <= 0) return null;
  if (to <= 0) return { ratio: 1, low: 0, high: Infinity };
  const ratio = ((led + 0.5) / ta) / ((n - led + 0.5) / to);
  const { low, high } = wilson(led, n);
  const odds = (p: number): number => (p >= 1 ? Infinity : p / (1 - p));
  return { ratio: round2(ratio), low: round2(odds(low) * (to / ta)), high: odds(high) === Infinity ? Infinity : round2(odds(high) * (to / ta)) };
}

/**
 * The rise test: is the signal more frequent in the lead zones than at its own rate elsewhere? With
 * `lead` events in the lead zones' watched time Tl and `outside` events in the watched time outside
 * every zone To, a signal at one rate λ throughout has, given their sum N, lead ~ Binomial(N,
 * Tl/(Tl + To)) (the conditional test of two Poisson counts: it carries the uncertainty of the
 * baseline rate, which is estimated from `outside` alone). The chance is its upper tail at `lead`.
 *
 * Timing asks whether the signal's episodes *start* near onsets; this asks whether it is *busier*
 * there. A sparse background stream (an AppArmor denial every 20 minutes) whose lines happen to
 * fall before the host's one or two onsets passes the first at the rate its threshold allows and
 * fails this one: one line in a lead zone is its ordinary rate. A cause writes a burst there, many
 * lines against few elsewhere. Lines of one burst are not independent, so for a bursty signal the
 * chance is too small, never too large: the test can only hold back a signal that is not busier.
 * Inside the windows (onset to end) is neither: a network witness falls silent there and a symptom
 * fills it.
 */
export function riseTestOf(s: Series, windows: readonly WindowLike[], domain: readonly Interval[]): RiseTest {
  const leadIn = clipAll(unionOf(windows.map(leadZoneOf)), domain);
  const zones = unionOf(windows.map(zoneOf));
  const outsideIn = domain.flatMap((d) => without(d, zones));
  const lead = Math.round(weightIn(s, leadIn));
  const outside = Math.round(weightIn(s, outsideIn));
  const leadUs = totalLength(leadIn);
  const outsideUs = totalLength(outsideIn);
  const total = lead + outside;
  const chance = total === 0 || leadUs <= 0 ? null : outsideUs <= 0 ? 1 : Number(binomialUpperTail(lead, total, leadUs / (leadUs + outsideUs)).toPrecision(3));
  return { lead, outside, leadUs, outsideUs, chance };
}

/** The parts of one stretch outside every interval of a sorted disjoint union. */
function without(stretch: Interval, union: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let at = stretch.startUs;
  for (const iv of union) {
    if (iv.endUs <= at) continue;
    if (iv.startUs >= stretch.endUs) break;
    if (iv.startUs > at) out.push({ startUs: at, endUs: iv.startUs });
    at = Math.max(at, iv.endUs);
  }
  if (at < stretch.endUs) out.push({ startUs: at, endUs: stretch.endUs });
  return out;
}

function wilson(k: number, n: number): { low: number; high: number } {
  const p = k / n;
  const z2 = Z90 * Z90;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z90 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * The stretches of the span where the signal's sources were watched (JudgeContext.watched), and
 * which windows lie inside them (lead zone through end, in one stretch): only those are trials.
 */
export function watchedDomain(ctx: JudgeContext): { domain: Interval[]; observed: number[] } {
  const all = ctx.windows.map((_, i) => i);
  if (ctx.watched === undefined || ctx.watched.length === 0) return { domain: [ctx.span], observed: all };
  const domain = clip(unionOf(ctx.watched), ctx.span);
  if (totalLength(domain) <= 0) return { domain: [ctx.span], observed: all };
  const observed = all.filter((i) => {
    const z = leadZoneOf(ctx.windows[i]!);
    return domain.some((d) => d.startUs <= Math.max(z.startUs, ctx.span.startUs) && z.endUs <= d.endUs);
  });
  return { domain, observed };
}

export function judgeSignal(s: Series, ctx: JudgeContext): Judgement {
  const { domain, observed } = watchedDomain(ctx);
  if (observed.length === ctx.windows.length) return judgeObserved(s, ctx, domain);
  // Judge against the watched windows only; hits name windows by their index in ctx.windows.
  const j = judgeObserved(s, { ...ctx, windows: observed.map((i) => ctx.windows[i]!) }, domain);
  const unwatched = ctx.windows.length - observed.length;
  return {
    ...j,
    hitWindows: j.hitWindows.map((k) => observed[k]!),
    hits: j.hits.map((h) => ({ ...h, window: observed[h.window]! })),
    blocks: j.blocks.map((b) => b.map((k) => observed[k]!)),
    rules: [{ rule: 'outages its source was captured through', met: observed.length > 0, detail: `${observed.length} of ${ctx.windows.length}; ${unwatched} fall where its source was not captured and are left out` }, ...j.rules],
    reason: `${j.reason} (${unwatched} of ${ctx.windows.length} outages fall where its source was not captured and are left out)`,
  };
}

function judgeObserved(s: Series, ctx: JudgeContext, domain: Interval[]): Judgement {
  const windows = ctx.windows;
  const n = windows.length;
  const zones = windows.map(zoneOf);
  const leadZones = windows.map(leadZoneOf);
  const insides = windows.map(insideOf);
  const zoneUnion = unionOf(zones);
  const windowUnion = unionOf(windows.map((w) => ({ startUs: w.startUs, endUs: w.endUs })));
  const leadZoneUnion = unionOf(leadZones);
  const beforeUnion = unionOf(windows.map((w) => ({ startUs: onsetLo(w) - LEAD_BEFORE_US, endUs: onsetLo(w) })));

  const starts = seenStarts(s, ctx);
  const hitWindows: number[] = [];
  const hits: JudgeHit[] = [];
  const leads: number[] = [];
  let leadHits = 0;
  // Onsets led, each counted by the chance that its onset came after the start that leads it (ledShare).
  let ledExpected = 0;
  // Per window hit: the chance that its onset came after the signal's first event there.
  const firstShares: number[] = [];
  let insideHits = 0;
  let silentIn = 0;
  windows.forEach((w, i) => {
    const z = zones[i]!;
    const first = firstBetween(s, z.startUs, z.endUs);
    const led = weightBetween(starts, leadZones[i]!.startUs, leadZones[i]!.endUs) > 0;
    if (led) ledExpected += ledShare(w, starts.ts[lowerBound(starts.ts, leadZones[i]!.startUs)]!);
    if (first >= 0) firstShares.push(ledShare(w, s.ts[first]!));
    if (first >= 0) {
      const leadS = (onsetEstimate(w) - s.ts[first]!) / SECOND_US;
      hitWindows.push(i);
      leads.push(leadS);
      hits.push({ window: i, firstUs: s.ts[first]!, leadS: Math.round(leadS * 10) / 10, led });
    }
    if (led) leadHits++;
    if (weightStrictlyInside(s, insides[i]!.startUs, insides[i]!.endUs) > 0 || weightBetween(s, insides[i]!.endUs, insides[i]!.endUs) > 0) insideHits++;
    if (weightStrictlyInside(s, w.startUs, w.endUs) === 0) silentIn++;
  });

  const eventsInZones = weightIn(s, zoneUnion);
  const eventsInside = weightIn(s, windowUnion);
  let eventsBeforeOnsets = 0;
  for (const l of beforeUnion) {
    // Half-open [onset - 5 min, onset): an event at the onset instant belongs to the window.
    const lo = lowerBound(s.ts, l.startUs);
    const hi = lowerBound(s.ts, l.endUs);
    if (hi > lo) eventsBeforeOnsets += s.prefix[hi]! - s.prefix[lo]!;
  }
  const outside = outsideActivity(s, zoneUnion, ctx.span);
  const eventsOutside = outside.weight;

  const spanUs = Math.max(1, ctx.span.endUs - ctx.span.startUs);
  const outsideUs = Math.max(1, spanUs - totalLength(clip(zoneUnion, ctx.span)));
  const outsideRate = eventsOutside / outsideUs;
  // The rise before onsets compares rates where the signal runs at all (its first line to its last):
  // an attack that ran for half the span is twice as dense there as over the whole span, before
  // onsets or not (the demo's brute force: 2.31 × against the whole span, once lead zones ended at
  // the onset's spread rather than a minute into the outage, where it was silent).
  const running = s.ts.length > 0 ? clip([{ startUs: s.ts[0]!, endUs: s.ts[s.ts.length - 1]! }], ctx.span) : [];
  const leadRunning = clipAll(leadZoneUnion, running);
  const leadUs = totalLength(leadRunning);
  const leadRate = leadUs > 0 ? weightIn(s, leadRunning) / leadUs : 0;
  const outsideRunningUs = Math.max(1, totalLength(running) - totalLength(clipAll(zoneUnion, running)));
  const rise = eventsOutside === 0 ? null : leadRate / (eventsOutside / outsideRunningUs);
  const insideUs = Math.max(1, totalLength(clip(windowUnion, ctx.span)));
  const insideRatio = eventsOutside === 0 ? null : eventsInside / insideUs / outsideRate;

  const all = clusters(s);
  let clustersOutside = 0;
  const zoneStarts = Float64Array.from(zoneUnion.map((iv) => iv.startUs));
  for (const c of all) {
    const z = upperBound(zoneStarts, c.startUs) - 1;
    const inside = z >= 0 && zoneUnion[z]!.endUs >= c.startUs;
    if (!inside) clustersOutside++;
  }

  const blocks = windowBlocks(windows);
  // The lead test at reach 0 and its floor, and both inside tails, ask for the same blocks'
  // distributions: computed once per judgement.
  const memo = new BlockMemo(domain);
  const exactLead = leadChance(starts, windows, domain, blocks, memo);
  // With two or more onsets, most of them led (else the chance decides nothing), the lead test is the
  // consistent-lead scan, whose permutation carries its choice of lead interval (lead-scan.ts).
  const leadScanned =
    n >= 2 && n <= SCAN_MAX_WINDOWS && isMostOf(ledExpected, n)
      ? consistentLeadChance(starts.ts, windows.map((w) => ({ lo: onsetLo(w), hi: onsetHi(w) })), blocks, domain, LEAD_BEFORE_US)
      : null;
  const leadScan = leadScanned === null ? null : { ...leadScanned, exact: exactLead };
  // Two tests of one question (the exact reach test rewards a short lead, the scan a consistent
  // one): the smaller chance, doubled (Bonferroni over the two), so that either can decide.
  const chanceLead = leadScan !== null && exactLead !== null ? Number(Math.min(1, 2 * Math.min(exactLead, leadScan.chance)).toPrecision(3)) : exactLead;
  const minChanceLead = leadChanceFloor(starts, windows, domain, blocks, memo);
  const chanceInside = n > 0 ? exactChance(s, insides, insideHits, domain, blocks, memo) : null;
  const minChanceInside = n > 0 ? exactChance(s, insides, n, domain, blocks, memo) : null;
  const leadS = leads.length > 0 ? Math.round(median(leads) * 10) / 10 : null;
  const likelihood = likelihoodOf(starts, ledExpected, n, windows, domain);
  const riseTest = riseTestOf(s, windows, domain);
  const chanceNeeded = CHANCE_THRESHOLD / Math.max(1, ctx.tested ?? 1);
  const chanceNeededLead = ctx.leadTested !== undefined ? CHANCE_THRESHOLD / Math.max(1, ctx.leadTested) : chanceNeeded;

  const figures: Figures = {
    outagesTotal: n,
    hitWindows,
    hits,
    leadHits,
    ledExpected: round2(ledExpected),
    firstLedShare: firstShares.length > 0 ? round2(median(firstShares)) : null,
    minChanceLead,
    minChanceInside,
    insideHits,
    silentIn,
    total: s.total,
    eventsInside,
    eventsLead: eventsInZones - eventsInside,
    eventsOutside,
    leadS,
    chanceLead,
    leadScan,
    ...(ctx.correction !== undefined ? { correction: ctx.correction } : {}),
    chanceInside,
    chanceNeeded,
    chanceNeededLead,
    rise,
    riseTest,
    likelihood,
    insideRatio,
    clusters: all,
    clustersOutside,
    outsideActiveUs: outside.activeUs,
    blocks,
  };
  const decided = decide(figures, eventsBeforeOnsets);
  // The chance of the statistic the verdict rests on; for an undecided signal, the closer of the two calls.
  const chance =
    decided.verdict === 'symptom' ? chanceInside : decided.verdict === 'inconclusive' && chanceInside !== null && chanceLead !== null ? Math.min(chanceLead, chanceInside) : chanceLead;
  return { ...figures, ...decided, chance };
}

/**
 * How many of the picked signals count as tested (Tarone's correction for discrete tests): a signal
 * whose smallest achievable chance is above the corrected threshold can never be significant, so it
 * costs the others nothing. The smallest K such that at most K signals could reach CHANCE_THRESHOLD / K.
 */
export function testedCount(minChances: readonly number[]): number {
  const m = minChances.length;
  for (let k = 1; k <= m; k++) {
    const could = minChances.filter((p) => p <= CHANCE_THRESHOLD / k).length;
    if (could <= k) return k;
  }
  return Math.max(1, m);
}

/**
 * The most weight a signal may have outside every zone and still be judged a symptom, given its
 * weight inside windows: a symptom's rate inside is at least MIN_SYMPTOM_RATE_RATIO times its rate
 * outside, so outside <= inside × outsideUs / (ratio × insideUs). 1 % looser than exact so rounding
 * can only keep a template, never drop one. (A cause has no such bound: bursts outside only lower
 * its likelihood; template discovery bounds a cause by the time its events cover instead.)
 */
export function maxOutsideForSymptom(inside: number, ctx: JudgeContext): number {
  const windows = ctx.windows;
  const zoneUnion = unionOf(windows.map(zoneOf));
  const windowUnion = unionOf(windows.map((w) => ({ startUs: w.startUs, endUs: w.endUs })));
  const spanUs = Math.max(1, ctx.span.endUs - ctx.span.startUs);
  const outsideUs = Math.max(1, spanUs - totalLength(clip(zoneUnion, ctx.span)));
  const insideUs = Math.max(1, totalLength(clip(windowUnion, ctx.span)));
  return ((inside * outsideUs) / (MIN_SYMPTOM_RATE_RATIO * insideUs)) * 1.01 + 1e-9;
}

/**
 * The most time a cause's episode starts may cover: its likelihood ratio must reach MIN_CAUSE_LIKELIHOOD,
 * and with every onset led it is at most ((n + ½)/Ta) / (½/To) with To = span − Ta, so
 * Ta <= (n + ½)·span / (n + ½ + ½·MIN). Covered time only grows as episodes are added, so a template
 * whose episode starts outside the zones already cover more can no longer be a cause. 1 % looser than exact.
 */
export function maxCoveredForCause(ctx: JudgeContext): number {
  const n = ctx.windows.length;
  const spanUs = Math.max(1, ctx.span.endUs - ctx.span.startUs);
  return (((n + 0.5) * spanUs) / (n + 0.5 + 0.5 * MIN_CAUSE_LIKELIHOOD)) * 1.01;
}

/** How long after an event an onset counts as led by it, and how long before (the mean onset spread). */
export function coverageReach(windows: readonly WindowLike[]): { before: number; after: number } {
  return {
    before: LEAD_BEFORE_US + mean(windows.map((w) => onsetEstimate(w) - onsetLo(w))),
    after: mean(windows.map((w) => onsetHi(w) - onsetEstimate(w))),
  };
}

type Figures = Omit<Judgement, 'verdict' | 'reason' | 'rules' | 'chance'>;

function chanceText(c: number | null): string {
  return c === null ? 'not computed' : String(c);
}

function riseText(rt: RiseTest): string {
  const min = (us: number): string => String(Math.round(us / MINUTE_US));
  const ratio = rt.outside === 0 ? 'none outside' : `${round2(rt.lead / Math.max(1, rt.leadUs) / (rt.outside / Math.max(1, rt.outsideUs)))} × its rate outside`;
  return `${rt.lead} events in ${min(rt.leadUs)} min of lead zones, ${rt.outside} in ${min(rt.outsideUs)} min outside (${ratio}); chance ${chanceText(rt.chance)} at one rate`;
}

function ratioText(x: number): string {
  return x === Infinity ? '∞' : String(x);
}

/**
 * Lead or lag, under each window's onset uncertainty: over the windows hit, the median chance that the
 * onset came after the signal's first event there (ledShare: 1 before the onset's spread, 0 after it,
 * in between by where in the spread the event lies). Above ½ the signal more likely came first, below
 * ½ the outage did. The median lead in seconds, measured from the onset estimate (the spread's start
 * unless the evidence moves it), decides only when no window was hit. It decided alone before: a
 * churn line 2 s into a 13 s spread whose onset truly came 5 s later was "after" the onset (lead −3 s)
 * and a symptom, a template 43 s into a slow scanner's 210 s spread (true lead 52 s) was no cause
 * (the simulator's seeds 1169, 1078, 1161).
 */
function leadsOnset(f: Figures): boolean {
  return f.firstLedShare !== null ? f.firstLedShare > 0.5 : (f.leadS ?? 0) > 0;
}

function followsOnset(f: Figures): boolean {
  return f.firstLedShare !== null ? f.firstLedShare < 0.5 : (f.leadS ?? 0) <= 0;
}

function decide(f: Figures, eventsBeforeOnsets: number): { verdict: Verdict; reason: string; rules: RuleCheck[] } {
  const n = f.outagesTotal;
  const rules: RuleCheck[] = [];
  const check = (rule: string, met: boolean, detail: string): boolean => {
    rules.push({ rule, met, detail });
    return met;
  };
  if (f.total === 0) return { verdict: 'inconclusive', reason: 'it has no events', rules };
  if (n === 0) {
    check('confirmed outages to compare with', false, 'no confirmed outage on this host');
    return { verdict: 'inconclusive', reason: 'there is no confirmed outage to compare it with', rules };
  }
  const needed = f.chanceNeeded;
  // Windows moved together say so beside the chance: the chance is that of the blocks, not of n independent windows.
  const blocksText = f.blocks.length < n ? ` (${n} windows moved in ${f.blocks.length} block${f.blocks.length === 1 ? '' : 's'}: zones under ${BLOCK_GAP_US / MINUTE_US} min apart move together)` : '';
  const neededText = needed === CHANCE_THRESHOLD ? String(CHANCE_THRESHOLD) : `${CHANCE_THRESHOLD}/${Math.round(CHANCE_THRESHOLD / needed)}`;

  // Symptom: inside most windows, after the onset, far likelier inside than outside, not by chance.
  const symptomRules: boolean[] = [];
  const sr = (rule: string, met: boolean, detail: string): void => {
    symptomRules.push(met);
    rules.push({ rule: `symptom: ${rule}`, met, detail });
  };
  // Inside most windows and far likelier there than outside; or inside windows only (≥ 90 % of its
  // events), however few of them: both say "it comes with the outage".
  const insideShare = f.eventsInside / f.total;
  const ratioMet = f.insideRatio === null || f.insideRatio >= MIN_SYMPTOM_RATE_RATIO;
  sr(
    `inside most outages at ≥ ${MIN_SYMPTOM_RATE_RATIO} × its rate outside, or ≥ ${MIN_SYMPTOM_INSIDE_SHARE * 100} % of its events inside`,
    (f.insideHits * 2 > n && ratioMet) || insideShare >= MIN_SYMPTOM_INSIDE_SHARE,
    `inside ${f.insideHits} of ${n}; ${f.insideRatio === null ? 'none outside' : `rate ratio ${round2(f.insideRatio)}`}; ${f.eventsInside} of ${f.total} events inside`,
  );
  // After: its first event comes at or after the onset estimate, or falls inside the onset's spread
  // where the onset more likely came first (a lease failure 48 s into a 60 s poll).
  const after = followsOnset(f);
  const afterText = f.firstLedShare !== null && f.firstLedShare < 1 ? `; the onset came before its first event with chance ${round2(1 - f.firstLedShare)} (median over windows)` : '';
  sr('after the onset, not before', eventsBeforeOnsets <= 0.1 * f.total && after, `${eventsBeforeOnsets} of ${f.total} events in the ${LEAD_BEFORE_US / MINUTE_US} min before onsets, median lead ${f.leadS ?? 0} s${afterText}`);
  sr(`chance ≤ ${neededText}`, f.chanceInside !== null && f.chanceInside <= needed, `chance ${chanceText(f.chanceInside)}${blocksText}`);
  if (symptomRules.every(Boolean)) {
    return { verdict: 'symptom', reason: `it appears inside ${f.insideHits} of ${n} outages after their onsets, rarely elsewhere, and not by chance`, rules };
  }

  // Cause: an onset is much likelier in the lead time after it than otherwise, most onsets are led,
  // and the alignment is unlikely by chance.
  const lr = f.likelihood;
  const causeRules: boolean[] = [];
  const cr = (rule: string, met: boolean, detail: string): void => {
    causeRules.push(met);
    rules.push({ rule: `cause: ${rule}`, met, detail });
  };
  // Counted by ledExpected: a start inside an onset's spread leads it only as likely as the onset is later.
  const expectedText = f.ledExpected < f.leadHits ? ` (${f.ledExpected} allowing for where in its spread each onset lies)` : '';
  cr('leads most onsets', isMostOf(f.ledExpected, n), `${f.leadHits} of ${n} onsets led${expectedText}`);
  cr('leads rather than follows', leadsOnset(f), `median lead ${f.leadS ?? 0} s${f.firstLedShare !== null && f.firstLedShare > 0 && f.firstLedShare < 1 ? `; the onset came after its first event with chance ${f.firstLedShare} (median over windows)` : ''}`);
  cr(
    `onsets ≥ ${MIN_CAUSE_LIKELIHOOD} × likelier after it`,
    lr !== null && lr.ratio >= MIN_CAUSE_LIKELIHOOD && lr.low > 1,
    lr === null ? 'not computed' : `likelihood ratio ${ratioText(lr.ratio)} (90 % interval ${ratioText(lr.low)}–${ratioText(lr.high)})`,
  );
  const rt = f.riseTest;
  cr(`busier before onsets than elsewhere (chance ≤ ${RISE_CHANCE_THRESHOLD} at one rate)`, rt.chance !== null && rt.chance <= RISE_CHANCE_THRESHOLD, riseText(rt));
  const scan = f.leadScan;
  const scanText =
    scan === null
      ? ''
      : ` (twice the smaller of the exact reach test, ${chanceText(scan.exact)}, and the consistent-lead scan, ${scan.chance}: ${scan.held} of ${n} onsets led at ${scan.fromS}–${scan.toS} s, ranked among ${scan.draws} random placements of the windows)`;
  const correctionText = f.correction !== undefined ? `; ${f.correction}` : '';
  const neededLead = f.chanceNeededLead;
  const neededLeadText = neededLead === CHANCE_THRESHOLD ? String(CHANCE_THRESHOLD) : `${CHANCE_THRESHOLD}/${Math.round(CHANCE_THRESHOLD / neededLead)}`;
  cr(`chance ≤ ${neededLeadText}`, f.chanceLead !== null && f.chanceLead <= neededLead, `chance ${chanceText(f.chanceLead)}${scanText}${blocksText}${correctionText}`);
  if (causeRules.every(Boolean)) {
    return {
      verdict: 'cause',
      reason: `an onset is ${ratioText(lr!.ratio)} times likelier in the ${LEAD_BEFORE_US / MINUTE_US} min after it than at other times, it leads ${f.leadHits} of ${n} onsets, and chance ${chanceText(f.chanceLead)} rules out coincidence`,
      rules,
    };
  }

  const outsideShare = f.eventsOutside / f.total;
  const flat = f.rise !== null && f.rise < MAX_BACKGROUND_RISE;
  const br = [
    check('background: mostly outside outages', outsideShare >= MIN_BACKGROUND_OUTSIDE_SHARE, `${f.eventsOutside} of ${f.total} events outside`),
    check('background: does not rise before onsets', flat, f.rise === null ? 'no events outside' : `lead-zone rate ${round2(f.rise)} × outside`),
    check('background: runs through long stretches', f.outsideActiveUs >= MIN_BACKGROUND_ACTIVE_US, `${Math.round(f.outsideActiveUs / MINUTE_US)} min active away from outages`),
  ];
  if (br.every(Boolean)) {
    return { verdict: 'background', reason: 'it runs through long stretches without outages and does not rise before onsets', rules };
  }
  const failed = rules.filter((r) => !r.met && r.rule.startsWith('cause:'));
  const closest = failed.length > 0 ? failed.map((r) => `${r.rule.slice('cause: '.length)} (${r.detail})`).join('; ') : 'no rule holds';
  return { verdict: 'inconclusive', reason: `it is no cause: ${closest}`, rules };
}

/** Every episode start of `starts` within ACCOMPANY_US of an event of `other` (false when there are none). */
export function startsBeside(starts: Series, other: Series): boolean {
  if (starts.ts.length === 0) return false;
  for (let k = 0; k < starts.ts.length; k++) {
    const t = starts.ts[k]!;
    if (weightBetween(other, t - ACCOMPANY_US, t + ACCOMPANY_US) === 0) return false;
  }
  return true;
}

/**
 * Whether a template only accompanies another signal: every episode of the template starts within
 * ACCOMPANY_US of one of that signal's events — the same happening told twice, not a second finding.
 */
export function accompanies(template: Series, other: Series): boolean {
  return startsBeside(episodeStarts(template), other);
}
