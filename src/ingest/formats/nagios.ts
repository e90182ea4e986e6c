/**
 * Nagios Core's log (`nagios.log`; Naemon and Icinga 1 write the same): `[epoch] EVENT: a;b;c…`.
 *
 *   [1779851944] HOST ALERT: kai-server;DOWN;HARD;3;CRITICAL - Host Unreachable (10.0.0.5)
 *   [1779851884] SERVICE ALERT: kai-server;SSH;CRITICAL;SOFT;1;CRITICAL - Socket timeout after 10 seconds
 *   [1779800000] CURRENT HOST STATE: kai-server;UP;HARD;1;PING OK - Packet loss = 0%, RTA = 0.35 ms
 *
 * A host check asks whether the host answers at all, so `HOST ALERT` and `CURRENT HOST STATE` are
 * polls of the host: UP is up, DOWN and UNREACHABLE are down. A service check asks about one
 * service; only those that ask whether the host can be reached (a service named or checked as
 * ssh or ping) are read as polls of the host, with the service as `check`: a CRITICAL disk or load
 * check says nothing about reachability, and reading it as "down" would invent an outage. Other
 * service states are kept as `probe.service` with `nagios_state`, as evidence to read. SOFT states
 * (retries before Nagios believes it) are polls too: the check did fail then. Everything else
 * (notifications, external commands, log rotation) is `probe.other`.
 */
import type { FormatDescriptor, LineResult, ParsedEvent } from '../types.js';
import { shareOfLines, stripCarriageReturn } from './line-share.js';
import { PollEdges, hostOfTarget } from './probe.js';

const RECORD = /^\[(\d{9,11})\] ([A-Z][A-Z _]{2,40}): ?/;
const HOST_STATES: Record<string, 'up' | 'down'> = { UP: 'up', DOWN: 'down', UNREACHABLE: 'down' };
const SERVICE_STATES: Record<string, 'up' | 'down' | 'degraded' | 'probe-error'> = { OK: 'up', CRITICAL: 'down', WARNING: 'degraded', UNKNOWN: 'probe-error' };
/** Service checks that ask whether the host can be reached at all. */
const REACHABILITY_SERVICE = /(?:^|[^a-z])(?:ssh|ping|icmp|host[ _-]?alive)(?:[^a-z]|$)/i;

function nagiosEvent(utcUs: number, what: string, body: string): ParsedEvent {
  const parts = body.split(';');
  const event: ParsedEvent = { time: { kind: 'exact', utcUs }, source: 'probe', kind: 'probe.other', severity: 'info', message: `${what}: ${body}`, fields: { nagios_event: what } };
  const hostAt = (name: string | undefined) => {
    if (name === undefined) return;
    event.fields.target = name;
    const host = hostOfTarget(name);
    if (host) event.host = host;
  };
  if ((what === 'HOST ALERT' || what === 'CURRENT HOST STATE' || what === 'INITIAL HOST STATE') && parts.length >= 5) {
    hostAt(parts[0]);
    const state = HOST_STATES[parts[1]!];
    Object.assign(event.fields, { check: 'host', nagios_state: parts[1]!, state_type: parts[2]!, output: parts.slice(4).join(';').slice(0, 1000) });
    if (state) {
      event.kind = 'probe.state';
      event.fields.state = state;
      event.severity = state === 'down' ? 'warning' : 'info';
    }
    return event;
  }
  if ((what === 'SERVICE ALERT' || what === 'CURRENT SERVICE STATE' || what === 'INITIAL SERVICE STATE') && parts.length >= 6) {
    hostAt(parts[0]);
    const service = parts[1]!;
    const state = SERVICE_STATES[parts[2]!];
    Object.assign(event.fields, { check: service.slice(0, 200), nagios_state: parts[2]!, state_type: parts[3]!, output: parts.slice(5).join(';').slice(0, 1000) });
    if (state === undefined) return event;
    if (!REACHABILITY_SERVICE.test(service)) {
      event.kind = 'probe.service';
      event.severity = state === 'up' ? 'info' : 'warning';
      return event;
    }
    if (state === 'up' || state === 'down') {
      event.kind = 'probe.state';
      event.fields.state = state;
      event.severity = state === 'down' ? 'warning' : 'info';
    } else {
      event.kind = state === 'degraded' ? 'probe.degraded' : 'probe.error';
      event.fields.outcome = state;
      event.severity = 'warning';
    }
    // Each reachability service is its own series of polls of the host.
    event.fields.target = `${parts[0]}/${service}`.slice(0, 300);
    return event;
  }
  if (what.endsWith('NOTIFICATION') || what.startsWith('EXTERNAL COMMAND')) event.severity = 'notice';
  return event;
}

function nagiosReader(): (line: string, prev: ParsedEvent | null) => LineResult | null {
  const edges = new PollEdges();
  return (raw) => {
    const line = stripCarriageReturn(raw);
    if (line.trim() === '') return { type: 'skip', reason: 'blank line' };
    const m = RECORD.exec(line);
    if (!m) {
      // Nagios writes free text after a stamp too (`[1779851884] Auto-save of retention data completed`).
      const free = /^\[(\d{9,11})\] (\S[^\n]{0,4000})$/.exec(line);
      if (!free) return null;
      return { type: 'event', event: { time: { kind: 'exact', utcUs: Number(free[1]) * 1_000_000 }, source: 'probe', kind: 'probe.other', severity: 'info', message: free[2]!, fields: {} } };
    }
    const event = nagiosEvent(Number(m[1]) * 1_000_000, m[2]!.trim(), line.slice(m[0].length));
    edges.observe(event);
    return { type: 'event', event };
  };
}

export const nagiosFormat: FormatDescriptor = {
  name: 'nagios',
  title: 'Nagios / Naemon log (`[1779851944] HOST ALERT: kai-server;DOWN;HARD;3;…`, epoch seconds)',
  detect: (head) => shareOfLines(head, (line) => (RECORD.test(stripCarriageReturn(line)) ? 'record' : /^\[\d{9,11}\] \S/.test(line) ? 'companion' : 'foreign')),
  parse: (line, prev) => nagiosReader()(line, prev),
  reader: nagiosReader,
  samples: [
    {
      line: '[1779851944] HOST ALERT: kai-server;DOWN;HARD;3;CRITICAL - Host Unreachable (10.0.0.5)',
      expect: {
        kind: 'probe.state',
        source: 'probe',
        severity: 'warning',
        host: 'kai-server',
        time: '2026-05-27T03:19:04.000Z',
        fields: { target: 'kai-server', check: 'host', state: 'down', nagios_state: 'DOWN', state_type: 'HARD' },
      },
    },
    {
      line: '[1779851884] SERVICE ALERT: kai-server;SSH;CRITICAL;SOFT;1;CRITICAL - Socket timeout after 10 seconds',
      expect: { kind: 'probe.state', host: 'kai-server', fields: { target: 'kai-server/SSH', check: 'SSH', state: 'down', state_type: 'SOFT' } },
    },
    {
      line: '[1779851884] SERVICE ALERT: kai-server;Root Partition;CRITICAL;HARD;3;DISK CRITICAL - free space: / 210 MB (2% inode=90%)',
      expect: { kind: 'probe.service', severity: 'warning', host: 'kai-server', fields: { check: 'Root Partition', nagios_state: 'CRITICAL' } },
    },
  ],
};
