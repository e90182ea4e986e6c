/**
 * Each variant of #13 through the real CLI, the way plaso tests a parser: a small file per variant,
 * its event, continuation and skip counts, and one dict of expected values for a chosen line.
 * Line shapes are those of the descriptors' samples (each names where it comes from).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corrJson, tempDir } from '../helpers/cli.js';

interface Variant {
  lines: string[];
  format: string;
  counts: [events: number, continuations: number, skipped: number];
  /** 1-based line whose stored event must hold these values. */
  line: number;
  expect: { ts?: string; host?: string; kind: string; fields: Record<string, unknown> };
  args?: string[];
}

const VARIANTS: Record<string, Variant> = {
  'sshd-variants.log': {
    lines: [
      'Jun 15 02:04:59 combo sshd(pam_unix)[20882]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4  user=root',
      'Jun 15 02:05:10 combo sshd[31225]: reverse mapping checking getaddrinfo for 4.2.188.218.example.net [218.188.2.4] failed - POSSIBLE BREAK-IN ATTEMPT!',
      'Jun 15 02:05:11 combo sshd-session[2617]: Connection closed by authenticating user root 218.188.2.4 port 60274 [preauth]',
      'Jun 15 02:05:12 combo sshd[1187]: Timeout before authentication for 218.188.2.4 port 60280',
      'Jun 15 02:05:13 combo sshd-session[2650]: Disconnecting authenticating user admin 218.188.2.4 port 41022: Too many authentication failures [preauth]',
      'Jun 15 02:05:14 combo sshd-session[2655]: banner exchange: Connection from 218.188.2.4 port 53124: invalid format',
      'Jun 15 02:05:15 [Redacted] kernel: [ 4011.541293] docker0: port 1(veth7c1e2f3) entered forwarding state',
    ],
    format: 'syslog',
    counts: [7, 0, 0],
    line: 5,
    expect: { ts: '2005-06-15T02:05:13.000Z', host: 'combo', kind: 'sshd.max_auth_attempts', fields: { ip: '218.188.2.4', user: 'admin', port: 41022 } },
    args: ['--year', '2005', '--host', 'combo'],
  },
  'journal-kubelet.log': {
    lines: [
      'May 26 17:57:40 kai-server kubelet[2211]: E0526 17:57:40.412233    2211 kubelet.go:2855] "Container runtime network not ready"',
      'May 26 17:57:41 kai-server kube-proxy[2300]: I0526 17:57:41.000100    2300 proxier.go:1531] "Reloading service iptables data"',
      'May 26 17:57:44 kai-server k3s[1187]: I0526 17:57:44.123959    1187 trace.go:205] Trace[1418061176]: "Get" url:/api/v1/namespaces/x/pods/y/log (26-May-2026 17:57:40.846) (total time: 3277ms):',
      'May 26 17:57:44 kai-server k3s[1187]: Trace[1418061176]: ---"Transformed response object" 3270ms (17:57:44.123)',
      'May 26 17:57:44 kai-server k3s[1187]: Trace[1418061176]: [3.277s] [3.277s] END',
      'May 26 17:57:45 kai-server etcd[1000]: {"level":"warn","ts":"2026-05-26T17:57:45.069-0700","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"1.203s"}',
    ],
    format: 'syslog',
    counts: [4, 2, 0],
    line: 1,
    expect: { ts: '2026-05-27T00:57:40.412Z', host: 'kai-server', kind: 'k3s.other', fields: { level: 'error', pid: 2211, file_line: 'kubelet.go:2855' } },
    args: ['--year', '2026', '--tz', 'America/Los_Angeles'],
  },
  'journal.json': {
    lines: [
      '{"__REALTIME_TIMESTAMP":"1779843464123959","_HOSTNAME":"kai-server","SYSLOG_IDENTIFIER":"k3s","_PID":"1187","PRIORITY":"6","MESSAGE":"I0526 17:57:44.123959    1187 trace.go:205] Trace[7]: \\"List\\" url:/api/v1/pods (total time: 5001ms):"}',
      '{"__REALTIME_TIMESTAMP":"1779843464124001","_HOSTNAME":"kai-server","SYSLOG_IDENTIFIER":"k3s","_PID":"1187","PRIORITY":"6","MESSAGE":"Trace[7]: [5.001s] [5.001s] END"}',
    ],
    format: 'journal-json',
    counts: [1, 1, 0],
    line: 1,
    expect: { host: 'kai-server', kind: 'k3s.slow_request', fields: { total_ms: 5001, file_line: 'trace.go:205' } },
  },
  'short-full.log': {
    lines: ['Tue 2026-05-26 17:18:04 PDT kai-server sshd[4242]: Failed password for invalid user admin from 60.163.139.198 port 51234 ssh2'],
    format: 'journal-short-full',
    counts: [1, 0, 0],
    line: 1,
    expect: { ts: '2026-05-27T00:18:04.000Z', host: 'kai-server', kind: 'sshd.failed_password', fields: { ip: '60.163.139.198', user: 'admin', invalid_user: true } },
  },
  'short-monotonic.log': {
    lines: [
      '[    0.000000] kai-server kernel: Linux version 6.8.0-45-generic (buildd@lcy02-amd64-115)',
      '[ 7137.102298] kai-server kernel: br-33693122cf09: port 8(veth2cbbca2) entered blocking state',
    ],
    format: 'journal-short-monotonic',
    counts: [2, 0, 0],
    line: 2,
    expect: { ts: '2026-05-26T02:00:57.102Z', host: 'kai-server', kind: 'kernel.bridge_state', fields: { bridge: 'br-33693122cf09', iface: 'veth2cbbca2', state: 'blocking' } },
    args: ['--boot-time', '2026-05-26T00:02:00Z'],
  },
  'short-iso-precise.log': {
    lines: ['2026-05-26T17:18:04.123456-0700 kai-server sshd[4242]: Accepted publickey for kai from 100.64.0.7 port 50522 ssh2: ED25519 SHA256:abc'],
    format: 'syslog-rfc3339',
    counts: [1, 0, 0],
    line: 1,
    expect: { ts: '2026-05-27T00:18:04.123Z', kind: 'sshd.accepted', fields: { ip: '100.64.0.7', user: 'kai', port: 50522 } },
  },
  'rfc5424.log': {
    lines: ['<38>1 2019-07-08T17:40:16.954167-04:00 hostname.example.com sshd 57915 - - Failed unknown for invalid user redmond from 192.0.2.1 port 59197 ssh2'],
    format: 'syslog-rfc5424',
    counts: [1, 0, 0],
    line: 1,
    expect: { ts: '2019-07-08T21:40:16.954Z', host: 'hostname.example.com', kind: 'sshd.failed_other', fields: { ip: '192.0.2.1', user: 'redmond', port: 59197 } },
  },
  'short-precise.log': {
    lines: ['May 26 17:18:04.250000 kai-server sshd[4242]: Invalid user oracle from 60.163.139.198 port 40100'],
    format: 'syslog',
    counts: [1, 0, 0],
    line: 1,
    expect: { ts: '2026-05-26T17:18:04.250Z', kind: 'sshd.invalid_user', fields: { ip: '60.163.139.198', user: 'oracle', port: 40100 } },
    args: ['--year', '2026', '--tz', 'UTC'],
  },
};

describe('each variant through the CLI', () => {
  for (const [name, v] of Object.entries(VARIANTS)) {
    it(`${name}: ${v.format}, counts and the fields of line ${v.line}`, () => {
      const dir = tempDir();
      const file = join(dir, name);
      const db = join(dir, 's.db');
      writeFileSync(file, v.lines.join('\n') + '\n');
      const r = corrJson(['ingest', file, '--db', db, ...(v.args ?? [])]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.files.map((f: any) => [f.format, f.events, f.continuations, f.skipped])).toEqual([[v.format, ...v.counts]]);
      const q = corrJson(['sql', '--db', db, `SELECT ts_us, host, kind, fields FROM events WHERE line = ${v.line}`]);
      expect(q.code, q.stderr).toBe(0);
      const [row] = q.json.rows;
      const got = { ts: row.ts_us === null ? null : new Date(Math.floor(row.ts_us / 1000)).toISOString(), host: row.host, kind: row.kind, fields: JSON.parse(row.fields ?? '{}') };
      expect(got).toMatchObject({ ...v.expect, fields: expect.objectContaining(v.expect.fields) });
    });
  }
});
