/**
 * Raw kernel ring buffer as `dmesg` prints it by default: `[ 7137.102298] msg`, with the priority
 * prefix of `dmesg -r` and pstore/ERST dumps (`<6>[    2.608284] msg`), or the decoded prefix of
 * `dmesg -x` (`kern  :info  : [    2.608284] msg`). The stamp is seconds since boot: the line gives
 * `{kind:'uptime'}` and the pipeline anchors it to a boot instant.
 */
import type { FormatDescriptor, LineResult, ParsedEvent, RawTime, Severity } from '../types.js';
import { classifyKernel, severityFromKernelPriority } from '../classify/kernel.js';
import { shareOfLines, stripCarriageReturn, type LineVerdict } from './line-share.js';
import { isShortMonotonicLine } from './journal-text.js';

// `<6>[    2.608284] msg`, `[ 7137.102298] msg`; the fraction is usually 6 digits (anonymised logs shorten it).
const UPTIME_LINE = /^(?:<(\d{1,3})>)?\[ {0,12}(\d{1,10})\.(\d{1,9})\](?: |$)/;
// `dmesg -x`: facility and level decoded into words before the stamp.
const DECODED_PREFIX =
  /^(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7]) {0,8}:(emerg|alert|crit|err|warn|notice|info|debug) {0,8}: /;
// CONFIG_PRINTK_CALLER adds the caller thread or CPU: `[    T1]`, `[  C3]`.
const CALLER_ID = /^\[ {0,8}[TC]\d{1,7}\] ?/;
// pstore/ERST dump framing: `dmesg-erst-7530486857247752194:` then `Panic#1 Part2` (or `Oops#1 Part1`).
const PSTORE_FILE_HEADER = /^dmesg-[a-z]{1,16}-\d{1,32}:$/;
const PSTORE_PART_HEADER = /^(?:Panic|Oops|Emergency|Restart|Halt|Poweroff|Unknown)#\d{1,10} Part\d{1,10}$/;

/**
 * Seconds since boot no kernel can show: 10^9 s is 31.7 years, and Linux itself is 35 (1991). A
 * bracketed stamp that large is an epoch (`ping -D` writes `[1779851884.123456] 64 bytes from …`),
 * and reading it as an uptime would place the line decades after its boot: it is not this format's.
 */
export const MAX_UPTIME_S = 1_000_000_000;

const DECODED_LEVEL: Record<string, number> = { emerg: 0, alert: 1, crit: 2, err: 3, warn: 4, notice: 5, info: 6, debug: 7 };

/** `7137` and `102298` → 7137102298 µs; a short fraction is padded (`5209.5209` → 5209.520900 s). */
export function uptimeMicros(seconds: string, fraction: string): number {
  return Number(seconds) * 1_000_000 + Number(fraction.slice(0, 6).padEnd(6, '0'));
}

interface Framed {
  priority: number | null;
  us: number;
  message: string;
}

function frame(line: string): Framed | null {
  let rest = line;
  let priority: number | null = null;
  const decoded = DECODED_PREFIX.exec(rest);
  if (decoded) {
    priority = DECODED_LEVEL[decoded[2]!]!;
    rest = rest.slice(decoded[0].length);
  }
  const m = UPTIME_LINE.exec(rest);
  if (!m) return null;
  if (Number(m[2]) >= MAX_UPTIME_S) return null;
  if (m[1] !== undefined) priority = Number(m[1]);
  let message = rest.slice(m[0].length);
  const caller = CALLER_ID.exec(message);
  if (caller) message = message.slice(caller[0].length);
  return { priority, us: uptimeMicros(m[2]!, m[3]!), message };
}

/** A kernel message framed with an uptime stamp, as an event (shared with kmsg). */
export function kernelUptimeEvent(us: number, priority: number | null, message: string): ParsedEvent {
  return kernelEvent({ kind: 'uptime', us }, message, priority);
}

/**
 * One kernel record, whatever its stamp (uptime, `dmesg -T`, `--time-format iso`): classified, with
 * the kernel's own priority, when the line carries one, taking precedence over a guess from the text.
 */
export function kernelEvent(time: RawTime, message: string, priority: number | null = null): ParsedEvent {
  const c = classifyKernel(message);
  const severity: Severity = priority === null ? c.severity : severityFromKernelPriority(priority);
  return {
    time,
    program: 'kernel',
    source: c.source,
    kind: c.kind,
    severity,
    message: c.message ?? message,
    fields: c.fields,
  };
}

/** A line whose stamp was read: an event, or a stated skip when the record is empty. */
export function kernelLine(time: RawTime, message: string): LineResult {
  if (message.trim() === '') return { type: 'skip', reason: 'kernel record with an empty message' };
  return { type: 'event', event: kernelEvent(time, message) };
}

function judge(line: string): LineVerdict {
  // `[ t] host kernel: …` is journalctl -o short-monotonic, not the ring buffer itself.
  if (isShortMonotonicLine(stripCarriageReturn(line))) return 'foreign';
  if (frame(line)) return 'record';
  if (PSTORE_FILE_HEADER.test(line) || PSTORE_PART_HEADER.test(line)) return 'companion';
  return 'foreign';
}

export function parseDmesgLine(rawLine: string, prev: ParsedEvent | null): LineResult | null {
  const line = stripCarriageReturn(rawLine);
  const framed = frame(line);
  if (framed) {
    if (framed.message.trim() === '') return { type: 'skip', reason: 'kernel record with an empty message' };
    return { type: 'event', event: kernelUptimeEvent(framed.us, framed.priority, framed.message) };
  }
  if (PSTORE_FILE_HEADER.test(line)) return { type: 'skip', reason: 'pstore dump file header' };
  if (PSTORE_PART_HEADER.test(line)) return { type: 'skip', reason: 'pstore dump part header' };
  if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
  // dmesg indents the further lines of a multi-line kernel record.
  if (prev && /^[ \t]/.test(line)) return { type: 'continuation' };
  return null;
}

export const dmesgRaw: FormatDescriptor = {
  name: 'dmesg-raw',
  title: 'Kernel ring buffer with uptime stamps (dmesg, dmesg -r/-x, pstore dumps)',
  detect: (head) => shareOfLines(head, judge),
  parse: parseDmesgLine,
  samples: [
    {
      line: '[ 7137.102298] br-33693122cf09: port 8(veth2cbbca2) entered blocking state',
      expect: {
        kind: 'kernel.bridge_state',
        source: 'kernel',
        severity: 'info',
        time: '7137.102298',
        fields: { bridge: 'br-33693122cf09', port: 8, iface: 'veth2cbbca2', state: 'blocking' },
      },
    },
    {
      line: '<6>[    2.608284] mlx5_core 0000:41:00.1: 63.008 Gb/s available PCIe bandwidth (8.0 GT/s PCIe x8 link)',
      expect: { kind: 'kernel.other', severity: 'info', time: '2.608284' },
    },
    {
      line: '<0>[ 3098.275469] Kernel panic - not syncing: Test panic triggered by crash_test module',
      expect: { kind: 'kernel.panic', severity: 'critical', time: '3098.275469' },
    },
    {
      line: '<4>[ 7140.000001] nf_conntrack: nf_conntrack: table full, dropping packet',
      expect: { kind: 'kernel.conntrack_full', severity: 'warning', time: '7140.000001' },
    },
    {
      line: 'kern  :info  : [   54.878462] eth0: renamed from veth5f2a1b3',
      expect: { kind: 'kernel.veth_rename', severity: 'info', time: '54.878462', fields: { iface: 'eth0', from: 'veth5f2a1b3' } },
    },
  ],
};
