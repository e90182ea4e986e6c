/**
 * The randomized incident simulator (#14): the generator's own truths, the scorer's correctness, and
 * the real CLI on a small fixed set of seeds. `npm run sim` runs the large set; see docs/simulator.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHAPES_READ_TODAY, buildIncident } from './bundle.js';
import { HOUR, MINUTE, SECOND, ZONES, offsetChanges, syslogStamp } from './clock.js';
import { type IncidentRun, runMany } from './harness.js';
import { planIncident } from './plan.js';
import { readDmesg, readProbe, readSyslog } from './readback.js';
import { Rng } from './random.js';
import { causeTemplate, hostLines } from './sources.js';
import { DRIVERS, WORDS } from './templates.js';
import { type Answer, type FigureName, figures, meetsTarget, perfectAnswer, scoreIncident } from './score.js';
import type { IncidentTruth } from './truth.js';

/** The suite's fixed seeds (`npm run sim` runs 1..200, which holds them and many more). */
const SUITE_SEEDS = [1, 2, 3, 4, 5, 6];
/** Seeds whose files are read back against their truth (no CLI: cheap). */
const CHECK_SEEDS = Array.from({ length: Number(process.env.SIM_CHECK_COUNT ?? SUITE_SEEDS.length) }, (_, i) => i + 1);

/** Each seed's incident built once for the whole file (building is most of the generator tests' time). */
const builtCache = new Map<number, ReturnType<typeof buildIncident>>();
function built(seed: number): ReturnType<typeof buildIncident> {
  let b = builtCache.get(seed);
  if (!b) builtCache.set(seed, (b = buildIncident(seed)));
  return b;
}

/**
 * Figures the real CLI must meet on the suite's seeds, at the targets. Add a figure here in
 * the commit that makes corr meet it: one line raises the bar for good.
 */
const ASSERTED_FIGURES: FigureName[] = ['outage_recall', 'invented_windows', 'cause_right', 'cause_invented', 'probes_right'];

const ms = (iso: string): number => Date.parse(iso);
const us = (iso: string): number => Date.parse(iso) * 1000;

describe('the clock', () => {
  it('stamps local time as luxon does, across every DST change of 2026', () => {
    for (const z of ZONES) {
      const year = { from: Date.UTC(2026, 0, 1) * 1000, to: Date.UTC(2027, 0, 1) * 1000 };
      const changes = offsetChanges(z.name, year.from, year.to);
      if (z.dst) expect(changes.length, z.name).toBe(2);
      for (const c of [year.from + 3_600_000_000 * 24 * 40, ...changes]) {
        const near = (t: number): boolean => Math.abs(t - c) < 5 * MINUTE;
        for (let t = c - 2 * HOUR; t < c + 2 * HOUR; t += near(t) ? 17 * SECOND : 3 * MINUTE + 7 * SECOND) {
          expect(syslogStamp(t, z.name), `${z.name} ${new Date(t / 1000).toISOString()}`).toBe(DateTime.fromMillis(t / 1000, { zone: z.name }).setLocale('en-US').toFormat('LLL d HH:mm:ss').replace(/ (\d) /, '  $1 '));
        }
      }
      // Each change is the first second of the new offset.
      for (const c of changes) expect(DateTime.fromMillis((c - SECOND) / 1000, { zone: z.name }).offset).not.toBe(DateTime.fromMillis(c / 1000, { zone: z.name }).offset);
    }
  });
});

