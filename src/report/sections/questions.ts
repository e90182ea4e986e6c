import ipaddr from 'ipaddr.js';
import { CHANCE_THRESHOLD } from '../../model/finding.js';
import type { ReportInput } from '../types.js';
import { type View, type ViewFinding, byVerdict } from '../view.js';
import { isoToMs } from '../time.js';

/**
 * The questions a postmortem must answer that logs cannot: each is asked exactly when the data shows
 * its condition, and only then (test/report/questions.test.ts holds each condition on and off).
 *
 *  - a cause that stops for good: what changed then? (its own bursts are too regular for the quiet
 *    after the last one to be chance);
 *  - the stop came long after someone was watching: a fix's effect was delayed — by how long, and why?
 *  - an attacker's address is public: sshd was reachable from the internet.
 */

export interface Stop {
  cause: ViewFinding;
  /** End of the cause's last burst. */
  lastMs: number;
  /** Until when the host was still observed by a trustworthy source. */
  observedUntilMs: number;
  /** Bursts per hour over the cause's active span. */
  ratePerHour: number;
  /** Chance of a quiet at least this long if the bursts had gone on at that rate (Poisson). */
  chance: number;
  /** When monitoring of the host began (its probe's first line), if a probe watched it. */
  watchedFromMs: number | null;
  /** The last line of the files the cause's own evidence comes from (its log may end before the host's). */
  ownLogUntilMs: number | null;
}

/** Fewer bursts than this give no rate to speak of. */
const MIN_BURSTS_FOR_RATE = 3;

/**
 * A cause stopped for good when the host was observed long enough after its last burst that, at the
 * rate its bursts came before, a quiet that long would happen by chance at most CHANCE_THRESHOLD of
 * the time: P(no burst in T) = exp(-rate × T). The threshold is the judge's own (docs/correlation.md).
 */
export function stoppedCauses(input: ReportInput, view: View): Stop[] {
  const out: Stop[] = [];
  for (const cause of byVerdict(view, 'cause')) {
    const bursts = [...cause.bursts].sort((a, b) => a.startMs - b.startMs);
    if (bursts.length < MIN_BURSTS_FOR_RATE) continue;
    const first = bursts[0]!;
    const last = bursts[bursts.length - 1]!;
    const activeH = (last.startMs - first.startMs) / 3_600_000;
    if (activeH <= 0) continue;
    const ratePerHour = (bursts.length - 1) / activeH;
    const lastMs = bursts.map((b) => b.endMs).reduce((a, b) => Math.max(a, b));
    const observedUntilMs = observedUntil(input, view, cause.host);
    if (observedUntilMs === null || observedUntilMs <= lastMs) continue;
    const chance = Math.exp(-ratePerHour * ((observedUntilMs - lastMs) / 3_600_000));
    if (chance > CHANCE_THRESHOLD) continue;
    out.push({ cause, lastMs, observedUntilMs, ratePerHour, chance, watchedFromMs: watchedFrom(input, cause.host), ownLogUntilMs: ownLogUntil(input, cause) });
  }
  return out;
}

/**
 * A delayed effect: the cause went on after monitoring began (someone was already at work on the
 * host), so whatever stopped it came that much later. Returns the delay in seconds, or null.
 */
export function delayAfterWatch(stop: Stop): number | null {
  if (stop.watchedFromMs === null) return null;
  const burstsAfter = stop.cause.bursts.filter((b) => b.startMs > stop.watchedFromMs!).length;
  return burstsAfter > 0 ? (stop.lastMs - stop.watchedFromMs) / 1000 : null;
}

/**
 * The last instant a trustworthy source saw the host. A probe's lines count only up to the moment
 * it began to lie (its artifact finding's start): after that they are its word, not the host's.
 */
function observedUntil(input: ReportInput, view: View, host: string): number | null {
  // Only a lying probe (probe-artifact) stops counting; a probe whose clock is off (probe-clock) still saw the host.
  const lieFrom = byVerdict(view, 'artifact').filter((f) => f.kind === 'probe-artifact' && f.host === host).map((f) => f.startMs);
  let last: number | null = null;
  for (const s of input.sources) {
    if (s.host !== host || s.last === null) continue;
    let ms = isoToMs(s.last);
    if (ms === null) continue;
    if (s.format === 'probe' && lieFrom.length > 0) ms = Math.min(ms, lieFrom.reduce((a, b) => Math.min(a, b)));
    if (last === null || ms > last) last = ms;
  }
  return last;
}

/** The newest line of the files (or sections) the finding's evidence was quoted from. */
function ownLogUntil(input: ReportInput, f: ViewFinding): number | null {
  const files = new Set(f.evidence.map((e) => e.file));
  const lasts = input.sources
    .filter((s) => files.has(s.path) && s.host === f.host && s.last !== null)
    .map((s) => isoToMs(s.last as string))
    .filter((x): x is number => x !== null);
  return lasts.length > 0 ? lasts.reduce((a, b) => Math.max(a, b)) : null;
}

/** The first line of a probe that watched the host. */
function watchedFrom(input: ReportInput, host: string): number | null {
  const firsts = input.sources
    .filter((s) => s.format === 'probe' && s.host === host && s.first !== null)
    .map((s) => isoToMs(s.first as string))
    .filter((x): x is number => x !== null);
  return firsts.length > 0 ? firsts.reduce((a, b) => Math.min(a, b)) : null;
}

/**
 * Whether an address is public: ipaddr.js's `unicast` range, which excludes private, loopback,
 * link-local, carrier-grade NAT (Tailscale's 100.64/10), reserved and documentation ranges; an
 * IPv4-mapped IPv6 address is judged as the IPv4 address it carries. Unparseable text is not public.
 */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  return ipaddr.process(ip).range() === 'unicast';
}

/** Brute-force findings whose source address is public: sshd answered the internet. */
export function publicAttacks(view: View): ViewFinding[] {
  return view.findings.filter((f) => f.kind === 'ssh-bruteforce' && f.sourceIp !== null && isPublicAddress(f.sourceIp));
}
