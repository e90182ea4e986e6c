/**
 * Writes one simulated incident to disk as corr would find it — per host a capture file per visit
 * (`===== date =====`, `hostname`, `timedatectl`, `uptime -s`, `dmesg`, the k3s and service journals,
 * a tail of auth.log), the host's auth.log when it was copied whole, and the probe's log — with the
 * ground truth beside it in `truth.json`.
 *
 *   <dir>/bundle/<host>/output.txt, recover-HHMMSS.txt, auth.log
 *   <dir>/bundle/probe/<host>.log|.jsonl|.csv
 *   <dir>/truth.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { HOUR, SECOND, dateCommand, dmesgStamp, fileStamp, isoSeconds, localWindowText, syslogStamp, timedatectl, uptimeSince } from './clock.js';
import { type HostPlan, type Interval, type Plan, authCoverage, evidenceOf, planIncident } from './plan.js';
import { Rng } from './random.js';
import { type Entry, type HostLines, causeTemplate, hostLines } from './sources.js';
import type { FileTruth, IncidentTruth, ProbeShape, StreamTruth } from './truth.js';

/** The shapes corr reads today; lines of the others may be skipped (the formats issue adds them). */
export const SHAPES_READ_TODAY = new Set(['fact', 'dmesg-raw', 'syslog', 'probe-transitions', 'probe-logfmt', 'probe-plain', 'probe-json', 'probe-csv']);

const iso = (us: number): string => new Date(Math.floor(us / 1000)).toISOString();
const span = (i: Interval): { start: string; end: string } => ({ start: iso(i.start), end: iso(i.end) });

interface FileBuilder {
  lines: string[];
  causeLines: number[];
}

/** Where a capture holds lines of one of the cause's bursts: their `file:line` and the earliest instant. */
interface CapturedBurst {
  lines: string[];
  firstUs: number;
  /** Some capture holds the burst's first line after a line of its own section: the burst's start was seen. */
  startSeen: boolean;
}

class BundleWriter {
  readonly files = new Map<string, FileBuilder>();
  /** By index into plan.cause.bursts. */
  readonly bursts = new Map<number, CapturedBurst>();
  readonly truths: FileTruth[] = [];
  /** When each file was last written (µs): its capture. */
  readonly mtimes = new Map<string, number>();
  /** The instant of each burst's first line as written (captured or not), by index into plan.cause.bursts. */
  readonly burstFirstUs = new Map<number, number>();

  file(rel: string): FileBuilder {
    let f = this.files.get(rel);
    if (!f) this.files.set(rel, (f = { lines: [], causeLines: [] }));
    return f;
  }

  /** Append a section (or a whole file when `title` is null) and note its truth. */
  add(rel: string, title: string | null, shape: string, entries: Array<{ line: string; cause?: boolean; burst?: number; us?: number }>, headerLines = 0): void {
    const f = this.file(rel);
    if (title !== null) f.lines.push(`===== ${title} =====`);
    entries.forEach((e, k) => {
      f.lines.push(e.line);
      if (e.cause) f.causeLines.push(f.lines.length);
      if (e.burst !== undefined) {
        const b = this.bursts.get(e.burst) ?? { lines: [], firstUs: Infinity, startSeen: false };
        b.lines.push(`${rel}:${f.lines.length}`);
        b.firstUs = Math.min(b.firstUs, e.us ?? Infinity);
        // A burst line that opens its section (a dmesg ring that begins there) could be the middle of
        // a burst already on: nobody saw that start, though the line is held.
        if (k > 0 && e.us === this.burstFirstUs.get(e.burst)) b.startSeen = true;
        this.bursts.set(e.burst, b);
      }
    });
    this.truths.push({ path: rel, section: title, shape, lines: entries.length, header_lines: headerLines, read_today: SHAPES_READ_TODAY.has(shape) });
  }
}

const syslogLine = (e: Entry, host: string, zone: string): string => `${syslogStamp(e.us, zone)} ${host} ${e.prog}[${e.pid}]: ${e.text}`;
const between = (entries: Entry[], a: number, b: number): Entry[] => entries.filter((e) => e.us >= a && e.us <= b);