describe('the generator', () => {
  const plans = Array.from({ length: 300 }, (_, i) => planIncident(1000 + i));

  it('is deterministic per seed, and seeds differ', () => {
    for (const seed of [3, 77]) {
      const a = built(seed);
      const b = buildIncident(seed);
      expect(JSON.stringify(b.truth)).toBe(JSON.stringify(a.truth));
      expect([...b.files]).toEqual([...a.files]);
    }
    expect(JSON.stringify(built(3).truth.outages)).not.toBe(JSON.stringify(built(4).truth.outages));
  });

  it('draws the variety the issue asks for', () => {
    const zones = new Set(plans.map((p) => p.zone));
    expect(zones.size).toBeGreaterThanOrEqual(6);
    expect(zones.has('Australia/Sydney') || zones.has('Pacific/Auckland') || zones.has('America/Santiago')).toBe(true);
    expect(plans.filter((p) => p.dstChanges.length > 0).length).toBeGreaterThan(plans.length / 10);
    const hostCounts = new Set(plans.map((p) => p.hosts.length));
    expect([...hostCounts].sort()).toEqual([1, 2, 3]);
    expect(plans.filter((p) => p.cause === null).length / plans.length).toBeGreaterThanOrEqual(0.2);
    expect(new Set(plans.map((p) => p.cause?.kind ?? 'none'))).toEqual(new Set(['none', 'bridge-churn', 'kernel-template', 'service-template']));
    const probes = plans.flatMap((p) => p.hosts.flatMap((h) => (h.probe ? [h.probe] : [])));
    expect(new Set(probes.map((p) => p.shape))).toEqual(new Set(['transitions', 'logfmt', 'plain', 'json', 'csv']));
    expect(new Set(probes.map((p) => p.lie?.kind ?? 'truthful'))).toEqual(new Set(['truthful', 'failure-mode', 'metronome', 'clock-offset']));
    const reported = plans.flatMap((p) => p.reported);
    expect(reported.some((r) => r.real)).toBe(true);
    expect(reported.some((r) => !r.real)).toBe(true);
    expect(plans.some((p) => p.hosts.some((h) => !h.authFile && h.captures.length > 1))).toBe(true);
  });

  it('keeps every number inside the ranges of the issue', () => {
    for (const p of plans) {
      expect(ZONES.map((z) => z.name)).toContain(p.zone);
      for (const h of p.hosts) {
        for (const o of h.outages) {
          const d = (o.end - o.start) / SECOND;
          expect(d).toBeGreaterThanOrEqual(59);
          expect(d).toBeLessThanOrEqual(1801);
        }
        for (const s of h.scanners) {
          expect(s.intervalS).toBeGreaterThanOrEqual(2);
          expect(s.intervalS).toBeLessThanOrEqual(300);
        }
      }
      if (p.cause) {
        expect(p.cause.leadS).toBeGreaterThanOrEqual(5);
        expect(p.cause.leadS).toBeLessThanOrEqual(180);
        for (const b of p.cause.bursts.filter((x) => x.leadsOutage)) {
          const host = p.hosts.find((h) => h.name === b.host)!;
          const lead = Math.min(...host.outages.map((o) => o.start - b.start).filter((x) => x > 0)) / SECOND;
          expect(lead).toBeGreaterThanOrEqual(4);
          expect(lead).toBeLessThanOrEqual(181);
        }
      }
      // Every incident has something to find.
      expect(p.hosts.some((h) => h.outages.length > 0)).toBe(true);
    }
  });

  it('never writes the cause\'s own template as background: no kernel line outside the cause matches its skeleton', () => {
    // The skeleton: the cause's template with its varying tokens and its random words and driver left open.
    const open = new RegExp(`\\b(?:${[...WORDS, ...DRIVERS].join('|')})\\b`, 'g');
    const skeletonOf = (template: string): RegExp =>
      new RegExp(`^${template.split(/(<[a-z]+>)/).map((part) => (/^<[a-z]+>$/.test(part) ? '\\S+?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(open, '\\S+'))).join('')}$`);
    let kernelCauses = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const plan = planIncident(seed);
      if (plan.cause?.kind !== 'kernel-template') continue;
      kernelCauses++;
      const rng = new Rng(seed).fork('lines');
      const tpl = causeTemplate(plan, rng.fork('cause-template'))!;
      const skeleton = skeletonOf(tpl.truth.template);
      for (const host of plan.hosts) {
        const lines = hostLines(plan, host, rng.fork(`host:${host.name}`), tpl.invented);
        // (The cause's own lines match it, register dumps aside: the check can see what it looks for.)
        expect(lines.kernel.filter((e) => e.cause && !/^R[A-Z]{2}: /.test(e.text)).every((e) => skeleton.test(e.text)), `seed ${seed}`).toBe(true);
        const alike = lines.kernel.filter((e) => !e.cause && skeleton.test(e.text));
        expect(alike.map((e) => e.text), `seed ${seed} ${host.name}`).toEqual([]);
      }
    }
    expect(kernelCauses).toBeGreaterThan(15);
  });

  it('writes files that agree with the truth', () => {
    for (const seed of CHECK_SEEDS) {
      const { truth, files, mtimes } = built(seed);
      checkTruthAgainstFiles(truth, files, mtimes);
    }
  });
});

