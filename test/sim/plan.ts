/**
 * The plan of one incident, drawn from its seed: where and when, which hosts, their outages, the
 * streams that would show them, the probes (truthful or lying), the cause (or none), the windows an
 * operator reported. Only numbers and choices: the lines are written from this by `sources.ts` and
 * `bundle.ts`. Every outage kept is one a careful engineer could find in the bundle (`evidenceOf`).
 */
import { HOUR, MINUTE, SECOND, ZONES, offsetChanges } from './clock.js';
import { Rng } from './random.js';
import type { CauseKind, LieKind, ProbeShape } from './truth.js';

export interface Interval {
  start: number;
  end: number;
}

export interface ScannerPlan extends Interval {
  ip: string;
  intervalS: number;
  /** Exponential gaps (a Poisson process) rather than a steady beat with jitter. */
  poisson: boolean;
}

export interface ProbePlan {
  shape: ProbeShape;
  pollS: number;
  start: number;
  lie: null | { kind: LieKind; from: number; offsetS?: number; periodS?: number };
  fake: Interval[];
}

export interface CapturePlan {
  at: number;
  journalHours: number;
  /** How far back the capture's `tail` of auth.log reaches. */
  authTailUs: number;
  /** How far back the capture's dmesg ring buffer reaches. */
  ringUs: number;
}

export interface HostPlan {
  name: string;
  bootUs: number;
  outages: Interval[];
  scanners: ScannerPlan[];
  cronMin: number | null;
  k3s: { pid: number; intervalS: number } | null;
  service: { name: string; pid: number; intervalS: number } | null;
  symptoms: { lease: boolean; handler: boolean; clientTimeout: boolean };
  probe: ProbePlan | null;
  captures: CapturePlan[];
  authFile: boolean;
  backgroundChurnMeanMin: number | null;
  apparmorMeanMin: number;
}

export interface CausePlan {
  kind: CauseKind;
  leadS: number;
  hosts: string[];
  /** Burst starts: one per outage onset (minus its lead), and some with no outage after them. */
  bursts: Array<{ host: string; start: number; leadsOutage: boolean }>;
}

export interface ReportedPlan extends Interval {
  real: boolean;
  host: string | null;
  decoy: boolean;
  /** Typed as the operator would, in local time without a zone (read in `--tz`), rather than ISO UTC. */
  localText: boolean;
}

export interface Plan {
  seed: number;
  zone: string;
  start: number;
  end: number;
  dstChanges: number[];
  hosts: HostPlan[];
  cause: CausePlan | null;
  reported: ReportedPlan[];
}

const YEAR_START = Date.UTC(2026, 0, 5) * 1000;
const YEAR_END = Date.UTC(2026, 11, 20) * 1000;
const HOST_STEMS = ['edge', 'node', 'kai-server', 'db', 'web', 'gw', 'build', 'nas', 'ci-runner', 'store'];
const SHAPES: ProbeShape[] = ['transitions', 'logfmt', 'plain', 'json', 'csv'];
const LIES: LieKind[] = ['failure-mode', 'metronome', 'clock-offset'];
const CAUSES: CauseKind[] = ['bridge-churn', 'kernel-template', 'service-template'];
const SERVICES = ['ingestd', 'billing-api', 'mqtt-bridge', 'kvstore', 'edge-proxy', 'vaultd', 'metricsd', 'tileserver'];

/** Shortest outage a stream with this mean gap shows beyond doubt: no event in 8 mean gaps (e^-8 ≈ 0.03 %). */
export const SILENCE_GAPS = 8;
/** A probe must poll down at least twice inside an outage to show it. */
export const PROBE_POLLS = 2;

const roundS = (us: number): number => Math.round(us / SECOND) * SECOND;

export function planIncident(seed: number): Plan {
  const rng = new Rng(seed);
  const r = (label: string): Rng => rng.fork(label);

  const where = r('where');
  const zoneInfo = where.pick(ZONES);
  const zone = zoneInfo.name;
  const length = roundS(where.between(3, 7) * HOUR);
  let start = roundS(where.between(YEAR_START, YEAR_END));
  if (zoneInfo.dst && where.chance(0.4)) {
    const changes = offsetChanges(zone, YEAR_START, YEAR_END);
    if (changes.length > 0) start = roundS(where.pick(changes) - where.between(0.2, 0.8) * length);
  }
  const end = start + length;

  const hostCount = r('hosts').pick([1, 1, 1, 2, 2, 3]);
  const names = r('names').sample(HOST_STEMS, hostCount).map((stem, i) => (stem.includes('-') ? stem : `${stem}-0${i + 1}`));
  const hosts = names.map((name, i) => planHost(r(`host:${i}`), name, i, start, end));

  ensureSolvable(r('solvable'), hosts, start);

  const cause = planCause(r('cause'), hosts, start, end);
  const reported = planReported(r('reported'), hosts, start, end);
  return { seed, zone, start, end, dstChanges: offsetChanges(zone, start, end), hosts, cause, reported };
}

