/**
 * Probe windows and the judgement of each probe before its windows are trusted (the seed's cause 4:
 * after a CLI upgrade the probe printed help text, exited 1, and logged a metronomic 4-minute
 * "outage" cycle that did not exist). A probe is judged per target. From the first window it lies
 * about onward, its windows are artifacts; before that, they are trusted.
 */
import type { FieldValue, Fields } from '../model/event.js';
import type { EventTable } from './event-table.js';
import { type Stream, carriesOnThrough, isNetworkWitness } from './streams.js';
import { type Series, firstBetween, weightBetween } from './series.js';
import { type Interval, coefficientOfVariation, iso, median, overlaps, seconds } from './stats.js';

/** A fake cycle is metronomic: onset-to-onset periods vary by less than 10% ... */
export const MAX_METRONOME_CV = 0.1;
/** ... over at least 4 periods (5 windows); fewer could be coincidence. */
export const MIN_METRONOME_PERIODS = 4;
/**
 * Window lengths a probe measures to within one poll at each end: a spread of at most two polls is
 * one length as far as the probe can tell.
 */
export const MECHANICAL_LENGTH_POLLS = 2;
/**
 * A metronome polled more coarsely than its fake windows last is seen on some beats only (a 43 s
 * window every 281 s, polled every 60 s, shows onsets 300 and 540 s apart: the simulator's seeds
 * 188, 1112 and 7126): a run on one beat may skip this many beats in a row between two windows. A
 * window of length d is caught by a poll every p with chance d/p; for d ≥ p/2 three misses in a
 * row have chance ≤ 1/8, while each beat more allowed widens the band a chance gap can land in
 * (q in beatRun) by about e^(−k) of it, so more would buy little and cost power.
 */
export const MAX_UNSEEN_BEATS = 2;
/**
 * A run found on a beat (`beatRun`: each onset within one poll of the beat, beats missed allowed) is
 * a metronome only when onsets coming at the probe's own rate, as independent outages do, would
 * fall on such a beat this often with a chance at most this, over every window it could start at:
 * the silence test's family-wise α (FAMILY_ALPHA in silence.ts).
 */
export const MAX_BEAT_CHANCE = 0.01;
/** At least this many windows must share the new failure mode for it to count as a change. */
export const MIN_WINDOWS_AFTER_CHANGE = 2;

export interface ProbeSnapshotFact {
  path: string;
  looksLikeHelpText: boolean;
  identicalTo?: string;
}

export interface ProbeWindow {
  target: string;
  startUs: number;
  endUs: number;
  /** The event that opened the window (the transition to down), or -1 when inferred from `down_for_s`. */
  openIndex: number;
  /** The event that closed it, or -1 when the probe never saw the target come back. */
  closeIndex: number;
  exit: string | null;
  err: string | null;
  snapshots: string[];
  /** The probe's poll interval (`interval_s` of the opening line): how far before the onset the last good check may lie. */
  intervalUs: number | null;
}

export type ProbeState = 'up' | 'down';

const DOWN_WORDS = new Set(['down', 'dead', 'unreachable', 'fail', 'failed', 'failing', 'offline', 'timeout']);
const UP_WORDS = new Set(['up', 'alive', 'ok', 'online', 'reachable', 'healthy']);

export function probeState(fields: Record<string, FieldValue>): ProbeState | null {
  const value = fields.state ?? fields.to;
  if (typeof value !== 'string') return null;
  const word = value.trim().toLowerCase();
  if (DOWN_WORDS.has(word)) return 'down';
  if (UP_WORDS.has(word)) return 'up';
  return null;
}

/** The host a probe event is about: its target (without `user@` or `:port`), else the event's host. */
export function probeTarget(e: { host: string; fields: Fields }): string {
  const target = e.fields.target;
  if (typeof target !== 'string' || target.trim() === '') return e.host;
  let t = target.trim();
  const at = t.lastIndexOf('@');
  if (at >= 0) t = t.slice(at + 1);
  const port = /^([^:\s]+):\d{1,5}$/.exec(t);
  return port ? port[1]! : t;
}

function text(v: FieldValue | undefined): string | null {
  return v === undefined ? null : String(v);
}

function intervalOf(fields: Fields): number | null {
  const v = fields.interval_s;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v * 1e6) : null;
}

/**
 * A `probe.error` line says the probe itself failed (it could not run its check): evidence about the
 * probe, never about the host, so it neither opens nor closes a window.
 */
export const PROBE_ERROR_KIND = 'probe.error';

