/**
 * Which access-log requests are network witnesses (streams.ts `httpWitness`), and the streams they
 * make: one per client address, sharing an origin with that address's sshd stream.
 */
import { describe, expect, it } from 'vitest';
import { HTTP_WITNESS, DETECTORS } from '../../src/correlate/detectors.js';
import { FIELD_KEYS, RowTable, needsFields } from '../../src/correlate/event-table.js';
import { coverageOf } from '../../src/correlate/coverage.js';
import { findStreams, httpWitness } from '../../src/correlate/streams.js';
import { classifyAccessRecord, parseAccessRecord } from '../../src/ingest/classify/http.js';
import { EventBuilder, SECOND, at } from './builder.js';

/** The fields corr stores for an access line (the real parser and classifier). */
function fieldsOf(line: string) {
  const r = parseAccessRecord(line);
  if (!r) throw new Error(`not an access line: ${line}`);
  return classifyAccessRecord(r).fields;
}

const line = (ip: string, status: number, agent: string): string => `${ip} - - [26/May/2026:17:18:04 -0700] "GET /x HTTP/1.1" ${status} 12 "-" "${agent}"`;

describe('httpWitness: which requests witness the host answering from outside', () => {
  it('keeps every status but 408 from an outside address, 5xx included (the request arrived)', () => {
    for (const status of [200, 204, 301, 304, 400, 401, 404, 429, 499, 500, 502, 503, 504]) {
      expect(httpWitness(fieldsOf(line('203.0.113.9', status, 'curl/8.5.0'))), String(status)).toBe('203.0.113.9');
    }
    expect(httpWitness(fieldsOf(line('203.0.113.9', 408, '-')))).toBeNull();
    // A scanner's binary at a plain-HTTP port still came over the network.
    expect(httpWitness(fieldsOf('198.51.100.7 - - [26/May/2026:17:18:05 -0700] "\\x16\\x03\\x01\\x00" 400 157 "-" "-"'))).toBe('198.51.100.7');
    expect(httpWitness(fieldsOf('2001:db8::7 - - [26/May/2026:17:18:05 +0000] "GET / HTTP/2.0" 200 5 "-" "-"'))).toBe('2001:db8::7');
  });

  it("leaves out the node's own traffic: kube-probe checks, k3s's pod and service networks, loopback", () => {
    expect(httpWitness(fieldsOf(line('192.168.1.50', 200, 'kube-probe/1.31')))).toBeNull();
    expect(httpWitness(fieldsOf(line('192.168.1.50', 200, 'Kube-Probe/1.27+')))).toBeNull();
    for (const ip of ['10.42.0.1', '10.42.255.254', '10.43.0.10', '::ffff:10.42.0.7', '127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1']) {
      expect(httpWitness(fieldsOf(line(ip, 200, 'Go-http-client/1.1'))), ip).toBeNull();
    }
    // Neighbours of those ranges are outside traffic: a LAN client, another 10/8 network.
    for (const ip of ['10.41.0.1', '10.44.0.1', '10.4.2.1', '192.168.1.50', '128.0.0.1', '::ffff:10.45.0.7']) {
      expect(httpWitness(fieldsOf(line(ip, 200, 'Mozilla/5.0'))), ip).toBe(ip);
    }
    // An agent that merely mentions kube-probe is not the kubelet.
    expect(httpWitness(fieldsOf(line('203.0.113.9', 200, 'Mozilla/5.0 (kube-probe/1.31)')))).toBe('203.0.113.9');
  });

  it('reads fields the loader gives it: the http detector declares ip, status and agent for source http', () => {
    expect(DETECTORS).toContain(HTTP_WITNESS);
    expect(needsFields('http', 'http.request')).toBe(true);
    for (const k of ['ip', 'status', 'agent']) expect(FIELD_KEYS).toContain(k);
  });
});

describe('findStreams over access-log events', () => {
  it('makes one witness stream per outside client, none of the excluded traffic, and one origin per address', () => {
    const b = new EventBuilder();
    const t0 = at('2026-05-26T10:00:00Z');
    for (let k = 0; k < 40; k++) {
      const t = t0 + k * 30 * SECOND;
      b.add({ tsUs: t, kind: 'http.request', message: 'a', fields: fieldsOf(line('203.0.113.9', 200, 'curl/8.5.0')) });
      b.add({ tsUs: t + SECOND, kind: 'http.request', message: 'b', fields: fieldsOf(line('10.42.0.1', 200, 'kube-probe/1.31')) });
      b.add({ tsUs: t + 2 * SECOND, kind: 'http.client_error', message: 'c', fields: fieldsOf(line('198.51.100.7', 408, '-')) });
      b.add({ tsUs: t + 3 * SECOND, kind: 'http.request', message: 'd', fields: fieldsOf(line('127.0.0.1', 200, 'curl/8.5.0')) });
      b.add({ tsUs: t + 4 * SECOND, kind: 'http.server_error', message: 'e', fields: fieldsOf(line('192.0.2.44', 502, 'Uptime-Kuma/1.23.11')) });
      b.add({ tsUs: t + 5 * SECOND, kind: 'sshd.failed_password', message: 'f', fields: { ip: '203.0.113.9', user: 'root', port: 40000 + k } });
    }
    const rows = b.build();
    const table = new RowTable(rows);
    const streams = findStreams(table, 'kai-server', rows.map((_, i) => i), coverageOf(table, undefined));
    expect(streams.map((s) => [s.key, s.origin, s.witness, s.series.ts.length])).toEqual([
      ['http 192.0.2.44', 'from 192.0.2.44', true, 40],
      ['http 203.0.113.9', 'from 203.0.113.9', true, 40],
      ['sshd 203.0.113.9', 'from 203.0.113.9', true, 40],
    ]);
    expect(streams[0]!.kind).toBe('http from 192.0.2.44');
  });
});
