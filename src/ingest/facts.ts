/**
 * Facts that a diagnostic bundle states about itself: when it was captured (`date`), in which zone
 * (`timedatectl`, the abbreviation in `date`), on which host (`hostname`) and since when the host
 * has been up (`uptime -s`, `who -b`, `/proc/stat` btime, `/proc/uptime`). The pipeline uses them
 * for zones, year inference and boot anchoring, and records each use as an assumption.
 */
import type { FactCommand } from './sections.js';
import { ABBREVIATION_ZONES, isValidZone, localToUtc, offsetAt } from '../time/zones.js';
import { isValidDateTime } from '../time/yearless.js';
import type { WallTime } from '../model/time.js';

export type { WallTime };

export interface FileFacts {
  /** The capture instant from a `date` section, when its zone or offset is known from the line itself. */
  dateUs?: number;
  /** The `date` line as read, for messages. */
  dateText?: string;
  /** A `date` line without a usable zone: the wall time, to be read in the file's zone. */
  dateWall?: WallTime;
  /** The IANA zone the bundle states, and where it said so. */
  zone?: { name: string; why: string };
  hostname?: string;
  /**
   * Every host the capture's fact sections name, in the order read (`hostname`, `uname -a`,
   * `hostnamectl`): two different names are a contradiction the context reports.
   */
  hostClaims?: HostClaimFact[];
  /** Boot instant facts. `wall` ones are read in the file's zone; `who -b` is minute-precise. */
  bootWall?: { wall: WallTime; why: string; minutePrecise?: boolean };
  /** `uptime -s` and `who -b` both, when the capture has both (bootWall keeps the first). */
  bootWalls?: { wall: WallTime; why: string; minutePrecise: boolean }[];
  /** `journalctl --list-boots`: index 0 is the boot running at capture time. */
  listBoots?: ListedBoot[];
  bootUs?: { us: number; why: string };
  /** Seconds since boot at capture time (`/proc/uptime`), combined with `date`. */
  uptimeSeconds?: number;
}

export interface HostClaimFact {
  name: string;
  /** The command that said so: `hostname`, `uname -a`, `hostnamectl`. */
  how: string;
  line: string;
}

/** A time a bundle states in journalctl's style: `Wed 2020-03-25 12:03:18 UTC`. */
export interface StatedTime {
  wall: WallTime;
  /** The abbreviation or offset after the time (`UTC`, `PDT`, `+0200`), when any. */
  zoneText: string | null;
  text: string;
}