/** Down periods of one target's probe, from its events in time order. */
export function probeWindows(events: EventTable, indices: readonly number[], spanEndUs: number): ProbeWindow[] {
  const windows: ProbeWindow[] = [];
  let open: ProbeWindow | null = null;
  for (const i of indices) {
    if (events.kind(i) === PROBE_ERROR_KIND) continue;
    const e = { host: events.host(i), tsUs: events.ts(i), fields: events.fields(i) };
    const state = probeState(e.fields);
    if (state === 'down' && !open) {
      open = {
        target: probeTarget(e),
        startUs: e.tsUs,
        endUs: e.tsUs,
        openIndex: i,
        closeIndex: -1,
        exit: text(e.fields.exit),
        err: text(e.fields.err),
        snapshots: typeof e.fields.snapshot === 'string' ? [e.fields.snapshot] : [],
        intervalUs: intervalOf(e.fields),
      };
    } else if (state === 'up' && open) {
      open.endUs = e.tsUs;
      open.closeIndex = i;
      if (typeof e.fields.snapshot === 'string') open.snapshots.push(e.fields.snapshot);
      windows.push(open);
      open = null;
    } else if (state === 'up' && windows.length === 0 && typeof e.fields.down_for_s === 'number' && e.fields.down_for_s > 0) {
      // The capture starts mid-outage: the first line is the recovery, and says how long it lasted.
      windows.push({
        target: probeTarget(e),
        startUs: e.tsUs - Math.round(e.fields.down_for_s * 1e6),
        endUs: e.tsUs,
        openIndex: -1,
        closeIndex: i,
        exit: text(e.fields.exit),
        err: text(e.fields.err),
        snapshots: typeof e.fields.snapshot === 'string' ? [e.fields.snapshot] : [],
        intervalUs: intervalOf(e.fields),
      });
    }
  }
  if (open) {
    open.endUs = Math.max(open.startUs, spanEndUs);
    windows.push(open);
  }
  return windows;
}

export interface ProbeContext {
  events: EventTable;
  /** Outage windows the host's own streams show (silences found by the test). */
  silences: readonly Interval[];
  /** Steady streams on the target host. */
  streams: readonly Stream[];
  /** sshd logins accepted on the target host. */
  accepted: Series;
  /** Events that happen only while the host network is down (lease failures, handler timeouts). */
  symptoms: Series;
  snapshots: readonly ProbeSnapshotFact[];
  /** The probe's poll interval (how finely it can measure a window's length); 0 when unknown. */
  pollUs?: number;
  /** The probe's first and last line (on the other sources' clock): the time its windows could open in. */
  spanUs?: { startUs: number; endUs: number };
}

export interface Contradiction {
  window: number;
  eventIndex: number;
  why: string;
}

export interface ProbeJudgement {
  target: string;
  windows: ProbeWindow[];
  /** Index of the first window the probe lies about, or -1 when it is trusted throughout. */
  lieFrom: number;
  /**
   * Per window, whether the probe lies about it: every window from `lieFrom` when the lie is dated by
   * a change of the tool, and every window of a failure signature it cannot be trusted on
   * (`distrustedSignatures`), wherever those lie. All false when it is trusted throughout.
   */
  lying: boolean[];
  /** The failure signatures whose windows do not stand on the probe alone. */
  distrusted: DistrustedSignature[];
  reasons: string[];
  periodS: number | null;
  /** Index range [from, to] of the metronomic run, when there is one. */
  metronome: { from: number; to: number } | null;
  contradictions: Contradiction[];
  /** Index of the first window with the new failure mode, or -1. */
  changeAt: number;
}

/** A metronomic run of windows [from, to]: its period, and for a run found on a beat the beats unseen and its chance. */
export interface MetronomicRun {
  from: number;
  to: number;
  periodUs: number;
  /** Set for a run found on a beat (beatRun) rather than by the periods' spread. */
  beat?: { unseen: number; toleranceUs: number; chance: number };
}

/**
 * The metronomic run of a probe's windows: the longer of the run whose periods vary by less than
 * MAX_METRONOME_CV and the run on one beat (beatRun), with windows another source backs taken off
 * its ends — a real outage that happened to fall on the beat is an outage, not the loop's (the
 * simulator's seed 7090: the run took in the real outage before the fake cycle, and with it a
 * length no fake window had, so the loop's fixed length went unseen).
 */
export function metronomicRun(
  windows: readonly ProbeWindow[],
  pollUs = 0,
  backing?: Pick<ProbeContext, 'silences' | 'symptoms'>,
): MetronomicRun | null {
  const spread = spreadRun(windows);
  const beat = beatRun(windows, pollUs);
  let run = spread && (!beat || spread.to - spread.from >= beat.to - beat.from) ? spread : beat;
  if (run && backing) {
    let { from, to } = run;
    while (to - from > MIN_METRONOME_PERIODS && supported(windows[from]!, backing)) from++;
    while (to - from > MIN_METRONOME_PERIODS && supported(windows[to]!, backing)) to--;
    if (from !== run.from || to !== run.to) run = { ...run, from, to };
  }
  return run;
}

/**
 * The longest run on one beat: each onset within `tolerance` of a whole number of beats after the
 * one before (at most MAX_UNSEEN_BEATS beats unseen between them), the beat refitted to the run as
 * it grows, at least half the run's beats seen, and at least MIN_METRONOME_PERIODS periods. The
 * tolerance is the probe's poll and a second: an onset is seen at the first failed poll, up to one
 * poll after it began, so a period between two onsets is known to ±1 poll. Under independent
 * outages at the probe's own rate (onsets a Poisson process, gaps exponential with the mean of its
 * windows' spacing) a gap falls within the tolerance of 1 … MAX_UNSEEN_BEATS + 1 beats with chance
 * q = Σₖ (e^(−λ(kP−τ)) − e^(−λ(kP+τ))); the run's chance is q over each period after the first (the
 * first sets the beat), times the windows it could start at. The run stands when that is at most
 * MAX_BEAT_CHANCE: a loose tolerance (a 60 s poll on a 4-minute beat, q ≈ 0.26) needs many periods,
 * a tight one few.
 */
