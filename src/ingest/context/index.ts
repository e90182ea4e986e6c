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
import { captureHost, decideHost, directoryHost, distinctHosts, distinctNames, hostKey, isAddressName, isUnknownHost, matchHost, sameHost, shortName, type CaptureHost, type DirectoryHosts, type HostClaim, type HostDecision } from './hosts.js';
import { headerSpan, parseJournalHeader, type JournalHeader } from './journal.js';
import { captureBootEvidence, type CaptureBootEvidence } from './boot-evidence.js';

export * from './hosts.js';
export * from './journal.js';
export * from './coverage.js';
export * from './boot-evidence.js';
import { keepHints, lineOffset, type OffsetHint } from './zone-hints.js';

/** Formats whose host field names the machine that wrote the line (a probe's names its target). */
const TARGET_FORMATS = new Set(['probe']);

/**
 * What the bundle keeps of one file for the whole run: what another file may ask of it, read from
 * its sections' first and last lines once, when it is surveyed — never the lines themselves (#17:
 * 100,000 tiny files kept all their lines until the context was built). A file that names nothing
 * shares the empty arrays and map below rather than holding its own (an empty Map alone is ~400 B).
 */
export interface FileContext {
  path: string;
  dir: string;
  /** Hosts the capture's fact sections name, and the distinct hosts its log lines name. */
  factHosts: readonly HostClaim[];
  lineHosts: readonly string[];
  /** Probe targets it names (matched to bundle hosts, never the capture's own host). */
  probeTargets: readonly string[];
  capture: CaptureHost;
  /** Journal headers by section ordinal. */
  journalHeaders: ReadonlyMap<number, JournalHeader>;
  /** The zone its own facts state. */
  zone: { name: string; why: string } | null;
  /** UTC offsets its lines carry, with their instants (zone-hints.ts). */
  offsets: readonly OffsetHint[];
  /** The newest instant carried with an explicit year in its surveyed lines (a reference instant), or null. */
  newestDated: number | null;
}

const NO_CLAIMS: readonly HostClaim[] = Object.freeze([]);
const NO_NAMES: readonly string[] = Object.freeze([]);
const NO_OFFSETS: readonly OffsetHint[] = Object.freeze([]);
const NO_HEADERS: ReadonlyMap<number, JournalHeader> = new Map();

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
  /**
   * Offsets on lines that speak for `path`'s zone: its own (the same capture), else those of the
   * same host's files in the nearest directory that has any (zone-hints.ts).
   */
  zoneHintsFor(path: string): readonly OffsetHint[];
  /** Every zone a file of the bundle states, in the order first stated. */
  statedZones: string[];
}

function parseSafe(format: NonNullable<SectionPlan['format']>, line: string) {
  try {
    const r = format.parse(line, null);
    return r?.type === 'event' ? r.event : null;
  } catch {
    return null;
  }
}

/**
 * A file's context from its survey. `intern` gives one string per distinct host name: a name
 * parsed from a line may be a slice that keeps the whole line alive.
 */
