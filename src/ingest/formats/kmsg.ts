/**
 * `/dev/kmsg` records: `6,1234,5678901,-;msg` = priority (facility << 3 | level), sequence number,
 * microseconds since boot, flags (and, on newer kernels, `caller=T1`), then the message. Lines that
 * start with a space are the record's dictionary (` SUBSYSTEM=pci`, ` DEVICE=+pci:0000:00:1f.2`).
 */
import type { FormatDescriptor, LineResult, ParsedEvent } from '../types.js';
import { kernelUptimeEvent } from './dmesg.js';
import { shareOfLines, stripCarriageReturn } from './line-share.js';

const KMSG_RECORD = /^(\d{1,4}),(\d{1,20}),(\d{1,20}),[^;]{0,64};/;

export function parseKmsgLine(rawLine: string, prev: ParsedEvent | null): LineResult | null {
  const line = stripCarriageReturn(rawLine);
  const m = KMSG_RECORD.exec(line);
  if (!m) {
    if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
    if (line.startsWith(' ')) {
      return prev ? { type: 'continuation' } : { type: 'skip', reason: 'kmsg dictionary line before any record' };
    }
    return null;
  }
  const message = line.slice(m[0].length);
  if (message.trim() === '') return { type: 'skip', reason: 'kernel record with an empty message' };
  const event = kernelUptimeEvent(Number(m[3]), Number(m[1]), message);
  event.fields = { ...event.fields, seq: Number(m[2]) };
  return { type: 'event', event };
}

export const kmsg: FormatDescriptor = {
  name: 'kmsg',
  title: 'Raw /dev/kmsg records (priority,sequence,microseconds since boot;message)',
  detect: (head) =>
    shareOfLines(head, (line) => (KMSG_RECORD.test(line) ? 'record' : line.startsWith(' ') ? 'companion' : 'foreign')),
  parse: parseKmsgLine,
  samples: [
    {
      line: '6,3973,227986636,-;IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready',
      expect: {
        kind: 'kernel.link_state',
        source: 'kernel',
        severity: 'info',
        time: '227.986636',
        fields: { iface: 'eth0', state: 'up', seq: 3973 },
      },
    },
    {
      line: '3,4100,7137102298,-;Out of memory: Killed process 1234 (java) total-vm:1234kB, anon-rss:10kB',
      expect: { kind: 'kernel.oom_kill', severity: 'error', time: '7137.102298', fields: { pid: 1234, process: 'java' } },
    },
  ],
};