export function beatRun(windows: readonly ProbeWindow[], pollUs: number): MetronomicRun | null {
  const n = windows.length;
  if (n < MIN_METRONOME_PERIODS + 1) return null;
  const spacing = (windows[n - 1]!.startUs - windows[0]!.startUs) / (n - 1);
  if (!(spacing > 0)) return null;
  const tol = Math.max(0, pollUs) + 1e6;
  const hitChance = (beatUs: number): number => {
    let q = 0;
    for (let k = 1; k <= MAX_UNSEEN_BEATS + 1; k++) q += Math.exp(-Math.max(0, k * beatUs - tol) / spacing) - Math.exp(-(k * beatUs + tol) / spacing);
    return Math.min(1, q);
  };
  let best: MetronomicRun | null = null;
  for (let a = 0; a + MIN_METRONOME_PERIODS < n; a++) {
    let beats = 1;
    let beatUs = windows[a + 1]!.startUs - windows[a]!.startUs;
    // A beat no longer than twice the tolerance says nothing: every gap would fit it.
    if (!(beatUs > 2 * tol)) continue;
    let logChance = 0;
    let b = a + 1;
    while (b + 1 < n) {
      const p = windows[b + 1]!.startUs - windows[b]!.startUs;
      const k = Math.round(p / beatUs);
      if (k < 1 || k > MAX_UNSEEN_BEATS + 1 || Math.abs(p - k * beatUs) > tol) break;
      logChance += Math.log(hitChance(beatUs));
      beats += k;
      b++;
      beatUs = (windows[b]!.startUs - windows[a]!.startUs) / beats;
    }
    const periods = b - a;
    const seen = periods + 1;
    const unseen = beats + 1 - seen;
    if (periods < MIN_METRONOME_PERIODS || unseen * 2 > beats + 1) continue;
    const chance = Math.min(1, Math.exp(logChance) * n);
    if (chance > MAX_BEAT_CHANCE) continue;
    if (!best || b - a > best.to - best.from) best = { from: a, to: b, periodUs: beatUs, beat: { unseen, toleranceUs: tol, chance } };
  }
  return best;
}

/** The longest run of windows whose onset-to-onset periods are metronomic (CV kept incrementally). */
function spreadRun(windows: readonly ProbeWindow[]): MetronomicRun | null {
  const periods: number[] = [];
  for (let i = 1; i < windows.length; i++) periods.push(windows[i]!.startUs - windows[i - 1]!.startUs);
  const cvOf = (sum: number, sumSq: number, count: number): number => {
    const mean = sum / count;
    return mean > 0 ? Math.sqrt(Math.max(0, sumSq / count - mean * mean)) / mean : Infinity;
  };
  let best: MetronomicRun | null = null;
  for (let a = 0; a + MIN_METRONOME_PERIODS <= periods.length; a++) {
    let sum = 0;
    let sumSq = 0;
    for (let k = a; k < a + MIN_METRONOME_PERIODS; k++) {
      sum += periods[k]!;
      sumSq += periods[k]! ** 2;
    }
    if (!(cvOf(sum, sumSq, MIN_METRONOME_PERIODS) < MAX_METRONOME_CV)) continue;
    let b = a + MIN_METRONOME_PERIODS;
    while (b < periods.length) {
      const p = periods[b]!;
      if (!(cvOf(sum + p, sumSq + p * p, b + 1 - a) < MAX_METRONOME_CV)) break;
      sum += p;
      sumSq += p * p;
      b++;
    }
    // Periods a..b-1 join windows a..b.
    if (!best || b - a > best.to - best.from) best = { from: a, to: b, periodUs: median(periods.slice(a, b)) };
    a = b - 1; // a run starting inside this one cannot be longer
  }
  return best;
}