export function fileContext(s: FileSurvey, intern: (name: string) => string = (n) => n, internDir: (dir: string) => string = (d) => d): FileContext {
  const factHosts: HostClaim[] = (s.facts.hostClaims ?? []).map((c) => ({ name: c.name, how: c.how, where: s.path }));
  if (factHosts.length === 0 && s.facts.hostname) factHosts.push({ name: s.facts.hostname, how: 'hostname', where: s.path });
  const lineHosts: HostClaim[] = [];
  const probeTargets: string[] = [];
  const offsets: OffsetHint[] = [];
  let journalHeaders: Map<number, JournalHeader> | null = null;
  let newest: number | null = null;
  for (const sec of s.sections) {
    for (const line of sec.head.slice(0, 3)) {
      const h = parseJournalHeader(line);
      if (h) {
        (journalHeaders ??= new Map()).set(sec.ordinal, h);
        break;
      }
    }
    if (!sec.format) continue;
    const where = sec.title ? `${s.path} [${sec.title}]` : s.path;
    for (const line of uniqueLines(sec)) {
      const e = parseSafe(sec.format, line);
      if (!e) continue;
      const t = e.time;
      const dated = t.kind === 'exact' ? t.utcUs : t.kind === 'local' && t.year !== null ? Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) * 1000 : null;
      if (dated !== null && (newest === null || dated > newest)) newest = dated;
      if (e.time.kind === 'exact' && !TARGET_FORMATS.has(sec.format.name)) {
        const offsetMin = lineOffset(line, e.time.utcUs);
        if (offsetMin !== null) offsets.push({ offsetMin, us: e.time.utcUs, where });
      }
      if (!e.host) continue;
      const name = intern(e.host);
      if (TARGET_FORMATS.has(sec.format.name)) {
        if (!probeTargets.includes(name)) probeTargets.push(name);
        continue;
      }
      if (!lineHosts.some((c) => c.name === name)) lineHosts.push({ name, how: sec.format.name === 'journal-json' ? 'journal _HOSTNAME' : `${sec.format.name}`, where });
    }
  }
  const hints = keepHints(offsets);
  return {
    path: s.path, dir: internDir(dirname(s.path)), factHosts: factHosts.length > 0 ? factHosts : NO_CLAIMS, lineHosts: lineHosts.length > 0 ? distinctHosts(lineHosts) : NO_NAMES,
    probeTargets: probeTargets.length > 0 ? probeTargets : NO_NAMES, journalHeaders: journalHeaders ?? NO_HEADERS,
    capture: captureHost(s.path, factHosts, lineHosts), zone: s.facts.zone ?? null, offsets: hints.length > 0 ? hints : NO_OFFSETS, newestDated: newest,
  };
}

/**
 * The bundle context, gathered a file at a time: each survey is summarised (its FileContext) as it
 * is added, so the caller may let the survey's lines go at once — the survey phase then holds one
 * file's lines, not the whole bundle's. `build` answers every question from the summaries and the
 * surveys' facts alone.
 */
export class BundleSurveys {
  private readonly files = new Map<string, FileContext>();
  /**
   * Of each survey only its facts, and only when it states any (#17: the whole surveys, kept here
   * for their facts alone, held every file's plans for the run).
   */
  private readonly facts = new Map<string, FileSurvey['facts']>();
  private readonly names = new Map<string, string>();
  /** One string per directory (a dirname is a slice of its file's path: one per file). */
  private readonly dirs = new Map<string, string>();
  private readonly internDir = (dir: string): string => {
    const known = this.dirs.get(dir);
    if (known !== undefined) return known;
    this.dirs.set(dir, dir);
    return dir;
  };
  private readonly intern = (name: string): string => {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    // A copy of its own, not a slice of the line it was parsed from.
    const own = Buffer.from(name, 'utf8').toString('utf8');
    this.names.set(own, own);
    return own;
  };

  add(s: FileSurvey): void {
    this.files.set(s.path, fileContext(s, this.intern, this.internDir));
    if (Object.keys(s.facts).length > 0) this.facts.set(s.path, s.facts);
  }

  build(): BundleContext {
    return contextOf(this.files, this.facts);
  }
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

/**
 * Items by the host they belong to, found by `sameHost` without comparing against every item: a
 * name's candidates are those with the same key, and for a short name the FQDNs whose first label it
 * is (and the other way round). A bundle of 100,000 files is then linear, not quadratic (#17).
 */
class ByHost<T> {
  private readonly byKey = new Map<string, T[]>();
  private readonly fqdnByLabel = new Map<string, T[]>();
  /** Each item's host and the order it was added in. */
  private readonly hosts = new Map<T, { host: string; at: number }>();

  add(host: string, item: T): void {
    this.hosts.set(item, { host, at: this.hosts.size });
    push(this.byKey, hostKey(host), item);
    const k = hostKey(host);
    if (k.includes('.') && !isAddressName(k)) push(this.fqdnByLabel, shortName(k), item);
  }