/** The truth read back from the files, by parsers that share nothing with the writer. */
function checkTruthAgainstFiles(truth: IncidentTruth, files: Map<string, string>, mtimes: Map<string, number>): void {
  const year = new Date(ms(truth.span.start)).getUTCFullYear();
  const lines = new Map([...files].map(([k, v]) => [k, v.split('\n').slice(0, -1)]));
  const inOutage = (host: string, t: number): boolean => truth.outages.some((o) => o.host === host && t >= us(o.start) && t < us(o.end));

  // Line counts per section.
  for (const f of truth.files) {
    const all = lines.get(f.path)!;
    const start = f.section === null ? 0 : all.indexOf(`===== ${f.section} =====`) + 1;
    expect(start, `${f.path} [${f.section}]`).toBeGreaterThanOrEqual(0);
    let end = start;
    while (end < all.length && !all[end]!.startsWith('===== ')) end++;
    expect(end - start, `${f.path} [${f.section}]`).toBe(f.lines);
  }

  // The scanners fall silent in their host's outages: no attempt inside one.
  const scannerIps = new Map(truth.streams.filter((s) => !s.through_outages).map((s) => [s.name.replace('sshd:', ''), s.host]));
  for (const [rel, text] of lines) {
    if (rel.includes('/probe/')) continue;
    for (const line of text) {
      if (!line.includes(' sshd[')) continue;
      const rec = readSyslog(line, truth.zone, year);
      if (!rec || rec.prog !== 'sshd') continue;
      // A file was written after its lines (its mtime is what corr falls back on for the year).
      expect(Math.min(...rec.instants), `${rel}: ${line}`).toBeLessThanOrEqual(mtimes.get(rel)!);
      const ip = /from (\d+\.\d+\.\d+\.\d+) port/.exec(rec.message)?.[1];
      if (ip && scannerIps.get(ip) === rec.host) expect(rec.instants.some((t) => !inOutage(rec.host, t)), `${rel}: ${line}`).toBe(true);
    }
  }

  // A probe's down lines are outages (while it tells the truth) or its fiction; each outage it shows, it shows within a poll.
  for (const p of truth.probes) {
    const offset = p.lie?.kind === 'clock-offset' ? p.lie.offset_s! * SECOND : 0;
    const lieFrom = p.lie && p.lie.kind !== 'clock-offset' ? us(p.lie.from) : Infinity;
    const readings = lines.get(p.file)!.map(readProbe).filter((r) => r !== null);
    expect(Math.max(...readings.map((r) => r.us - offset))).toBeLessThanOrEqual(mtimes.get(p.file)!);
    for (const r of readings.filter((x) => x.down)) {
      const t = r.us - offset;
      expect(r.target).toBe(p.host);
      const fake = p.fake_windows.some((w) => t >= us(w.start) - SECOND && t < us(w.end) + SECOND);
      expect(t < lieFrom ? inOutage(p.host, t + SECOND) || inOutage(p.host, t) : fake, `${p.file} at ${new Date(r.us / 1000).toISOString()}`).toBe(true);
    }
    for (const o of truth.outages.filter((x) => x.host === p.host && x.evidence.includes('probe'))) {
      const first = readings.find((r) => r.down && r.us - offset >= us(o.start) - SECOND);
      expect(first, `${p.file}: outage at ${o.start}`).toBeDefined();
      expect((first!.us - offset - us(o.start)) / SECOND).toBeLessThanOrEqual(p.poll_s + 1);
    }
  }

  // The cause's lines exist, and one precedes every onset it leads by its lead.
  if (truth.cause) {
    for (const ref of truth.cause.lines) {
      const i = ref.lastIndexOf(':');
      const line = lines.get(ref.slice(0, i))?.[Number(ref.slice(i + 1)) - 1];
      expect(line, ref).toBeDefined();
      expect(line!.startsWith('=====')).toBe(false);
    }
    for (const b of truth.cause.bursts.filter((x) => x.leads_outage)) {
      const onset = truth.outages.filter((o) => o.host === b.host && ms(o.start) > ms(b.start)).map((o) => ms(o.start))[0]!;
      expect((onset - ms(b.start)) / 1000).toBeGreaterThanOrEqual(4);
      expect((onset - ms(b.start)) / 1000).toBeLessThanOrEqual(181);
    }
    // Each burst's captured lines are the cause's lines, each once; whether a leading burst was
    // captured before its onset is read back from the lines' own stamps; the cause counts only when one was.
    expect(truth.cause.bursts.flatMap((b) => b.lines).sort()).toEqual([...truth.cause.lines].sort());
    for (const b of truth.cause.bursts.filter((x) => x.leads_outage)) {
      const onset = truth.outages.filter((o) => o.host === b.host && ms(o.start) > ms(b.start)).map((o) => us(o.start))[0]!;
      const before = b.lines.some((ref) => lineInstant(ref, lines, truth.zone, year) < onset);
      expect(b.captured_before_onset, `burst at ${b.start}`).toBe(before);
    }
    // A burst seen to start holds its first line (written within a second of the burst's start; a
    // dmesg stamp placed by `uptime -s` is good to its second) after a line of its own section.
    for (const b of truth.cause.bursts.filter((x) => x.start_seen)) {
      const earliest = Math.min(...b.lines.map((ref) => lineInstant(ref, lines, truth.zone, year)));
      expect(earliest - us(b.start), `burst at ${b.start}`).toBeLessThan(2_000_000);
      expect(b.lines.some((ref) => !opensSection(ref, lines)), `burst at ${b.start}`).toBe(true);
    }
    expect(truth.cause.observable).toBe(truth.cause.bursts.some((b) => b.leads_outage && b.start_seen && b.captured_before_onset === true));
  }

  // Reported windows: right ones hold an outage, wrong ones are far from every outage; the text
  // passed to --window names the window's instants (read in the incident's zone when local).
  for (const w of truth.reported) {
    const [a, b] = w.arg.split('..') as [string, string];
    if (a.endsWith('Z')) {
      expect([Date.parse(a), Date.parse(b)]).toEqual([ms(w.start), ms(w.end)]);
    } else {
      const first = DateTime.fromFormat(a, 'yyyy-MM-dd HH:mm', { zone: truth.zone });
      const second = DateTime.fromFormat(`${a.slice(0, 10)} ${b}`, 'yyyy-MM-dd HH:mm', { zone: truth.zone });
      expect([first.toMillis(), second.toMillis()], w.arg).toEqual([ms(w.start), ms(w.end)]);
    }
    const near = truth.outages.filter((o) => ms(o.start) < ms(w.end) + 20 * 60_000 && ms(o.end) > ms(w.start) - 20 * 60_000);
    if (w.real) expect(near.some((o) => o.host === w.host && ms(o.start) >= ms(w.start) && ms(o.end) <= ms(w.end))).toBe(true);
    else expect(near).toEqual([]);
  }
}

