/**
 * The output modes of #13 that carry no time, only gaps, or spread one record over many lines, each
 * through the real CLI: `journalctl -o export` (with a binary MESSAGE that holds blank lines),
 * `journalctl -o cat` and `dmesg -t` under a header that names them, `dmesg --time-format reltime`
 * and `delta`. Each asserts event, continuation and skip counts and one dict of expected values.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corrJson, tempDir } from '../helpers/cli.js';

interface Mode {
  content: string | Buffer;
  format: string | null;
  counts: [events: number, continuations: number, skipped: number];
  line: number;
  expect: { ts: string | null; host?: string; kind: string; message?: string; uptime_us?: number; fields: Record<string, unknown> };
  args?: string[];
}

/** A Journal Export Format entry: text fields as `KEY=value`, binary ones as name, 64-bit LE size, bytes. */
function exportEntry(fields: [string, string, 'binary'?][]): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v, binary] of fields) {
    if (binary) {
      const bytes = Buffer.from(v);
      const size = Buffer.alloc(8);
      size.writeBigUInt64LE(BigInt(bytes.length));
      parts.push(Buffer.from(`${k}\n`), size, bytes, Buffer.from('\n'));
    } else parts.push(Buffer.from(`${k}=${v}\n`));
  }
  parts.push(Buffer.from('\n'));
  return Buffer.concat(parts);
}

const CURSOR = 's=739ad463348b4ceca5a9e69c95a3c93f;i=4ece7;b=6c7c6013a8264aa8b7fbce9cbbf7f9d6;m=5d2abe4b0;t=4c508a72423d9;x=d3e5610681098c10;p=system.journal';
const BOOT = '6c7c6013a8264aa8b7fbce9cbbf7f9d6';
const PANIC = 'panic: runtime error: invalid memory address\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:12 +0x1d';

const MODES: Record<string, Mode> = {
  'journal.export': {
    content: Buffer.concat([
      // The field order journalctl writes: the entry's address and clocks, then its own fields (host last).
      exportEntry([['__CURSOR', CURSOR], ['__REALTIME_TIMESTAMP', '1779851884250000'], ['__MONOTONIC_TIMESTAMP', '7137102298'], ['_BOOT_ID', BOOT],
        ['_TRANSPORT', 'syslog'], ['PRIORITY', '6'], ['SYSLOG_IDENTIFIER', 'sshd'], ['MESSAGE', 'Failed password for root from 60.163.139.198 port 40022 ssh2'],
        ['_PID', '4242'], ['_HOSTNAME', 'kai-server']]),
      // A multi-line MESSAGE is binary (its blank line is data, not the end of the entry).
      exportEntry([['__CURSOR', CURSOR.replace('i=4ece7', 'i=4ece8')], ['__REALTIME_TIMESTAMP', '1779851885000000'], ['__MONOTONIC_TIMESTAMP', '7137852298'], ['_BOOT_ID', BOOT],
        ['SYSLOG_IDENTIFIER', 'myapp'], ['MESSAGE', PANIC, 'binary'], ['_PID', '900'], ['_HOSTNAME', 'kai-server']]),
    ]),
    format: 'journal-export',
    // 25 lines: 2 events (the time lines); 19 continuations (the fields after them, the binary MESSAGE's
    // name and its 5 lines); 4 skipped (2 cursors, 2 blank lines that end the entries).
    counts: [2, 19, 4],
    line: 2,
    expect: { ts: '2026-05-27T03:18:04.250Z', host: 'kai-server', kind: 'sshd.failed_password', uptime_us: 7137102298, fields: { ip: '60.163.139.198', user: 'root', port: 40022, boot_id: BOOT } },
  },
  'journal-cat.log': {
    content: '=== journalctl -u ssh -o cat --no-pager ===\nFailed password for invalid user admin from 60.163.139.198 port 51234 ssh2\nAccepted publickey for kai from 100.64.0.7 port 50522 ssh2: ED25519 SHA256:abc\n',
    format: 'journal-cat',
    counts: [2, 0, 1],
    line: 2,
    expect: { ts: null, kind: 'sshd.failed_password', fields: { ip: '60.163.139.198', user: 'admin', port: 51234 } },
    args: ['--host', 'kai-server'],
  },
  'dmesg-notime.log': {
    content: '--- dmesg -t ---\nbr-33693122cf09: port 8(veth2cbbca2) entered blocking state\nnf_conntrack: nf_conntrack: table full, dropping packet\n  a further line of that record\n',
    format: 'dmesg-notime',
    counts: [2, 1, 1],
    line: 2,
    expect: { ts: null, kind: 'kernel.bridge_state', fields: { bridge: 'br-33693122cf09', state: 'blocking' } },
    args: ['--host', 'kai-server'],
  },
  'dmesg-reltime.log': {
    content: [
      '[May26 17:18] br-33693122cf09: port 8(veth2cbbca2) entered blocking state',
      '[  +0.000123] br-33693122cf09: port 8(veth2cbbca2) entered disabled state',
      '[  +2.500000] eth0: renamed from veth5f2a1b3',
      '[May26 17:19] nf_conntrack: nf_conntrack: table full, dropping packet',
      '',
    ].join('\n'),
    format: 'dmesg-reltime',
    counts: [4, 0, 0],
    line: 3,
    // The minute line is read as 17:18:30 ± 30 s; the gaps after it are exact.
    expect: { ts: '2026-05-26T17:18:32.500Z', kind: 'kernel.veth_rename', fields: { gap_s: 2.5, time_precision_s: 30 } },
    args: ['--tz', 'UTC', '--year', '2026', '--host', 'kai-server'],
  },
  'dmesg-delta-boot.log': {
    content: [
      '[<    0.000000>] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
      '[<    0.004211>] Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=/dev/sda1 ro quiet',
      '[<    7.000000>] br-33693122cf09: port 8(veth2cbbca2) entered blocking state',
      '',
    ].join('\n'),
    format: 'dmesg-delta',
    counts: [3, 0, 0],
    line: 3,
    // From boot, the running sum of gaps is the uptime: 7.004211 s after --boot-time.
    expect: { ts: '2026-05-26T00:00:07.004Z', kind: 'kernel.bridge_state', uptime_us: 7004211, fields: { gap_s: 7 } },
    args: ['--boot-time', '2026-05-26T00:00:00Z', '--host', 'kai-server'],
  },
  'dmesg-delta-cut.log': {
    content: '[<    0.000000>] br-33693122cf09: port 8(veth2cbbca2) entered blocking state\n[<    1.250000>] eth0: renamed from veth5f2a1b3\n',
    format: 'dmesg-delta',
    counts: [2, 0, 0],
    line: 2,
    // Not from boot: nothing says when the first record was, so no line is placed.
    expect: { ts: null, kind: 'kernel.veth_rename', fields: { gap_s: 1.25 } },
    args: ['--host', 'kai-server'],
  },
};

