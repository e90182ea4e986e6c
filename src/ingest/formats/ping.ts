/**
 * `ping` as a monitor: iputils' output with `-D` (each line opens with `[epoch.micro]`) or piped
 * through a stamper (`ping host | ts '%Y-%m-%dT%H:%M:%S%z'`, `while read l; do echo "$(date -Is) $l"`):
 *
 *   PING kai-server (10.0.0.5) 56(84) bytes of data.
 *   [1779851884.123456] 64 bytes from kai-server (10.0.0.5): icmp_seq=1 ttl=64 time=0.345 ms
 *   [1779851887.130000] no answer yet for icmp_seq=3                       (with -O)
 *   [1779851889.140000] From 10.0.0.1 icmp_seq=5 Destination Host Unreachable
 *
 * Each reply is a poll that found the target up (`latency_ms` from `time=`); `no answer yet` and an
 * ICMP error are polls that found it down. Without `-O`, a lost packet writes nothing: the replies'
 * `interval_s` then shows the hole, and no down poll is invented for it. The target is the host the
 * `PING` header names (the replies name it too). Lines without a stamp are not read: plain `ping`
 * output has no time, and `-D` is what makes it evidence.
 */
import type { FormatDescriptor, LineResult, ParsedEvent, RawTime } from '../types.js';
import { shareOfLines, stripCarriageReturn } from './line-share.js';
import { PollEdges, hostOfTarget } from './probe.js';
import { parseIsoInstantUs } from './go-log-records.js';

const EPOCH_STAMP = /^\[(\d{9,11})\.(\d{1,9})\] /;
const ISO_STAMP = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}))\s/;
const HEADER = /^PING (\S{1,253}) \(([0-9a-fA-F.:]{2,45})\)/;
const REPLY = /^\d{1,6} bytes from (\S{1,253})(?: \(([0-9a-fA-F.:]{2,45})\))?: icmp_seq=(\d{1,10})(?: ttl=\d{1,3})? time=(\d{1,9}(?:\.\d{1,6})?) ms/;
const NO_ANSWER = /^no answer yet for icmp_seq=(\d{1,10})$/;
const ICMP_ERROR = /^From (\S{1,253})(?: \([0-9a-fA-F.:]{2,45}\))? icmp_seq=(\d{1,10}) (Destination \w+ Unreachable|Time to live exceeded|Destination unreachable[^\n]{0,60})/;
const SUMMARY = /^(?:--- \S{1,253} ping statistics ---|\d{1,10} packets transmitted|rtt min\/avg\/max|round-trip min\/avg\/max)/;

interface Stamped {
  time: RawTime;
  rest: string;
}

function stamped(line: string): Stamped | null {
  const e = EPOCH_STAMP.exec(line);
  if (e) {
    const us = Number(e[1]) * 1_000_000 + Number(e[2]!.slice(0, 6).padEnd(6, '0'));
    return { time: { kind: 'exact', utcUs: us }, rest: line.slice(e[0].length) };
  }
  const iso = ISO_STAMP.exec(line);
  if (iso) {
    const us = parseIsoInstantUs(iso[1]!.replace(' ', 'T').replace(',', '.'));
    if (us !== null) return { time: { kind: 'exact', utcUs: us }, rest: line.slice(iso[0].length) };
  }
  return null;
}

/** What a stamped ping line says about its target, or null when it is not a ping line. */
function pollOf(s: Stamped, target: string | null): ParsedEvent | null {
  const reply = REPLY.exec(s.rest);
  const event = (state: 'up' | 'down', who: string, fields: ParsedEvent['fields']): ParsedEvent => {
    const e: ParsedEvent = { time: s.time, source: 'probe', kind: 'probe.state', severity: state === 'down' ? 'warning' : 'info', message: s.rest, fields: { target: who, check: 'ping', state, ...fields } };
    const host = hostOfTarget(who);
    if (host) e.host = host;
    return e;
  };
  if (reply) return event('up', target ?? reply[1]!, { icmp_seq: Number(reply[3]), latency_ms: Number(reply[4]) });
  if (target === null) return null;
  const none = NO_ANSWER.exec(s.rest);
  if (none) return event('down', target, { icmp_seq: Number(none[1]), err: 'no answer' });
  const icmp = ICMP_ERROR.exec(s.rest);
  if (icmp) return event('down', target, { icmp_seq: Number(icmp[2]), err: icmp[3]!, from_addr: icmp[1]! });
  return null;
}

function pingReader(): (line: string, prev: ParsedEvent | null) => LineResult | null {
  let target: string | null = null;
  const edges = new PollEdges();
  return (raw) => {
    const line = stripCarriageReturn(raw);
    if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
    const s = stamped(line);
    const body = s ? s.rest : line;
    const header = HEADER.exec(body);
    if (header) {
      target = header[1]!;
      return { type: 'skip', reason: 'ping header (names the target)' };
    }
    if (SUMMARY.test(body)) return { type: 'skip', reason: 'ping summary' };
    if (!s) return REPLY.test(line) || NO_ANSWER.test(line) ? { type: 'skip', reason: 'ping line without a time (run ping with -D)' } : null;
    const event = pollOf(s, target);
    if (!event) return null;
    edges.observe(event);
    return { type: 'event', event };
  };
}

export const pingFormat: FormatDescriptor = {
  name: 'ping',
  title: 'ping as a monitor (`ping -D`: `[1779851884.123456] 64 bytes from kai-server …`, or stamped lines)',
  detect: (head) =>
    shareOfLines(head, (line) => {
      const l = stripCarriageReturn(line);
      if (HEADER.test(l) || SUMMARY.test(l)) return 'companion';
      const s = stamped(l);
      if (!s) return 'foreign';
      return HEADER.test(s.rest) || SUMMARY.test(s.rest) ? 'companion' : REPLY.test(s.rest) || NO_ANSWER.test(s.rest) || ICMP_ERROR.test(s.rest) ? 'record' : 'foreign';
    }),
  parse: (line, prev) => pingReader()(line, prev),
  reader: pingReader,
  samples: [
    {
      line: '[1779851884.123456] 64 bytes from kai-server (10.0.0.5): icmp_seq=1 ttl=64 time=0.345 ms',
      expect: {
        kind: 'probe.state',
        source: 'probe',
        severity: 'info',
        host: 'kai-server',
        time: '2026-05-27T03:18:04.123Z',
        fields: { target: 'kai-server', check: 'ping', state: 'up', icmp_seq: 1, latency_ms: 0.345 },
      },
    },
    {
      line: '2026-05-26T20:18:07-07:00 64 bytes from 10.0.0.5: icmp_seq=4 ttl=64 time=12.1 ms',
      expect: { kind: 'probe.state', time: '2026-05-27T03:18:07.000Z', fields: { target: '10.0.0.5', state: 'up', latency_ms: 12.1 } },
    },
  ],
};