/** Whether a line (`file:line`) is the first of its section (the line after a `=====` header, or a whole file's first). */
function opensSection(ref: string, lines: Map<string, string[]>): boolean {
  const i = ref.lastIndexOf(':');
  const n = Number(ref.slice(i + 1));
  return n === 1 || lines.get(ref.slice(0, i))![n - 2]!.startsWith('===== ');
}

/** The earliest instant a cause line (`file:line`) can stand for: a syslog stamp, or a dmesg one placed by its capture's `uptime -s`. */
function lineInstant(ref: string, lines: Map<string, string[]>, zone: string, year: number): number {
  const i = ref.lastIndexOf(':');
  const file = lines.get(ref.slice(0, i))!;
  const line = file[Number(ref.slice(i + 1)) - 1]!;
  const syslog = readSyslog(line, zone, year);
  if (syslog) return Math.min(...syslog.instants);
  const uptime = file[file.indexOf('===== uptime -s =====') + 1]!;
  const t = readDmesg(line, uptime, zone);
  expect(t, `${ref}: ${line}`).not.toBeNull();
  return t!;
}

describe('causes the data cannot show', () => {
  // Seed 1004: the dmesg ring of the only capture begins after the churn that leads the one outage.
  // Seed 1154: the service journal holds only the burst with no outage after it.
  // Seed 6111: the ring of the capture that holds the leading churn begins with its first line, so
  // nothing shows it was not already on (corr censors such a start: judge.ts seenStarts).
  it.each([1004, 1154, 6111])('seed %i: no capture holds a leading burst from before its onset, so the cause is counted in neither figure', (seed) => {
    const { truth, files, mtimes } = built(seed);
    expect(truth.cause).not.toBeNull();
    expect(truth.cause!.observable).toBe(false);
    checkTruthAgainstFiles(truth, files, mtimes);
    // A generator that counted it anyway is caught by the read-back.
    expect(() => checkTruthAgainstFiles({ ...truth, cause: { ...truth.cause!, observable: true } }, files, mtimes)).toThrow();
    const s = scoreIncident(truth, perfectAnswer(truth));
    expect([s.hasCause, s.causeUnobservable, s.causeInvented]).toEqual([false, true, false]);
    const f = figures([s]);
    expect([f.cause_right.den, f.cause_invented.den]).toEqual([0, 0]);
  });

  it('counts the causes it can show: over the suite seeds, every cause but those is observable, its read-back agreeing', () => {
    for (const seed of SUITE_SEEDS) {
      const { truth } = built(seed);
      if (truth.cause) expect(truth.cause.observable, `seed ${seed}`).toBe(true);
    }
  });
});