export interface ListedBoot {
  index: number;
  id: string;
  first: StatedTime;
  last: StatedTime | null;
  line: string;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

// `Tue May 26 19:53:09 PDT 2026`, `Tue May 26 19:53:09 -0700 2026`, `Tue 26 May 2026 07:53:09 PM PDT` is not handled.
const DATE_DEFAULT = /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(?:([A-Z]{1,5}|[+-]\d{4})\s+)?(\d{4})$/;
const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?\s*(Z|[+-]\d{2}:?\d{2})$/;
const WALL = /(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/;

/** Read the lines of one fact section into `facts`. Returns a note on what was read, or why not. */
export function readFact(command: FactCommand, lines: string[], facts: FileFacts): string {
  const text = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  switch (command) {
    case 'date': {
      const line = text[0];
      if (!line) return 'empty date section';
      facts.dateText = line;
      const iso = ISO_WITH_ZONE.exec(line);
      if (iso) {
        const off = iso[7] === 'Z' ? 0 : parseOffset(iso[7]!);
        const wall = Date.UTC(+iso[1]!, +iso[2]! - 1, +iso[3]!, +iso[4]!, +iso[5]!, +iso[6]!);
        facts.dateUs = (wall - off * 60_000) * 1000;
        return `capture time ${line}`;
      }
      const m = DATE_DEFAULT.exec(line);
      if (!m) return `date section not understood: ${line}`;
      const month = MONTHS[m[1]!.toLowerCase()];
      if (!month) return `date section not understood: ${line}`;
      const wall: WallTime = { year: +m[7]!, month, day: +m[2]!, hour: +m[3]!, minute: +m[4]!, second: +m[5]! };
      if (!isValidDateTime(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second)) return `date section holds an impossible time: ${line}`;
      const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
      const zoneText = m[6];
      if (zoneText && /^[+-]\d{4}$/.test(zoneText)) {
        facts.dateUs = (wallMs - parseOffset(zoneText) * 60_000) * 1000;
        return `capture time ${line}`;
      }
      if (zoneText && ABBREVIATION_ZONES[zoneText]) {
        const { zone, offsets } = ABBREVIATION_ZONES[zoneText]!;
        const offset = offsets[0]!;
        facts.dateUs = (wallMs - offset * 60_000) * 1000;
        // The abbreviation names an offset; the IANA zone it stands for is a guess checked against it.
        if (offsetAt(zone, facts.dateUs / 1000) === offset && !facts.zone) {
          facts.zone = { name: zone, why: `the bundle's date section says ${zoneText} (${line})` };
        }
        return `capture time ${line}`;
      }
      facts.dateWall = wall;
      return `capture time ${line} (no zone in the line; read in the file's zone)`;
    }
    case 'timedatectl': {
      for (const l of text) {
        const m = /^Time zone:\s*([A-Za-z0-9_+\-/]+)/.exec(l);
        if (m && isValidZone(m[1]!)) {
          facts.zone = { name: m[1]!, why: `the bundle's timedatectl section says "${l}"` };
        }
        const u = /^Universal time:\s*\w{3}\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\s+UTC/.exec(l);
        if (u && facts.dateUs === undefined) {
          facts.dateUs = Date.parse(u[1]!.replace(' ', 'T') + 'Z') * 1000;
          facts.dateText = l;
        }
      }
      return facts.zone ? `zone ${facts.zone.name}` : 'timedatectl without a Time zone line';
    }
    case 'hostname': {
      const h = text[0];
      if (h && HOSTNAME.test(h)) {
        claimHost(facts, h, 'hostname', h);
        return `host ${h}`;
      }
      return 'hostname section not understood';
    }
    case 'uptime-s':
    case 'who-b': {
      const line = text[0] ?? '';
      const m = WALL.exec(line);
      if (!m) return `${command === 'uptime-s' ? 'uptime -s' : 'who -b'} section not understood`;
      const wall: WallTime = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: m[6] ? +m[6] : 0 };
      if (!isValidDateTime(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second)) return `impossible boot time: ${line}`;
      // `who -b` prints whole minutes (and so does an `uptime -s` line without seconds).
      const minutePrecise = command === 'who-b' || !m[6];
      const fact = { wall, why: `the \`${command === 'uptime-s' ? 'uptime -s' : 'who -b'}\` section (${line})`, minutePrecise };
      (facts.bootWalls ??= []).push(fact);
      // The second-precise fact is the one kept in bootWall.
      if (!facts.bootWall || (facts.bootWall.minutePrecise && !minutePrecise)) facts.bootWall = fact;
      return `boot ${line}${minutePrecise ? ' (minute precision)' : ''}`;
    }
    case 'uname': {
      // `Linux kai-server 6.8.0-31-generic #31-Ubuntu SMP ... x86_64 GNU/Linux`: the node name is the second word.
      const line = text[0] ?? '';
      const m = /^(\S+)\s+(\S+)\s/.exec(line);
      if (!m || !HOSTNAME.test(m[2]!)) return 'uname -a section not understood';
      claimHost(facts, m[2]!, 'uname -a', line);
      return `host ${m[2]} (uname -a)`;
    }
    case 'hostnamectl': {
      for (const l of text) {
        const m = /^(?:Static hostname|Transient hostname):\s*(\S+)$/.exec(l);
        if (m && HOSTNAME.test(m[1]!) && m[1] !== 'n/a') {
          claimHost(facts, m[1]!, 'hostnamectl', l);
          return `host ${m[1]} (hostnamectl)`;
        }
      }
      return 'hostnamectl without a hostname line';
    }
    case 'list-boots': {
      const boots: ListedBoot[] = [];
      for (const l of text) {
        const b = parseListedBoot(l);
        if (b) boots.push(b);
      }
      if (boots.length === 0) return 'journalctl --list-boots section not understood';
      facts.listBoots = boots;
      return `${boots.length} boot(s) listed`;
    }
    case 'proc-stat': {
      for (const l of text) {
        const m = /^btime\s+(\d{9,11})$/.exec(l);
        if (m) {
          facts.bootUs = { us: +m[1]! * 1_000_000, why: `btime ${m[1]} in the /proc/stat section` };
          return `boot btime ${m[1]}`;
        }
      }
      return '/proc/stat without btime';
    }
    case 'proc-uptime': {
      const m = /^(\d+(?:\.\d+)?)\s/.exec((text[0] ?? '') + ' ');
      if (!m) return '/proc/uptime section not understood';
      facts.uptimeSeconds = +m[1]!;
      return `uptime ${m[1]} s`;
    }
  }
}

const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9.\-_]{0,252}$/;

