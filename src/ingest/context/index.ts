/**
 * The bundle context: what a bundle says about itself, gathered by the survey before any line is
 * placed, per capture file and per directory. Hosts (with the attribution order of hosts.ts),
 * zones, reference instants for year inference, boot evidence and journal headers.
 *
 * A bundle is the set of inputs of one run. A directory of it is evidence for the files in it only
 * when it agrees with itself (one host, one zone): nothing is carried from one host's capture to
 * another's.
 */
import { dirname } from 'node:path';
import type { FileSurvey, SectionPlan } from '../survey.js';
import { captureInstantUs } from '../facts.js';
import { captureHost, decideHost, directoryHost, distinctHosts, matchHost, sameHost, type CaptureHost, type DirectoryHosts, type HostClaim, type HostDecision } from './hosts.js';
import { headerSpan, parseJournalHeader, type JournalHeader } from './journal.js';
import { captureBootEvidence, type CaptureBootEvidence } from './boot-evidence.js';

export * from './hosts.js';
export * from './journal.js';
export * from './coverage.js';
export * from './boot-evidence.js';

/** Formats whose host field names the machine that wrote the line (a probe's names its target). */
const TARGET_FORMATS = new Set(['probe']);

export interface FileContext {
  path: string;
  dir: string;
  /** Hosts the capture's fact sections name, and those its log lines name. */
  factHosts: HostClaim[];
  lineHosts: HostClaim[];
  /** Probe targets it names (matched to bundle hosts, never the capture's own host). */
  probeTargets: string[];
  capture: CaptureHost;
  /** Journal headers by section ordinal. */
  journalHeaders: Map<number, JournalHeader>;
  /** The zone its own facts state. */
  zone: { name: string; why: string } | null;
}

export interface ReferenceInstant {
  us: number;
  why: string;
}

export interface BundleContext {
  files: Map<string, FileContext>;
  /** Every host the bundle names (facts and lines, not probe targets). */
  hosts: string[];
  /** The host for records of `path` that name none, with why (hosts.ts order). */
  hostFor(path: string, userHost?: string): HostDecision;
  /** The zone for `path` when it states none: the nearest agreeing directory's, with why; null if none. */
  zoneFor(path: string): { name: string; why: string; warning?: string } | null;
  /**
   * Reference instants for year inference, best first: the file's capture instant, its journal
   * headers' ends, its newest dated line, then those of the same host's captures in its directory.
   * The file's mtime is the caller's last resort.
   */
  referencesFor(path: string, zone: string): ReferenceInstant[];
  /** Boot evidence of `path`'s capture, read in `zone`. */
  bootEvidence(path: string, zone: string | null): CaptureBootEvidence;
  /** Probe target → bundle host (without user@ and :port, case-insensitive, short vs FQDN), or null. */
  probeHost(target: string): string | null;
  /** A host a line names, in the bundle's spelling of the same machine (short name vs FQDN); itself when none. */
  canonicalHost(named: string): string;
}

function parseSafe(format: NonNullable<SectionPlan['format']>, line: string) {
  try {
    const r = format.parse(line, null);
    return r?.type === 'event' ? r.event : null;
  } catch {
    return null;
  }
}

export function fileContext(s: FileSurvey): FileContext {
  const factHosts: HostClaim[] = (s.facts.hostClaims ?? []).map((c) => ({ name: c.name, how: c.how, where: s.path }));
  if (factHosts.length === 0 && s.facts.hostname) factHosts.push({ name: s.facts.hostname, how: 'hostname', where: s.path });
  const lineHosts: HostClaim[] = [];
  const probeTargets: string[] = [];
  const journalHeaders = new Map<number, JournalHeader>();
  for (const sec of s.sections) {
    for (const line of sec.head.slice(0, 3)) {
      const h = parseJournalHeader(line);
      if (h) {
        journalHeaders.set(sec.ordinal, h);
        break;
      }
    }
    if (!sec.format) continue;
    const where = sec.title ? `${s.path} [${sec.title}]` : s.path;
    for (const line of [...sec.head, ...sec.tail]) {
      const e = parseSafe(sec.format, line);
      if (!e?.host) continue;
      if (TARGET_FORMATS.has(sec.format.name)) {
        if (!probeTargets.includes(e.host)) probeTargets.push(e.host);
        continue;
      }
      if (!lineHosts.some((c) => c.name === e.host)) lineHosts.push({ name: e.host, how: sec.format.name === 'journal-json' ? 'journal _HOSTNAME' : `${sec.format.name}`, where });
    }
  }
  return {
    path: s.path, dir: dirname(s.path), factHosts, lineHosts, probeTargets, journalHeaders,
    capture: captureHost(s.path, factHosts, lineHosts), zone: s.facts.zone ?? null,
  };
}