  /** Items whose host is the same machine as `host`, in the order they were added. */
  matching(host: string): T[] {
    const k = hostKey(host);
    const found = new Set<T>(this.byKey.get(k) ?? []);
    if (!isAddressName(k)) {
      if (k.includes('.')) for (const t of this.byKey.get(shortName(k)) ?? []) found.add(t);
      else for (const t of this.fqdnByLabel.get(k) ?? []) found.add(t);
    }
    return [...found].filter((t) => sameHost(this.hosts.get(t)!.host, host)).sort((a, b) => this.hosts.get(a)!.at - this.hosts.get(b)!.at);
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** The bundle context of surveys whose lines are still at hand (tests; the pipeline adds them as it surveys). */
export function buildBundleContext(surveys: FileSurvey[]): BundleContext {
  const b = new BundleSurveys();
  for (const s of surveys) b.add(s);
  return b.build();
}

const NO_FACTS: FileSurvey['facts'] = Object.freeze({});

function contextOf(files: Map<string, FileContext>, factsByPath: Map<string, FileSurvey['facts']>): BundleContext {
  /** A surveyed file's facts (none stated: the empty facts), or null when it was not surveyed. */
  const factsOf = (p: string): FileSurvey['facts'] | null => factsByPath.get(p) ?? (files.has(p) ? NO_FACTS : null);
  const all = [...files.values()];
  const root = commonRoot(all.map((f) => f.dir));
  const hosts = distinctNames(all.flatMap((f) => [...f.factHosts.map((c) => c.name), ...f.lineHosts]));
  // Each directory's files (recursively), found once: every question below is about "the files of
  // a directory", and asking it of all files for each file made a large bundle quadratic.
  const under = new Map<string, FileContext[]>();
  for (const f of all) for (const dir of ancestors(f.dir, root)) push(under, dir, f);
  const filesUnder = (dir: string): FileContext[] => under.get(dir) ?? [];

  /** Hosts a file stands for as directory evidence: its capture's host, else every host its lines name. */
  const hostsOfFile = (f: FileContext): readonly string[] => (f.capture.host ? [f.capture.host] : f.lineHosts);
  const dirHosts = new Map<string, string[]>();
  const hostsUnder = (dir: string): string[] => {
    let h = dirHosts.get(dir);
    if (!h) {
      const claims = filesUnder(dir).flatMap((f) => hostsOfFile(f).map((name) => ({ name, how: 'directory', where: f.path })));
      h = distinctHosts(claims);
      dirHosts.set(dir, h);
    }
    return h;
  };
  /** Per directory: the files that state a zone, the distinct zones, and those files by their capture's host. */
  const zonesUnder = new Map<string, { stating: FileContext[]; names: string[]; byHost: ByHost<FileContext> }>();
  const zonesOf = (dir: string) => {
    let z = zonesUnder.get(dir);
    if (!z) {
      const stating = filesUnder(dir).filter((g) => g.zone);
      const byHost = new ByHost<FileContext>();
      for (const g of stating) if (g.capture.host) byHost.add(g.capture.host, g);
      z = { stating, names: [...new Set(stating.map((g) => g.zone!.name))], byHost };
      zonesUnder.set(dir, z);
    }
    return z;
  };

  const decided = new Map<string, HostDecision>();
  const canonical = new Map<string, string>();
  const ownRefs = new Map<string, ReferenceInstant[]>();
  /** A file's own reference instants, read in `zoneOf` (cached: siblings ask for them again and again). */
  const own = (p: string, zoneOf: string): ReferenceInstant[] => {
    const key = `${p}\0${zoneOf}`;
    const known = ownRefs.get(key);
    if (known) return known;
    const facts = factsOf(p);
    const f = files.get(p);
    if (!facts || !f) return [];
    const out: ReferenceInstant[] = [];
    const capture = captureInstantUs(facts, zoneOf);
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
    const newest = f.newestDated;
    if (newest !== null) out.push({ us: newest, why: `the newest timestamp with a year in ${p} (${iso(newest)})` });
    // Kept for the siblings that ask for them; a file of a host of its own has none (see hostFor).
    if (!isUnknownHost(ctx.hostFor(p).host)) ownRefs.set(key, out);
    return out;
  };
  /**
   * Files that may hold a reference instant (a date fact, a journal header, a line with a year), per
   * directory and by host: the only siblings worth asking.
   */
  const mayRefer = (f: FileContext): boolean => {
    const facts = factsOf(f.path)!;
    return facts.dateUs !== undefined || facts.dateWall !== undefined || f.journalHeaders.size > 0 || f.newestDated !== null;
  };
  const referringUnder = new Map<string, ByHost<FileContext>>();
  const referringOf = (dir: string): ByHost<FileContext> => {
    let r = referringUnder.get(dir);
    if (!r) {
      r = new ByHost<FileContext>();
      for (const g of filesUnder(dir)) if (mayRefer(g)) r.add(ctx.hostFor(g.path).host, g);
      referringUnder.set(dir, r);
    }
    return r;
  };
  /** The best two sibling references of one host in one directory, from two different files. */
  const bestTwo = new Map<string, { path: string; ref: ReferenceInstant }[]>();

  const statedZones = [...new Set(all.filter((f) => f.zone).map((f) => f.zone!.name))];
  const hintsUnder = new Map<string, ByHost<FileContext>>();
  const ctx: BundleContext = {
    files,
    hosts,
    statedZones,
    zoneHintsFor(path) {
      const f = files.get(path);
      if (!f) return [];
      if (f.offsets.length > 0) return f.offsets;
      const host = ctx.hostFor(path).host;
      for (const dir of ancestors(f.dir, root)) {
        let by = hintsUnder.get(dir);
        if (!by) {
          by = new ByHost<FileContext>();
          for (const g of filesUnder(dir)) if (g.offsets.length > 0) by.add(ctx.hostFor(g.path).host, g);
          hintsUnder.set(dir, by);
        }
        const same = by.matching(host);
        if (same.length > 0) return keepHints(same.flatMap((g) => g.offsets));
      }
      return [];
    },
    hostFor(path, userHost) {
      const key = `${path}\0${userHost ?? ''}`;
      const known = decided.get(key);
      if (known) return known;
      const f = files.get(path);
      const d = !f
        ? decideHost(path, { host: null, why: `${path} was not surveyed` }, { host: null, why: 'no directory evidence' }, userHost)
        : decideHost(path, f.capture, directoryHost(ancestors(f.dir, root).map((dir): DirectoryHosts => ({ dir, hosts: hostsUnder(dir) }))), userHost);
      // A host of its own (unknown:<path>) is a question only this file asks, a few times, and the
      // answer is cheap: kept, 100,000 unnamed tiny files held 100,000 decisions and their
      // sentences for the whole run (#17).
      if (!isUnknownHost(d.host)) decided.set(key, d);
      return d;
    },
    zoneFor(path) {
      const f = files.get(path);
      if (!f) return null;
      const host = ctx.hostFor(path).host;
      for (const dir of ancestors(f.dir, root)) {
        const { stating, names, byHost } = zonesOf(dir);
        if (stating.length === 0) continue;
        if (names.length === 1) {
          const g = stating[0]!;
          return { name: names[0]!, why: `${g.zone!.why} (in ${g.path}, the only zone stated in ${dir})` };
        }
        // Several zones: the one the same host's captures state, when they agree.
        const sameHostStating = byHost.matching(host);
        const same = [...new Set(sameHostStating.map((g) => g.zone!.name))];
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
      const refs = [...own(path, zone)];
      const f = files.get(path);
      if (!f) return refs;
      const host = ctx.hostFor(path).host;
      // Siblings: captures of the same host in the nearest directory that has any reference.
      for (const dir of ancestors(f.dir, root)) {
        const key = `${dir}\0${host}\0${zone}`;
        let best = bestTwo.get(key);
        if (!best) {
          const theirs = referringOf(dir).matching(host).flatMap((g) =>
            own(g.path, ctx.zoneFor(g.path)?.name ?? g.zone?.name ?? zone).map((r) => ({ path: g.path, ref: r })));
          // Stable: among equal instants the first file (and its first reference) wins, as before.
          theirs.sort((a, b) => b.ref.us - a.ref.us);
          const first = theirs[0];
          const second = first ? theirs.find((t) => t.path !== first.path) : undefined;
          best = [first, second].filter((t): t is { path: string; ref: ReferenceInstant } => t !== undefined);
          // A host of its own (unknown:<path>) has no sibling to share the answer with: not kept.
          if (!isUnknownHost(host)) bestTwo.set(key, best);
        }
        const pick = best.find((t) => t.path !== path);
        if (pick) {
          refs.push({ us: pick.ref.us, why: `${pick.ref.why}, a file of the same host ${host} in ${dir}` });
          break;
        }
      }
      return refs;
    },
    bootEvidence(path, zone) {
      const facts = factsOf(path);
      if (!facts) return { current: [], earlier: new Map(), currentLastUs: null };
      return captureBootEvidence(facts, zone, path);
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

function iso(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}
export * from './kernel-match.js';
export * from './decide.js';

/** A section's head and tail lines, each once: in a section of a few lines they are the same lines. */
function uniqueLines(s: SectionPlan): Set<string> {
  return new Set([...s.head, ...s.tail]);
}
