/**
 * Reads a generated bundle back, independently of how it was written, so the suite can check the
 * ground truth against the files: the instants a syslog stamp can stand for (two in a repeated
 * autumn hour), and what a probe line says, in any of the simulator's shapes.
 */
import { DateTime } from 'luxon';
import { HOUR, SECOND, syslogStamp } from './clock.js';

const SYSLOG = /^([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\S+) ([^[\s]+)\[(\d+)\]: (.*)$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface SyslogRecord {
  /** Every UTC instant (µs) whose local wall clock the stamp shows. */
  instants: number[];
  host: string;
  prog: string;
  message: string;
}

export function readSyslog(line: string, zone: string, year: number): SyslogRecord | null {
  const m = SYSLOG.exec(line);
  if (!m) return null;
  const wall = DateTime.fromObject(
    { year, month: MONTHS.indexOf(m[1]!) + 1, day: Number(m[2]!.trim()), hour: Number(m[3]), minute: Number(m[4]), second: Number(m[5]) },
    { zone },
  );
  const base = wall.toMillis() * 1000;
  const stamp = line.slice(0, 15);
  const instants = [base - HOUR, base, base + HOUR].filter((us) => syslogStamp(us, zone) === stamp);
  return { instants, host: m[6]!, prog: m[7]!, message: m[9]! };
}

export interface ProbeReading {
  us: number;
  target: string | null;
  down: boolean;
}

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/;

/** One line of a probe log in any shape: its stamp as written, and whether it says the host is down. */
export function readProbe(line: string): ProbeReading | null {
  if (line.startsWith('timestamp,')) return null;
  if (line.startsWith('{')) {
    const j = JSON.parse(line) as { time: string; host: string; ok: boolean };
    return { us: Date.parse(j.time) * 1000, target: j.host, down: !j.ok };
  }
  const stamp = ISO.exec(line);
  if (!stamp) return null;
  const us = Date.parse(stamp[0]) * 1000;
  if (line.includes(',')) {
    const [, host, status] = line.split(',');
    return { us, target: host ?? null, down: status === 'down' };
  }
  const target = /target=(\S+)/.exec(line)?.[1] ?? line.slice(stamp[0].length).trim().split(' ')[0] ?? null;
  const down = /-> dead|state=dead|state=down|^\S+ \S+ down /.test(line);
  return { us, target, down };
}

export const toSeconds = (us: number): number => Math.round(us / SECOND);

const DMESG = /^\[\s*(\d+)\.(\d{6})\] /;

/**
 * The instant of a raw dmesg line, from its seconds since boot and the boot instant its capture's
 * `uptime -s` states (local wall time in the incident's zone, whole seconds).
 */
export function readDmesg(line: string, uptimeSince: string, zone: string): number | null {
  const m = DMESG.exec(line);
  const boot = DateTime.fromFormat(uptimeSince, 'yyyy-MM-dd HH:mm:ss', { zone });
  if (!m || !boot.isValid) return null;
  return boot.toMillis() * 1000 + Number(m[1]) * SECOND + Number(m[2]);
}