function writeHost(w: BundleWriter, plan: Plan, host: HostPlan, lines: HostLines, dirRel: string): void {
  const zone = plan.zone;
  const last = host.captures.length - 1;
  host.captures.forEach((c, i) => {
    const rel = `${dirRel}/${i === last ? 'output.txt' : `recover-${fileStamp(c.at, zone)}.txt`}`;
    w.mtimes.set(rel, c.at);
    w.add(rel, 'date', 'fact', [{ line: dateCommand(c.at, zone) }]);
    w.add(rel, 'hostname', 'fact', [{ line: host.name }]);
    w.add(rel, 'timedatectl', 'fact', timedatectl(c.at, zone).map((line) => ({ line })));
    w.add(rel, 'uptime -s', 'fact', [{ line: uptimeSince(host.bootUs, zone) }]);
    w.add(rel, 'dmesg', 'dmesg-raw', between(lines.kernel, c.at - c.ringUs, c.at).map((e) => ({ line: `${dmesgStamp(e.us, host.bootUs)} ${e.text}`, cause: e.cause, burst: e.burst, us: e.us })));
    if (host.k3s) {
      const journal = between(lines.k3s, c.at - c.journalHours * HOUR, c.at);
      w.add(rel, `journalctl -u k3s --no-pager --since "-${c.journalHours}h"`, 'syslog', journal.map((e) => ({ line: `${syslogStamp(e.us, zone)} ${host.name} k3s[${host.k3s!.pid}]: ${e.text}` })));
    }
    if (host.service) {
      const journal = between(lines.service, c.at - c.journalHours * HOUR, c.at);
      w.add(rel, `journalctl -u ${host.service.name} --no-pager --since "-${c.journalHours}h"`, 'syslog', journal.map((e) => ({ line: syslogLine(e, host.name, zone), cause: e.cause, burst: e.burst, us: e.us })));
    }
    const tail = between(lines.auth, c.at - c.authTailUs, c.at);
    w.add(rel, `tail -n ${tail.length} /var/log/auth.log`, 'syslog', tail.map((e) => ({ line: syslogLine(e, host.name, zone) })));
  });
  if (host.authFile) {
    const until = host.captures[last]!.at;
    w.mtimes.set(`${dirRel}/auth.log`, until);
    w.add(`${dirRel}/auth.log`, null, 'syslog', lines.auth.filter((e) => e.us <= until).map((e) => ({ line: syslogLine(e, host.name, zone) })));
  }
}

const PROBE_EXT: Record<ProbeShape, string> = { transitions: 'log', logfmt: 'log', plain: 'log', json: 'jsonl', csv: 'csv' };

