/**
 * The lines each program on a host writes over the incident, from its plan: the kernel, the k3s
 * journal, sshd and cron in auth.log, a service, and the probe watching the host. Entries carry the
 * true instant; `bundle.ts` decides which captures hold which and renders the stamps.
 */
import { MINUTE, SECOND, isoMillis, isoSeconds, klogPrefix } from './clock.js';
import type { HostPlan, Interval, Plan, ProbePlan } from './plan.js';
import type { Rng } from './random.js';
import { type Invented, inventKernel, inventService, registerDump } from './templates.js';

export interface Entry {
  us: number;
  /** The message (kernel, k3s: after the stamp; syslog: after `prog[pid]: `). */
  text: string;
  /** syslog programs: `sshd`, `CRON`, a service. */
  prog?: string;
  pid?: number;
  cause?: boolean;
  /** The cause's lines: which of the plan's bursts (an index into plan.cause.bursts) wrote it. */
  burst?: number;
}

export interface HostLines {
  kernel: Entry[];
  k3s: Entry[];
  auth: Entry[];
  service: Entry[];
  /** Rendered probe lines (their own stamps, clock offset included), header first for CSV. */
  probe: string[];
}

export interface CauseTemplate {
  template: string;
  program?: string;
}

const inside = (spans: Interval[], t: number): boolean => spans.some((s) => t >= s.start && t < s.end);

/**
 * No gap of a random stream is longer than this many mean gaps: real processes have bounded pauses,
 * and it keeps every long silence in the bundle one the truth accounts for (an outage, a coverage
 * gap, a stream that stopped) — a pure exponential would leave one 15-mean gap in every few
 * thousand, which no engineer could tell from an outage either.
 */
export const MAX_GAP_OVER_MEAN = 5;

/** A random gap with mean close to `meanS` seconds: exponential, cut at MAX_GAP_OVER_MEAN means. */
export function randomGapUs(rng: Rng, meanS: number): number {
  return Math.max(1, Math.round(Math.min(rng.exponential(meanS), MAX_GAP_OVER_MEAN * meanS) * SECOND));
}

/** Poisson-like arrivals with mean gap `meanS` over [a, b). */
function poisson(rng: Rng, a: number, b: number, meanS: number): number[] {
  const out: number[] = [];
  for (let t = a + randomGapUs(rng, meanS); t < b; t += randomGapUs(rng, meanS)) out.push(t);
  return out;
}

export function causeTemplate(plan: Plan, rng: Rng): { invented: Invented | null; truth: CauseTemplate } | null {
  const c = plan.cause;
  if (!c) return null;
  if (c.kind === 'bridge-churn') return { invented: null, truth: { template: 'br-<hex>: port <n>(veth<hex>) entered <state> state' } };
  const invented = c.kind === 'kernel-template' ? inventKernel(rng) : inventService(rng);
  return { invented, truth: { template: invented.template } };
}