function planHost(rng: Rng, name: string, index: number, start: number, end: number): HostPlan {
  const outageCount = index === 0 ? rng.int(1, 6) : rng.pick([0, 0, 1, 2, 3]);
  const outages: Interval[] = [];
  for (let tries = 0; outages.length < outageCount && tries < 200; tries++) {
    const dur = roundS(rng.logBetween(60, 1800) * SECOND);
    const s = roundS(rng.between(start + 20 * MINUTE, end - dur - 15 * MINUTE));
    const clash = outages.some((o) => s < o.end + 10 * MINUTE && s + dur > o.start - 10 * MINUTE);
    if (!clash) outages.push({ start: s, end: s + dur });
  }
  outages.sort((a, b) => a.start - b.start);

  const scanners: ScannerPlan[] = [];
  if (rng.chance(0.85)) {
    const intervalS = rng.logBetween(2, 300);
    const poisson = rng.chance(0.5);
    const s1 = rng.chance(0.7) ? start : roundS(rng.between(start, start + HOUR));
    if (rng.chance(0.2)) {
      // One scanner stops for good and another starts later: not an outage.
      const handoff = roundS(rng.between(start + HOUR, end - HOUR));
      scanners.push({ ip: rng.publicIp(), start: s1, end: handoff, intervalS, poisson });
      scanners.push({ ip: rng.publicIp(), start: handoff + roundS(rng.between(10, 30) * MINUTE), end, intervalS: rng.logBetween(2, 300), poisson: rng.chance(0.5) });
    } else {
      scanners.push({ ip: rng.publicIp(), start: s1, end, intervalS, poisson });
    }
  }

  const captureCount = rng.int(1, 3);
  const times: number[] = [end - roundS(rng.between(0, 2) * MINUTE)];
  for (let tries = 0; times.length < captureCount && tries < 50; tries++) {
    const t = roundS(rng.between(start + 40 * MINUTE, end - 30 * MINUTE));
    if (times.every((x) => Math.abs(x - t) > 25 * MINUTE)) times.push(t);
  }
  times.sort((a, b) => a - b);
  const single = times.length === 1;
  const captures = times.map((at) => ({
    at,
    journalHours: single ? Math.ceil((at - start) / HOUR) : rng.pick([1, 2, 4, 8]),
    authTailUs: roundS(rng.between(10, 60) * MINUTE),
    ringUs: rng.chance(0.75) ? 48 * HOUR : roundS(rng.between(1.5, 4) * HOUR),
  }));

  const probe = rng.chance(index === 0 ? 0.9 : 0.6) ? planProbe(rng.fork('probe'), outages, start, end) : null;
  let authFile = rng.chance(0.6);
  if (probe?.lie?.kind === 'clock-offset') {
    // A skewed probe can be realigned only on other evidence of the same outages: give the host a
    // scanner fast enough to show its longest outage, and its whole auth.log. Without an outage
    // there is nothing to align on, and no offset to find.
    const sr = rng.fork('anchor');
    const longestS = Math.max(0, ...outages.map((o) => (o.end - o.start) / SECOND));
    if (longestS < 120) probe.lie = null;
    else {
      const fastEnough = Math.max(2, longestS / (SILENCE_GAPS + 2));
      if (scanners.length === 0) scanners.push({ ip: sr.publicIp(), start, end, intervalS: sr.logBetween(2, fastEnough), poisson: sr.chance(0.5) });
      for (const s of scanners) s.intervalS = Math.min(s.intervalS, fastEnough);
      scanners[0]!.start = start;
      authFile = true;
    }
  }

  return {
    name,
    bootUs: roundS(start - rng.between(0.5, 30) * 24 * HOUR),
    outages,
    scanners,
    cronMin: rng.chance(0.7) ? rng.pick([1, 5, 10]) : null,
    k3s: rng.chance(0.8) ? { pid: rng.int(900, 4000), intervalS: rng.between(10, 90) } : null,
    service: rng.chance(0.5) ? { name: rng.pick(SERVICES), pid: rng.int(4000, 90000), intervalS: rng.between(20, 240) } : null,
    symptoms: { lease: rng.chance(0.5), handler: rng.chance(0.3), clientTimeout: rng.chance(0.3) },
    probe,
    captures,
    authFile,
    backgroundChurnMeanMin: rng.chance(0.4) ? rng.between(15, 60) : null,
    apparmorMeanMin: rng.between(5, 40),
  };
}

