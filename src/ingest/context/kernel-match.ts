/**
 * Kernel lines seen during one run, to anchor raw dmesg by the same messages in a journal or
 * syslog: `journalctl -k` and `/var/log/syslog` kernel lines carry a wall time but no uptime; raw
 * dmesg carries the uptime but no wall time; a message that occurs once on each side of one host
 * is the same line, and gives a (wall − uptime) pair (src/time/boot-placement.ts takes their
 * minimum: a logging delay only ever adds).
 *
 * Bounded: past `limit` distinct messages per side and host, further ones are not indexed (the
 * pairs already found are plenty; a ring buffer holds far fewer lines).
 */
import { matchedPairs, type PairGroup } from '../../time/boot-placement.js';
import { hostKey } from './hosts.js';

interface Side<T> {
  /** message → value, or null once seen twice (ambiguous: never matched). */
  byMessage: Map<string, T | null>;
}

/** Kernel messages are compared with whitespace runs collapsed (journald and dmesg pad differently). */
export function kernelMessageKey(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

export class KernelLineIndex {
  private readonly wall = new Map<string, Side<number> & { subSecond: boolean; any: boolean }>();
  private readonly raw = new Map<number, Side<number> & { host: string }>();

  constructor(private readonly limit = 500_000) {}

  /** A kernel line with a wall-clock instant and no uptime stamp. `subSecond`: its stamp had a fraction. */
  addWall(host: string, message: string, wallUs: number, subSecond: boolean): void {
    const k = hostKey(host);
    let side = this.wall.get(k);
    if (!side) this.wall.set(k, (side = { byMessage: new Map(), subSecond: true, any: false }));
    side.any = true;
    if (!subSecond) side.subSecond = false;
    add(side.byMessage, kernelMessageKey(message), wallUs, this.limit);
  }

  /** A line of boot segment `bootId` (any id the caller keeps) with only an uptime stamp. */
  addRaw(bootId: number, host: string, message: string, uptimeUs: number): void {
    let side = this.raw.get(bootId);
    if (!side) this.raw.set(bootId, (side = { byMessage: new Map(), host }));
    add(side.byMessage, kernelMessageKey(message), uptimeUs, this.limit);
  }

  /** Boot segments indexed so far. */
  boots(): number[] {
    return [...this.raw.keys()];
  }

  /** The matched pairs of one boot segment against its host's wall-clock kernel lines, or null. */
  pairsFor(bootId: number): PairGroup | null {
    const r = this.raw.get(bootId);
    if (!r) return null;
    const w = this.wall.get(hostKey(r.host));
    if (!w) return null;
    const rawLines = [...r.byMessage].filter((e): e is [string, number] => e[1] !== null).map(([message, uptimeUs]) => ({ message, uptimeUs }));
    const wallLines = [...w.byMessage].filter((e): e is [string, number] => e[1] !== null).map(([message, wallUs]) => ({ message, wallUs }));
    const pairs = matchedPairs(rawLines, wallLines);
    if (pairs.length === 0) return null;
    return {
      kind: 'matched-lines',
      pairsUs: pairs,
      resolutionUs: w.subSecond ? 1 : 1_000_000,
      source: `${pairs.length} kernel message${pairs.length === 1 ? '' : 's'} matched to the same lines of ${r.host}'s journal or syslog (the earliest pair: a logging delay only adds)`,
    };
  }
}

function add<T>(m: Map<string, T | null>, key: string, value: T, limit: number): void {
  if (m.has(key)) {
    m.set(key, null);
    return;
  }
  if (m.size < limit) m.set(key, value);
}