/** Generate the incident of `seed` under `dir` (which must be empty or absent). Returns its truth. */
export function writeIncident(seed: number, dir: string): IncidentTruth {
  const { truth, files, mtimes } = buildIncident(seed);
  for (const [rel, content] of files) {
    const target = path.join(dir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    // As collected: a file was last written when it was captured, never before its own lines
    // (corr reads a year-less file's year from its mtime when nothing else states it).
    const when = new Date(mtimes.get(rel)! / 1000);
    fs.utimesSync(target, when, when);
  }
  fs.writeFileSync(path.join(dir, 'truth.json'), JSON.stringify(truth, null, 1) + '\n');
  return truth;
}

/** The incident of `seed` in memory: file contents by relative path, and the truth. */
export function buildIncident(seed: number): { truth: IncidentTruth; files: Map<string, string>; mtimes: Map<string, number> } {
  const plan = planIncident(seed);
  const rng = new Rng(seed).fork('lines');
  const tpl = causeTemplate(plan, rng.fork('cause-template'));
  const w = new BundleWriter();
  const bundle = 'bundle';
  const streams: StreamTruth[] = [];
  const gaps: IncidentTruth['coverage_gaps'] = [];

  for (const host of plan.hosts) {
    const lines = hostLines(plan, host, rng.fork(`host:${host.name}`), tpl?.invented ?? null);
    for (const e of [...lines.kernel, ...lines.service]) {
      if (e.burst !== undefined) w.burstFirstUs.set(e.burst, Math.min(w.burstFirstUs.get(e.burst) ?? Infinity, e.us));
    }
    writeHost(w, plan, host, lines, `${bundle}/${host.name}`);
    if (host.probe) {
      const rel = `${bundle}/probe/${host.name}.${PROBE_EXT[host.probe.shape]}`;
      w.mtimes.set(rel, plan.end);
      w.add(rel, null, `probe-${host.probe.shape}`, lines.probe.map((line) => ({ line })), host.probe.shape === 'csv' ? 1 : 0);
    }
    for (const s of host.scanners) {
      streams.push({ host: host.name, name: `sshd:${s.ip}`, interval_s: round1(s.intervalS), through_outages: false, span: span(s) });
    }
    if (host.k3s) streams.push({ host: host.name, name: 'k3s', interval_s: round1(host.k3s.intervalS), through_outages: true, span: span(plan) });
    if (host.cronMin !== null) streams.push({ host: host.name, name: 'cron', interval_s: host.cronMin * 60, through_outages: true, span: span(plan) });
    const auth = authCoverage(host, plan.start).sort((a, b) => a.start - b.start);
    for (let i = 1; i < auth.length; i++) {
      if (auth[i]!.start > auth[i - 1]!.end) gaps.push({ host: host.name, stream: 'auth.log', start: iso(auth[i - 1]!.end), end: iso(auth[i]!.start) });
    }
    if (host.k3s) {
      const cov = host.captures.map((c) => ({ start: c.at - c.journalHours * HOUR, end: c.at }));
      for (let i = 1; i < cov.length; i++) if (cov[i]!.start > cov[i - 1]!.end) gaps.push({ host: host.name, stream: 'k3s', start: iso(cov[i - 1]!.end), end: iso(cov[i]!.start) });
    }
  }

  const files = new Map<string, string>();
  const mtimes = w.mtimes;
  const causeRefs: string[] = [];
  for (const [rel, f] of w.files) {
    files.set(rel, f.lines.length > 0 ? f.lines.join('\n') + '\n' : '');
    for (const n of f.causeLines) causeRefs.push(`${rel}:${n}`);
  }

  const end = plan.end;
  const fastest = Math.min(...streams.filter((s) => !s.through_outages).map((s) => s.interval_s));
  const truth: IncidentTruth = {
    version: 1,
    seed,
    zone: plan.zone,
    dst_changes: plan.dstChanges.map(iso),
    span: span(plan),
    hosts: plan.hosts.map((h) => h.name),
    outages: plan.hosts.flatMap((h) => h.outages.map((o) => ({ host: h.name, ...span(o), evidence: evidenceOf(h, o, plan.start, end) }))),
    cause: plan.cause && tpl
      ? {
          kind: plan.cause.kind,
          template: tpl.truth.template,
          lead_s: plan.cause.leadS,
          hosts: plan.cause.hosts,
          bursts: plan.cause.bursts.map((b, i) => ({
            host: b.host,
            start: iso(b.start),
            end: iso(b.start + 60 * SECOND),
            leads_outage: b.leadsOutage,
            lines: w.bursts.get(i)?.lines ?? [],
            start_seen: w.bursts.get(i)?.startSeen ?? false,
            ...(b.leadsOutage ? { captured_before_onset: (w.bursts.get(i)?.firstUs ?? Infinity) < onsetAfter(plan, b.host, b.start) } : {}),
          })),
          lines: causeRefs,
          observable: plan.cause.bursts.some((b, i) => b.leadsOutage && w.bursts.get(i)?.startSeen === true && (w.bursts.get(i)?.firstUs ?? Infinity) < onsetAfter(plan, b.host, b.start)),
        }
      : null,
    probes: plan.hosts.flatMap((h) =>
      h.probe
        ? [{
            host: h.name,
            file: `${bundle}/probe/${h.name}.${PROBE_EXT[h.probe.shape]}`,
            shape: h.probe.shape,
            poll_s: h.probe.pollS,
            lie: h.probe.lie ? { kind: h.probe.lie.kind, from: iso(h.probe.lie.from), ...(h.probe.lie.offsetS !== undefined ? { offset_s: h.probe.lie.offsetS } : {}), ...(h.probe.lie.periodS !== undefined ? { period_s: h.probe.lie.periodS } : {}) } : null,
            fake_windows: h.probe.fake.map(span),
          }]
        : [],
    ),
    reported: plan.reported.map((r) => ({
      ...span(r),
      arg: (r.localText ? localWindowText(r.start, r.end, plan.zone) : null) ?? `${isoSeconds(r.start)}..${isoSeconds(r.end)}`,
      real: r.real,
      host: r.host,
      decoy: r.decoy,
    })),
    streams,
    coverage_gaps: gaps,
    files: w.truths,
    bundle,
    tags: {
      zone: plan.zone,
      rate_band: rateBand(fastest),
      probe_shapes: plan.hosts.flatMap((h) => (h.probe ? [h.probe.shape] : [])),
      cause: plan.cause?.kind ?? 'none',
      hosts: plan.hosts.length,
    },
  };
  return { truth, files, mtimes };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The start of the first outage on the host after `us` (the onset a leading burst leads). */
function onsetAfter(plan: Plan, host: string, us: number): number {
  return Math.min(...plan.hosts.filter((h) => h.name === host).flatMap((h) => h.outages.map((o) => o.start).filter((s) => s > us)));
}

/** The band of the fastest stream that arrives over the network: what sets the shortest outage its silence shows. */
export function rateBand(intervalS: number): string {
  if (!Number.isFinite(intervalS)) return 'no witness';
  if (intervalS <= 10) return '2–10 s';
  if (intervalS <= 60) return '10–60 s';
  return '1–5 min';
}
