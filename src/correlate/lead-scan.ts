/**
 * The consistent-lead scan: a permutation test of whether a signal's episode starts precede the
 * onsets at a *consistent* lead, not merely "somewhere in the 5 minutes before". A mechanism has a
 * delay of its own (a bridge race loses the network within its timeout, a driver hang kills the
 * watchdog after its period): its starts sit at about one lead before every onset, while a
 * background line that happens to come before two or three onsets sits at leads spread over the
 * whole lead zone. See docs/correlation.md § 4, "the consistent-lead scan".
 *
 * The scan: a window (onset spread [lo, hi]) holds the annulus [a, b] of leads when a start lies in
 * [lo − b, hi − a], a stretch of width (b − a) + (hi − lo). Each annulus (its ends among the leads
 * seen, holding two or more windows) is scored by how unlikely its count of windows held is when
 * starts come at the signal's average rate λ: −ln P(at least c of n), window k held with
 * q_k = 1 − e^(−λ·width_k) (Poisson binomial), and the statistic is the best score. The score only
 * orders outcomes; it is not the chance. The chance is the permutation's: each block of windows is
 * placed uniformly at random in the domain (as the exact test does), the best annulus found again
 * for every placement, and the chance is (1 + the placements scoring at least as high) / (B + 1):
 * the scan's choice of annulus is inside the permutation, and a Monte Carlo test is exact in the
 * sense that matters (under the null the observed outcome is one more draw of the same law, so the
 * chance is at most α with probability at most α), resolved to 1/(B + 1). The placements come from a
 * fixed-seed generator, so the same input gives the same chance. judge.ts combines it with the
 * exact reach test (which rewards a short lead, this a consistent one): twice the smaller of the two.
 */
import { mulberry32 } from './prng.js';
import type { Interval } from './stats.js';

/** Placements drawn: the chance is resolved to 1/(SCAN_DRAWS + 1) = 0.0002. */
export const SCAN_DRAWS = 4999;
/** The scan is used for 2..SCAN_MAX_WINDOWS onsets (one onset has no lead to be consistent with; many are costly and the exact test has power enough there). */
export const SCAN_MAX_WINDOWS = 16;
/** Per window, at most this many starts (the nearest the onset) enter the annuli: the scan's cost grows with the square of its endpoints. */
const SCAN_STARTS_PER_WINDOW = 4;
const SCAN_SEED = 0x1ead_5ca1;

export interface ScanWindow {
  /** The onset's spread (µs). */
  lo: number;
  hi: number;
}

export interface ScanResult {
  chance: number;
  /** The best annulus, in seconds of lead: [a, b]. */
  fromS: number;
  toS: number;
  /** Windows holding a start at a lead in [fromS, toS]. */
  held: number;
  draws: number;
}

interface Scored {
  annulus: number;
  annulusAt: [number, number, number];
}

/**
 * `starts`: the episode starts (sorted µs). `windows`: the judged windows in order; `blocks`: indices
 * into them moved together; `domain`: where a block may be placed (sorted disjoint stretches);
 * `leadUs`: the longest lead (LEAD_BEFORE_US). null when no placement fits.
 */
