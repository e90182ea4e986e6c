/**
 * Small generated cluster bundles for the cross-host tests: one directory per host holding a BSD
 * syslog file in the host's own zone (sshd, kernel and k3s lines, as a node's /var/log/syslog has
 * them). Each host has an SSH scanner every 8 s (±2 s) that falls silent only while the host is
 * unreachable (the network witness its outage windows come from), bursts of container bridge churn
 * at the instants asked for, and k3s klog lines every 5 minutes that name the nodes asked for (what
 * a control plane logs about its workers). Every instant is planned in UTC and written in local time,
 * so a correlator that misplaced a zone would see the churn hours away from the outages.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { mulberry32 } from '../../src/correlate/prng.js';

export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;

export interface HostPlan {
  name: string;
  /** IANA zone the host's syslog is written in. */
  zone: string;
  /** When the host was unreachable (its scanner is silent), UTC µs. */
  outages: { startUs: number; endUs: number }[];
  /** Starts of bridge churn bursts (five lines over about 20 s), UTC µs. */
  churn: number[];
  /** Node names its k3s lines mention (none: routine lines that name no host). */
  names: string[];
  /** More lines, each `{us, text}` as hostLines makes them (text: `program[pid]: message`). */
  extra?: { us: number; text: string }[];
}

export interface ClusterPlan {
  startUs: number;
  endUs: number;
  hosts: HostPlan[];
  seed: number;
}

export const at = (iso: string): number => Date.parse(iso) * 1000;

function stamp(us: number, zone: string): string {
  return DateTime.fromMillis(Math.floor(us / 1000), { zone }).toFormat('LLL d HH:mm:ss').replace(/^(\w{3}) (\d) /, '$1  $2 ');
}

function klogStamp(us: number, zone: string): string {
  const d = DateTime.fromMillis(Math.floor(us / 1000), { zone });
  return `${d.toFormat('LLdd HH:mm:ss')}.${String(us % SECOND).padStart(6, '0')}`;
}

/** The host's lines, in time order, as `{us, text}` (text without the syslog stamp and host). */
function hostLines(plan: ClusterPlan, host: HostPlan, index: number): { us: number; text: string }[] {
  const rng = mulberry32(plan.seed * 31 + index);
  const lines: { us: number; text: string }[] = [];
  const down = (t: number): boolean => host.outages.some((o) => t >= o.startUs && t < o.endUs);
  const ip = `198.51.100.${10 + index}`;
  for (let t = plan.startUs + Math.floor(rng() * 8 * SECOND); t < plan.endUs; t += 6 * SECOND + Math.floor(rng() * 4 * SECOND)) {
    if (down(t)) continue;
    lines.push({ us: t, text: `sshd[${2000 + index}]: Failed password for root from ${ip} port ${30000 + Math.floor(rng() * 30000)} ssh2` });
  }
  host.churn.forEach((t0, k) => {
    const bridge = `br-${(0x0e23bbc24990 + index * 97 + k).toString(16).padStart(12, '0')}`;
    const veth = `veth${(0x9a6ef30 + k * 13 + index).toString(16)}`;
    const texts = [
      `${bridge}: port 1(${veth}) entered blocking state`,
      `${bridge}: port 1(${veth}) entered disabled state`,
      `device ${veth} entered promiscuous mode`,
      `${bridge}: port 1(${veth}) entered blocking state`,
      `${bridge}: port 1(${veth}) entered forwarding state`,
    ];
    texts.forEach((text, j) => lines.push({ us: t0 + j * 4 * SECOND + Math.floor(rng() * SECOND), text: `kernel: ${text}` }));
  });
  let n = 0;
  for (let t = plan.startUs + 2 * MINUTE; t < plan.endUs; t += 5 * MINUTE, n++) {
    const name = host.names.length > 0 ? host.names[n % host.names.length] : null;
    const body = name !== null ? `"Updated node status" node="${name}"` : '"Synced leases" count=3';
    lines.push({ us: t, text: `k3s[1187]: I${klogStamp(t, host.zone)}    1187 node_lifecycle_controller.go:868] ${body}` });
  }
  lines.push(...(host.extra ?? []));
  return lines.sort((a, b) => a.us - b.us);
}

/** Writes `<dir>/<host>/syslog` for every host; returns the `--tz-for` arguments that read them right. */
export function writeClusterBundle(dir: string, plan: ClusterPlan): string[] {
  const tzFor: string[] = [];
  plan.hosts.forEach((host, index) => {
    mkdirSync(join(dir, host.name), { recursive: true });
    const text = hostLines(plan, host, index).map((l) => `${stamp(l.us, host.zone)} ${host.name} ${l.text}`).join('\n') + '\n';
    writeFileSync(join(dir, host.name, 'syslog'), text);
    tzFor.push('--tz-for', `**/${host.name}/syslog=${host.zone}`);
  });
  return tzFor;
}

/** `n` outages from `first`, one every `everyUs` (plus a few minutes' drift each), each `lengthUs` long. */
export function outagesEvery(first: number, n: number, everyUs: number, lengthUs: number): { startUs: number; endUs: number }[] {
  return Array.from({ length: n }, (_, k) => {
    const startUs = first + k * everyUs + ((k * 7) % 5) * MINUTE;
    return { startUs, endUs: startUs + lengthUs + (k % 3) * MINUTE };
  });
}

export const START = at('2026-05-26T14:00:00Z');
export const END = at('2026-05-26T20:00:00Z');
/** Five worker outages, 50–70 minutes apart, 5–7 minutes long. */
export const WORKER_OUTAGES = outagesEvery(START + 40 * MINUTE, 5, 62 * MINUTE, 5 * MINUTE);
/** How long before each worker onset the control plane's churn starts (s). */
export const LEADS_S = [95, 140, 70, 120, 85];
/** One burst of churn with no outage after it. */
export const STRAY_CHURN = START + 20 * MINUTE + 3 * 60 * MINUTE;
/** Steady churn every 11–14 minutes all along: background on any host. */
export const STEADY = Array.from({ length: 26 }, (_, k) => START + 7 * MINUTE + k * 13 * MINUTE + ((k * 5) % 3) * MINUTE);

/** The control plane `cp` (Los Angeles) churns before each outage of worker `w1` (Berlin); worker `w2` (Kolkata) churns steadily; cp's k3s lines name both workers. */
export function controlPlaneLeads(): ClusterPlan {
  return {
    startUs: START,
    endUs: END,
    seed: 7,
    hosts: [
      {
        name: 'cp',
        zone: 'America/Los_Angeles',
        outages: [],
        churn: [...WORKER_OUTAGES.map((o, k) => o.startUs - LEADS_S[k]! * SECOND), STRAY_CHURN].sort((a, b) => a - b),
        names: ['w1', 'w2'],
      },
      { name: 'w1', zone: 'Europe/Berlin', outages: WORKER_OUTAGES, churn: [], names: [] },
      { name: 'w2', zone: 'Asia/Kolkata', outages: [], churn: STEADY, names: [] },
    ],
  };
}

