/**
 * Host attribution step 4 (docs/time.md, "Hosts"): a section with no host evidence of its own whose
 * lines are identical to lines already stored from a source of a known host takes that host — the
 * overlap of the same ring buffer in two captures, a dmesg copy beside a named capture.
 *
 * "Identical" is the line's clock key and message: the uptime stamp of a kernel line, else its
 * instant, to the microsecond, and the same message from the same source. Only **distinctive**
 * lines count: a stamp with sub-millisecond digits. A stamp that is a whole number of milliseconds
 * is what a clock that is not running yet or ticks coarsely prints — all of the early boot is
 * `[    0.000000]` (276 of the 1,087 lines of the corpus's Ubuntu 16 kern.log), jiffy clocks print
 * `[    9.184000]`, syslog and `dmesg -T` print whole seconds — and such a line (`Linux version …`,
 * `Command line: …`, the e820 map) is identical on every machine of the same build, and two
 * machines hit by one switch failure write the same `eth0: link down` in the same second. Those
 * lines are no host evidence and are not counted, either way.
 *
 * The threshold is a chance bound. The corpus's kern.log holds two pairs of boots of one machine
 * (same hardware, kernel and boot order — the closest another machine can come): of their 382
 * distinctive lines none recurs at the same microsecond in the other boot (while 135 lines at
 * `0.000000` all do). So a distinctive line of another machine matches with a chance well under
 * P_LINE = 1 in 100 (the rule-of-three bound on 0 of 382 is 0.8 %). A host is taken when the number
 * of matching lines N of the M distinctive lines sampled is one that M lines of a different machine
 * would reach with a binomial chance of at most ALPHA = 1e-6 (at least 3 of 3; 9 of 100; 45 of
 * 2,000): one wrong host in a million sections even with every line at the bound.
 */
import { hostKey, isUnknownHost, sameHost } from './hosts.js';

/** A line of the section, as its dedup key will see it. */
export interface LineSample {
  tkey: number;
  source: string;
  /** The record's own line (continuations not appended). */
  message: string;
}

/** A stored line under the same key and source (from another file). */
export interface StoredLine {
  host: string;
  message: string;
  path: string;
  title: string | null;
}

/** Upper bound on the chance that a distinctive line of another machine is identical (see above). */
export const P_LINE = 0.01;
/** The largest binomial chance accepted for a host from identical lines. */
export const ALPHA = 1e-6;
/** Lines sampled from one section at most (evenly spread over it). */
export const SAMPLE_LINES = 2000;

/** A stamp with sub-millisecond digits: host evidence when identical (see the top of this file). */
export function distinctiveStamp(tkeyUs: number): boolean {
  return Number.isInteger(tkeyUs) && tkeyUs % 1000 !== 0;
}

/** P(X ≥ n) for X ~ Binomial(m, p). */
export function binomialTail(n: number, m: number, p: number): number {
  if (n <= 0) return 1;
  if (n > m) return 0;
  // Sum in log space from n up: terms fall fast when n > mp.
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let logC = 0; // log C(m, n), built incrementally
  for (let i = 1; i <= n; i++) logC += Math.log(m - n + i) - Math.log(i);
  let sum = 0;
  let logTerm = logC + n * lp + (m - n) * lq;
  for (let k = n; k <= m; k++) {
    sum += Math.exp(logTerm);
    // C(m, k+1) / C(m, k) = (m - k) / (k + 1)
    logTerm += Math.log(m - k) - Math.log(k + 1) + lp - lq;
    if (logTerm < -745) break;
  }
  return Math.min(1, sum);
}

/** The smallest number of matches out of m that chance stays under ALPHA for. */
export function matchesNeeded(m: number): number {
  // The relative slack keeps 3 of 3 (0.01³ = 1e-6, a rounding above it in floating point) in.
  for (let n = 1; n <= m; n++) if (binomialTail(n, m, P_LINE) <= ALPHA * (1 + 1e-9)) return n;
  return Infinity;
}

export interface SameLinesDecision {
  host: string;
  why: string;
  /** Another known host's lines matched as well (a contradiction), said as a warning. */
  warning?: string;
}

/**
 * The host the section's lines name by being identical to stored lines of a known host, or null.
 * `stored[i]` are the stored lines under `samples[i]`'s key (any host, other files).
 */
export function hostFromSameLines(samples: readonly LineSample[], stored: readonly (readonly StoredLine[])[], generic: number): SameLinesDecision | null {
  const m = samples.length;
  if (m === 0) return null;
  const byHost = new Map<string, { host: string; n: number; paths: Map<string, number> }>();
  samples.forEach((s, i) => {
    const seen = new Set<string>();
    for (const r of stored[i] ?? []) {
      if (isUnknownHost(r.host) || firstLine(r.message) !== s.message) continue;
      const k = hostKey(r.host);
      if (seen.has(k)) continue;
      seen.add(k);
      let h = byHost.get(k);
      if (!h) byHost.set(k, (h = { host: r.host, n: 0, paths: new Map() }));
      h.n++;
      const where = r.title ? `${r.path} [${r.title}]` : r.path;
      h.paths.set(where, (h.paths.get(where) ?? 0) + 1);
    }
  });
  const need = matchesNeeded(m);
  const passing = [...byHost.values()].filter((h) => h.n >= need).sort((a, b) => b.n - a.n || (a.host < b.host ? -1 : 1));
  if (passing.length === 0) return null;
  // Two spellings of one machine are one host.
  const distinct = passing.filter((h, i) => passing.findIndex((x) => sameHost(x.host, h.host)) === i);
  const best = distinct[0]!;
  const source = [...best.paths].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  const chance = binomialTail(best.n, m, P_LINE);
  const why =
    `host ${best.host}: ${best.n} of ${m} distinctive lines (stamps with sub-millisecond digits) are identical to lines already stored from ${source} of host ${best.host}` +
    ` (a different machine would match ${need} or more with a chance of ${chance.toExponential(1)} at most${generic > 0 ? `; ${generic} lines with coarse stamps are no host evidence and were not counted` : ''})`;
  if (distinct.length === 1) return { host: best.host, why };
  const rejected = distinct.slice(1).map((h) => `${h.host} (${h.n} of ${m})`).join(', ');
  return {
    host: best.host,
    why: `${why}; rejected ${rejected}`,
    warning: `lines identical to stored lines of several hosts: kept ${best.host} (${best.n} of ${m}), rejected ${rejected}; one of those sources is filed under the wrong host`,
  };
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl === -1 ? s : s.slice(0, nl);
}
