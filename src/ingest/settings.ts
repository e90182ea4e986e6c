/**
 * Decides, per file, the zone, host and year reference that its lines are read with, and says why.
 * The order of each decision is the one docs/time.md documents; every decision becomes an
 * assumption sentence stored with the section.
 */
import { basename } from 'node:path';
import type { FileSurvey } from './survey.js';
import { captureInstantUs } from './facts.js';
import { machineZone } from '../time/zones.js';
import { iso } from '../time/boot-anchor.js';

export interface UserTimeOptions {
  tz?: string;
  tzFor: { glob: string; zone: string }[];
  host?: string;
  year?: number;
  refUs?: number;
  refText?: string;
  bootUs?: number;
  bootText?: string;
}

export interface BundleFacts {
  zone?: { name: string; why: string; path: string };
  hostname?: { name: string; path: string };
  /** Several files stated different zones or hosts: said in a warning. */
  conflicts: string[];
}

export function collectBundleFacts(surveys: FileSurvey[]): BundleFacts {
  const out: BundleFacts = { conflicts: [] };
  const zones = new Map<string, { why: string; path: string }>();
  const hosts = new Map<string, string>();
  for (const s of surveys) {
    if (s.facts.zone && !zones.has(s.facts.zone.name)) zones.set(s.facts.zone.name, { why: s.facts.zone.why, path: s.path });
    if (s.facts.hostname && !hosts.has(s.facts.hostname)) hosts.set(s.facts.hostname, s.path);
  }
  const z = [...zones.entries()][0];
  if (z) out.zone = { name: z[0], why: z[1].why, path: z[1].path };
  if (zones.size > 1) out.conflicts.push(`the bundle states several zones (${[...zones.keys()].join(', ')}); files without their own use ${z![0]}`);
  const h = [...hosts.entries()][0];
  if (h) out.hostname = { name: h[0], path: h[1] };
  if (hosts.size > 1) out.conflicts.push(`the bundle names several hosts (${[...hosts.keys()].join(', ')}); files without their own use ${h![0]}`);
  return out;
}

export interface FileSettings {
  zone: string;
  zoneWhy: string;
  zoneIsFallback: boolean;
  host: string;
  hostWhy: string;
  refUs: number | null;
  refWhy: string;
}

/** Glob match for --tz-for: `*` within a path segment, `**` across, `?` one character. */
export function globMatches(glob: string, path: string): boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const rx = new RegExp(`^${re}$`);
  const norm = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return rx.test(norm) || rx.test(basename(norm)) || rx.test(path);
}

export function decideFileSettings(survey: FileSurvey, user: UserTimeOptions, bundle: BundleFacts): FileSettings {
  let zone: string;
  let zoneWhy: string;
  let zoneIsFallback = false;
  const forFile = user.tzFor.find((t) => globMatches(t.glob, survey.path));
  if (forFile) {
    zone = forFile.zone;
    zoneWhy = `zone ${zone} from --tz-for ${forFile.glob}=${forFile.zone}`;
  } else if (user.tz) {
    zone = user.tz;
    zoneWhy = `zone ${zone} from --tz`;
  } else if (survey.facts.zone) {
    zone = survey.facts.zone.name;
    zoneWhy = `zone ${zone}: ${survey.facts.zone.why}`;
  } else if (bundle.zone) {
    zone = bundle.zone.name;
    zoneWhy = `zone ${zone}: ${bundle.zone.why} (in ${bundle.zone.path})`;
  } else {
    zone = machineZone();
    zoneWhy = `zone ${zone} is this machine's zone: a FALLBACK, since neither --tz nor the bundle names one`;
    zoneIsFallback = true;
  }

  let host: string;
  let hostWhy: string;
  if (user.host) {
    host = user.host;
    hostWhy = `host ${host} from --host for records that name none`;
  } else if (survey.facts.hostname) {
    host = survey.facts.hostname;
    hostWhy = `host ${host} from the file's hostname section, for records that name none`;
  } else if (bundle.hostname) {
    host = bundle.hostname.name;
    hostWhy = `host ${host} from the hostname section of ${bundle.hostname.path}, for records that name none`;
  } else {
    host = 'unknown';
    hostWhy = 'no host named by --host or the bundle: records that name none are under host "unknown"';
  }

  let refUs: number | null = null;
  let refWhy: string;
  const capture = captureInstantUs(survey.facts, zone);
  if (user.year !== undefined) {
    refWhy = `year ${user.year} from --year for times without one`;
  } else if (user.refUs !== undefined) {
    refUs = user.refUs;
    refWhy = `year inferred against --ref ${user.refText ?? ''} (${iso(refUs)})`.replace('  ', ' ');
  } else if (capture !== null) {
    refUs = capture;
    refWhy = `year inferred against the capture time in the file's date section (${iso(capture)})`;
  } else {
    const newest = newestExplicitInstant(survey);
    if (newest !== null) {
      refUs = newest;
      refWhy = `year inferred against the newest timestamp with a year in the file (${iso(newest)})`;
    } else {
      refUs = Math.round(survey.mtimeMs) * 1000;
      refWhy = `year inferred against the file's modification time (${iso(refUs)}), for want of anything better`;
    }
  }
  return { zone, zoneWhy, zoneIsFallback, host, hostWhy, refUs, refWhy };
}

/** The newest instant carried with an explicit year in the file's surveyed lines (head and tail of each section). */
function newestExplicitInstant(survey: FileSurvey): number | null {
  let newest: number | null = null;
  for (const s of survey.sections) {
    if (!s.format) continue;
    for (const line of [...s.head, ...s.tail]) {
      let r;
      try {
        r = s.format.parse(line, null);
      } catch {
        continue;
      }
      if (r?.type !== 'event') continue;
      const t = r.event.time;
      let us: number | null = null;
      if (t.kind === 'exact') us = t.utcUs;
      else if (t.kind === 'local' && t.year !== null) us = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) * 1000;
      if (us !== null && (newest === null || us > newest)) newest = us;
    }
  }
  return newest;
}

export { iso };

