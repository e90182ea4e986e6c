/**
 * SSH brute-force campaigns per source address.
 *
 * What counts as one attempt (each attempt once, whatever sshd logs around it):
 *  - every `sshd.failed_*` line (failed_password, failed_publickey, failed_keyboard_interactive,
 *    failed_none ...) is one authentication attempt, weighted by its `message repeated N times` count;
 *    a `Failed password for invalid user x` line is such a line too;
 *  - an `sshd.invalid_user` line is an attempt only when the same connection (same ip and port, or,
 *    without a port, the same ip and user within 60 s) logged no `sshd.failed_*` line: scanners that
 *    disconnect after the user name is refused still tried a user name;
 *  - `sshd.pam_auth_failure` never counts: PAM's `authentication failure` always accompanies a
 *    `Failed password` line for the same attempt (and `PAM N more authentication failures` summarises
 *    attempts already logged). Connection closes and disconnects are not attempts either;
 *  - the audit log's records of sshd (`fields.audit_type`, src/ingest/classify/audit.ts) are the
 *    same attempts again on a host that also keeps auth.log or /var/log/secure (RHEL keeps both):
 *    for an address with any failure from sshd's own log, its audit records weigh 0, so that one
 *    attempt is one attempt; with none (a bundle of audit.log alone), they are the attempts.
 *
 * A campaign needs at least 20 attempts in all and at least 5 within some 10 minutes. 5 in 10 min is
 * fail2ban's default (maxretry 5, findtime 10m): the rate at which a defender bans; 20 in all keeps a
 * user mistyping a password a few times (a handful of stray failures) from being called an attack.
 */
import type { EventRow } from '../model/event.js';
import { type EventTable, asTable } from './event-table.js';
import { type Series, buildSeries } from './series.js';
import { MINUTE_US, SECOND_US } from './stats.js';

export const MIN_CAMPAIGN_ATTEMPTS = 20;
export const MIN_ATTEMPTS_PER_FINDTIME = 5;
export const FINDTIME_US = 10 * MINUTE_US;
const SAME_ATTEMPT_US = 60 * SECOND_US;

export interface Campaign {
  host: string;
  ip: string;
  /** The attempts, weighted (an uncovered invalid_user weighs 1, a failed line its count). */
  series: Series;
  attempts: number;
  usernames: number;
  /** Most attempts within any 10 minutes. */
  peakPerFindtime: number;
  firstUs: number;
  lastUs: number;
  ratePerMin: number;
  /** Logins sshd accepted from the same address (a campaign that got in). */
  accepted: number[];
}

export interface BruteforceResult {
  campaigns: Campaign[];
  /** Addresses with failures below the campaign thresholds: a note, not a finding. */
  stray: { ip: string; attempts: number }[];
}

function isFailure(kind: string): boolean {
  return kind.startsWith('sshd.failed_');
}

/** Any sshd line that reports a failed authentication (attempt or companion). */
export function isAuthFailure(kind: string): boolean {
  return isFailure(kind) || kind === 'sshd.invalid_user' || kind === 'sshd.pam_auth_failure';
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v === '' ? null : v;
  return v === undefined || v === null ? null : String(v);
}

/** A port as a number when it is one, so `22` and `"22"` are the same connection and no string is built. */
function portKey(v: unknown): number | string | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v === '') return null;
  const n = Number(v);
  return Number.isInteger(n) ? n : v;
}

function peakWithin(s: Series, widthUs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < s.ts.length; hi++) {
    while (s.ts[hi]! - s.ts[lo]! > widthUs) lo++;
    best = Math.max(best, s.prefix[hi + 1]! - s.prefix[lo]!);
  }
  return best;
}

/** `sshdIndices`: the host's sshd events, in time order. */
export function findCampaigns(eventsOrTable: readonly EventRow[] | EventTable, host: string, sshdIndices: readonly number[]): BruteforceResult {
  const events = asTable(eventsOrTable);
  const byIp = new Map<string, number[]>();
  for (const i of sshdIndices) {
    const raw = events.fields(i).ip;
    if (raw === undefined || raw === '') continue;
    const ip = typeof raw === 'string' ? raw : String(raw);
    let list = byIp.get(ip);
    if (!list) byIp.set(ip, (list = []));
    list.push(i);
  }
  const campaigns: Campaign[] = [];
  const stray: { ip: string; attempts: number }[] = [];
  for (const ip of [...byIp.keys()].sort()) {
    const list = byIp.get(ip)!;
    const failedPorts = new Set<number | string>();
    const failedUserTimes = new Map<string, number[]>();
    const users = new Set<string>();
    const accepted: number[] = [];
    const fromSshdLog = list.some((i) => isFailure(events.kind(i)) && events.fields(i).audit_type === undefined);
    const copied = (i: number): boolean => fromSshdLog && events.fields(i).audit_type !== undefined;
    for (const i of list) {
      const kind = events.kind(i);
      const fields = events.fields(i);
      if (kind === 'sshd.accepted' && !copied(i)) accepted.push(i);
      if ((!isFailure(kind) && kind !== 'sshd.invalid_user') || copied(i)) continue;
      const user = str(fields.user);
      if (user !== null) users.add(user);
      if (!isFailure(kind)) continue;
      const port = portKey(fields.port);
      if (port !== null) failedPorts.add(port);
      if (user !== null) {
        let times = failedUserTimes.get(user);
        if (!times) failedUserTimes.set(user, (times = []));
        times.push(events.ts(i));
      }
    }
    const coveredInvalidUser = (i: number): boolean => {
      const fields = events.fields(i);
      const port = portKey(fields.port);
      if (port !== null) return failedPorts.has(port);
      const user = str(fields.user);
      const times = user === null ? undefined : failedUserTimes.get(user);
      const tsUs = events.ts(i);
      return times !== undefined && times.some((t) => Math.abs(t - tsUs) <= SAME_ATTEMPT_US);
    };
    const series = buildSeries(events, list, (i) => {
      if (copied(i)) return 0;
      const kind = events.kind(i);
      if (isFailure(kind)) return events.weight(i);
      if (kind === 'sshd.invalid_user') return coveredInvalidUser(i) ? 0 : events.weight(i);
      return 0;
    });
    if (series.total === 0) continue;
    const peak = peakWithin(series, FINDTIME_US);
    if (series.total < MIN_CAMPAIGN_ATTEMPTS || peak < MIN_ATTEMPTS_PER_FINDTIME) {
      stray.push({ ip, attempts: series.total });
      continue;
    }
    const firstUs = series.ts[0]!;
    const lastUs = series.ts[series.ts.length - 1]!;
    const minutes = Math.max(1, (lastUs - firstUs) / MINUTE_US);
    campaigns.push({
      host,
      ip,
      series,
      attempts: series.total,
      usernames: users.size,
      peakPerFindtime: peak,
      firstUs,
      lastUs,
      ratePerMin: Math.round((series.total / minutes) * 100) / 100,
      accepted,
    });
  }
  return { campaigns, stray };
}
