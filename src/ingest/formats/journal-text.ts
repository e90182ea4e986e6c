/**
 * journalctl text output modes that the syslog descriptors cannot read (`short`, `short-precise`,
 * `short-iso`, `short-iso-precise` are syslog and syslog-rfc3339; `json` is journal-json):
 *
 *   short-full       `Tue 2026-05-26 17:18:04 PDT kai-server sshd[4242]: msg` (journalctl(1),
 *                    OUTPUT OPTIONS: "very similar, but shows timestamps in the format the
 *                    --since= and --until= options accept"; the weekday, date, time and zone)
 *   short-monotonic  `[ 7137.102298] kai-server kernel: msg` (seconds since boot, then the
 *                    host and tag): the kernel clock, carried as the uptime so boots anchor it.
 *
 * The message is framed and classified like any syslog line (sshd, kernel, klog under any program).
 */
import type { FormatDescriptor, LineResult, ParsedEvent, RawTime } from '../types.js';
import { continuesGoRecord, eventFromHeader, parseAfterTime } from './syslog.js';
import { shareOfLines, stripCarriageReturn } from './line-share.js';
import { calendarProblem, utcMs } from './iso-calendar.js';
import { lookupZoneAbbreviation } from '../../time/zone-abbreviations.js';

// `Tue 2026-05-26 17:18:04 PDT ` (newer journalctl may add `.123456` with --output=short-full).
const FULL_STAMP = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? ([A-Za-z][A-Za-z0-9+-]{0,9})(?= )/;

/**
 * The time of a short-full stamp. A zone word that pins an offset (PDT, EST, UTC) makes it exact;
 * any other (CEST, JST, +03) leaves a wall time read in the file's zone, which the section's
 * assumptions then state.
 */
function fullStamp(line: string): { time: RawTime; length: number } | { problem: string } | null {
  const m = FULL_STAMP.exec(line);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(2, 8).map(Number) as [number, number, number, number, number, number];
  const micro = m[8] ? Number(m[8].padEnd(6, '0')) : 0;
  const problem = calendarProblem(y, mo, d, h, mi, s, 0);
  if (problem) return { problem: `impossible timestamp ${JSON.stringify(m[0].slice(4))}: ${problem}` };
  const zone = lookupZoneAbbreviation(m[9]!);
  const offset = zone?.zone === 'UTC' ? 0 : zone?.claimedOffsetMinutes;
  const time: RawTime =
    offset !== undefined
      ? { kind: 'exact', utcUs: (utcMs(y, mo, d, h, mi, s) - offset * 60_000) * 1000 + micro }
      : { kind: 'local', year: y, month: mo, day: d, hour: h, minute: mi, second: s, micro };
  return { time, length: m[0].length };
}

function parseFull(raw: string, prev: ParsedEvent | null): LineResult | null {
  const line = stripCarriageReturn(raw);
  const stamp = fullStamp(line);
  if (!stamp) return null;
  if ('problem' in stamp) return { type: 'skip', reason: stamp.problem };
  const header = parseAfterTime(stamp.time, line.slice(stamp.length));
  if (!header || !header.tagged) return null;
  if (continuesGoRecord(prev, header.program, header.pid, header.message)) return { type: 'continuation' };
  return { type: 'event', event: eventFromHeader(header, prev) };
}

export const journalShortFull: FormatDescriptor = {
  name: 'journal-short-full',
  title: 'journalctl -o short-full (`Tue 2026-05-26 17:18:04 PDT host prog[pid]: msg`)',
  detect: (head) => shareOfLines(head, (line) => (parseFull(line, null)?.type === 'event' ? 'record' : 'foreign')),
  parse: parseFull,
  samples: [
    {
      line: 'Tue 2026-05-26 17:18:04 PDT kai-server sshd[4242]: Failed password for invalid user admin from 60.163.139.198 port 51234 ssh2',
      expect: { kind: 'sshd.failed_password', host: 'kai-server', time: '2026-05-27T00:18:04.000Z', fields: { ip: '60.163.139.198', user: 'admin', port: 51234 } },
    },
    {
      // A zone word that pins no offset: the wall time is read in the file's zone.
      line: 'Wed 2026-05-27 02:18:04 CEST kai-server kernel: eth0: Link is Down',
      expect: { source: 'kernel', time: '2026-05-27 02:18:04' },
    },
  ],
};

// `[ 7137.102298] host tag: msg`: the uptime stamp, a host word, then `kernel:` or `name[pid]:` —
// a raw dmesg line has the message right after the stamp (`[ 5.1] usb 1-1: new device`).
const MONOTONIC = /^\[\s{0,12}(\d{1,10})\.(\d{6})\] ([^\s:[\]]{1,253}) (kernel|[^\s:[\]]{1,128}\[\d{1,10}\]):/;

function parseMonotonic(raw: string, prev: ParsedEvent | null): LineResult | null {
  const line = stripCarriageReturn(raw);
  const m = MONOTONIC.exec(line);
  if (!m) return null;
  const us = Number(m[1]) * 1_000_000 + Number(m[2]);
  const header = parseAfterTime({ kind: 'uptime', us }, line.slice(line.indexOf(']') + 1));
  if (!header || !header.tagged) return null;
  if (continuesGoRecord(prev, header.program, header.pid, header.message)) return { type: 'continuation' };
  const event = eventFromHeader(header, prev);
  event.uptimeUs = us;
  return { type: 'event', event };
}

export const journalShortMonotonic: FormatDescriptor = {
  name: 'journal-short-monotonic',
  title: 'journalctl -o short-monotonic (`[ 7137.102298] host prog[pid]: msg`, seconds since boot)',
  detect: (head) => shareOfLines(head, (line) => (parseMonotonic(line, null) ? 'record' : 'foreign')),
  parse: parseMonotonic,
  samples: [
    {
      line: '[ 7137.102298] kai-server kernel: br-33693122cf09: port 8(veth2cbbca2) entered blocking state',
      expect: { kind: 'kernel.bridge_state', source: 'kernel', host: 'kai-server', time: '7137.102298', fields: { bridge: 'br-33693122cf09', state: 'blocking' } },
    },
    {
      line: '[ 7140.500000] kai-server sshd[4242]: Failed password for root from 60.163.139.198 port 40022 ssh2',
      expect: { kind: 'sshd.failed_password', host: 'kai-server', time: '7140.5', fields: { ip: '60.163.139.198', user: 'root' } },
    },
  ],
};

/** A raw dmesg line that is really short-monotonic journal output (dmesg.ts leaves these alone). */
export function isShortMonotonicLine(line: string): boolean {
  return MONOTONIC.test(line);
}
