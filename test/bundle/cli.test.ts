/**
 * The bundle as the unit of evidence, through the real CLI on small files written here: hosts,
 * zones, years, boots and coverage computed by hand.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corr, corrJson, tempDir } from '../helpers/cli.js';

interface Entry {
  path: string;
  section: string | null;
  format: string | null;
  host: string | null;
  first: string | null;
  last: string | null;
  tz: string | null;
  assumptions: string[];
  warnings: string[];
  coverage: { start: string; end: string }[];
}
interface Boot {
  host: string;
  path: string;
  section: string | null;
  segment: number;
  boot: string | null;
  precision_s: number | null;
  why: string;
  evidence: string[];
  rejected: string[];
}

function bundle(files: Record<string, string>): string {
  const dir = tempDir('corr-bundle-cli-');
  for (const [name, text] of Object.entries(files)) {
    const p = join(dir, 'b', name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

function ingest(dir: string, extra: string[] = []) {
  const r = corrJson<{ files: Entry[]; warnings: string[] }>(['--db', join(dir, 'c.db'), 'ingest', join(dir, 'b'), ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return r.json;
}

function sources(dir: string) {
  const r = corrJson<{ sources: Entry[]; boots: Boot[] }>(['--db', join(dir, 'c.db'), 'sources']);
  expect(r.code, r.stderr).toBe(0);
  return r.json;
}

function sql<T = Record<string, unknown>>(dir: string, q: string): T[] {
  const r = corrJson<{ rows: T[] }>(['--db', join(dir, 'c.db'), 'sql', q]);
  expect(r.code, r.stderr).toBe(0);
  return r.json.rows;
}

const iso = (us: number) => new Date(Math.floor(us / 1000)).toISOString();
const entry = (files: Entry[], path: string, section: string | null = null) => {
  const e = files.find((f) => f.path.endsWith(path) && (section === null || f.section === section));
  expect(e, `${path} [${section}] in ${files.map((f) => `${f.path} [${f.section}]`).join(', ')}`).toBeDefined();
  return e!;
};
const allWarnings = (j: { files: Entry[]; warnings: string[] }) => [...j.warnings, ...j.files.flatMap((f) => f.warnings)].join('\n');

describe('hosts from everything the bundle says', () => {
  it('a capture with no hostname section: its dmesg takes the host its syslog lines name', () => {
    const dir = bundle({
      'output.txt': [
        '===== date =====', 'Tue May 26 19:53:09 UTC 2026',
        '===== uptime -s =====', '2026-05-26 19:00:00',
        '===== dmesg =====', '[    1.000000] Linux version 6.8', '[ 3000.000000] eth0: link down',
        '===== tail -n 50 /var/log/syslog =====', 'May 26 19:50:00 node-a systemd[1]: Started foo.', 'May 26 19:51:00 node-a CRON[7]: job', '',
      ].join('\n'),
    });
    const j = ingest(dir);
    const d = entry(j.files, 'output.txt', 'dmesg');
    expect(d.host).toBe('node-a');
    expect(d.assumptions.join(' ')).toMatch(/node-a.*syslog/);
    // 19:00:00 + 3000 s = 19:50:00Z.
    expect(sql<{ ts_us: number }>(dir, "SELECT ts_us FROM events WHERE message = 'eth0: link down'").map((r) => iso(r.ts_us))).toEqual(['2026-05-26T19:50:00.000Z']);
  });

  it('a directory per host, two zones: each file its own directory\'s host and zone', () => {
    const cap = (host: string, zone: string) =>
      ['===== date =====', 'Tue May 26 22:00:00 UTC 2026', '===== hostname =====', host, '===== timedatectl =====', `       Time zone: ${zone}`, ''].join('\n');
    const dir = bundle({
      'node-a/output.txt': cap('node-a', 'Europe/Berlin'),
      'node-a/auth.log': 'May 26 10:00:00 node-a sshd[12]: Accepted publickey for root from 192.0.2.1 port 4242 ssh2\n',
      'node-a/dmesg.txt': '[    1.000000] Linux version 6.8\n',
      'node-b/output.txt': cap('node-b', 'America/New_York'),
      'node-b/auth.log': 'May 26 10:00:00 node-b sshd[12]: Accepted publickey for root from 192.0.2.1 port 4242 ssh2\n',
      'node-b/dmesg.txt': '[    1.000000] Linux version 6.8\n',
    });
    const j = ingest(dir);
    expect(entry(j.files, 'node-a/auth.log').tz).toBe('Europe/Berlin');
    expect(entry(j.files, 'node-b/auth.log').tz).toBe('America/New_York');
    expect(entry(j.files, 'node-a/dmesg.txt').host).toBe('node-a');
    expect(entry(j.files, 'node-b/dmesg.txt').host).toBe('node-b');
    // 10:00 CEST = 08:00Z; 10:00 EDT = 14:00Z; the year from each capture's date.
    const rows = sql<{ host: string; ts_us: number }>(dir, "SELECT host, ts_us FROM events WHERE source = 'sshd' ORDER BY host");
    expect(rows.map((r) => [r.host, iso(r.ts_us)])).toEqual([['node-a', '2026-05-26T08:00:00.000Z'], ['node-b', '2026-05-26T14:00:00.000Z']]);
  });

  it('a dmesg -T file beside one host\'s journal takes that host', () => {
    const dir = bundle({
      'logs/journal.txt': 'May 26 19:50:00 node-c kernel: eth0: link up\nMay 26 19:50:01 node-c systemd[1]: Started foo.\n',
      'logs/dmesg-T.txt': '[Tue May 26 19:50:00 2026] usb 1-1: new high-speed USB device\n',
    });
    const j = ingest(dir, ['--tz', 'UTC']);
    expect(entry(j.files, 'dmesg-T.txt').host).toBe('node-c');
    expect(entry(j.files, 'dmesg-T.txt').assumptions.join(' ')).toContain('only host');
  });

  it('a probe target with user and port is the bundle host it names', () => {
    const dir = bundle({
      'n/output.txt': '===== hostname =====\nedge-07.lab.example\n',
      'watch.log': 'ts=2026-05-27T04:41:12Z target=root@EDGE-07:22 state=dead exit=1\nts=2026-05-27T04:42:12Z target=root@EDGE-07:22 state=alive exit=0\n',
    });
    ingest(dir);
    expect(sql<{ host: string }>(dir, "SELECT DISTINCT host FROM events WHERE source = 'probe'").map((r) => r.host)).toEqual(['edge-07.lab.example']);
  });

  it('no host named anywhere: a warning naming --host, and two machines never merged into one', () => {
    const dir = bundle({
      'x/kern.txt': '[    1.000000] Linux version 6.8\n[    2.000000] eth0: link up\n',
      'y/kern.txt': '[    1.000000] Linux version 5.4\n[    2.000000] eth0: link up\n',
    });
    const j = ingest(dir, ['--boot-time', '2026-05-26T10:00:00Z']);
    expect(allWarnings(j)).toContain('--host');
    const hosts = sql<{ host: string }>(dir, 'SELECT DISTINCT host FROM events ORDER BY host').map((r) => r.host);
    expect(hosts).toHaveLength(2);
    // Both "eth0: link up" lines stay: they are two machines' lines, not one line twice.
    expect(sql<{ n: number }>(dir, "SELECT count(*) AS n FROM events WHERE message = 'eth0: link up'")[0]!.n).toBe(2);
  });

  it('two hostnames in one capture: the choice and the rejected name in the assumptions, with a warning', () => {
    const dir = bundle({
      'o.txt': '===== hostname =====\nnode-a\n===== uname -a =====\nLinux node-b 6.8.0-31-generic #31-Ubuntu SMP x86_64 GNU/Linux\n===== dmesg =====\n[    1.000000] Linux version 6.8\n',
    });
    const j = ingest(dir, ['--boot-time', '2026-05-26T10:00:00Z']);
    const d = entry(j.files, 'o.txt', 'dmesg');
    expect(d.host).toBe('node-a');
    expect(d.assumptions.join(' ')).toContain('rejected node-b');
    expect(allWarnings(j)).toContain('node-b');
  });
});

describe('years from what the bundle states', () => {
  it('a journal header states the year (the file\'s mtime is six years off)', () => {
    const dir = bundle({
      'j.txt': '-- Logs begin at Wed 2020-03-25 12:03:18 UTC, end at Wed 2020-03-25 14:00:00 UTC. --\nMar 25 12:03:18 host1 systemd[1]: Started foo.\nMar 25 13:59:00 host1 CRON[2]: job\n',
    });
    utimesSync(join(dir, 'b', 'j.txt'), new Date('2026-05-01T00:00:00Z'), new Date('2026-05-01T00:00:00Z'));
    const j = ingest(dir, ['--tz', 'UTC']);
    const e = entry(j.files, 'j.txt');
    expect(e.first).toBe('2020-03-25T12:03:18.000Z');
    expect(e.assumptions.join(' ')).toContain('journal header');
  });
});

describe('boots placed by their own evidence', () => {
  // The boot: 2024-05-27T08:00:33.250Z.
  const BOOT_US = Date.parse('2024-05-27T08:00:33.250Z') * 1000;

  it('raw dmesg plus a journal of the same boot: anchored within 1 s of the truth', () => {
    // journald read the early lines when it started (about 8 s in); later ones within a fraction.
    const lines: [number, number, string][] = [
      [0.5, 7.5, 'Linux version 6.8.0-31-generic'],
      [1.25, 6.8, 'Command line: BOOT_IMAGE=/vmlinuz ro quiet'],
      [3.7, 4.3, 'e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex'],
      [12.5, 0.2, 'br0: port 1(veth1) entered forwarding state'],
      [40.1, 0.05, 'nf_conntrack: nf_conntrack: table full, dropping packet'],
    ];
    const pad = (u: number) => `[${u.toFixed(6).padStart(12)}]`;
    const stamp = (us: number) => {
      const d = new Date(Math.floor(us / 1000));
      const mon = d.toUTCString().slice(8, 11);
      return `${mon} ${String(d.getUTCDate()).padStart(2)} ${d.toISOString().slice(11, 19)}`;
    };
    const dir = bundle({
      'node/dmesg.txt': lines.map(([u, , m]) => `${pad(u)} ${m}`).join('\n') + '\n',
      'node/journal.txt':
        '-- Logs begin at Mon 2024-05-27 08:00:40 UTC, end at Mon 2024-05-27 09:00:00 UTC. --\n' +
        lines.map(([u, d, m]) => `${stamp(BOOT_US + (u + d) * 1e6)} node-a kernel: ${m}`).join('\n') + '\n',
    });
    ingest(dir, ['--tz', 'UTC']);
    const s = sources(dir);
    const b = s.boots.find((x) => x.path.endsWith('dmesg.txt'))!;
    expect(b.host).toBe('node-a');
    expect(b.boot).not.toBeNull();
    expect(Math.abs(Date.parse(b.boot!) * 1000 - BOOT_US)).toBeLessThan(1_000_000);
    expect(b.why).toContain('matched');
    const [row] = sql<{ ts_us: number }>(dir, "SELECT e.ts_us FROM events e WHERE e.message LIKE 'nf_conntrack%' AND e.uptime_us IS NOT NULL");
    expect(Math.abs(row!.ts_us - (BOOT_US + 40.1e6))).toBeLessThan(1_000_000);
  });

  it('minute-precise who -b with a second-precise btime: btime wins, ±1 s', () => {
    const btime = Math.floor(BOOT_US / 1e6); // 08:00:33
    const dir = bundle({
      'o.txt': [
        '===== date =====', 'Mon May 27 09:00:00 UTC 2024', '===== hostname =====', 'node-a',
        '===== who -b =====', '         system boot  2024-05-27 08:00', '===== cat /proc/stat =====', `btime ${btime}`,
        '===== dmesg =====', '[  100.000000] eth0: link up', '',
      ].join('\n'),
    });
    ingest(dir);
    const s = sources(dir);
    expect(s.boots[0]!.boot).toBe(iso(btime * 1e6));
    expect(s.boots[0]!.precision_s).toBe(1);
    expect(s.boots[0]!.evidence.join(' ')).toContain('who -b');
    expect(sql<{ ts_us: number }>(dir, "SELECT ts_us FROM events WHERE message = 'eth0: link up'").map((r) => iso(r.ts_us))).toEqual([iso((btime + 100) * 1e6)]);
  });

  it('who -b an hour from the btime: the rejected candidate and a warning naming both', () => {
    const btime = Math.floor(BOOT_US / 1e6);
    const dir = bundle({
      'o.txt': [
        '===== date =====', 'Mon May 27 10:00:00 UTC 2024', '===== hostname =====', 'node-a',
        '===== who -b =====', '         system boot  2024-05-27 09:00', '===== cat /proc/stat =====', `btime ${btime}`,
        '===== dmesg =====', '[  100.000000] eth0: link up', '',
      ].join('\n'),
    });
    const j = ingest(dir);
    const s = sources(dir);
    expect(s.boots[0]!.boot).toBe(iso(btime * 1e6));
    expect(s.boots[0]!.rejected.join(' ')).toContain('who -b');
    expect(allWarnings(j)).toMatch(/who -b.*btime|btime.*who -b/);
  });

  it('two boots in one dmesg log: each placed by its own evidence; a boot nothing places stays unplaced', () => {
    const log = ['[    1.000000] Linux version 6.8 (boot one)', '[ 7200.000000] reboot: Restarting system', '[    0.500000] Linux version 6.8 (boot two)', '[   60.000000] eth0: link up'].join('\n');
    const facts = (listBoots: boolean) => [
      '===== date =====', 'Mon May 27 12:00:00 UTC 2024', '===== hostname =====', 'node-a',
      '===== uptime -s =====', '2024-05-27 11:00:00',
      ...(listBoots ? ['===== journalctl --list-boots =====',
        ' -1 0dc874d3c8a04a36b4b5c8fc3e04a54a Mon 2024-05-27 08:00:00 UTC—Mon 2024-05-27 10:00:05 UTC',
        '  0 4c2b0a8a9e1f4d2c8b7a6f5e4d3c2b1a Mon 2024-05-27 11:00:00 UTC—Mon 2024-05-27 12:00:00 UTC'] : []),
      '===== dmesg =====', log, '',
    ].join('\n');
    const dir = bundle({ 'o.txt': facts(true) });
    ingest(dir);
    const s = sources(dir).boots.sort((a, b) => a.segment - b.segment);
    expect(s.map((b) => b.boot)).toEqual(['2024-05-27T08:00:00.000Z', '2024-05-27T11:00:00.000Z']);
    const dir2 = bundle({ 'o.txt': facts(false) });
    const j2 = ingest(dir2);
    const s2 = sources(dir2).boots.sort((a, b) => a.segment - b.segment);
    expect(s2.map((b) => b.boot)).toEqual([null, '2024-05-27T11:00:00.000Z']);
    expect(entry(j2.files, 'o.txt', 'dmesg').warnings.join(' ')).toContain('no boot anchor');
    // The unplaced boot's lines are never placed by the other boot's anchor.
    expect(sql<{ n: number }>(dir2, "SELECT count(*) AS n FROM events WHERE message LIKE '%boot one%' AND ts_us IS NULL")[0]!.n).toBe(1);
  });
});

describe('coverage', () => {
  it('a tail covers from its first line to the capture instant; journalctl --since from the stated start', () => {
    const dir = bundle({
      'o.txt': [
        '===== date =====', 'Tue May 26 20:00:00 UTC 2026', '===== hostname =====', 'node-a',
        '===== tail -n 50 /var/log/syslog =====', 'May 26 19:00:00 node-a systemd[1]: Started foo.', 'May 26 19:30:00 node-a CRON[7]: job',
        '===== journalctl -u k3s --no-pager --since "-2h" =====', 'May 26 19:45:00 node-a k3s[5]: I0526 19:45:00.000000 5 x.go:1] hello',
        '',
      ].join('\n'),
      'plain.log': 'May 26 18:00:00 node-a sshd[1]: Accepted publickey for root from 192.0.2.1 port 4242 ssh2\nMay 26 18:10:00 node-a sshd[1]: Accepted publickey for root from 192.0.2.1 port 4243 ssh2\n',
    });
    const j = ingest(dir);
    expect(entry(j.files, 'o.txt', 'tail -n 50 /var/log/syslog').coverage).toEqual([{ start: '2026-05-26T19:00:00.000Z', end: '2026-05-26T20:00:00.000Z' }]);
    expect(entry(j.files, 'o.txt', 'journalctl -u k3s --no-pager --since "-2h"').coverage).toEqual([{ start: '2026-05-26T18:00:00.000Z', end: '2026-05-26T20:00:00.000Z' }]);
    expect(entry(j.files, 'plain.log').coverage).toEqual([{ start: '2026-05-26T18:00:00.000Z', end: '2026-05-26T18:10:00.000Z' }]);
    // sources --json says the same.
    expect(entry(sources(dir).sources, 'o.txt', 'tail -n 50 /var/log/syslog').coverage).toEqual([{ start: '2026-05-26T19:00:00.000Z', end: '2026-05-26T20:00:00.000Z' }]);
    // The table shows boots and coverage too.
    const t = corr(['--db', join(dir, 'c.db'), 'sources']);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('coverage');
  });
});
