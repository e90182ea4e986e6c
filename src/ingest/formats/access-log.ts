/**
 * Common / Combined Log Format access logs (nginx `access.log`, apache `access_log`, traefik's
 * access log, which k3s ships): `192.0.2.1 - - [26/May/2026:17:18:04 -0700] "GET / HTTP/1.1" 200 612
 * "-" "curl/8.0"`. The stamp carries its offset, so the instant is exact (to the second). The client
 * address is network evidence: an inbound request proves the host was reachable (classify/http.ts).
 */
import type { FormatDescriptor, LineResult } from '../types.js';
import { classifyAccessRecord } from '../classify/http.js';
import { accessStampProblem, parseAccessRecord } from './access-log-record.js';
import { shareOfLines, stripCarriageReturn } from './line-share.js';

/** A line that starts like an access line (an address, two words, `[dd/Mon/yyyy:`) but does not read as one. */
const ACCESS_START = /^\S{1,253} \S{1,253} \S{1,253} \[\d{2}\/[A-Za-z]{3}\/\d{4}:/;

export function parseAccessLine(raw: string): LineResult | null {
  const line = stripCarriageReturn(raw);
  const record = parseAccessRecord(line);
  if (!record) {
    if (!ACCESS_START.test(line.slice(0, 800))) return null;
    return { type: 'skip', reason: accessStampProblem(line) ?? 'an access-log line whose stamp, request or status cannot be read' };
  }
  const c = classifyAccessRecord(record);
  return { type: 'event', event: { time: { kind: 'exact', utcUs: record.utcUs }, source: c.source, kind: c.kind, severity: c.severity, message: line, fields: c.fields } };
}

export const accessLogFormat: FormatDescriptor = {
  name: 'access-log',
  title: 'Common/Combined Log Format access logs (nginx, apache, traefik: `IP - - [26/May/2026:17:18:04 -0700] "GET / HTTP/1.1" 200 612`)',
  detect: (head) => shareOfLines(head, (line) => (parseAccessRecord(stripCarriageReturn(line)) ? 'record' : 'foreign')),
  parse: (line) => parseAccessLine(line),
  samples: [
    // lnav's access_log format samples (tstack/lnav src/formats/access_log.json).
    {
      line: '10.112.72.172 - - [11/Feb/2013:06:43:36 +0000] "GET /client/ HTTP/1.1" 200 5778 "-" "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.17 (KHTML, like Gecko) Chrome/24.0.1312.57 Safari/537.17"',
      expect: { kind: 'http.request', source: 'http', severity: 'info', time: '2013-02-11T06:43:36.000Z', fields: { ip: '10.112.72.172', method: 'GET', path: '/client/', protocol: 'HTTP/1.1', status: 200, bytes: 5778 } },
    },
    {
      line: '10.112.72.172 - - [11/Feb/2013:06:43:36 +0000] "GET /client/ HTTP/1.1" 404 5778 "-" "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.17 (KHTML, like Gecko) Chrome/24.0.1312.57 Safari/537.17"',
      expect: { kind: 'http.client_error', severity: 'notice', fields: { status: 404 } },
    },
    {
      line: 'www.example.com 1.2.3.4 - theuser [10/Feb/2012:16:41:07 -0500] "GET / HTTP/1.0" 200 368 "-" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/535.11 (KHTML, like Gecko) Chrome/17.0.963.56 Safari/535.11"',
      expect: { kind: 'http.request', time: '2012-02-10T21:41:07.000Z', fields: { ip: '1.2.3.4', vhost: 'www.example.com', user: 'theuser' } },
    },
    {
      line: '10.1.10.51 -  -  [23/Dec/2014:21:20:35 +0000] "POST /api/1/rest/foo/bar HTTP/1.1" 200 - "-" "-"  293',
      expect: { kind: 'http.request', fields: { ip: '10.1.10.51', method: 'POST', status: 200 } },
    },
    {
      line: '202.32.92.47 - - [01/Jun/1995:00:00:59 -0600] "GET /~scottp/publish.html" 200 271',
      expect: { kind: 'http.request', time: '1995-06-01T06:00:59.000Z', fields: { path: '/~scottp/publish.html', bytes: 271 } },
    },
    // traefik's CLF: request count, router, backend URL and duration after the agent; a 502 is the backend not answering.
    {
      line: '192.0.2.10 - - [26/May/2026:17:18:04 -0700] "GET /api/health HTTP/2.0" 502 11 "-" "Uptime-Kuma/1.23.11" 4242 "websecure-app@kubernetescrd" "http://10.42.0.17:8080" 3ms',
      expect: { kind: 'http.server_error', severity: 'error', time: '2026-05-27T00:18:04.000Z', fields: { ip: '192.0.2.10', status: 502, agent: 'Uptime-Kuma/1.23.11' } },
    },
    // A scanner's TLS hello at a plain-HTTP port, as nginx logs it.
    {
      line: '198.51.100.7 - - [26/May/2026:17:18:05 -0700] "\\x16\\x03\\x01\\x00\\xF1\\x01\\x00\\x00\\xED\\x03\\x03" 400 157 "-" "-"',
      expect: { kind: 'http.client_error', fields: { ip: '198.51.100.7', status: 400, request: '\\x16\\x03\\x01\\x00\\xF1\\x01\\x00\\x00\\xED\\x03\\x03' } },
    },
  ],
};
