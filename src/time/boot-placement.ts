/**
 * Boot placement as intervals. Every piece of evidence about when a boot began is an interval of
 * possible boot instants, widened by what the evidence can show:
 *
 *   - a line carrying both clocks (kern.log with `[ uptime ]`, an `audit(EPOCH.ms:n)` stamp in raw
 *     dmesg, a raw dmesg line matched to the same kernel message in a journal): wall − uptime, the
 *     wall stamp's own resolution wide (1 µs for journal stamps, 1 ms for audit, 1 s for syslog);
 *   - `journalctl --list-boots`, `/proc/stat` btime, `uptime -s`, `/proc/uptime` with the capture
 *     instant: ±1 s (whole seconds);
 *   - `who -b`: ±60 s (whole minutes).
 *
 * The intervals are intersected. A logging delay is only ever positive (a line is written after the
 * kernel stamped it), so of many (wall − uptime) pairs the **minimum** is the one closest to the
 * boot: it is the estimate, and the others only bound it from above. When the intervals do not
 * meet, the narrowest evidence is kept and every candidate that contradicts it is rejected with a
 * warning naming both sources — never resolved silently.
 */

import type { BootAnchorEstimator } from './boot-anchor.js';

export type BootEvidenceKind =
  | 'user' // --boot-time
  | 'both-clocks' // lines carrying a wall time and an uptime stamp
  | 'matched-lines' // raw dmesg lines matched to journal/syslog kernel lines by text
  | 'audit' // audit(EPOCH.ms:n) stamps inside uptime-stamped lines
  | 'list-boots' // journalctl --list-boots
  | 'btime' // /proc/stat btime
  | 'uptime-s' // uptime -s
  | 'proc-uptime' // /proc/uptime read against the capture instant
  | 'who-b'; // who -b

/** One interval of possible boot instants, with the source that gives it. */
export interface BootCandidate {
  kind: BootEvidenceKind;
  /** The best single instant the evidence names (µs since the epoch). */
  us: number;
  /** The interval of possible boot instants, inclusive (µs). */
  lowUs: number;
  highUs: number;
  /** Where it comes from, for messages: `the uptime -s section of diag/output.txt`. */
  source: string;
}

export interface RejectedCandidate {
  candidate: BootCandidate;
  reason: string;
}

export interface BootPlacement {
  /** The boot instant chosen, or null when no evidence places the boot. */
  anchorUs: number | null;
  /** The intersection of the kept candidates. */
  lowUs: number | null;
  highUs: number | null;
  /** Half the width of the intersection, in seconds: the ± the placement is good to. */
  precisionS: number | null;
  used: BootCandidate[];
  rejected: RejectedCandidate[];
  warnings: string[];
  /** One sentence: the anchor, the evidence used and its precision. */
  why: string;
}

/** Half-widths of the fixed-precision sources (µs), as the rules and docs/time.md state them. */
export const HALF_WIDTH_US: Record<Exclude<BootEvidenceKind, 'both-clocks' | 'matched-lines' | 'audit'>, number> = {
  user: 0,
  'list-boots': 1_000_000,
  btime: 1_000_000,
  'uptime-s': 1_000_000,
  'proc-uptime': 1_000_000,
  'who-b': 60_000_000,
};

/** A candidate of fixed precision: the stated instant ± the source's half-width. */
export function pointCandidate(kind: keyof typeof HALF_WIDTH_US, us: number, source: string): BootCandidate {
  const h = HALF_WIDTH_US[kind];
  return { kind, us, lowUs: us - h, highUs: us + h, source };
}

/**
 * (wall − uptime) pairs from lines that carry both clocks.
 *
 * `after` (journal, syslog, kern.log, matched lines): the wall time was written when the line was
 * logged, after the kernel stamped it, so every pair is the boot plus a delay ≥ 0: the **minimum**
 * is the estimate, and a wall stamp truncated to `resolutionUs` can put the truth up to one
 * resolution later: [min, min + resolution].
 *
 * `before` (`audit(EPOCH.ms:n)`): the epoch is the audit event's own instant and the printk stamp
 * comes when kauditd prints it, later, so every pair is the boot minus a delay ≥ 0: the
 * **maximum** is the estimate, [max, max + resolution].
 */