describe('the scorer', () => {
  const truths = SUITE_SEEDS.map((s) => built(s).truth);

  it('gives a perfect answer 100 % and nothing invented', () => {
    const f = figures(truths.map((t) => scoreIncident(t, perfectAnswer(t))));
    expect(f.outage_recall.value).toBe(1);
    expect(f.invented_windows.value).toBe(0);
    expect(f.cause_right.value).toBe(1);
    expect(f.cause_invented.value).toBe(0);
    expect(f.probes_right.value).toBe(1);
    if (f.offsets_right.den > 0) expect(f.offsets_right.value).toBe(1);
    expect(truths.flatMap((t) => scoreIncident(t, perfectAnswer(t)).failures)).toEqual([]);
  });

  it('gives an empty answer 0 %', () => {
    const empty: Answer = { outages: [], findings: [] };
    const scores = truths.map((t) => scoreIncident(t, empty));
    const f = figures(scores);
    expect(f.outage_recall.num).toBe(0);
    expect(f.outage_recall.den).toBeGreaterThan(0);
    expect(f.cause_right.num).toBe(0);
    expect(f.invented_windows.den).toBe(0);
    expect(f.offsets_right.num).toBe(0);
    // Lying probes are not caught by saying nothing; truthful ones are judged right.
    const lying = truths.flatMap((t) => t.probes).filter((p) => p.lie !== null).length;
    expect(f.probes_right.num).toBe(f.probes_right.den - lying);
  });

  it('counts an invented window, a window found late, and a cause named wrongly', () => {
    const t = truths.find((x) => x.outages.length > 0 && x.cause !== null)!;
    const perfect = perfectAnswer(t);
    const o = t.outages[0]!;
    const far = new Date(ms(t.span.end) + 3_600_000).toISOString();
    const late = { ...perfect.outages[0]!, start: new Date(ms(o.start) + 91_000).toISOString() };
    const answer: Answer = {
      outages: [late, ...perfect.outages.slice(1), { host: o.host, start: far, end: far, status: 'confirmed' }],
      findings: perfect.findings.map((f) => (f.verdict === 'cause' ? { ...f, evidence: [{ file: 'elsewhere', line: 1 }] } : f)),
    };
    const s = scoreIncident(t, answer);
    expect(s.found).toBe(t.outages.length - 1);
    expect(s.invented).toBe(1);
    expect(s.confirmed).toBe(t.outages.length + 1);
    expect(s.causeRight).toBe(false);
    expect(s.failures.some((l) => l.startsWith('outage invented'))).toBe(true);
    expect(s.failures.some((l) => l.startsWith('outage missed') && l.includes('91 s off'))).toBe(true);
  });

  it('says what fooled corr when a window is invented: a coverage gap, a wrong report, a fake probe window', () => {
    const t = truths[0]!;
    const host = t.hosts[0]!;
    const at = (min: number): string => new Date(ms(t.span.start) + min * 60_000).toISOString();
    const fooled: IncidentTruth = {
      ...t,
      outages: [],
      coverage_gaps: [{ host, stream: 'auth.log', start: at(10), end: at(40) }],
      reported: [{ start: at(100), end: at(110), arg: '', real: false, host: null, decoy: true }],
      probes: [{ host, file: 'p', shape: 'logfmt', poll_s: 10, lie: { kind: 'metronome', from: at(150), period_s: 240 }, fake_windows: [{ start: at(150), end: at(151) }] }],
    };
    const window = (a: number, b: number) => ({ host, start: at(a), end: at(b), status: 'confirmed' });
    const s = scoreIncident(fooled, { outages: [window(12, 38), window(101, 109), window(150, 151), window(200, 210)], findings: [] });
    expect(s.invented).toBe(4);
    expect(s.failures.filter((f) => f.includes('a gap in auth.log coverage'))).toHaveLength(1);
    expect(s.failures.filter((f) => f.includes('a wrong reported window with one coincidental symptom'))).toHaveLength(1);
    expect(s.failures.filter((f) => f.includes('a fake window of the metronome probe'))).toHaveLength(1);
    expect(s.failures.filter((f) => f.startsWith('outage invented') && !f.includes(' — '))).toHaveLength(1);
  });

  it('counts a cause named where there is none, and a probe offset outside 30 s', () => {
    const none = truths.find((x) => x.cause === null) ?? { ...truths[0]!, cause: null };
    const invented = scoreIncident(none, { outages: [], findings: [{ host: none.hosts[0], kind: 'template-burst', verdict: 'cause' }] });
    expect(invented.causeInvented).toBe(true);
    const f = figures([invented]);
    expect(f.cause_invented.value).toBe(1);
    expect(meetsTarget(f.cause_invented)).toBe(false);

    const skewed: IncidentTruth = {
      ...truths[0]!,
      probes: [{ host: 'h', file: 'p.log', shape: 'logfmt', poll_s: 10, lie: { kind: 'clock-offset', from: truths[0]!.span.start, offset_s: 300 }, fake_windows: [] }],
    };
    const clock = (offset: number): Answer => ({ outages: [], findings: [{ host: 'h', kind: 'probe-clock', verdict: 'artifact', offset_s: offset }] });
    expect(scoreIncident(skewed, clock(329)).offsetsRight).toBe(1);
    expect(scoreIncident(skewed, clock(331)).offsetsRight).toBe(0);
    expect(scoreIncident(skewed, clock(-300)).offsetsRight).toBe(0);
  });
});