describe('output modes through the CLI', () => {
  for (const [name, m] of Object.entries(MODES)) {
    it(`${name}: ${m.format}, counts and the values of line ${m.line}`, () => {
      const dir = tempDir();
      const file = join(dir, name);
      const db = join(dir, 's.db');
      writeFileSync(file, m.content);
      const r = corrJson(['ingest', file, '--db', db, ...(m.args ?? [])]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.files.map((f: any) => [f.format, f.events, f.continuations, f.skipped])).toEqual([[m.format, ...m.counts]]);
      const q = corrJson(['sql', '--db', db, `SELECT ts_us, host, kind, message, uptime_us, fields FROM events WHERE line = ${m.line}`]);
      expect(q.code, q.stderr).toBe(0);
      const [row] = q.json.rows;
      const got = {
        ts: row.ts_us === null ? null : new Date(Math.floor(row.ts_us / 1000)).toISOString(),
        host: row.host, kind: row.kind, message: row.message, uptime_us: row.uptime_us, fields: JSON.parse(row.fields ?? '{}'),
      };
      expect(got).toMatchObject({ ...m.expect, fields: expect.objectContaining(m.expect.fields) });
    });
  }

  it('journal.export: the binary MESSAGE is whole, blank line included, and untimed lines are said', () => {
    const dir = tempDir();
    const file = join(dir, 'journal.export');
    const db = join(dir, 's.db');
    writeFileSync(file, MODES['journal.export']!.content);
    expect(corrJson(['ingest', file, '--db', db]).code).toBe(0);
    const q = corrJson(['sql', '--db', db, 'SELECT line, message FROM events ORDER BY line']);
    expect(q.json.rows.map((r: any) => [r.line, r.message])).toEqual([[2, 'Failed password for root from 60.163.139.198 port 40022 ssh2'], [13, PANIC]]);
    const cat = join(dir, 'cat.log');
    writeFileSync(cat, MODES['journal-cat.log']!.content as string);
    const r = corrJson(['ingest', cat, '--db', db, '--host', 'kai-server']);
    expect(r.json.files[0].warnings.join('\n')).toMatch(/2 events carry no time at all/);
  });
});

