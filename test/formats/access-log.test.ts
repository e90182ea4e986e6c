/** Access logs (CLF/combined, traefik, nginx): the CLI on a small log, fields, escapes, impossible dates, hostile lines. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES } from '../helpers/cli.js';
import { accessLogFormat } from '../../src/ingest/formats/access-log.js';
import { parseAccessRecord } from '../../src/ingest/formats/access-log-record.js';
import { expectFast, ingestFile } from './ingest-helper.js';

describe('access-log', () => {
  it('a traefik/nginx access log through the CLI: exact times, http kinds by status, fields, an impossible date skipped', () => {
    const { files, rows } = ingestFile(join(FIXTURES, 'formats', 'access.log'), ['--host', 'kai-server']);
    expect(files.map((f) => [f.format, f.lines, f.events, f.continuations, f.skipped])).toEqual([['access-log', 5, 4, 0, 1]]);
    expect(files[0].warnings.join(' ')).toContain('impossible timestamp "31/Feb/2026:17:18:37 -0700": day 31 does not exist in 2026-02');
    expect(rows.map((r) => [r.line, r.ts, r.kind, r.severity])).toEqual([
      [1, '2026-05-27T00:18:04.000Z', 'http.request', 'info'],
      [2, '2026-05-27T00:18:34.000Z', 'http.server_error', 'error'],
      [3, '2026-05-27T00:18:35.000Z', 'http.client_error', 'notice'],
      [4, '2026-05-27T00:18:36.000Z', 'http.client_error', 'notice'],
    ]);
    expect(rows[0].fields).toEqual({ ip: '192.0.2.10', status: 200, method: 'GET', path: '/api/health', protocol: 'HTTP/2.0', bytes: 11, agent: 'Uptime-Kuma/1.23.11' });
    expect(rows[2].fields).toEqual({ ip: '198.51.100.7', status: 400, bytes: 157, request: '\\x16\\x03\\x01\\x00\\xF1\\x01\\x00\\x00\\xED\\x03\\x03' });
    expect(rows[3].fields).toMatchObject({ ip: '203.0.113.9', user: 'admin', method: 'POST', path: '/login?next=%2F', status: 401, bytes: 0, agent: 'Mozilla/5.0 \\"quoted\\" agent' });
    expect(rows[0].message).toContain('"websecure-app@kubernetescrd"');
  });

  it('reads `-` bytes, IPv6 clients and HTTP/0.9 requests; refuses what is not an access line', () => {
    const v6 = parseAccessRecord('2001:db8::1 - - [26/May/2026:17:18:04 +0000] "GET / HTTP/1.1" 304 - "-" "curl/8.0"');
    expect(v6).toMatchObject({ client: '2001:db8::1', status: 304, agent: 'curl/8.0' });
    expect(v6 && 'bytes' in v6).toBe(false);
    expect(parseAccessRecord('202.32.92.47 - - [01/Jun/1995:00:00:59 -0600] "GET /~scottp/publish.html" 200 271')).toMatchObject({ method: 'GET', path: '/~scottp/publish.html', status: 200 });
    expect(parseAccessRecord('May 26 17:18:04 host nginx: 1.2.3.4 - - [26/May/2026:17:18:04 +0000] "GET / HTTP/1.1" 200 1')).toBeNull();
    expect(parseAccessRecord('1.2.3.4 - - [26/May/2026:17:18:04 +0000] "GET / HTTP/1.1 200 1')).toBeNull();
    expect(parseAccessRecord('1.2.3.4 - - [26/May/2026:17:18:04 +0000] "GET / HTTP/1.1" 999 1')).toBeNull();
    expect(parseAccessRecord('1.2.3.4 - - [26/Mai/2026:17:18:04 +0000] "GET / HTTP/1.1" 200 1')).toBeNull();
    expect(accessLogFormat.detect(['2026-05-26T17:18:04Z kai-server sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2'])).toBe(0);
  });

  it('parses and detects a 100k-character hostile line in milliseconds', () => {
    expectFast((l) => accessLogFormat.parse(l, null), (h) => accessLogFormat.detect(h), [
      `1.2.3.4 - - [26/May/2026:17:18:04 +0000] "${'\\'.repeat(100_000)}`,
      `1.2.3.4 - - [26/May/2026:17:18:04 +0000] "${'"'.repeat(100_000)}`,
      `1.2.3.4 - - [26/May/2026:17:18:04 +0000] "GET / HTTP/1.1" 200 1 "${'\\"'.repeat(50_000)}`,
      `${'1.2.3.4 '.repeat(12_500)} [`,
      `${' ['.repeat(50_000)}`,
    ]);
  });
});