export function pairsCandidate(
  kind: 'both-clocks' | 'matched-lines' | 'audit',
  pairsUs: number[],
  resolutionUs: number,
  source: string,
  wallIs: 'after' | 'before' = kind === 'audit' ? 'before' : 'after',
): BootCandidate | null {
  if (pairsUs.length === 0) return null;
  let best = wallIs === 'after' ? Infinity : -Infinity;
  for (const p of pairsUs) if (wallIs === 'after' ? p < best : p > best) best = p;
  // The extreme pair itself: with many pairs their truncated fractions spread over the resolution,
  // and the extreme one lies within a small part of it from the truth.
  return { kind, us: best, lowUs: best, highUs: best + Math.max(resolutionUs, 1), source };
}

const width = (c: BootCandidate): number => c.highUs - c.lowUs;

/**
 * Intersect the candidates of one boot. The narrowest goes first; each next one is kept when it
 * meets the running intersection, and rejected (with a warning naming both) when it does not.
 * `--boot-time` (kind `user`) outranks everything and is never rejected.
 */
export function placeBoot(candidates: BootCandidate[]): BootPlacement {
  const order = [...candidates].sort((a, b) => (a.kind === 'user' ? -1 : 0) - (b.kind === 'user' ? -1 : 0) || width(a) - width(b) || a.us - b.us);
  const used: BootCandidate[] = [];
  const rejected: RejectedCandidate[] = [];
  const warnings: string[] = [];
  let low = -Infinity;
  let high = Infinity;
  for (const c of order) {
    if (used.length > 0 && (c.highUs < low || c.lowUs > high)) {
      const off = c.us < low ? (low - c.us) / 1e6 : (c.us - high) / 1e6;
      const against = used[0]!;
      const reason = `${describe(c)} is ${off.toFixed(off < 10 ? 1 : 0)} s from ${describe(against)}: they cannot both be right; kept the more precise ${against.source}`;
      rejected.push({ candidate: c, reason });
      warnings.push(`contradictory boot evidence: ${reason}, rejected ${c.source}`);
      continue;
    }
    used.push(c);
    low = Math.max(low, c.lowUs);
    high = Math.min(high, c.highUs);
  }
  if (used.length === 0) {
    return { anchorUs: null, lowUs: null, highUs: null, precisionS: null, used, rejected, warnings, why: 'no evidence places this boot' };
  }
  // The most precise candidate's own instant, moved into the intersection when others narrow it.
  const best = used[0]!;
  const anchorUs = Math.min(Math.max(best.us, low), high);
  const precisionS = (high - low) / 2 / 1e6;
  const others = used.length > 1 ? `; agrees with ${used.slice(1).map((c) => c.source).join(', ')}` : '';
  const why = `boot at ${new Date(Math.floor(anchorUs / 1000)).toISOString()} ±${formatSeconds(precisionS)} from ${best.source}${others}`;
  return { anchorUs, lowUs: low, highUs: high, precisionS, used, rejected, warnings, why };
}

function describe(c: BootCandidate): string {
  return `${c.source} (${new Date(Math.floor(c.us / 1000)).toISOString()})`;
}

/** `1 s`, `0.5 s`, `0.5 ms`, `1 µs`. */
function formatSeconds(s: number): string {
  if (s >= 0.1) return `${Math.round(s * 10) / 10} s`;
  if (s >= 0.0001) return `${Math.round(s * 1e4) / 10} ms`;
  return `${Math.max(1, Math.round(s * 1e6))} µs`;
}

/** One kernel line of raw dmesg: its uptime and message (whitespace-normalized by the caller). */
export interface UptimeLine {
  uptimeUs: number;
  message: string;
}

/** One kernel line that carries a wall time but no uptime (journal, syslog), for matching. */
export interface WallLine {
  wallUs: number;
  message: string;
}

/**
 * Matched kernel messages between raw dmesg and journal/syslog kernel lines: (wall − uptime) for
 * each message that occurs exactly once on each side (a repeated message could pair the wrong
 * occurrences, and a journal of several boots repeats the boot messages).
 */
export function matchedPairs(raw: UptimeLine[], wall: WallLine[]): number[] {
  const once = <T extends { message: string }>(xs: T[]): Map<string, T> => {
    const seen = new Map<string, T | null>();
    for (const x of xs) seen.set(x.message, seen.has(x.message) ? null : x);
    const out = new Map<string, T>();
    for (const [k, v] of seen) if (v) out.set(k, v);
    return out;
  };
  const rawOnce = once(raw);
  const wallOnce = once(wall);
  const pairs: number[] = [];
  for (const [msg, r] of rawOnce) {
    const w = wallOnce.get(msg);
    if (w) pairs.push(w.wallUs - r.uptimeUs);
  }
  return pairs;
}

/** A reset of the uptime clock by more than this starts a new boot segment. */
export const RESET_US = 1_000_000;