describe('the real CLI on the suite seeds', () => {
  let root: string;
  let runs: IncidentRun[];

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'corr-sim-test-'));
    runs = await runMany(SUITE_SEEDS, 2, (seed) => path.join(root, `seed-${seed}`));
  }, 120_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('ingests every line of the formats corr reads today, each skip explained', () => {
    for (const r of runs) {
      const ingest = r.ingest as { files: Array<{ path: string; section: string | null; format: string | null; events: number; continuations: number; skipped: number; warnings: string[] }> };
      expect(ingest, `seed ${r.truth.seed}`).not.toBeNull();
      for (const f of r.truth.files.filter((x) => x.read_today)) {
        const entry = ingest.files.find((e) => e.path === f.path && (e.section ?? null) === f.section);
        expect(entry, `seed ${r.truth.seed}: ${f.path} [${f.section}]`).toBeDefined();
        const where = `seed ${r.truth.seed}: ${f.path} [${f.section}] ${JSON.stringify(entry!.warnings)}`;
        if (f.shape === 'fact') {
          expect(entry!.format, where).toBeNull();
          expect(entry!.skipped, where).toBe(f.lines + 1);
        } else {
          expect(entry!.events + entry!.continuations, where).toBe(f.lines - f.header_lines);
          expect(entry!.skipped, where).toBe(f.header_lines + (f.section === null ? 0 : 1));
        }
      }
      expect([...SHAPES_READ_TODAY].length).toBeGreaterThan(0);
    }
  });

  it('answers every incident with the contract JSON, and meets the figures asserted so far', () => {
    for (const r of runs) {
      expect(r.answer, `seed ${r.truth.seed}: ${r.score.failures[0]}`).not.toBeNull();
      expect(Array.isArray(r.answer!.outages) && Array.isArray(r.answer!.findings)).toBe(true);
    }
    const f = figures(runs.map((r) => r.score));
    console.log(Object.values(f).map((x) => `${x.label}: ${x.value === null ? '–' : (x.value * 100).toFixed(1) + ' %'} (${x.num}/${x.den})`).join('\n'));
    for (const name of ASSERTED_FIGURES) expect(meetsTarget(f[name]), `${f[name].label}: ${f[name].num}/${f[name].den}`).toBe(true);
  });
});

