/**
 * Boot evidence a capture states, as interval candidates (src/time/boot-placement.ts): `uptime -s`,
 * `who -b`, `/proc/stat` btime, `/proc/uptime` with the capture instant, `journalctl --list-boots`,
 * and the `audit(EPOCH.ms:n)` stamps inside uptime-stamped kernel lines.
 */
import { localToUtc } from '../../time/zones.js';
import { pointCandidate, type BootCandidate } from '../../time/boot-placement.js';
import { captureInstantUs, resolveStatedTime, type FileFacts } from '../facts.js';

export interface CaptureBootEvidence {
  /** Candidates for the boot running at capture time (`--list-boots` index 0 included). */
  current: BootCandidate[];
  /** `--list-boots` entries of earlier boots by index (-1, -2 …), with the last entry's instant. */
  earlier: Map<number, { candidate: BootCandidate; lastUs: number | null }>;
  /** The last entry of the current boot per `--list-boots`, when stated. */
  currentLastUs: number | null;
}

/** The boot candidates a file's facts give, its wall times read in `zone`. */
export function captureBootEvidence(facts: FileFacts, zone: string | null, path: string): CaptureBootEvidence {
  const current: BootCandidate[] = [];
  const earlier = new Map<number, { candidate: BootCandidate; lastUs: number | null }>();
  let currentLastUs: number | null = null;
  if (facts.bootUs) current.push(pointCandidate('btime', facts.bootUs.us, `${facts.bootUs.why} of ${path}`));
  for (const b of facts.bootWalls ?? (facts.bootWall ? [{ ...facts.bootWall, minutePrecise: facts.bootWall.minutePrecise ?? false }] : [])) {
    if (!zone) continue;
    const w = b.wall;
    const us = localToUtc(zone, w.year, w.month, w.day, w.hour, w.minute, w.second, 0).utcUs;
    const kind = b.why.includes('who -b') || b.minutePrecise ? 'who-b' : 'uptime-s';
    current.push(pointCandidate(kind, us, `${b.why} of ${path}, read in ${zone}${b.minutePrecise ? ', minute precision' : ''}`));
  }
  const capture = captureInstantUs(facts, zone);
  if (facts.uptimeSeconds !== undefined && capture !== null) {
    current.push(pointCandidate('proc-uptime', capture - Math.round(facts.uptimeSeconds * 1_000_000), `/proc/uptime (${facts.uptimeSeconds} s) before the capture instant of ${path}`));
  }
  for (const lb of facts.listBoots ?? []) {
    const first = resolveStatedTime(lb.first, zone);
    if (!first) continue;
    const last = lb.last ? resolveStatedTime(lb.last, zone) : null;
    const c = pointCandidate('list-boots', first.us, `journalctl --list-boots boot ${lb.index} (${lb.first.text}) of ${path}`);
    if (lb.index === 0) {
      current.push(c);
      currentLastUs = last?.us ?? null;
    } else if (lb.index < 0) earlier.set(lb.index, { candidate: c, lastUs: last?.us ?? null });
  }
  return { current, earlier, currentLastUs };
}

const AUDIT = /\baudit\((\d{9,11})\.(\d{3}):\d+\)/;

/** The epoch instant (µs) of an `audit(1716771234.123:45)` stamp in a kernel message, or null. */
export function auditEpochUs(message: string): number | null {
  const m = AUDIT.exec(message);
  if (!m) return null;
  return Number(m[1]) * 1_000_000 + Number(m[2]) * 1000;
}