/**
 * Split a sequence of uptime stamps (file order) into boot segments: a stamp that goes back by more
 * than a second starts the next boot. Returns, per segment, the index range [start, end).
 */
export function splitBoots(uptimesUs: number[]): { start: number; end: number; minUs: number; maxUs: number }[] {
  const out: { start: number; end: number; minUs: number; maxUs: number }[] = [];
  let last: number | null = null;
  for (let i = 0; i < uptimesUs.length; i++) {
    const u = uptimesUs[i]!;
    if (last === null || u < last - RESET_US) out.push({ start: i, end: i, minUs: u, maxUs: u });
    const seg = out[out.length - 1]!;
    seg.end = i + 1;
    if (u < seg.minUs) seg.minUs = u;
    if (u > seg.maxUs) seg.maxUs = u;
    last = u;
  }
  return out;
}

/**
 * Does a boot fact fit a segment? The boot must precede its first line, and a capture taken at
 * `captureUs` must come after its last line (`slackUs` for clocks and rounding).
 */
export function fitsSegment(bootUs: number, seg: { maxUs: number }, captureUs: number | null, slackUs: number): boolean {
  if (captureUs === null) return true;
  return bootUs + seg.maxUs <= captureUs + slackUs;
}

/** Tolerance for "the capture was taken after the last line": clocks and rounding. */
export const FIT_SLACK_US = 120_000_000;

/** (wall − uptime) pairs of one kind, with the resolution of their wall stamps. */
export interface PairGroup {
  kind: 'both-clocks' | 'matched-lines' | 'audit';
  pairsUs: number[];
  resolutionUs: number;
  source: string;
}

/** What one boot segment's own lines say. */
export interface SegmentEvidence {
  /** 0 for the section's last segment (the boot running at capture time), 1 for the one before … */
  fromEnd: number;
  minUptimeUs: number | null;
  maxUptimeUs: number | null;
  pairs: PairGroup[];
}

/** What a capture states about boots (src/ingest/context/boot-evidence.ts). */
export interface CaptureBoots {
  path: string;
  host: string;
  captureUs: number | null;
  /** Candidates for the boot running at capture time. */
  current: BootCandidate[];
  /** `--list-boots` entries of earlier boots: -1 is the boot before the current one. */
  earlier: Map<number, { candidate: BootCandidate; lastUs: number | null }>;
}

export interface SegmentPlacement extends BootPlacement {
  /** Facts found but refused because the lines do not fit in them (said to the user). */
  misfits: string[];
}

/**
 * Place one boot segment from everything that speaks for it:
 *   - its own lines' pairs (both clocks, audit stamps, lines matched to a journal) — any segment;
 *   - `--boot-time` and the capture's boot facts — the last segment only (the boot running at
 *     capture time), when the lines fit (the boot plus the newest uptime is not after the capture);
 *   - `--list-boots` entry −k for the k-th segment before the last, when the lines fit before that
 *     boot's last entry;
 *   - for the last segment with no evidence of its own capture: another capture of the same host,
 *     the latest boot the lines fit in (assumed the same boot, and said so).
 * A segment nothing places stays unplaced.
 */
export function placeSegment(seg: SegmentEvidence, own: CaptureBoots | null, others: CaptureBoots[], user?: { us: number; text: string }): SegmentPlacement {
  const candidates: BootCandidate[] = [];
  const misfits: string[] = [];
  for (const g of seg.pairs) {
    const c = pairsCandidate(g.kind, g.pairsUs, g.resolutionUs, g.source);
    if (c) candidates.push(c);
  }
  const max = seg.maxUptimeUs ?? 0;
  const fitsBy = (c: BootCandidate, endUs: number | null): boolean => endUs === null || c.us + max <= endUs + FIT_SLACK_US;
  const misfit = (c: BootCandidate, endUs: number, what: string): string =>
    `the boot time from ${c.source} does not fit these lines: the newest (uptime ${(max / 1e6).toFixed(0)} s) would fall after ${what} ${new Date(Math.floor(endUs / 1000)).toISOString()}; not used`;
  if (seg.fromEnd === 0) {
    if (user) candidates.push(pointCandidate('user', user.us, `--boot-time ${user.text}`.trim()));
    for (const c of own?.current ?? []) {
      if (fitsBy(c, own!.captureUs)) candidates.push(c);
      else misfits.push(misfit(c, own!.captureUs!, 'the capture time'));
    }
    if (candidates.length === 0) {
      // Another capture of the same host: its own placement, the latest that the lines fit in.
      const theirs = others
        .filter((o) => o.path !== own?.path && o.current.length > 0)
        .map((o) => ({ o, p: placeBoot(o.current) }))
        .filter(({ o, p }) => p.anchorUs !== null && p.anchorUs + max <= (own?.captureUs ?? o.captureUs ?? Infinity) + FIT_SLACK_US)
        .sort((a, b) => b.p.anchorUs! - a.p.anchorUs!);
      const t = theirs[0];
      if (t) {
        const best = t.p.used[0]!;
        candidates.push({ ...best, us: t.p.anchorUs!, lowUs: t.p.lowUs!, highUs: t.p.highUs!, source: `${best.source} (same host ${t.o.host}; assumed the same boot)` });
      }
    }
  } else if (own) {
    const e = own.earlier.get(-seg.fromEnd);
    if (e) {
      if (fitsBy(e.candidate, e.lastUs)) candidates.push(e.candidate);
      else misfits.push(misfit(e.candidate, e.lastUs!, "that boot's last journal entry"));
    }
  }
  const p = placeBoot(candidates);
  return { ...p, misfits };
}

