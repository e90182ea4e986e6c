/**
 * `dmesg --time-format iso`: `2026-05-26T17:18:04,123456-07:00 msg`. The comma before the
 * microseconds is what tells it from RFC 3339 syslog (which uses a dot and names a host and program).
 * The offset is printed, so the instant is exact.
 */
import type { FormatDescriptor, LineResult, ParsedEvent } from '../types.js';
import { kernelLine } from './dmesg.js';
import { parseIsoInstantUs } from './go-log-records.js';
import { shareOfLines, stripCarriageReturn } from './line-share.js';

const ISO_STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2},\d{6}[+-]\d{2}:?\d{2})(?: |$)/;

export function parseDmesgIsoLine(rawLine: string, prev: ParsedEvent | null): LineResult | null {
  const line = stripCarriageReturn(rawLine);
  const m = ISO_STAMP.exec(line);
  const utcUs = m ? parseIsoInstantUs(m[1]!) : null;
  if (!m || utcUs === null) {
    if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
    if (prev && /^[ \t]/.test(line)) return { type: 'continuation' };
    return null;
  }
  const message = line.slice(m[0].length);
  return kernelLine({ kind: 'exact', utcUs }, message);
}

export const dmesgIso: FormatDescriptor = {
  name: 'dmesg-iso',
  title: 'Kernel ring buffer with ISO-8601 stamps (dmesg --time-format iso)',
  detect: (head) => shareOfLines(head, (line) => (ISO_STAMP.test(line) ? 'record' : 'foreign')),
  parse: parseDmesgIsoLine,
  samples: [
    {
      line: '2026-05-26T17:18:04,123456-07:00 br-33693122cf09: port 8(veth2cbbca2) entered disabled state',
      expect: {
        kind: 'kernel.bridge_state',
        source: 'kernel',
        severity: 'info',
        time: '2026-05-27T00:18:04.123Z',
        fields: { bridge: 'br-33693122cf09', port: 8, iface: 'veth2cbbca2', state: 'disabled' },
      },
    },
    {
      line: '2026-05-27T00:20:00,000001+00:00 TCP: request_sock_TCP: Possible SYN flooding on port 22. Sending cookies.',
      expect: { kind: 'kernel.syn_flood', severity: 'warning', time: '2026-05-27T00:20:00.000Z', fields: { port: 22 } },
    },
  ],
};