export function hostLines(plan: Plan, host: HostPlan, rng: Rng, cause: Invented | null): HostLines {
  const lines: HostLines = { kernel: [], k3s: [], auth: [], service: [], probe: [] };
  const { start, end } = plan;
  const down = host.outages;

  // Kernel: AppArmor denials (harmless, through everything), an invented background template, CI churn.
  let serial = rng.int(1000, 9000);
  for (const t of poisson(rng.fork('apparmor'), start, end, host.apparmorMeanMin * 60)) {
    lines.kernel.push({
      us: t,
      text: `audit: type=1400 audit(${Math.floor(t / SECOND)}.${String(Math.floor((t % SECOND) / 1000)).padStart(3, '0')}:${serial++}): apparmor="DENIED" operation="ptrace" class="ptrace" profile="cri-containerd.apparmor.d" pid=${rng.int(2_000_000, 2_400_000)} comm="pidof" requested_mask="read" denied_mask="read" peer="unconfined"`,
    });
  }
  const bgRng = rng.fork('background-template');
  let background = bgRng.chance(0.5) ? inventKernel(bgRng) : null;
  // Never the cause's own skeleton: two skeletons have no random word (an OOM kill, a soft lockup),
  // so a background template of the same one writes the cause's very lines, and another differs from
  // it by one word in nine — nobody could tell the cause's bursts from the background's.
  while (background && plan.cause?.kind === 'kernel-template' && cause && background.skeleton === cause.skeleton) background = inventKernel(bgRng);
  if (background) {
    for (const t of poisson(bgRng, start, end, bgRng.between(10, 60) * 60)) {
      const n = bgRng.int(1, 4);
      for (let i = 0; i < n; i++) lines.kernel.push({ us: t + i * bgRng.int(1000, 900_000), text: background.render(bgRng) });
    }
  }
  if (host.backgroundChurnMeanMin !== null && plan.cause?.kind !== 'bridge-churn') {
    const jr = rng.fork('ci-churn');
    for (const t of poisson(jr, start, end - 10 * MINUTE, host.backgroundChurnMeanMin * 60)) lines.kernel.push(...dockerJob(jr, t, false));
  }

  // The cause, where it has one on this host.
  const causeRng = rng.fork('cause-lines');
  (plan.cause?.bursts ?? []).forEach((b, burst) => {
    if (b.host !== host.name) return;
    const tag = (e: Entry): Entry => ({ ...e, burst });
    if (plan.cause!.kind === 'bridge-churn') lines.kernel.push(...dockerJob(causeRng, b.start, true).map(tag));
    else if (plan.cause!.kind === 'kernel-template') lines.kernel.push(...templateBurst(causeRng, b.start, cause!, true).map(tag));
    else lines.service.push(...templateBurst(causeRng, b.start, cause!, false).map((e) => ({ ...tag(e), prog: host.service!.name, pid: host.service!.pid })));
  });

  // k3s: a routine stream that runs through outages (it is local), and symptoms inside them.
  if (host.k3s) {
    const kr = rng.fork('k3s');
    const { pid } = host.k3s;
    for (const t of poisson(kr, start, end, host.k3s.intervalS)) lines.k3s.push({ us: t, text: routineK3s(kr, t, plan.zone, pid) });
    for (const o of down) {
      if (host.symptoms.lease) {
        for (let t = o.start + kr.int(15, 60) * SECOND, n = 0; t < o.end && n < 5; t += kr.int(10, 40) * SECOND, n++) {
          lines.k3s.push({ us: t, text: klogPrefix('E', t, plan.zone, pid, 'leaderelection.go:340') + `Failed to update lock: Put "https://127.0.0.1:6443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/k3s?timeout=5s": context deadline exceeded` });
        }
      }
      if (host.symptoms.handler && kr.chance(0.6)) lines.k3s.push(...handlerTimeout(kr, o.start + kr.int(20, Math.max(21, Math.floor((o.end - o.start) / SECOND) - 5)) * SECOND, plan.zone, pid));
    }
  }

  // A service with routine lines, through outages.
  if (host.service) {
    const sr = rng.fork('service');
    for (const t of poisson(sr, start, end, host.service.intervalS)) {
      lines.service.push({ us: t, prog: host.service.name, pid: host.service.pid, text: `request served in ${sr.int(1, 900)}ms status=200 path=/${sr.pick(['api', 'health', 'v1/items', 'metrics'])}` });
    }
  }

  // auth.log: scanners (over the network: silent in outages), cron (local), an operator's session.
  const ar = rng.fork('auth');
  let sshPid = ar.int(20_000, 60_000);
  for (const s of host.scanners) {
    for (let t = s.start + ar.int(0, 5) * SECOND; t < s.end; ) {
      // An attempt writes its lines within a second: none of it gets through once the network is down.
      if (!inside(down, t) && !inside(down, t + SECOND)) lines.auth.push(...attempt(ar, t, s.ip, sshPid++));
      t += s.poisson ? randomGapUs(ar, s.intervalS) : Math.round(s.intervalS * ar.between(0.75, 1.25) * SECOND);
    }
  }
  if (host.cronMin !== null) {
    for (let t = Math.ceil(start / (host.cronMin * MINUTE)) * host.cronMin * MINUTE + SECOND; t < end; t += host.cronMin * MINUTE) {
      const pid = ar.int(100_000, 400_000);
      lines.auth.push({ us: t, prog: 'CRON', pid, text: 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)' });
      lines.auth.push({ us: t + ar.int(1, 3) * SECOND, prog: 'CRON', pid, text: 'pam_unix(cron:session): session closed for user root' });
    }
  }
  if (host.symptoms.clientTimeout) {
    const port = ar.int(40_000, 60_000);
    lines.auth.push({ us: start + ar.int(1, 10) * SECOND, prog: 'sshd', pid: sshPid, text: `Accepted publickey for ops from 100.64.0.7 port ${port} ssh2: ED25519 SHA256:${ar.hex(20)}` });
    for (const o of down) {
      const t = o.start + ar.int(30, 50) * SECOND;
      if (t < o.end) lines.auth.push({ us: t, prog: 'sshd', pid: sshPid, text: `Timeout, client not responding from user ops 100.64.0.7 port ${port}` });
    }
  }

  // Decoys: one symptom-looking line inside a reported window where nothing happened.
  for (const w of plan.reported.filter((x) => x.decoy && x.host === null)) {
    if (host !== plan.hosts[0]) continue;
    const t = w.start + Math.floor((w.end - w.start) / 2);
    if (host.k3s) lines.k3s.push(handlerTimeout(ar, t, plan.zone, host.k3s.pid)[0]!);
    else lines.auth.push({ us: t, prog: 'sshd', pid: sshPid, text: 'Timeout, client not responding from user ops 100.64.0.7 port 50522' });
  }

  if (host.probe) lines.probe = probeLines(rng.fork('probe-lines'), host.probe, host.name, down, end);
  for (const k of ['kernel', 'k3s', 'auth', 'service'] as const) lines[k].sort((a, b) => a.us - b.us);
  return lines;
}

function attempt(rng: Rng, t: number, ip: string, pid: number): Entry[] {
  const port = rng.int(30_000, 65_000);
  const e = (dt: number, text: string): Entry => ({ us: t + dt, prog: 'sshd', pid, text });
  if (rng.chance(0.4)) {
    return [e(0, `Failed password for root from ${ip} port ${port} ssh2`), e(200_000, `Connection closed by authenticating user root ${ip} port ${port} [preauth]`)];
  }
  const user = rng.pick(['admin', 'test', 'oracle', 'ubuntu', 'postgres', 'git', 'deploy', 'elastic', 'docker', 'pi', 'user1', 'support']);
  return [
    e(0, `Invalid user ${user} from ${ip} port ${port}`),
    e(600_000, `Failed password for invalid user ${user} from ${ip} port ${port} ssh2`),
    e(800_000, `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`),
  ];
}

/** A CI job's Docker bridge: veths attached a few seconds apart, torn down minutes later. */
function dockerJob(rng: Rng, startUs: number, cause: boolean): Entry[] {
  const bridge = `br-${rng.hex(12)}`;
  const out: Entry[] = [];
  const ports: Array<{ port: number; veth: string; peer: string }> = [];
  let t = startUs + rng.int(1, 999_999);
  const containers = rng.int(2, 5);
  const push = (text: string): void => {
    out.push({ us: t, text, cause });
    t += rng.int(150, 9000);
  };
  for (let i = 0; i < containers; i++) {
    const veth = `veth${rng.hex(7)}`;
    const peer = `veth${rng.hex(7)}`;
    ports.push({ port: i + 1, veth, peer });
    push(`${bridge}: port ${i + 1}(${veth}) entered blocking state`);
    push(`${bridge}: port ${i + 1}(${veth}) entered disabled state`);
    push(`device ${veth} entered promiscuous mode`);
    t += rng.int(60_000, 220_000);
    push(`eth0: renamed from ${peer}`);
    push(`IPv6: ADDRCONF(NETDEV_CHANGE): ${veth}: link becomes ready`);
    push(`${bridge}: port ${i + 1}(${veth}) entered blocking state`);
    push(`${bridge}: port ${i + 1}(${veth}) entered forwarding state`);
    t += rng.int(2, 9) * SECOND;
  }
  t = Math.max(t, startUs + rng.int(2, 10) * MINUTE);
  for (const { port, veth, peer } of ports) {
    push(`${bridge}: port ${port}(${veth}) entered disabled state`);
    push(`${peer}: renamed from eth0`);
    push(`device ${veth} left promiscuous mode`);
    push(`${bridge}: port ${port}(${veth}) entered disabled state`);
    t += rng.int(300_000, 2_500_000);
  }
  return out;
}

/** One burst of an invented template: a few to a few dozen lines within a minute, a register dump now and then. */
function templateBurst(rng: Rng, startUs: number, tpl: Invented, kernel: boolean): Entry[] {
  const out: Entry[] = [];
  const n = rng.int(3, 20);
  let t = startUs + rng.int(1, 999_999);
  const span = rng.int(5, 60) * SECOND;
  for (let i = 0; i < n; i++) {
    out.push({ us: t, text: tpl.render(rng), cause: true });
    if (kernel && i === 0 && rng.chance(0.5)) for (const l of registerDump(rng)) out.push({ us: t + 50, text: l, cause: true });
    t += Math.round(span / n);
  }
  return out;
}

function routineK3s(rng: Rng, t: number, zone: string, pid: number): string {
  const roll = rng.float();
  const k = (fileLine: string, msg: string): string => klogPrefix('I', t, zone, pid, fileLine) + msg;
  const w = rng.pick(['forgejo/forgejo-0', 'kube-system/traefik-5fb479b77-2mf9t', 'default/api-7d9f8b6c5d-x2kq9', 'monitoring/prometheus-0']);
  if (roll < 0.3) return k('scope.go:117', `"RemoveContainer" containerID="${rng.hex(64)}"`);
  if (roll < 0.55) return k('event.go:389', `"Event occurred" object="${w}" fieldPath="" kind="Pod" apiVersion="v1" type="Normal" reason="Started" message="Started container"`);
  if (roll < 0.75) return k('pod_startup_latency_tracker.go:102', `"Observed pod startup duration" pod="${w}" podStartSLOduration=${rng.between(1, 9).toFixed(6)} podStartE2EDuration="${rng.between(1, 9).toFixed(6)}s"`);
  if (roll < 0.9) return k('job_controller.go:566', `"enqueueing job" key="ci/cleanup-${rng.int(29_000_000, 29_999_999)}"`);
  return k('controller.go:624', `quota admission added evaluator for: ${rng.pick(['leases.coordination.k8s.io', 'events.events.k8s.io', 'endpoints', 'jobs.batch'])}`);
}

function handlerTimeout(rng: Rng, us: number, zone: string, pid: number): Entry[] {
  let t = us;
  const line = (fileLine: string, msg: string): Entry => ({ us: t, text: klogPrefix('E', t, zone, pid, fileLine) + msg });
  const out = [line('writers.go:118', 'apiserver was unable to write a JSON response: http: Handler timeout')];
  t += rng.int(20, 400);
  out.push(line('status.go:71', 'apiserver received an error that is not an metav1.Status: &errors.errorString{s:"http: Handler timeout"}: http: Handler timeout'));
  t += rng.int(1000, 20_000);
  out.push(line('timeout.go:135', `post-timeout activity - time-elapsed: ${rng.between(1, 20).toFixed(3)}ms, GET "/api/v1/namespaces/default/pods" result: <nil>`));
  return out;
}

/**
 * The probe's log: it polls every `pollS` seconds and writes what it saw in its shape, with its own
 * clock (off by `offsetS` for a skewed one). Before a lie starts it sees the real outages; from then
 * on it sees only its fiction.
 */
function probeLines(rng: Rng, p: ProbePlan, host: string, down: Interval[], end: number): string[] {
  const lie = p.lie;
  const offset = lie?.kind === 'clock-offset' ? lie.offsetS! * SECOND : 0;
  const lyingFrom = lie && lie.kind !== 'clock-offset' ? lie.from : Infinity;
  const out: string[] = [];
  if (p.shape === 'csv') out.push('timestamp,host,status,latency_ms,exit');
  let prev: 'up' | 'down' | null = null;
  let downSince = 0;
  for (let t = p.start; t < end; t += p.pollS * SECOND) {
    const at = t + rng.int(0, 900_000);
    const isDown = at < lyingFrom ? inside(down, at) : inside(p.fake, at);
    const state = isDown ? 'down' : 'up';
    const failExit = at >= lyingFrom && lie!.kind === 'failure-mode' ? 1 : 255;
    const err = failExit === 1 ? 'usage: coily ssh HOST -- SUBCOMMAND' : `tcp dial ${host}:22: i/o timeout`;
    const stamp = isoSeconds(at + offset);
    const ms = rng.int(2, 80);
    switch (p.shape) {
      case 'transitions':
        if (prev === null) out.push(`${stamp} target=${host} state=${isDown ? 'dead' : 'alive'} exit=${isDown ? failExit : 0}`);
        else if (state !== prev && isDown) out.push(`${stamp} target=${host} alive -> dead exit=${failExit} err="${err}"`);
        else if (state !== prev) out.push(`${stamp} target=${host} dead -> alive down_for=${Math.round((at - downSince) / SECOND)}s`);
        break;
      case 'logfmt':
        out.push(isDown ? `ts=${stamp} target=${host} state=down exit=${failExit} err="${err}"` : `ts=${stamp} target=${host} state=up rtt=${ms}ms`);
        break;
      case 'plain':
        out.push(isDown ? `${stamp} ${host} down exit=${failExit} err="${err}"` : `${stamp} ${host} up ${ms}ms`);
        break;
      case 'json':
        out.push(JSON.stringify(isDown ? { time: isoMillis(at + offset), host, ok: false, rc: failExit, error: err } : { time: isoMillis(at + offset), host, ok: true, rc: 0, ms }));
        break;
      case 'csv':
        out.push(`${stamp},${host},${state},${isDown ? '' : ms},${isDown ? failExit : 0}`);
        break;
    }
    if (state === 'down' && prev !== 'down') downSince = at;
    prev = state;
  }
  return out;
}