/**
 * The bundle estimator (the seam of boot-anchor.ts): a segment's own pairs, audit stamps and
 * matched lines, its capture's facts, `--list-boots`, `--boot-time`, and the same host's other
 * captures, placed as intervals by placeSegment.
 */
export const bundleBootEstimator: BootAnchorEstimator = (seg, ctx) => {
  const pairs: PairGroup[] = [];
  const res = seg.pairsWholeSeconds === false ? 1 : 1_000_000;
  if (seg.pairs.length > 0) pairs.push({ kind: 'both-clocks', pairsUs: [...seg.pairs], resolutionUs: res, source: `${seg.pairs.length} line${seg.pairs.length === 1 ? '' : 's'} carrying both a wall-clock time and an uptime stamp (the earliest pair)` });
  if (seg.twins.length > 0) pairs.push({ kind: 'both-clocks', pairsUs: [...seg.twins], resolutionUs: 1_000_000, source: `the same lines read with a wall-clock time as well (${seg.twins.length} line${seg.twins.length === 1 ? '' : 's'}, the earliest pair)` });
  if (seg.audit && seg.audit.length > 0) pairs.push({ kind: 'audit', pairsUs: [...seg.audit], resolutionUs: 1000, source: `${seg.audit.length} audit(EPOCH.ms) stamp${seg.audit.length === 1 ? '' : 's'} in the lines (the latest pair)` });
  if (seg.matched && seg.matched.pairsUs.length > 0) pairs.push({ kind: 'matched-lines', pairsUs: [...seg.matched.pairsUs], resolutionUs: seg.matched.resolutionUs, source: seg.matched.source });
  const captures = ctx.captures ?? new Map<string, CaptureBoots>();
  const own = captures.get(seg.path) ?? null;
  const others = [...captures.values()].filter((c) => c.path !== seg.path && sameMachine(c.host, seg.host));
  const fromEnd = seg.fromEnd ?? (seg.last ? 0 : -1);
  const user = ctx.bootUs !== undefined ? { us: ctx.bootUs, text: ctx.bootText ?? '' } : undefined;
  const p = fromEnd < 0
    ? { ...placeBoot(pairs.map((g) => pairsCandidate(g.kind, g.pairsUs, g.resolutionUs, g.source)!)), misfits: [] }
    : placeSegment({ fromEnd, minUptimeUs: seg.minUptimeUs, maxUptimeUs: seg.maxUptimeUs, pairs }, own, others, user);
  return {
    anchor: p.anchorUs === null ? null : { us: p.anchorUs, why: p.why },
    misfit: p.anchorUs === null && p.misfits.length > 0 ? p.misfits.join('; ') : null,
    precisionUs: p.lowUs === null || p.highUs === null ? null : Math.round((p.highUs - p.lowUs) / 2),
    evidence: p.anchorUs === null ? null : { used: p.used.map((c) => c.source), rejected: p.rejected.map((r) => r.reason) },
    warnings: p.warnings,
  };
};

/** Case-insensitive, a short name against an FQDN (the context's rule, kept here so time/ imports nothing of ingest/). */
function sameMachine(a: string, b: string): boolean {
  const ka = a.toLowerCase().replace(/\.$/, '');
  const kb = b.toLowerCase().replace(/\.$/, '');
  if (ka === kb) return true;
  if (ka.includes('.') === kb.includes('.')) return false;
  return ka.split('.')[0] === kb.split('.')[0];
}