function planProbe(rng: Rng, outages: Interval[], start: number, end: number): ProbePlan {
  const shape = rng.pick(SHAPES);
  const pollS = rng.pick([5, 10, 15, 20, 30, 60]);
  const probeStart = roundS(start + rng.between(0, 20) * MINUTE);
  const probe: ProbePlan = { shape, pollS, start: probeStart, lie: null, fake: [] };
  if (!rng.chance(0.35)) return probe;
  const kind = rng.pick(LIES);
  if (kind === 'clock-offset') {
    const offsetS = Math.round(rng.between(120, 900)) * (rng.chance(0.5) ? 1 : -1);
    probe.lie = { kind, from: probeStart, offsetS };
    return probe;
  }
  // The tool changed under the probe (an upgrade) some time after the last real outage when there
  // is room, else somewhere in the second half: from then on its down windows are fiction.
  const last = outages.length > 0 ? outages[outages.length - 1]!.end : start;
  let from = roundS(last + rng.between(5, 30) * MINUTE);
  if (from > end - 50 * MINUTE) from = roundS(rng.between((start + end) / 2, end - 50 * MINUTE));
  if (kind === 'metronome') {
    const periodS = rng.int(180, 480);
    const durS = rng.int(40, Math.min(150, periodS - 60));
    for (let t = from; t + durS * SECOND < end - MINUTE; t += periodS * SECOND) probe.fake.push({ start: t, end: t + durS * SECOND });
    probe.lie = { kind, from, periodS };
  } else {
    for (let t = from; ; ) {
      const durS = rng.int(60, 240);
      if (t + durS * SECOND >= end - MINUTE) break;
      probe.fake.push({ start: t, end: t + durS * SECOND });
      t += (durS + rng.int(180, 720)) * SECOND;
    }
    probe.lie = { kind, from };
  }
  return probe;
}

/** Spans a stream covers on a host: the whole auth.log, else the tails in the captures. */
export function authCoverage(host: HostPlan, start: number): Interval[] {
  const last = host.captures[host.captures.length - 1]!.at;
  if (host.authFile) return [{ start, end: last }];
  return host.captures.map((c) => ({ start: Math.max(start, c.at - c.authTailUs), end: c.at }));
}

const covers = (spans: Interval[], a: number, b: number): boolean => spans.some((s) => s.start <= a && s.end >= b);

/** Whether the probe tells the truth about this stretch (a clock offset is a truth told late). */
function probeTruthfulAt(probe: ProbePlan, o: Interval): boolean {
  return !probe.lie || probe.lie.kind === 'clock-offset' || o.end < probe.lie.from;
}

/** What in the bundle shows this outage: a probe telling the truth, the silence of a scanner inside its coverage. */
export function evidenceOf(host: HostPlan, o: Interval, start: number, end: number): string[] {
  const out: string[] = [];
  const dur = (o.end - o.start) / SECOND;
  const p = host.probe;
  if (p && probeTruthfulAt(p, o) && p.start <= o.start - p.pollS * SECOND && dur >= PROBE_POLLS * p.pollS) out.push('probe');
  const auth = authCoverage(host, start);
  for (const s of host.scanners) {
    const margin = SILENCE_GAPS * s.intervalS * SECOND;
    if (dur >= SILENCE_GAPS * s.intervalS && s.start <= o.start - margin && s.end >= o.end + margin && o.end + margin <= end && covers(auth, o.start - margin, o.end + margin)) {
      out.push(`silence:sshd:${s.ip}`);
    }
  }
  return out;
}

/**
 * Whether a careful engineer could tell a failure-mode liar's fake windows from outages. Every shape
 * but CSV writes the failure's text, a usage message from the upgrade on. A CSV line carries the
 * exit code and nothing else: that is a change only against earlier real windows the
 * probe saw with its old exit code, or a lie where a scanner shows the host answering through at
 * least two of them (one contradiction could be the scanner's chance). With neither — the simulator's
 * seed 5038: a host with no outage before the upgrade and no scanner, only k3s, which logs locally
 * whatever the network does — nothing in the bundle says its windows are not outages, so the probe
 * is made truthful rather than scored on a lie no data shows.
 */
function failureModeLieShows(h: HostPlan, start: number): boolean {
  const p = h.probe!;
  const from = p.lie!.from;
  // Every shape but CSV writes the failure's text, and the new one is a usage message: the tool says so.
  if (p.shape !== 'csv') return true;
  if (h.outages.some((o) => o.end < from && p.start <= o.start - p.pollS * SECOND && (o.end - o.start) / SECOND >= PROBE_POLLS * p.pollS)) return true;
  const auth = authCoverage(h, start);
  const checked = p.fake.filter((f) =>
    h.scanners.some((s) => {
      const margin = s.intervalS * SECOND;
      return (f.end - f.start) / SECOND >= 2 * s.intervalS && s.start <= f.start - margin && s.end >= f.end + margin && covers(auth, f.start - margin, f.end + margin);
    }),
  );
  return checked.length >= 2;
}

