/**
 * RFC 3164 syslog as it travels: with its `<PRI>` in front, the way a remote syslog receiver, a
 * netcat capture or a network device's own log writes it: `<34>Oct 11 22:14:15 mymachine su: 'su
 * root' failed for lonvick on /dev/pts/8` (RFC 3164 §5.4). The PRI is facility × 8 + severity; the
 * rest is a BSD line (year-less, local time: the year is inferred and the zone assumed, as for the
 * syslog format) or, from rsyslog's forwarding templates, an RFC 3339 one. `<13>1 2026-…` is RFC 5424
 * (its version `1` after the PRI) and is left to that format.
 */
import type { FormatDescriptor, LineResult, ParsedEvent, RawTime } from '../types.js';
import { eventFromHeader, parseAfterTime, parseBsdStamp, parseIsoStamp, severityFromPriority } from './syslog.js';
import { stripCarriageReturn } from './line-share.js';

export const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

const PRI = /^<(\d{1,3})>/;

interface PriLine {
  pri: number;
  stamp: { time: RawTime; length: number } | null;
  rest: string;
}

function readPri(line: string): PriLine | null {
  const m = PRI.exec(line);
  if (!m) return null;
  const pri = Number(m[1]);
  if (pri > 191) return null;
  const rest = line.slice(m[0].length);
  // RFC 5424: `<PRI>1 ` (the version).
  if (/^\d{1,2} /.test(rest)) return null;
  return { pri, stamp: parseBsdStamp(rest) ?? parseIsoStamp(rest), rest };
}

export function parsePriLine(raw: string, prev: ParsedEvent | null): LineResult | null {
  const line = stripCarriageReturn(raw);
  const read = readPri(line);
  if (!read) {
    if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
    // An indented line continues the message before it (as in a BSD file); anything else is not ours.
    return prev && /^\s/.test(line) ? { type: 'continuation' } : null;
  }
  if (!read.stamp) return { type: 'skip', reason: `a <PRI> line with no readable timestamp after it: ${JSON.stringify(read.rest.slice(0, 24))}` };
  const header = parseAfterTime(read.stamp.time, read.rest.slice(read.stamp.length));
  if (!header) return { type: 'skip', reason: 'a <PRI> line whose timestamp is not followed by a host or tag' };
  const event = eventFromHeader(header, prev);
  // A generic program has no opinion of its own; the sender's priority is the better word (as for RFC 5424).
  if (event.source === 'syslog') event.severity = severityFromPriority(read.pri);
  event.fields = { ...event.fields, facility: FACILITIES[read.pri >> 3]!, pri: read.pri };
  return { type: 'event', event };
}

function isPriRecord(line: string): boolean {
  const read = readPri(stripCarriageReturn(line));
  return read?.stamp != null && parseAfterTime(read.stamp.time, read.rest.slice(read.stamp.length)) !== null;
}

export const syslogPriFormat: FormatDescriptor = {
  name: 'syslog-pri',
  title: 'RFC 3164 syslog with its `<PRI>` (`<34>Oct 11 22:14:15 host su: msg`: remote receivers, netcat captures)',
  detect(head) {
    let seen = 0;
    let ours = 0;
    let inRecord = false;
    for (const raw of head) {
      const line = stripCarriageReturn(raw);
      if (line.trim() === '') continue;
      seen++;
      if (isPriRecord(line)) {
        ours++;
        inRecord = true;
      } else if (inRecord && /^\s/.test(line)) ours++;
    }
    return seen === 0 ? 0 : ours / seen;
  },
  parse: parsePriLine,
  samples: [
    // RFC 3164 §5.4, its first example.
    {
      line: "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
      expect: { kind: 'syslog.su', source: 'syslog', severity: 'critical', host: 'mymachine', time: '10-11 22:14:15', fields: { facility: 'auth', pri: 34 } },
    },
    // RFC 3164 §5.4's last example: a relay's header in front of the original sender's.
    {
      line: '<0>Oct 22 10:52:12 scapegoat 1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That\'s All Folks!',
      expect: { source: 'syslog', severity: 'critical', host: 'scapegoat', time: '10-22 10:52:12', fields: { facility: 'kern', pri: 0 } },
    },
    {
      line: '<38>May 26 17:18:04 kai-server sshd[4242]: Failed password for invalid user admin from 60.163.139.198 port 51234 ssh2',
      expect: { kind: 'sshd.failed_password', source: 'sshd', severity: 'warning', host: 'kai-server', fields: { ip: '60.163.139.198', user: 'admin', facility: 'auth', pri: 38 } },
    },
    // rsyslog's forwarding template with a high-precision stamp.
    {
      line: '<86>2026-05-26T17:18:04.123456-07:00 kai-server sudo: pam_unix(sudo:session): session opened for user root(uid=0) by kai(uid=1000)',
      expect: { kind: 'syslog.sudo', severity: 'info', time: '2026-05-27T00:18:04.123Z', fields: { facility: 'authpriv', pri: 86 } },
    },
  ],
};