describe('journal.export: k3s Trace[] steps fold into their record, as in every other framing', () => {
  it('a Trace step entry of the same process continues the klog record before it; another process\'s entry stands alone', () => {
    const dir = tempDir();
    const file = join(dir, 'k3s.export');
    const db = join(dir, 's.db');
    const entry = (i: number, us: string, ident: string, pid: string, message: string) => exportEntry([
      ['__CURSOR', CURSOR.replace('i=4ece7', `i=4ed0${i}`)], ['__REALTIME_TIMESTAMP', us], ['__MONOTONIC_TIMESTAMP', String(7137102298 + i)], ['_BOOT_ID', BOOT],
      ['PRIORITY', '6'], ['SYSLOG_IDENTIFIER', ident], ['MESSAGE', message], ['_PID', pid], ['_HOSTNAME', 'kai-server']]);
    const header = 'I0527 03:18:04.250000    1187 trace.go:205] Trace[1418061176]: "Get" url:/api/v1/namespaces/x/pods/y/log (27-May-2026 03:18:00.846) (total time: 3277ms):';
    const step1 = 'Trace[1418061176]: ---"Transformed response object" 3270ms (03:18:04.123)';
    const step2 = 'Trace[1418061176]: [3.277s] [3.277s] END';
    writeFileSync(file, Buffer.concat([
      entry(1, '1779851884250000', 'k3s', '1187', header),
      entry(2, '1779851884250100', 'k3s', '1187', step1),
      entry(3, '1779851884250200', 'k3s', '1187', step2),
      // The same step text from another process is not this record's.
      entry(4, '1779851884250300', 'k3s', '2000', step2),
      entry(5, '1779851885000000', 'sshd', '4242', 'Failed password for root from 60.163.139.198 port 40022 ssh2'),
    ]));
    const r = corrJson(['ingest', file, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    // 5 entries of 10 lines each (cursor, time line, 7 fields, blank): 3 events (the time lines of
    // entries 1, 4, 5); 39 continuations (5 × 7 fields, and the time and blank lines of the two
    // folded steps); 8 skipped (5 cursors, the blank lines that end entries 1, 4 and 5).
    expect(r.json.files.map((f: any) => [f.format, f.events, f.continuations, f.skipped])).toEqual([['journal-export', 3, 39, 8]]);
    const q = corrJson(['sql', '--db', db, 'SELECT line, kind, message FROM events ORDER BY line']);
    expect(q.json.rows.map((x: any) => [x.line, x.message.split('\n').length])).toEqual([[2, 3], [32, 1], [42, 1]]);
    expect(q.json.rows[0].message).toContain(step1);
    expect(q.json.rows[0].message.endsWith(step2)).toBe(true);
  });
});

describe('logrus and zap inside journal lines: the record\'s fraction refines the framing\'s second', () => {
  it('takes the fraction when both name the same second, in any offset, and keeps the journal\'s second when they disagree', () => {
    const dir = tempDir();
    const file = join(dir, 'journal-go.log');
    const db = join(dir, 's.db');
    writeFileSync(file, [
      'May 26 17:57:42 kai-server containerd[900]: time="2026-05-26T17:57:42.123456789-07:00" level=error msg="failed to reserve sandbox name"',
      // logrus writing UTC under a journal in Los Angeles time: seven hours apart, the same second.
      'May 26 17:57:43 kai-server dockerd[901]: time="2026-05-27T00:57:43.500000000Z" level=info msg="Loading containers: done."',
      'May 26 17:57:45 kai-server etcd[1000]: {"level":"warn","ts":1779843465.069,"caller":"etcdserver/util.go:170","msg":"apply request took too long"}',
      // The record says 17:57:41.9, the journal 17:57:46: not the same second, so the journal's time stands.
      'May 26 17:57:46 kai-server containerd[900]: time="2026-05-26T17:57:41.900000000-07:00" level=info msg="late"',
    ].join('\n') + '\n');
    const r = corrJson(['ingest', file, '--db', db, '--tz', 'America/Los_Angeles', '--year', '2026']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.files.map((f: any) => [f.format, f.events, f.continuations, f.skipped])).toEqual([['syslog', 4, 0, 0]]);
    const q = corrJson(['sql', '--db', db, 'SELECT line, ts_us, fields FROM events ORDER BY line']);
    const rows = q.json.rows.map((x: any) => {
      const f = JSON.parse(x.fields);
      return [x.line, new Date(x.ts_us / 1000).toISOString(), f.time_precision_s ?? null, f.record_time_disagrees ?? false];
    });
    expect(rows).toEqual([
      [1, '2026-05-27T00:57:42.123Z', 0.000001, false],
      [2, '2026-05-27T00:57:43.500Z', 0.000001, false],
      [3, '2026-05-27T00:57:45.069Z', 0.001, false],
      [4, '2026-05-27T00:57:46.000Z', null, true],
    ]);
  });
});