/** Directories from `dir` up to (and including) `root`. */
function ancestors(dir: string, root: string): string[] {
  const out: string[] = [];
  let d = dir;
  for (;;) {
    out.push(d);
    if (d === root) break;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return out;
}

function commonRoot(dirs: string[]): string {
  if (dirs.length === 0) return '.';
  let root = dirs[0]!;
  for (const d of dirs.slice(1)) {
    while (!(d === root || d.startsWith(root.endsWith('/') ? root : root + '/'))) {
      const up = dirname(root);
      if (up === root) return root;
      root = up;
    }
  }
  return root;
}

function within(path: string, dir: string): boolean {
  return dir === '.' ? !path.startsWith('/') : path.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

export function buildBundleContext(surveys: FileSurvey[]): BundleContext {
  const files = new Map<string, FileContext>();
  const surveyByPath = new Map<string, FileSurvey>();
  for (const s of surveys) {
    files.set(s.path, fileContext(s));
    surveyByPath.set(s.path, s);
  }
  const all = [...files.values()];
  const root = commonRoot(all.map((f) => f.dir));
  const hosts = distinctHosts(all.flatMap((f) => [...f.factHosts, ...f.lineHosts]));

  /** Hosts a file stands for as directory evidence: its capture's host, else every host its lines name. */
  const hostsOfFile = (f: FileContext): string[] => (f.capture.host ? [f.capture.host] : distinctHosts(f.lineHosts));
  const dirHosts = new Map<string, string[]>();
  const hostsUnder = (dir: string): string[] => {
    let h = dirHosts.get(dir);
    if (!h) {
      const claims = all.filter((f) => within(f.path, dir)).flatMap((f) => hostsOfFile(f).map((name) => ({ name, how: 'directory', where: f.path })));
      h = distinctHosts(claims);
      dirHosts.set(dir, h);
    }
    return h;
  };

  const decided = new Map<string, HostDecision>();
  const canonical = new Map<string, string>();
  const ctx: BundleContext = {
    files,
    hosts,
    hostFor(path, userHost) {
      const key = `${path}\0${userHost ?? ''}`;
      const known = decided.get(key);
      if (known) return known;
      const f = files.get(path);
      const d = !f
        ? decideHost(path, { host: null, why: `${path} was not surveyed` }, { host: null, why: 'no directory evidence' }, userHost)
        : decideHost(path, f.capture, directoryHost(ancestors(f.dir, root).map((dir): DirectoryHosts => ({ dir, hosts: hostsUnder(dir) }))), userHost);
      decided.set(key, d);
      return d;
    },
    zoneFor(path) {
      const f = files.get(path);
      if (!f) return null;
      const host = ctx.hostFor(path).host;
      for (const dir of ancestors(f.dir, root)) {
        const stating = all.filter((g) => g.zone && within(g.path, dir));
        if (stating.length === 0) continue;
        const names = [...new Set(stating.map((g) => g.zone!.name))];
        if (names.length === 1) {
          const g = stating[0]!;
          return { name: names[0]!, why: `${g.zone!.why} (in ${g.path}, the only zone stated in ${dir})` };
        }
        // Several zones: the one the same host's captures state, when they agree.
        const same = [...new Set(stating.filter((g) => g.capture.host && sameHost(g.capture.host, host)).map((g) => g.zone!.name))];
        if (same.length === 1) {
          const g = stating.find((x) => x.zone!.name === same[0])!;
          return { name: same[0]!, why: `${g.zone!.why} (in ${g.path}, a capture of the same host ${host})` };
        }
        const g = stating[0]!;
        return {
          name: g.zone!.name,
          why: `${g.zone!.why} (in ${g.path}; ${dir} states several zones: ${names.join(', ')})`,
          warning: `${dir} states several zones (${names.join(', ')}) and nothing ties ${path} to one: read in ${g.zone!.name}; give --tz-for if that is wrong`,
        };
      }
      return null;
    },
    referencesFor(path, zone) {
      const own = (p: string, zoneOf: string): ReferenceInstant[] => {
        const s = surveyByPath.get(p);
        const f = files.get(p);
        if (!s || !f) return [];
        const out: ReferenceInstant[] = [];
        const capture = captureInstantUs(s.facts, zoneOf);
        if (capture !== null) out.push({ us: capture, why: `the capture time in the date section of ${p} (${iso(capture)})` });
        let newestEnd: number | null = null;
        let header: JournalHeader | null = null;
        for (const h of f.journalHeaders.values()) {
          const span = headerSpan(h, zoneOf);
          const end = span?.endUs ?? span?.beginUs ?? null;
          if (end !== null && (newestEnd === null || end > newestEnd)) {
            newestEnd = end;
            header = h;
          }
        }
        if (newestEnd !== null) out.push({ us: newestEnd, why: `the journal header of ${p} (${header!.line.slice(0, 120)})` });
        const newest = newestDatedLine(s);
        if (newest !== null) out.push({ us: newest, why: `the newest timestamp with a year in ${p} (${iso(newest)})` });
        return out;
      };
      const refs = own(path, zone);
      const f = files.get(path);
      if (!f) return refs;
      const host = ctx.hostFor(path).host;
      // Siblings: captures of the same host in the nearest directory that has any reference.
      for (const dir of ancestors(f.dir, root)) {
        const sib = all.filter((g) => g.path !== path && within(g.path, dir) && sameHost(ctx.hostFor(g.path).host, host));
        const theirs = sib.flatMap((g) => own(g.path, ctx.zoneFor(g.path)?.name ?? g.zone?.name ?? zone).map((r) => ({ us: r.us, why: `${r.why}, a file of the same host ${host} in ${dir}` })));
        if (theirs.length > 0) {
          theirs.sort((a, b) => b.us - a.us);
          refs.push(theirs[0]!);
          break;
        }
      }
      return refs;
    },
    bootEvidence(path, zone) {
      const s = surveyByPath.get(path);
      if (!s) return { current: [], earlier: new Map(), currentLastUs: null };
      return captureBootEvidence(s.facts, zone, path);
    },
    probeHost(target) {
      return matchHost(target, hosts);
    },
    canonicalHost(named) {
      let c = canonical.get(named);
      if (c === undefined) {
        const m = hosts.filter((h) => sameHost(h, named));
        c = m.length === 1 ? m[0]! : named;
        if (canonical.size < 100_000) canonical.set(named, c);
      }
      return c;
    },
  };
  return ctx;
}

/** The newest instant carried with an explicit year in a file's surveyed lines (head and tail of each section). */
export function newestDatedLine(survey: FileSurvey): number | null {
  let newest: number | null = null;
  for (const s of survey.sections) {
    if (!s.format) continue;
    for (const line of [...s.head, ...s.tail]) {
      const e = parseSafe(s.format, line);
      if (!e) continue;
      const t = e.time;
      let us: number | null = null;
      if (t.kind === 'exact') us = t.utcUs;
      else if (t.kind === 'local' && t.year !== null) us = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) * 1000;
      if (us !== null && (newest === null || us > newest)) newest = us;
    }
  }
  return newest;
}

function iso(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}
export * from './kernel-match.js';
export * from './decide.js';
