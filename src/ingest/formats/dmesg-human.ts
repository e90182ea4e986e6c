/**
 * `dmesg -T`: `[Tue May 26 17:18:04 2026] msg`. The stamp is local wall-clock time with a year and no
 * zone (dmesg computed it from the boot time and the local zone when it printed, so it can be off by
 * suspend time: the pipeline decides the zone).
 */
import type { FormatDescriptor, LineResult, ParsedEvent } from '../types.js';
import { kernelLine } from './dmesg.js';
import { shareOfLines, stripCarriageReturn } from './line-share.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// strftime `%a %b %e %H:%M:%S %Y`: the day of month is space-padded.
const HUMAN_STAMP =
  /^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})\](?: |$)/;

export function parseDmesgHumanLine(rawLine: string, prev: ParsedEvent | null): LineResult | null {
  const line = stripCarriageReturn(rawLine);
  const m = HUMAN_STAMP.exec(line);
  if (!m) {
    if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
    if (prev && /^[ \t]/.test(line)) return { type: 'continuation' };
    return null;
  }
  const [day, hour, minute, second, year] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const message = line.slice(m[0].length);
  return kernelLine({ kind: 'local', year, month: MONTHS.indexOf(m[1]!) + 1, day, hour, minute, second, micro: 0 }, message);
}

export const dmesgHuman: FormatDescriptor = {
  name: 'dmesg-human',
  title: 'Kernel ring buffer with human-readable local stamps (dmesg -T)',
  detect: (head) => shareOfLines(head, (line) => (HUMAN_STAMP.test(line) ? 'record' : 'foreign')),
  parse: parseDmesgHumanLine,
  samples: [
    {
      line: '[Tue May 26 17:18:04 2026] br-33693122cf09: port 8(veth2cbbca2) entered forwarding state',
      expect: {
        kind: 'kernel.bridge_state',
        source: 'kernel',
        severity: 'info',
        time: '2026-05-26 17:18:04',
        fields: { bridge: 'br-33693122cf09', port: 8, iface: 'veth2cbbca2', state: 'forwarding' },
      },
    },
    {
      line: '[Mon Feb 11 19:22:56 2019] Linux version 3.10.105 (root@build4) (gcc version 4.9.3 8696 (prerelease) (crosstool-NG 1.20.0) ) #6355 SMP Tue Dec 25 18:23:47 CST 2018',
      expect: { kind: 'kernel.boot', time: '2019-02-11 19:22:56', fields: { version: '3.10.105' } },
    },
  ],
};