function claimHost(facts: FileFacts, name: string, how: string, line: string): void {
  (facts.hostClaims ??= []).push({ name, how, line });
  facts.hostname ??= name;
}

// `Wed 2020-03-25 12:03:18 UTC`, `Wed 2020-03-25 12:03:18.123456 CEST`, `2020-03-25 12:03:18 +0200`.
const STATED = /(?:[A-Z][a-z]{2}\s+)?(\d{4})-(\d{2})-(\d{2})\s+(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:\s+([A-Z]{1,5}|[+-]\d{2}:?\d{2}))?/;

/** A time stated in journalctl's style, or null. */
export function parseStatedTime(text: string): StatedTime | null {
  const m = STATED.exec(text);
  if (!m) return null;
  const wall: WallTime = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: +m[6]! };
  if (!isValidDateTime(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second)) return null;
  return { wall, zoneText: m[7] ?? null, text: m[0] };
}

/**
 * The UTC instant of a stated time: its own offset or a known abbreviation (checked against the
 * zone's offset on that date), else read in `zone`. Null when neither applies.
 */
export function resolveStatedTime(t: StatedTime, zone: string | null): { us: number; how: string } | null {
  const w = t.wall;
  const wallMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  if (t.zoneText && /^[+-]\d{2}:?\d{2}$/.test(t.zoneText)) return { us: (wallMs - parseOffset(t.zoneText) * 60_000) * 1000, how: `its offset ${t.zoneText}` };
  const abbr = t.zoneText ? ABBREVIATION_ZONES[t.zoneText] : undefined;
  if (abbr) {
    const us = (wallMs - abbr.offsets[0]! * 60_000) * 1000;
    if (offsetAt(abbr.zone, us / 1000) === abbr.offsets[0]) return { us, how: `its zone ${t.zoneText}` };
  }
  if (!zone) return null;
  return { us: localToUtc(zone, w.year, w.month, w.day, w.hour, w.minute, w.second, 0).utcUs, how: `read in ${zone}${t.zoneText ? ` (${t.zoneText} not known)` : ''}` };
}

// ` -1 0dc874d3c8a04a36b4b5c8fc3e04a54a Tue 2024-05-21 09:12:01 UTC—Tue 2024-05-21 18:00:00 UTC`
// (older systemd) or `  0 4c2b0a8a… Mon 2024-05-27 08:00:01 CEST Mon 2024-05-27 10:00:00 CEST` (newer, in columns).
const LISTED_BOOT = /^\s*(-?\d{1,6})\s+([0-9a-f]{32})\s+(.+)$/;

export function parseListedBoot(line: string): ListedBoot | null {
  const m = LISTED_BOOT.exec(line);
  if (!m) return null;
  const rest = m[3]!;
  const first = parseStatedTime(rest);
  if (!first) return null;
  const after = rest.slice(rest.indexOf(first.text) + first.text.length);
  const last = parseStatedTime(after);
  return { index: +m[1]!, id: m[2]!, first, last, line: line.trim() };
}

function parseOffset(text: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) return 0;
  const v = +m[2]! * 60 + +m[3]!;
  return m[1] === '-' ? -v : v;
}

/** The capture instant of a file, given its zone: `date` with a zone, or `date` read in the zone. */
export function captureInstantUs(facts: FileFacts, zone: string | null): number | null {
  if (facts.dateUs !== undefined) return facts.dateUs;
  if (facts.dateWall && zone) {
    const w = facts.dateWall;
    return localToUtc(zone, w.year, w.month, w.day, w.hour, w.minute, w.second, 0).utcUs;
  }
  return null;
}