export function consistentLeadChance(
  starts: Float64Array,
  windows: readonly ScanWindow[],
  blocks: readonly (readonly number[])[],
  domain: readonly Interval[],
  leadUs: number,
): ScanResult | null {
  const n = windows.length;
  const domainUs = domain.reduce((s, d) => s + (d.endUs - d.startUs), 0);
  if (n === 0 || domainUs <= 0) return null;
  let inside = 0;
  for (const t of starts) if (domain.some((d) => t > d.startUs && t < d.endUs)) inside++;
  const lambda = inside / domainUs;
  const spreads = windows.map((w) => w.hi - w.lo);
  const observed = scoreOf(starts, windows, spreads, lambda, leadUs);

  // Each block's extent and, per stretch, the room for its origin.
  const geometry = blocks.map((b) => {
    const from = Math.min(...b.map((k) => windows[k]!.lo - leadUs));
    const to = Math.max(...b.map((k) => windows[k]!.hi));
    const rooms = domain.map((d) => ({ startUs: d.startUs, endUs: d.endUs - (to - from) })).filter((r) => r.endUs > r.startUs);
    return { from, rooms, room: rooms.reduce((s, r) => s + (r.endUs - r.startUs), 0) };
  });
  if (geometry.some((g) => g.room <= 0)) return null;
  const next = mulberry32(SCAN_SEED);
  const placed: ScanWindow[] = windows.map((w) => ({ lo: w.lo, hi: w.hi }));
  const annulus = new Float64Array(SCAN_DRAWS);
  for (let d = 0; d < SCAN_DRAWS; d++) {
    blocks.forEach((b, bi) => {
      const g = geometry[bi]!;
      let x = next() * g.room;
      let origin = g.rooms[g.rooms.length - 1]!.startUs;
      for (const r of g.rooms) {
        const len = r.endUs - r.startUs;
        if (x < len) {
          origin = r.startUs + x;
          break;
        }
        x -= len;
      }
      const shift = origin - g.from;
      for (const k of b) {
        placed[k]!.lo = windows[k]!.lo + shift;
        placed[k]!.hi = windows[k]!.hi + shift;
      }
    });
    const s = scoreOf(starts, placed, spreads, lambda, leadUs);
    annulus[d] = s.annulus;
  }
  // The share of placements whose best annulus scores at least as high as the observed one.
  let extreme = 0;
  for (let d = 0; d < SCAN_DRAWS; d++) if (annulus[d]! >= observed.annulus - 1e-12) extreme++;
  const at = observed.annulusAt;
  return {
    chance: Number(((1 + extreme) / (SCAN_DRAWS + 1)).toPrecision(3)),
    fromS: Math.round(at[0] / 1e5) / 10,
    toS: Math.round(at[1] / 1e5) / 10,
    held: at[2],
    draws: SCAN_DRAWS,
  };
}

/** The best score of each family for windows placed so, and where it was reached ([a, b] µs, count). */
function scoreOf(starts: Float64Array, windows: readonly ScanWindow[], spreads: readonly number[], lambda: number, leadUs: number): Scored {
  const n = windows.length;
  // Per window, the lead intervals [l, u] of its starts in [lo − lead, hi]: a start at t leads an onset
  // in [lo, hi] by onset − t, from max(0, lo − t) to hi − t.
  const ls: number[][] = [];
  const us: number[][] = [];
  const endpoints: number[] = [];
  for (let k = 0; k < n; k++) {
    const w = windows[k]!;
    const a = lowerBoundF(starts, w.lo - leadUs);
    const b = lowerBoundF(starts, w.hi + 1e-9);
    const l: number[] = [];
    const u: number[] = [];
    // Nearest the onset first: the last starts before hi.
    for (let j = b - 1; j >= a && l.length < SCAN_STARTS_PER_WINDOW; j--) {
      const t = starts[j]!;
      l.push(Math.max(0, w.lo - t));
      u.push(w.hi - t);
      endpoints.push(Math.max(0, w.lo - t), w.hi - t);
    }
    ls.push(l);
    us.push(u);
  }
  const out: Scored = { annulus: 0, annulusAt: [0, 0, 0] };
  if (endpoints.length === 0) return out;
  const qs = new Array<number>(n);
  const scoreAt = (width: number, count: number): number => {
    if (count === 0) return 0;
    for (let k = 0; k < n; k++) qs[k] = -Math.expm1(-lambda * (Math.max(0, width) + spreads[k]!));
    return -Math.log(Math.max(1e-300, poissonBinomialTail(qs, count)));
  };
  // Annulus: [a, b] holds window k when one of its intervals meets it (l ≤ b and u ≥ a).
  const e = Float64Array.from(new Set(endpoints)).sort();
  for (let i = 0; i < e.length; i++) {
    for (let j = i; j < e.length; j++) {
      const a = e[i]!;
      const b = e[j]!;
      let count = 0;
      for (let k = 0; k < n; k++) {
        const l = ls[k]!;
        const u = us[k]!;
        for (let m = 0; m < l.length; m++) {
          if (l[m]! <= b && u[m]! >= a) {
            count++;
            break;
          }
        }
      }
      // Only 2 or more windows say anything about consistency.
      if (count < 2) continue;
      const s = scoreAt(b - a, count);
      if (s > out.annulus) {
        out.annulus = s;
        out.annulusAt = [a, b, count];
      }
    }
  }
  return out;
}

/** P(at least k) of independent Bernoulli(q_i). */
function poissonBinomialTail(qs: readonly number[], k: number): number {
  const dist = new Float64Array(k + 1);
  dist[0] = 1;
  for (const q of qs) {
    for (let j = k; j >= 0; j--) {
      const stay = j === k ? dist[j]! : dist[j]! * (1 - q);
      dist[j] = stay + (j > 0 ? dist[j - 1]! * q : 0);
    }
  }
  return dist[k]!;
}

/** First index whose value is >= x. */
function lowerBoundF(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
