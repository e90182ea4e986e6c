/**
 * dmesg's relative stamps (util-linux sys-utils/dmesg.c, the `--time-format` cases):
 *
 *   reltime  `dmesg -e` / `--time-format reltime`: when a record's local minute differs from the
 *            record before's, the minute itself (`[Feb 2 12:00] `, strftime `%b%e %H:%M`: the day is
 *            space-padded, `[Feb12 12:00]` for two digits); otherwise the seconds since the record
 *            before (`[  +0.000123] `, `[ +12.345678] `; older versions write `[+0.000123]`).
 *   delta    `dmesg -d -t` / `--time-format delta`: only the seconds since the record before,
 *            `[<    0.000123>] ` (`%12.06f` inside `<>`); the first record's is 0.
 *
 * A reltime minute line is a wall time known only to its minute: it is read as the middle of that
 * minute, ±30 s (`time_precision_s`), and each relative line after it adds its gaps to that, with
 * the same precision (the gaps are exact). Relative lines before any minute line have no anchor:
 * they are stored with no time, their gap kept as a field.
 *
 * A delta line is placed only when the section starts at boot: its first record is the kernel's
 * `Linux version …` banner, so the running sum of gaps is the uptime, anchored to the boot like raw
 * dmesg. Otherwise nothing says when the first record was: the lines are stored with no time.
 */
import type { FormatDescriptor, LineResult, ParsedEvent, RawTime } from '../types.js';
import { kernelEvent } from './dmesg.js';
import { shareOfLines, stripCarriageReturn } from './line-share.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MINUTE_STAMP = /^\[(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)( \d|\d{2}) (\d{2}):(\d{2})\](?: |$)/;
const GAP_STAMP = /^\[ {0,4}\+(\d{1,9})\.(\d{6})\](?: |$)/;
const DELTA_STAMP = /^\[< {0,12}(\d{1,9})\.(\d{6})>\](?: |$)/;

/** Half a minute: where in its minute a reltime minute line fell is unknown. */
export const RELTIME_PRECISION_S = 30;

function micros(seconds: string, fraction: string): number {
  return Number(seconds) * 1_000_000 + Number(fraction);
}

/** A wall time `us` microseconds after `base` (a year-less wall clock, so the arithmetic uses a leap year). */
function wallPlus(base: { month: number; day: number; hour: number; minute: number }, us: number): RawTime {
  const ms = Date.UTC(2000, base.month - 1, base.day, base.hour, base.minute, 0) + Math.floor(us / 1000);
  const d = new Date(ms);
  return {
    kind: 'local',
    year: null,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    micro: (d.getUTCMilliseconds() * 1000) + (us % 1000),
  };
}

function emptyOrEvent(time: RawTime, message: string, fields: Record<string, number | string>): LineResult {
  if (message.trim() === '') return { type: 'skip', reason: 'kernel record with an empty message' };
  const event = kernelEvent(time, message);
  event.fields = { ...event.fields, ...fields };
  return { type: 'event', event };
}

function otherLine(line: string, prev: ParsedEvent | null): LineResult | null {
  if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
  // dmesg indents the further lines of a multi-line record.
  if (prev && /^[ \t]/.test(line)) return { type: 'continuation' };
  return null;
}

function reltimeReader(): (line: string, prev: ParsedEvent | null) => LineResult | null {
  let minute: { month: number; day: number; hour: number; minute: number } | null = null;
  /** Seconds since the minute line's own instant, summed over the gaps since. */
  let sinceUs = 0;
  return (raw, prev) => {
    const line = stripCarriageReturn(raw);
    const m = MINUTE_STAMP.exec(line);
    if (m) {
      const day = Number(m[2]!.trim());
      const [hour, min] = [Number(m[3]), Number(m[4])];
      if (day < 1 || day > 31 || hour > 23 || min > 59) return { type: 'skip', reason: `impossible dmesg minute ${JSON.stringify(m[0].trim())}` };
      minute = { month: MONTHS.indexOf(m[1]!) + 1, day, hour, minute: min };
      sinceUs = 0;
      return emptyOrEvent(wallPlus(minute, RELTIME_PRECISION_S * 1_000_000), line.slice(m[0].length), { time_precision_s: RELTIME_PRECISION_S });
    }
    const g = GAP_STAMP.exec(line);
    if (g) {
      const gap = micros(g[1]!, g[2]!);
      const gapField = { gap_s: gap / 1e6 };
      if (!minute) return emptyOrEvent({ kind: 'none' }, line.slice(g[0].length), gapField);
      sinceUs += gap;
      return emptyOrEvent(wallPlus(minute, RELTIME_PRECISION_S * 1_000_000 + sinceUs), line.slice(g[0].length), { ...gapField, time_precision_s: RELTIME_PRECISION_S });
    }
    return otherLine(line, prev);
  };
}

function deltaReader(): (line: string, prev: ParsedEvent | null) => LineResult | null {
  let first = true;
  /** Set when the first record is the boot banner: the running sum is then the uptime. */
  let fromBoot = false;
  let sumUs = 0;
  return (raw, prev) => {
    const line = stripCarriageReturn(raw);
    const d = DELTA_STAMP.exec(line);
    if (!d) return otherLine(line, prev);
    const gap = micros(d[1]!, d[2]!);
    const message = line.slice(d[0].length);
    if (first) {
      first = false;
      fromBoot = gap === 0 && /^Linux version \S/.test(message);
    }
    sumUs += gap;
    const fields = { gap_s: gap / 1e6 };
    return emptyOrEvent(fromBoot ? { kind: 'uptime', us: sumUs } : { kind: 'none' }, message, fields);
  };
}

export const dmesgReltime: FormatDescriptor = {
  name: 'dmesg-reltime',
  title: 'dmesg -e / --time-format reltime (`[Feb 2 12:00]` minutes, then `[  +0.000123]` gaps)',
  detect: (head) => shareOfLines(head, (line) => (MINUTE_STAMP.test(line) ? 'record' : GAP_STAMP.test(line) ? 'companion' : 'foreign')),
  parse: (line, prev) => reltimeReader()(line, prev),
  reader: reltimeReader,
  samples: [
    {
      // The shape util-linux prints (`%b%e %H:%M`), a bridge line as kai-server's dmesg has it.
      line: '[May26 17:18] br-33693122cf09: port 8(veth2cbbca2) entered blocking state',
      expect: { kind: 'kernel.bridge_state', source: 'kernel', time: '05-26 17:18:30', fields: { bridge: 'br-33693122cf09', state: 'blocking', time_precision_s: 30 } },
    },
    {
      line: '[Feb 2 09:05] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
      expect: { kind: 'kernel.boot', time: '02-02 09:05:30', fields: { version: '6.1.0-18-amd64' } },
    },
  ],
};

export const dmesgDelta: FormatDescriptor = {
  name: 'dmesg-delta',
  title: 'dmesg --time-format delta (`[<    0.000123>]`, the gap since the record before)',
  detect: (head) => shareOfLines(head, (line) => (DELTA_STAMP.test(line) ? 'record' : 'foreign')),
  parse: (line, prev) => deltaReader()(line, prev),
  reader: deltaReader,
  samples: [
    {
      line: '[<    0.000000>] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
      expect: { kind: 'kernel.boot', time: '0.000000', fields: { version: '6.1.0-18-amd64', gap_s: 0 } },
    },
    {
      line: '[<    0.004211>] nf_conntrack: nf_conntrack: table full, dropping packet',
      expect: { kind: 'kernel.conntrack_full', fields: { gap_s: 0.004211 } },
    },
  ],
};
