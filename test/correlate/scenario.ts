/**
 * The seed incident, synthesized (../shared/seed/000_4c7864a12361c942.txt): bridge churn 1–3 min
 * before each host-network outage, apiserver handler timeouts inside two of them, an 8-second SSH
 * scanner that runs all along and falls silent only while the host is unreachable, and a probe that
 * reports the real outages and then, after its CLI changed, a metronomic fake 4-minute cycle.
 */
import type { EventRow } from '../../src/store/types.js';
import {
  EventBuilder,
  MINUTE,
  type Outage,
  SECOND,
  at,
  bridgeBurst,
  bruteForce,
  inside,
  jitter,
  probeTransition,
} from './builder.js';

export const SPAN_START = at('2026-05-26T21:00:00Z');
export const SPAN_END = at('2026-05-27T05:05:00Z');
export const SCANNER_IP = '60.163.139.198';
export const LIE_FROM = at('2026-05-27T04:37:30Z');
export const FAKE_PERIOD_S = 240;

const ONSETS = ['2026-05-26T21:40:00Z', '2026-05-26T22:55:00Z', '2026-05-27T00:18:00Z', '2026-05-27T01:16:00Z', '2026-05-27T02:44:00Z', '2026-05-27T03:51:00Z'];
const DURATIONS_MIN = [7, 6, 9, 5, 8, 6];

export const USERS = ['admin', 'test', 'oracle', 'ubuntu', 'git', 'postgres', 'pi', 'user', 'ftp', 'deploy', 'guest', 'support'];

export interface SeedOptions {
  /** How many of the six outages happen (the first N). */
  outages?: number;
  /** Bridge churn every ~10 min all along instead of before onsets. */
  steadyChurn?: boolean;
  /** Another message template that bursts 2 min before each onset. */
  firewallTemplate?: boolean;
  /** Leave the probe out. */
  noProbe?: boolean;
}

export interface Seed {
  events: EventRow[];
  outages: Outage[];
  attempts: number;
  usernames: number;
  acceptedAt: number;
}

export function seedScenario(opts: SeedOptions = {}): Seed {
  const b = new EventBuilder();
  const outages: Outage[] = ONSETS.slice(0, opts.outages ?? 6).map((o, i) => ({
    onsetUs: at(o),
    durationUs: DURATIONS_MIN[i]! * MINUTE,
  }));

  // Cause: bridge churn 1–3 min before each onset, or (variant) steady all along.
  if (opts.steadyChurn) {
    for (let t = SPAN_START + 3 * MINUTE, k = 0; t < SPAN_END; t += 10 * MINUTE + jitter(k, 30), k++) bridgeBurst(b, t, 4);
  } else {
    outages.forEach((o, i) => bridgeBurst(b, o.onsetUs - (60 + 25 * i) * SECOND, 8));
  }
  if (opts.firewallTemplate) {
    outages.forEach((o, i) => {
      for (let k = 0; k < 3; k++) {
        b.add({
          tsUs: o.onsetUs - 2 * MINUTE + k * 3 * SECOND,
          kind: 'syslog.dockerd',
          message: `level=warning msg="Failed to program FORWARD chain for br-1a2b3c4d${i}e${k}f: iptables: Resource temporarily unavailable (exit status ${4 + k})"`,
          file: 'dockerd.log',
        });
      }
    });
  }

  // Symptom: handler timeouts inside the 2nd and 5th outages, after onset.
  for (const i of [1, 4]) {
    const o = outages[i];
    if (!o) continue;
    for (let k = 0; k < 2; k++) {
      b.add({
        tsUs: o.onsetUs + 2 * MINUTE + k * 5 * SECOND,
        kind: 'k3s.handler_timeout',
        message: 'apiserver was unable to write a JSON response: http: Handler timeout',
        file: 'k3s.journal',
        severity: 'error',
      });
    }
  }

  // Background: the scanner, silent only while the host is unreachable.
  const scan = bruteForce(b, {
    ip: SCANNER_IP,
    fromUs: SPAN_START,
    toUs: SPAN_END,
    everyS: 8,
    users: USERS,
    skip: (t) => inside(t, outages) || inside(t + 2 * SECOND, outages),
  });

  // The probe: real outages (exit 255, timeout) until the lie, then a fake 4-min cycle (exit 1).
  let acceptedAt = 0;
  if (!opts.noProbe) {
    for (const o of outages) {
      probeTransition(b, o.onsetUs + 20 * SECOND, 'down', { exit: 255, err: 'tcp dial kai-server:22: i/o timeout' });
      probeTransition(b, o.onsetUs + o.durationUs - 10 * SECOND, 'up', { snapshot: 'recovery-real.txt' });
    }
    for (let k = 0; k < 6; k++) {
      const down = LIE_FROM + k * FAKE_PERIOD_S * SECOND + jitter(k, 2);
      probeTransition(b, down, 'down', { exit: 1, err: 'usage: coily ssh <subcommand>' });
      probeTransition(b, down + 60 * SECOND, 'up', { snapshot: `recovery-${k}.txt` });
      if (k === 2) acceptedAt = down + 30 * SECOND;
    }
    b.add({
      tsUs: acceptedAt,
      kind: 'sshd.accepted',
      message: 'Accepted publickey for kai from 100.64.0.5 port 51234 ssh2: ED25519 SHA256:abc',
      fields: { ip: '100.64.0.5', user: 'kai', port: 51234, method: 'publickey' },
      file: 'auth.log',
    });
  }
  return { events: b.build(), outages, attempts: scan.attempts, usernames: scan.users.size, acceptedAt };
}