/**
 * Keep only outages a careful engineer could find. A clock-skewed probe is only truth once realigned,
 * which needs a silence to align it on: without one it is made truthful. With no outage left at all,
 * the first host gets a truthful probe that sees them.
 */
function ensureSolvable(rng: Rng, hosts: HostPlan[], start: number): void {
  const end = Math.max(...hosts.map((h) => h.captures[h.captures.length - 1]!.at));
  for (const h of hosts) {
    if (h.probe?.lie?.kind === 'clock-offset') {
      const anchored = h.outages.some((o) => evidenceOf(h, o, start, end).some((e) => e.startsWith('silence')));
      if (!anchored) h.probe.lie = null;
    }
    h.outages = h.outages.filter((o) => evidenceOf(h, o, start, end).length > 0);
    if (h.probe?.lie?.kind === 'failure-mode' && !failureModeLieShows(h, start)) {
      h.probe.lie = null;
      h.probe.fake = [];
    }
  }
  if (hosts.every((h) => h.outages.length === 0)) {
    const h = hosts[0]!;
    h.probe = { shape: 'transitions', pollS: 10, start, lie: null, fake: [] };
    // Outages were dropped already; draw them again from the same rule, now with a probe that sees them.
    const dur = roundS(rng.logBetween(60, 1800) * SECOND);
    const s = roundS(rng.between(start + 30 * MINUTE, end - dur - 20 * MINUTE));
    h.outages = [{ start: s, end: s + dur }];
  }
}

function planCause(rng: Rng, hosts: HostPlan[], start: number, end: number): CausePlan | null {
  // At least a fifth with no cause at all (here 30 %).
  if (rng.chance(0.3)) return null;
  const kind = rng.pick(CAUSES);
  const leadS = Math.round(rng.between(5, 180));
  const withOutages = hosts.filter((h) => h.outages.length > 0);
  // A service's error needs the service: a host it takes down runs one.
  if (kind === 'service-template') for (const h of withOutages) h.service ??= { name: rng.pick(SERVICES), pid: rng.int(4000, 90000), intervalS: rng.between(20, 240) };
  const bursts: CausePlan['bursts'] = [];
  for (const h of withOutages) {
    for (const o of h.outages) {
      const lead = Math.min(180, Math.max(5, leadS * rng.between(0.8, 1.2)));
      bursts.push({ host: h.name, start: o.start - Math.round(lead * SECOND), leadsOutage: true });
    }
    // The race is lost only sometimes: bursts with no outage after them.
    const extra = rng.int(0, Math.ceil(h.outages.length * 0.75));
    for (let tries = 0, made = 0; made < extra && tries < 100; tries++) {
      const t = roundS(rng.between(start + 5 * MINUTE, end - 5 * MINUTE));
      if (h.outages.every((o) => t < o.start - 30 * MINUTE || t > o.end + 5 * MINUTE)) {
        bursts.push({ host: h.name, start: t, leadsOutage: false });
        made++;
      }
    }
  }
  bursts.sort((a, b) => a.start - b.start);
  return { kind, leadS, hosts: withOutages.map((h) => h.name), bursts };
}

function planReported(rng: Rng, hosts: HostPlan[], start: number, end: number): ReportedPlan[] {
  const count = rng.pick([0, 0, 1, 1, 1, 2, 2, 3]);
  const all = hosts.flatMap((h) => h.outages.map((o) => ({ host: h.name, o })));
  const out: ReportedPlan[] = [];
  for (let i = 0; i < count; i++) {
    if (all.length > 0 && rng.chance(0.6)) {
      // A person's recollection: whole minutes, a minute or so loose at either end.
      const { host, o } = rng.pick(all);
      const s = Math.floor(o.start / MINUTE) * MINUTE - rng.int(0, 1) * MINUTE;
      const e = Math.ceil(o.end / MINUTE) * MINUTE + rng.int(0, 1) * MINUTE;
      if (!out.some((w) => w.start === s)) out.push({ start: s, end: e, real: true, host, decoy: false, localText: rng.chance(0.5) });
    } else {
      for (let tries = 0; tries < 100; tries++) {
        const s = Math.floor(rng.between(start + 20 * MINUTE, end - 30 * MINUTE) / MINUTE) * MINUTE;
        const e = s + rng.int(3, 15) * MINUTE;
        const far = all.every(({ o }) => e < o.start - 20 * MINUTE || s > o.end + 20 * MINUTE);
        const apart = out.every((w) => e < w.start - 10 * MINUTE || s > w.end + 10 * MINUTE);
        if (far && apart) {
          out.push({ start: s, end: e, real: false, host: null, decoy: rng.chance(0.5), localText: rng.chance(0.5) });
          break;
        }
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