function mostCommon(values: readonly (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [v, c] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

/** Index of the first window of the last run of one exit code, when the code was different before. */
function failureModeChange(windows: readonly ProbeWindow[]): { at: number; before: string; after: string } | null {
  const k = windows.length;
  const last = windows[k - 1]?.exit ?? null;
  if (last === null) return null;
  let c = k - 1;
  while (c > 0 && windows[c - 1]!.exit === last) c--;
  if (c === 0 || k - c < MIN_WINDOWS_AFTER_CHANGE) return null;
  const before = mostCommon(windows.slice(0, c).map((w) => w.exit));
  if (before === null || before === last) return null;
  return { at: c, before, after: last };
}

function supported(w: ProbeWindow, ctx: Pick<ProbeContext, 'silences' | 'symptoms'>): boolean {
  if (ctx.silences.some((s) => overlaps(s, w))) return true;
  return weightBetween(ctx.symptoms, w.startUs, w.endUs) > 0;
}

/**
 * The chance that a new failure mode's windows are backed by other sources this rarely if backing
 * had nothing to do with the mode: of `total` windows `backed` are backed, and the `after` windows
 * from the change hold only `backedAfter` of them (Fisher's exact test, one-sided: the
 * hypergeometric lower tail). The split is the exit code's, given before any backing is looked at,
 * so it is one test.
 */
export function backingDropChance(total: number, backed: number, after: number, backedAfter: number): number {
  const logChoose = (n: number, k: number): number => {
    let s = 0;
    for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
    return s;
  };
  const denominator = logChoose(total, backed);
  let p = 0;
  for (let x = Math.max(0, backed - (total - after)); x <= backedAfter; x++) {
    p += Math.exp(logChoose(after, x) + logChoose(total - after, backed - x) - denominator);
  }
  return Math.min(1, p);
}

/**
 * A new failure mode is a lie's second reason when other sources backed the windows before it
 * (silences, symptoms) and stop backing them from it on, beyond what chance gives (seed 142 of the
 * simulator: lease failures inside 3 of 3 windows of exit 255, inside none of the 6 of exit 1).
 */
export const MAX_BACKING_DROP_CHANCE = 0.05;

/**
 * P(X ≥ k) for X binomial(n, p), summed in logs (n is a probe's window count: tens, at most hundreds).
 */
export function binomialUpperTail(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n || p <= 0) return 0;
  if (p >= 1) return 1;
  let logTerm = 0; // ln C(n, k) p^k (1-p)^(n-k)
  for (let i = 1; i <= k; i++) logTerm += Math.log((n - k + i) / i);
  logTerm += k * Math.log(p) + (n - k) * Math.log(1 - p);
  let sum = 0;
  for (let x = k; x <= n; x++) {
    sum += Math.exp(logTerm);
    logTerm += Math.log((n - x) / (x + 1)) + Math.log(p / (1 - p));
  }
  return Math.min(1, sum);
}

/**
 * The chance that the windows after a change of failure mode open this often if onsets came at one
 * rate throughout: onsets of independent outages are a Poisson process in the time the host is up,
 * so given how many there are, each falls after the change with the share of up-time that lies
 * after it. The first window of the new mode is where the change was read off, not a draw, so it is
 * left out of both the count and the time.
 */
export function rateJumpChance(windows: readonly ProbeWindow[], at: number, spanStartUs: number, spanEndUs: number): number {
  const upBetween = (from: number, to: number): number => {
    let up = Math.max(0, to - from);
    for (const w of windows) up -= Math.max(0, Math.min(w.endUs, to) - Math.max(w.startUs, from));
    return Math.max(0, up);
  };
  const change = windows[at]!;
  const before = upBetween(Math.min(spanStartUs, windows[0]!.startUs), change.startUs);
  const after = upBetween(change.endUs, Math.max(spanEndUs, windows[windows.length - 1]!.endUs));
  if (before + after <= 0) return 1;
  return binomialUpperTail(windows.length - 1, windows.length - at - 1, after / (before + after));
}

/**
 * A new failure mode whose windows come much more often than the old one's (chance ≤ 0.05 under one
 * rate) while fewer than half of them are backed by another source is a lie's second reason: the
 * tool changed and started failing on its own (the simulator's CSV liars, whose lines carry an exit
 * code and no error text; seed 1024: 3 windows of exit 255 in four hours, then 11 of exit 1 in two).
 */
export const MAX_RATE_JUMP_CHANCE = 0.05;

/**
 * How often a truthful probe's real window is refuted by a network witness that kept its pace
 * through it, at most: measured 3 of 684 and 4 of 671 real probe windows (0.5 %) on the simulator's
 * kept stores of seeds 1000..1199 and 1600..1799; taken ten times higher, so that a witness
 * misjudging real windows now and then never makes a truthful probe look like a liar.
 */
export const FALSE_REFUTATION_RATE = 0.05;
/** The chance (Bonferroni over a probe's signatures) below which contradictions are no accident. */
export const MAX_SIGNATURE_CONTRADICTION_CHANCE = 0.05;
/** One contradiction is one reason, never enough alone (§ 2): a signature needs at least two. */
export const MIN_SIGNATURE_CONTRADICTIONS = 2;
/** A signature other sources back in more than a quarter of its windows is seen failing by them too. */
export const MAX_SIGNATURE_BACKED_SHARE = 0.25;

/** One way a probe fails (its exit code and error text) that its witnesses say is the tool's, not the host's. */
export interface DistrustedSignature {
  exit: string | null;
  err: string | null;
  /** Indices of its windows. */
  windows: number[];
  /** Windows a network witness judged: it kept its pace through them (contradicted) or fell silent (backed by a silence). */
  judged: number;
  contradicted: number;
  /** Windows a silence or a symptom backs. */
  backed: number;
  /** P(at least `contradicted` of `judged` at FALSE_REFUTATION_RATE), times the signatures tested. */
  chance: number;
}

const signatureKey = (w: ProbeWindow): string => `${w.exit ?? ''}\u0000${w.err ?? ''}`;

/**
 * The failure signatures a probe cannot be trusted on. A probe's window is a claim about the host;
 * where a network witness could check the claim, it either fell silent (a silence backs the window)
 * or kept its pace (the host answered: the window is contradicted). A truthful probe is contradicted
 * rarely (FALSE_REFUTATION_RATE); a tool that fails on its own — one failure mode of a probe whose
 * CLI broke, on a host with no earlier failure to compare it with — is contradicted wherever it can
 * be checked. So, per signature (exit code and error text: one way of failing), when the witnesses
 * contradict far more of its judged windows than a truthful probe's (the binomial upper tail, times
 * the number of signatures tested, at most 0.05) and other sources back at most a quarter of its
 * windows, none of that signature's windows stands on the probe alone — including those no witness
 * could check, which are the same failure. A window of it that a silence or a symptom backs is not
 * called a lie: another source saw the host fail then. In the simulator's seed 1700 a CSV liar (`down,,1`) was contradicted in 5 of the 5
 * windows a witness could judge and backed in none, yet its earlier windows were confirmed because
 * its lie was dated late, by a chance cycle.
 */
export function distrustedSignatures(
  windows: readonly ProbeWindow[],
  contradicted: ReadonlySet<number>,
  backing: Pick<ProbeContext, 'silences' | 'symptoms'>,
): DistrustedSignature[] {
  const groups = new Map<string, number[]>();
  windows.forEach((w, i) => {
    const key = signatureKey(w);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(i);
  });
  const counted = [...groups.values()].map((indices) => {
    let judged = 0;
    let against = 0;
    let backed = 0;
    for (const i of indices) {
      const w = windows[i]!;
      const silent = backing.silences.some((s) => overlaps(s, w));
      if (contradicted.has(i)) against++;
      if (contradicted.has(i) || silent) judged++;
      if (supported(w, backing)) backed++;
    }
    return { indices, judged, against, backed };
  });
  const tested = counted.filter((c) => c.judged > 0).length;
  const out: DistrustedSignature[] = [];
  for (const c of counted) {
    if (c.against < MIN_SIGNATURE_CONTRADICTIONS) continue;
    if (c.backed > MAX_SIGNATURE_BACKED_SHARE * c.indices.length) continue;
    const chance = Math.min(1, binomialUpperTail(c.judged, c.against, FALSE_REFUTATION_RATE) * tested);
    if (chance > MAX_SIGNATURE_CONTRADICTION_CHANCE) continue;
    const first = windows[c.indices[0]!]!;
    out.push({ exit: first.exit, err: first.err, windows: c.indices, judged: c.judged, contradicted: c.against, backed: c.backed, chance });
  }
  return out.sort((a, b) => a.windows[0]! - b.windows[0]!);
}

/** The sentences a distrusted signature adds to a probe's reasons. */
function signatureReasons(windows: readonly ProbeWindow[], d: DistrustedSignature): string[] {
  const how = `exit ${d.exit ?? '(none)'}${d.err ? ` (${JSON.stringify(d.err.slice(0, 80))})` : ', no error text'}`;
  const n = d.windows.length;
  return [
    `A network witness kept its pace through ${d.contradicted} of the ${d.judged} down windows it could judge where the probe fails with ${how} (chance ${d.chance.toPrecision(3)} if the probe were wrong in at most ${FALSE_REFUTATION_RATE * 100} % of its windows): the host answered while the probe failed this way.`,
    `Other sources (silences, symptoms) back ${d.backed} of its ${n} window${n === 1 ? '' : 's'} of that failure, from ${iso(windows[d.windows[0]!]!.startUs)}: when it fails this way, the tool failed, not the host.`,
  ];
}

/** Stamps are whole seconds on both clocks: an instant is known to 2 s. */
const LOGIN_RESOLUTION_US = 2_000_000;

function contradictionsOf(windows: readonly ProbeWindow[], ctx: ProbeContext): Contradiction[] {
  const found: Contradiction[] = [];
  const witnesses = ctx.streams.filter(isNetworkWitness);
  // A login proves the host answered only where the probe says it surely was down: after its first
  // failed poll and more than a poll before its first good one (the outage may have ended anywhere in
  // that last poll; the seed's operator logged back in 1 s before the probe saw the host up).
  const pollUs = ctx.pollUs ?? 0;
  windows.forEach((w, i) => {
    const coreEnd = w.closeIndex >= 0 ? w.endUs - pollUs - LOGIN_RESOLUTION_US : w.endUs;
    const login = coreEnd > w.startUs + LOGIN_RESOLUTION_US ? firstBetween(ctx.accepted, w.startUs + LOGIN_RESOLUTION_US, coreEnd) : -1;
    if (login >= 0) {
      found.push({ window: i, eventIndex: ctx.accepted.eventIndex[login]!, why: 'sshd accepted a login' });
      return;
    }
    // A witness is judged between the first and the last failed poll, where the probe says the host
    // was down: after the last one the host may have come back anywhere before the first good poll,
    // and a witness heard then is no contradiction (the simulator's seeds 1688, 1722 and 1748: real
    // outages refuted by a scanner's lines in the probe's last minute).
    // A window of one failed poll has no such core: it is judged whole, first failed to first good
    // poll, as before (judging it at one instant would let no witness contradict a liar whose fake
    // windows are shorter than its poll, the simulator's seed 1112).
    const poll = w.intervalUs ?? pollUs;
    const core = w.closeIndex >= 0 ? w.endUs - poll : w.endUs;
    const lastDownUs = core - w.startUs >= poll / 2 ? core : w.endUs;
    for (const s of witnesses) {
      if (!carriesOnThrough(s, w.startUs, lastDownUs)) continue;
      const k = firstBetween(s.series, w.startUs, lastDownUs);
      found.push({ window: i, eventIndex: s.series.eventIndex[k]!, why: `the ${s.kind} stream carried on` });
      return;
    }
  });
  return found;
}

function snapshotReasons(windows: readonly ProbeWindow[], facts: readonly ProbeSnapshotFact[]): { reasons: string[]; firstWindow: number } {
  const bad = facts.filter((f) => f.looksLikeHelpText || f.identicalTo !== undefined);
  if (bad.length === 0) return { reasons: [], firstWindow: -1 };
  const sorted = [...bad].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const matches = (path: string, snapshot: string): boolean => path === snapshot || path.endsWith(`/${snapshot}`) || snapshot.endsWith(`/${path}`);
  let firstWindow = -1;
  windows.forEach((w, i) => {
    if (firstWindow < 0 && w.snapshots.some((s) => sorted.some((f) => matches(f.path, s)))) firstWindow = i;
  });
  const reasons: string[] = [];
  const help = sorted.filter((f) => f.looksLikeHelpText);
  if (help.length > 0) {
    reasons.push(`${help.length} of its snapshots (e.g. ${help[0]!.path}) hold help text, not diagnostics.`);
  }
  const same = sorted.filter((f) => f.identicalTo !== undefined);
  if (same.length > 0) {
    reasons.push(`${same.length} of its snapshots are byte-identical to earlier ones (e.g. ${same[0]!.path} = ${same[0]!.identicalTo}).`);
  }
  return { reasons, firstWindow };
}

/**
 * A failure whose error text is a usage message (`usage: coily ssh HOST -- SUBCOMMAND`): the tool
 * refused its own arguments and never ran its check — the seed's probe after its CLI upgrade. The
 * same convention the ingest reads help text by (a line starting `usage:`).
 */
export function isUsageText(err: string | null): boolean {
  return err !== null && /^\s*usage:/i.test(err);
}

/**
 * The first window the usage signature covers, or -1: the first usage failure, and the windows just
 * before it that fail with the same exit code and give no error text of their own. Those are the
 * same failure told with less: a log of transitions states a capture's first state without the
 * error (the simulator's seed 1116 opens on `state=dead exit=1`, a usage liar's first fake window,
 * which was confirmed).
 */
export function usageFrom(windows: readonly ProbeWindow[]): number {
  let first = windows.findIndex((w) => isUsageText(w.err));
  if (first < 0) return -1;
  const exit = windows[first]!.exit;
  while (first > 0 && exit !== null && windows[first - 1]!.exit === exit && windows[first - 1]!.err === null) first--;
  return first;
}

/**
 * The first window a lie signature that needs no other source covers (a new failure mode, a usage
 * message), or -1. The clock is estimated on the windows before it: a lying tool's fake windows say
 * nothing about its clock, and the witnesses contradicting them are no sign of an offset.
 */
export function clockFreeLieFrom(windows: readonly ProbeWindow[]): number {
  const change = failureModeChange(windows);
  const firstUsage = usageFrom(windows);
  const found = [change?.at ?? -1, firstUsage].filter((c) => c >= 0);
  return found.length > 0 ? Math.min(...found) : -1;
}

/**
 * How many of a probe's windows (the first ones) its clock is estimated on: those before a clock-free
 * lie signature, and before a metronomic run. A cycle of one period says nothing about the clock
 * whichever it is: a fake one says nothing of the host, and a real periodic outage lines up with its
 * silences at every multiple of its period, so it cannot fix one offset. Metronomes' fake windows
 * sit where no witness went quiet; at no offset they look contradicted and shifting them by any
 * amount that lands them between a witness's lines looks better, which made one pair of a real
 * window and a chance gap "fix" offsets of 1516 s and 1802 s on truthful probes in the simulator
 * (seeds 45 and 76), moving their real windows off their outages.
 */
export function clockWindowCount(windows: readonly ProbeWindow[], backing?: Pick<ProbeContext, 'silences' | 'symptoms'>, pollUs = 0): number {
  const lie = clockFreeLieFrom(windows);
  const run = metronomicRun(windows, pollUs, backing);
  // A run most of whose windows other sources back is outages that happen to recur (the simulator's
  // seed 1196: six real outages of a skewed probe, four periods within 6 % of 1350 s, half of them
  // overlapping silences even unshifted); leaving it out left no window to estimate the clock on.
  // The lie signature asks the same of a metronome (judgeProbe).
  const unbacked = run !== null && (backing === undefined || unbackedRun(windows, run, backing));
  const ends = [lie, unbacked ? run.from : -1].filter((c) => c >= 0);
  return ends.length > 0 ? Math.min(...ends) : windows.length;
}

/** Whether fewer than half the windows of a metronomic run are backed by another source. */
function unbackedRun(windows: readonly ProbeWindow[], run: { from: number; to: number }, backing: Pick<ProbeContext, 'silences' | 'symptoms'>): boolean {
  const inRun = windows.slice(run.from, run.to + 1);
  return inRun.filter((w) => supported(w, backing)).length * 2 < inRun.length;
}

export function judgeProbe(target: string, windows: ProbeWindow[], ctx: ProbeContext): ProbeJudgement {
  const change = failureModeChange(windows);
  const firstUsage = usageFrom(windows);
  const run = metronomicRun(windows, ctx.pollUs ?? 0, ctx);
  const contradictions = contradictionsOf(windows, ctx);
  const snap = snapshotReasons(windows, ctx.snapshots);

  let metronomeFrom = -1;
  // A real periodic outage (a cron job) shows up in other sources too; a fake one shows nowhere else.
  if (run && unbackedRun(windows, run, ctx)) metronomeFrom = run.from;
  // The new failure mode's windows backed by other sources far less often than the old mode's were.
  let backingDrop: { before: number; backedBefore: number; after: number; backedAfter: number; chance: number } | null = null;
  if (change) {
    const backedFlags = windows.map((w) => supported(w, ctx));
    const backedBefore = backedFlags.slice(0, change.at).filter(Boolean).length;
    const backedAfter = backedFlags.slice(change.at).filter(Boolean).length;
    const before = change.at;
    const after = windows.length - change.at;
    const chance = backingDropChance(windows.length, backedBefore + backedAfter, after, backedAfter);
    if (chance <= MAX_BACKING_DROP_CHANCE) backingDrop = { before, backedBefore, after, backedAfter, chance };
  }
  // The new failure mode's windows open far more often than the old one's, and others do not see them.
  let rateJump: { before: number; after: number; chance: number } | null = null;
  if (change) {
    const after = windows.slice(change.at);
    const backedAfter = after.filter((w) => supported(w, ctx)).length;
    const span = ctx.spanUs ?? { startUs: windows[0]!.startUs, endUs: windows[windows.length - 1]!.endUs };
    const chance = rateJumpChance(windows, change.at, span.startUs, span.endUs);
    if (chance <= MAX_RATE_JUMP_CHANCE && backedAfter * 2 < after.length) rateJump = { before: change.at, after: after.length, chance };
  }
  const firstContradiction = contradictions.length > 0 ? contradictions[0]!.window : -1;
  // The lie starts at the earliest window a signature of it covers: the first of the new failure
  // mode, of the unbacked metronome, of a usage message or of a bad snapshot — whichever comes first,
  // since each says the tool had changed by then (taking them in a fixed order instead left a usage
  // liar's first 17 windows trusted because its metronome was noticed only later). A contradiction
  // dates no change of the tool; it dates the lie only when no signature does.
  const signatures = [change?.at ?? -1, metronomeFrom, snap.firstWindow, firstUsage].filter((c) => c >= 0);
  const lieFrom = signatures.length > 0 ? Math.min(...signatures) : firstContradiction;

  const reasons: string[] = [];
  if (lieFrom >= 0) {
    if (change) {
      const before = windows.slice(0, change.at).find((w) => w.exit === change.before);
      const after = windows[change.at]!;
      const errBefore = before?.err ? ` (${before.err})` : '';
      const errAfter = after.err ? ` (${after.err})` : '';
      reasons.push(
        `From ${iso(after.startUs)} the probe fails with exit ${change.after}${errAfter} where it failed with exit ${change.before}${errBefore} before: it fails differently, not because the host changed.`,
      );
      if (backingDrop && change.at >= lieFrom) {
        reasons.push(
          `Other sources (silences, symptoms) back ${backingDrop.backedBefore} of its ${backingDrop.before} down windows before that and ${backingDrop.backedAfter} of the ${backingDrop.after} from it (chance ${backingDrop.chance.toPrecision(3)} if backing had nothing to do with the failure mode): the new failures are not seen anywhere else.`,
        );
      }
      if (rateJump && change.at >= lieFrom) {
        reasons.push(
          `Its down windows come far more often from then on: ${rateJump.before} before, ${rateJump.after} from it (chance ${rateJump.chance.toPrecision(3)} if outages began at one rate throughout the time it watched), and fewer than half of the new ones are seen by another source: the tool fails on its own.`,
        );
      }
    }
    if (run && metronomeFrom >= 0 && run.to >= lieFrom) {
      const n = run.to - run.from + 1;
      reasons.push(
        run.beat
          ? `Its ${n} down windows from ${iso(windows[run.from]!.startUs)} fall on a beat of ${seconds(run.periodUs)} s like a metronome (each onset within ${seconds(run.beat.toleranceUs)} s, its poll, of a whole number of beats after the one before${run.beat.unseen > 0 ? `; ${run.beat.unseen} beats fall between its polls unseen` : ''}; chance ${run.beat.chance.toPrecision(3)} if outages came at its own rate), and no other source shows an outage then.`
          : `Its ${n} down windows from ${iso(windows[run.from]!.startUs)} recur every ${seconds(run.periodUs)} s like a metronome (period varies < ${MAX_METRONOME_CV * 100}%), and no other source shows an outage then.`,
      );
      // Other sources saw the probe's windows before the cycle and none of the cycle's (the
      // simulator's seed 7090: lease failures inside 3 of 3 windows before, inside 0 of 21 in it):
      // the same one-sided test as a new failure mode's drop in backing, split at the run's start.
      const before = windows.slice(0, run.from);
      const backedBefore = before.filter((w) => supported(w, ctx)).length;
      const backedIn = windows.slice(run.from, run.to + 1).filter((w) => supported(w, ctx)).length;
      const dropChance = backedBefore > 0 ? backingDropChance(run.to + 1, backedBefore + backedIn, n, backedIn) : 1;
      if (dropChance <= MAX_BACKING_DROP_CHANCE) {
        reasons.push(
          `Other sources (silences, symptoms) back ${backedBefore} of its ${before.length} down windows before them and ${backedIn} of these ${n} (chance ${dropChance.toPrecision(3)} if backing had nothing to do with the cycle): the cycle is not seen anywhere else.`,
        );
      }
      const lengths = windows.slice(run.from, run.to + 1).map((w) => w.endUs - w.startUs);
      const spread = Math.max(...lengths) - Math.min(...lengths);
      // A loop (a timeout, then a retry) has a fixed length as well as a fixed period; outages vary.
      if (spread <= MECHANICAL_LENGTH_POLLS * (ctx.pollUs ?? 0) || coefficientOfVariation(lengths) < MAX_METRONOME_CV) {
        reasons.push(
          `Every one of them lasts the same ${seconds(median(lengths))} s (within ${seconds(spread)} s, the probe measures to ${seconds(ctx.pollUs ?? 0)} s): the timing of a loop, not of a network.`,
        );
      }
    }
    const later = contradictions.filter((c) => c.window >= lieFrom);
    if (later.length > 0) {
      const whys = [...new Set(later.map((c) => c.why))].join('; ');
      reasons.push(`In ${later.length} of its down windows the host was demonstrably up (${whys}).`);
    }
    reasons.push(...snap.reasons);
    if (firstUsage >= 0) {
      const n = windows.filter((w) => isUsageText(w.err)).length;
      const usage = windows.find((w) => isUsageText(w.err))!;
      const quiet = windows.slice(firstUsage).filter((w) => w.err === null).length;
      const same = quiet > 0 ? ` (and ${quiet} just before them with the same exit ${usage.exit} and no error text)` : '';
      reasons.push(`${n} of its down windows fail with a usage message (${JSON.stringify(usage.err!.slice(0, 80))})${same}: the tool refused its own arguments and never checked the host.`);
    }
  }
  // A help-text snapshot or a usage message is the probe saying itself that it did not run its check.
  const strongSnapshot = (snap.reasons.length > 0 && snap.firstWindow >= 0) || firstUsage >= 0;
  const datedLie = lieFrom >= 0 && (reasons.length >= 2 || strongSnapshot);
  // A failure signature its witnesses contradict beyond chance and nothing else backs is a lie on its
  // own (two reasons: the witnesses' lines and the others' silence), wherever its windows fall.
  // Only the windows a dated lie leaves trusted are in question: those from it on are artifacts
  // already, and counting them would let a later fake cycle of the same exit code condemn the real
  // outages the probe saw before it (test/correlate/probe.test.ts, the metronome of a truthful probe).
  const open = datedLie ? windows.slice(0, lieFrom) : windows;
  const distrusted = distrustedSignatures(open, new Set(contradictions.map((c) => c.window)), ctx);
  const lying = windows.map((_, i) => datedLie && i >= lieFrom);
  // A window of such a signature that a silence or a symptom backs does not stand on the probe alone
  // either, but it is no lie: another source saw the host fail then (the real outages of a probe
  // that later fails the same way on its own).
  for (const d of distrusted) for (const i of d.windows) if (!supported(windows[i]!, ctx)) lying[i] = true;
  const firstLying = lying.indexOf(true);
  const allReasons = datedLie ? reasons : [];
  for (const d of distrusted) allReasons.push(...signatureReasons(windows, d));
  return {
    target,
    windows,
    lieFrom: firstLying,
    lying,
    distrusted,
    reasons: firstLying >= 0 ? allReasons : [],
    periodS: run && datedLie && run.to >= lieFrom ? seconds(run.periodUs) : null,
    metronome: run ? { from: run.from, to: run.to } : null,
    contradictions,
    changeAt: change?.at ?? -1,
  };
}