describe('metronome liars seen on some beats only, through the real CLI', () => {
  // Seeds of 7000..7199 whose fake cycles were confirmed before the beat run (docs/correlation.md
  // § 2): 7126, a 60 s poll on a 259 s beat (periods 240 and 300 s, past the 10 % spread) with beats
  // between polls unseen; 7090, a real outage on the beat at the start of the run; 7077, a cycle over
  // a gap in auth.log coverage. 112 fake windows were confirmed among the three.
  const seeds = [7077, 7090, 7126];
  let root: string;
  let runs: IncidentRun[];

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'corr-sim-metronome-'));
    runs = await runMany(seeds, 2, (seed) => path.join(root, `seed-${seed}`));
  }, 120_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each(seeds.map((s, i) => [s, i] as const))('seed %i: no fake window confirmed, every probe judged right', (seed, i) => {
    const r = runs[i]!;
    expect(r.truth.seed).toBe(seed);
    const liars = r.truth.probes.filter((p) => p.lie?.kind === 'metronome');
    expect(liars.length, 'the seed holds a metronome liar').toBeGreaterThan(0);
    expect(liars.reduce((n, p) => n + p.fake_windows.length, 0)).toBeGreaterThan(10);
    expect(r.score.invented, r.score.failures.join('\n')).toBe(0);
    expect(r.score.probesRight, r.score.failures.join('\n')).toBe(r.score.probes);
    expect(r.score.found, r.score.failures.join('\n')).toBe(r.score.outages);
  });
});
