/**
 * `corr ingest` end to end: the real CLI on real files (the public corpus) and on small capture
 * bundles written here, with instants computed by hand.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { corr, corrJson, CORPUS, tempDir } from '../helpers/cli.js';

interface IngestJson {
  files: { path: string; section: string | null; format: string | null; lines: number; events: number; continuations: number; skipped: number; tz: string | null; assumptions: string[]; warnings: string[]; duplicates: number; unanchored: number; first: string | null; last: string | null }[];
  errors: { path: string; error: string }[];
  events_added: number;
  events_total: number;
}

function sql<T = Record<string, unknown>>(db: string, query: string): T[] {
  const r = corrJson<{ rows: T[] }>(['--db', db, 'sql', query]);
  expect(r.code, r.stderr).toBe(0);
  return r.json.rows;
}

describe('fail2ban sshd corpus (annotated ground truth)', () => {
  it('yields the annotated address and the annotated local time, year included, for at least 95% of failures', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    const file = join(CORPUS, 'fail2ban', 'sshd');
    const r = corr(['--db', db, 'ingest', file, '--tz', 'Europe/Zurich', '--ref', '2005-08-14T10:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const rows = sql<{ line: number; ts_us: number; fields: string | null }>(db, 'SELECT line, ts_us, fields FROM events');
    const byLine = new Map(rows.map((x) => [x.line, x]));
    const lines = readFileSync(file, 'utf8').split('\n');
    let total = 0;
    let ok = 0;
    const misses: string[] = [];
    lines.forEach((l, i) => {
      const m = /^# failJSON: (.*)$/.exec(l);
      if (!m) return;
      const a = JSON.parse(m[1]!) as { match?: boolean; host?: string; time?: string };
      if (!a.match || !a.time || !a.host || !(lines[i + 1] ?? '').includes(a.host)) return;
      total++;
      const ev = byLine.get(i + 2);
      const local = ev ? DateTime.fromMillis(Math.floor(ev.ts_us / 1000), { zone: 'Europe/Zurich' }).toFormat("yyyy-LL-dd'T'HH:mm:ss") : null;
      const ip = ev?.fields ? (JSON.parse(ev.fields) as { ip?: string }).ip : undefined;
      if (local === a.time.slice(0, 19) && ip === a.host) ok++;
      else misses.push(`line ${i + 2}: want ${a.host} @ ${a.time}, got ${ip} @ ${local}`);
    });
    expect(total).toBeGreaterThan(90);
    expect(ok / total, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
    // The years come from --ref: September to December lines belong to 2004, the rest to 2005.
    const years = sql<{ y: string; n: number }>(db, "SELECT strftime('%Y', ts_us / 1000000, 'unixepoch') AS y, count(*) AS n FROM events GROUP BY y ORDER BY y");
    expect(years.map((y) => y.y)).toEqual(expect.arrayContaining(['2004', '2005']));
  });

  it('ingesting the same file again adds 0 events, and every line is accounted for', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    const args = ['--db', db, 'ingest', join(CORPUS, 'fail2ban', 'sshd'), join(CORPUS, 'plaso'), '--tz', 'Europe/Zurich'];
    const first = corrJson<IngestJson>(args);
    expect(first.code).toBe(0);
    expect(first.json.events_added).toBeGreaterThan(150);
    for (const f of first.json.files) expect(f.lines, f.path).toBe(f.events + f.continuations + f.skipped);
    const again = corrJson<IngestJson>(args);
    expect(again.json.events_added).toBe(0);
    expect(again.json.events_total).toBe(first.json.events_total);
  });
});

/** A capture file as a diag script writes it: several command outputs under header lines. */
function captureFile(parts: Record<string, string[]>): string {
  return Object.entries(parts)
    .map(([title, lines]) => [`===== ${title} =====`, ...lines].join('\n'))
    .join('\n') + '\n';
}

describe('capture bundles: sections, facts, boot anchoring', () => {
  it('places raw dmesg lines at boot (uptime -s, read in the timedatectl zone) + uptime, and says so', () => {
    const dir = tempDir();
    const diag = join(dir, 'diag');
    mkdirSync(diag);
    writeFileSync(
      join(diag, 'output.txt'),
      captureFile({
        date: ['Tue May 26 19:53:09 PDT 2026'],
        hostname: ['kai-server'],
        timedatectl: ['               Local time: Tue 2026-05-26 19:53:09 PDT', '                Time zone: America/Los_Angeles (PDT, -0700)'],
        'uptime -s': ['2026-05-20 08:12:33'],
        dmesg: [
          '[551000.500000] br-33693122cf09: port 8(veth2cbbca2) entered blocking state',
          '[551001.000000] br-33693122cf09: port 8(veth2cbbca2) entered forwarding state',
        ],
        'ss -tlnp': ['State   Recv-Q  Send-Q  Local Address:Port  Peer Address:Port', 'LISTEN  0       128     0.0.0.0:22          0.0.0.0:*'],
      }),
    );
    const db = join(dir, 'c.db');
    const r = corrJson<IngestJson>(['--db', db, 'ingest', diag]);
    expect(r.code, r.stderr).toBe(0);
    const dmesg = r.json.files.find((f) => f.section === 'dmesg')!;
    expect(dmesg.format).toBe('dmesg-raw');
    expect(dmesg.events).toBe(2);
    // boot 2026-05-20 08:12:33 PDT = 15:12:33Z; + 551000.5 s (6 d 09:03:20.5) = 2026-05-27T00:15:53.500Z
    expect(dmesg.first).toBe('2026-05-27T00:15:53.500Z');
    expect(dmesg.assumptions.join(' ')).toMatch(/uptime -s/);
    const ss = r.json.files.find((f) => f.section === 'ss -tlnp')!;
    expect(ss.format).toBeNull();
    expect(ss.warnings.join(' ')).toMatch(/table/);
    expect(ss.skipped).toBe(ss.lines);
    const ev = sql<{ host: string; kind: string; fields: string }>(db, "SELECT host, kind, fields FROM events WHERE source = 'kernel' ORDER BY ts_us");
    expect(ev[0]!.host).toBe('kai-server');
    expect(ev[0]!.kind).toBe('kernel.bridge_state');
    expect(JSON.parse(ev[0]!.fields)).toMatchObject({ bridge: 'br-33693122cf09', port: 8, iface: 'veth2cbbca2', state: 'blocking' });
  });

  it('anchors across a DST change, reuses the anchor for a later snapshot of the same boot, and stores overlapping lines once', () => {
    const dir = tempDir();
    const diag = join(dir, 'diag');
    mkdirSync(diag);
    // Booted 2026-03-01 10:00:00 PST (18:00Z); the clocks sprang forward on 2026-03-08.
    writeFileSync(
      join(diag, 'first.txt'),
      captureFile({
        date: ['Fri Mar 13 01:00:00 PDT 2026'],
        hostname: ['edge'],
        'uptime -s': ['2026-03-01 10:00:00'],
        dmesg: ['[1000000.000000] docker0: port 1(veth1a2b3c4) entered blocking state', '[1000001.000000] docker0: port 1(veth1a2b3c4) entered forwarding state'],
      }),
    );
    // A recovery snapshot an hour later: the same boot, no uptime -s of its own, one line overlapping.
    writeFileSync(
      join(diag, 'recover.txt'),
      captureFile({
        date: ['Fri Mar 13 02:00:00 PDT 2026'],
        dmesg: ['[1000001.000000] docker0: port 1(veth1a2b3c4) entered forwarding state', '[1003600.000000] docker0: port 1(veth1a2b3c4) entered disabled state'],
      }),
    );
    const db = join(dir, 'c.db');
    const r = corrJson<IngestJson>(['--db', db, 'ingest', diag, '--tz', 'America/Los_Angeles']);
    expect(r.code, r.stderr).toBe(0);
    const rows = sql<{ ts: string; message: string }>(db, "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ts_us / 1000000, 'unixepoch') AS ts, message FROM events ORDER BY ts_us");
    // 18:00Z Mar 1 + 1 000 000 s (11 d 13:46:40) = 2026-03-13T07:46:40Z; + 3600 s later for the last line.
    expect(rows.map((x) => x.ts)).toEqual(['2026-03-13T07:46:40Z', '2026-03-13T07:46:41Z', '2026-03-13T08:46:40Z']);
    const recover = r.json.files.find((f) => f.path.endsWith('recover.txt') && f.section === 'dmesg')!;
    expect(recover.duplicates).toBe(1);
    expect(recover.unanchored).toBe(0);
    expect(recover.assumptions.join(' ')).toMatch(/first\.txt/);
  });

  it('anchors raw dmesg by the same lines in kern.log (both clocks), in either order of reading', () => {
    for (const rawName of ['a-dmesg.txt', 'z-dmesg.txt']) {
      const dir = tempDir();
      writeFileSync(
        join(dir, 'kern.log'),
        'May 26 17:18:04 kai-server kernel: [551000.500000] br-33693122cf09: port 8(veth2cbbca2) entered blocking state\n' +
          'May 26 17:18:05 kai-server kernel: [551001.500000] br-33693122cf09: port 8(veth2cbbca2) entered forwarding state\n',
      );
      writeFileSync(
        join(dir, rawName),
        '[551000.500000] br-33693122cf09: port 8(veth2cbbca2) entered blocking state\n[551010.000000] eth0: renamed from veth5f2a1b3\n',
      );
      const db = join(dir, 'c.db');
      const r = corrJson<IngestJson>(['--db', db, 'ingest', dir, '--tz', 'UTC', '--year', '2026', '--host', 'kai-server']);
      expect(r.code, r.stderr).toBe(0);
      const rows = sql<{ ts: string | null; message: string }>(db, "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', ts_us / 1000000.0, 'unixepoch') AS ts, message FROM events ORDER BY uptime_us");
      // boot = 17:18:04 − 551000.5 s; the raw-only line sits 551010 s after it: 17:18:13.500.
      expect(rows.map((x) => x.ts), rawName).toEqual(['2026-05-26T17:18:04.000Z', '2026-05-26T17:18:05.000Z', '2026-05-26T17:18:13.500Z']);
    }
  });

  it('refuses a boot fact the lines do not fit in, and says why', () => {
    const dir = tempDir();
    const f = join(dir, 'capture.txt');
    // The capture claims to be taken 11 days after boot, but the ring buffer holds a line 12 days in.
    writeFileSync(f, captureFile({ date: ['Thu Mar 12 12:00:00 PDT 2026'], 'uptime -s': ['2026-03-01 10:00:00'], dmesg: ['[1036800.000000] docker0: port 1(veth1a2b3c4) entered blocking state'] }));
    const r = corrJson<IngestJson>(['--db', join(dir, 'c.db'), 'ingest', f, '--tz', 'America/Los_Angeles']);
    const dmesg = r.json.files.find((x) => x.section === 'dmesg')!;
    expect(dmesg.unanchored).toBe(1);
    expect(dmesg.warnings.join(' ')).toMatch(/does not fit/);
  });

  it('leaves kernel lines it cannot anchor out of time queries and says so', () => {
    const dir = tempDir();
    const f = join(dir, 'dmesg.txt');
    writeFileSync(f, '[   12.500000] eth0: renamed from veth9f8e7d6\n[   13.000000] IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready\n');
    const db = join(dir, 'c.db');
    const r = corrJson<IngestJson>(['--db', db, 'ingest', f]);
    expect(r.code).toBe(0);
    expect(r.json.files[0]!.unanchored).toBe(2);
    expect(r.json.files[0]!.warnings.join(' ')).toMatch(/no boot anchor/);
    const tl = corrJson<{ events: unknown[] }>(['--db', db, 'timeline']);
    expect(tl.json.events).toHaveLength(0);
    // An anchor given later places them.
    const again = corrJson<IngestJson>(['--db', db, 'ingest', f, '--replace', '--boot-time', '2026-05-20T15:12:33Z']);
    expect(again.json.files[0]!.first).toBe('2026-05-20T15:12:45.500Z');
  });
});

describe('time alignment through the CLI', () => {
  it('flags a spring-forward gap and resolves the repeated autumn hour by file order', () => {
    const dir = tempDir();
    const f = join(dir, 'auth.log');
    writeFileSync(
      f,
      [
        'Nov  1 01:10:00 edge sshd[1]: Connection closed by 192.0.2.1 port 1 [preauth]',
        'Nov  1 01:50:00 edge sshd[1]: Connection closed by 192.0.2.1 port 2 [preauth]',
        'Nov  1 01:05:00 edge sshd[1]: Connection closed by 192.0.2.1 port 3 [preauth]',
        'Mar  8 02:30:00 edge sshd[1]: Connection closed by 192.0.2.1 port 4 [preauth]',
      ].join('\n') + '\n',
    );
    const db = join(dir, 'c.db');
    const r = corrJson<IngestJson>(['--db', db, 'ingest', f, '--tz', 'America/Los_Angeles', '--year', '2026']);
    expect(r.code).toBe(0);
    const rows = sql<{ ts: string; note: string | null }>(db, "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ts_us / 1000000, 'unixepoch') AS ts, time_note AS note FROM events ORDER BY line");
    // 01:10 PDT = 08:10Z, 01:50 PDT = 08:50Z, then 01:05 again: the second occurrence, PST = 09:05Z.
    expect(rows.map((x) => x.ts)).toEqual(['2026-11-01T08:10:00Z', '2026-11-01T08:50:00Z', '2026-11-01T09:05:00Z', '2026-03-08T10:30:00Z']);
    expect(rows[2]!.note).toMatch(/twice/);
    expect(rows[3]!.note).toMatch(/does not exist/);
    const w = r.json.files[0]!.warnings.join(' ');
    expect(w).toMatch(/spring-forward gap/);
    expect(w).toMatch(/repeated autumn hour/);
  });

  it('infers years across a December → January rollover against the reference', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    const r = corrJson<IngestJson>(['--db', db, 'ingest', join(CORPUS, 'lnav', 'logfile_syslog.1'), '--tz', 'UTC', '--ref', '2007-01-15T00:00:00Z']);
    expect(r.code).toBe(0);
    const years = sql<{ y: string }>(db, "SELECT strftime('%Y-%m', ts_us / 1000000, 'unixepoch') AS y FROM events ORDER BY line").map((x) => x.y);
    expect(years).toEqual(['2006-12', '2006-12', '2006-12', '2007-01']);
  });

  it('--replace re-reads a file with a corrected zone', () => {
    const dir = tempDir();
    const f = join(dir, 'auth.log');
    writeFileSync(f, 'May 26 17:18:04 kai-server sshd[1]: Invalid user admin from 60.163.139.198 port 42422\n');
    const db = join(dir, 'c.db');
    expect(corrJson<IngestJson>(['--db', db, 'ingest', f, '--tz', 'UTC', '--year', '2026']).json.files[0]!.first).toBe('2026-05-26T17:18:04.000Z');
    const same = corrJson<IngestJson>(['--db', db, 'ingest', f, '--tz', 'America/Los_Angeles', '--year', '2026']);
    expect(same.json.events_added).toBe(0);
    const replaced = corrJson<IngestJson>(['--db', db, 'ingest', f, '--tz', 'America/Los_Angeles', '--year', '2026', '--replace']);
    expect(replaced.json.files[0]!.first).toBe('2026-05-27T00:18:04.000Z');
    expect(replaced.json.events_total).toBe(1);
  });
});

describe('inputs', () => {
  it('reads .gz transparently, reports a missing path with exit 2 and still ingests the rest', () => {
    const dir = tempDir();
    const plain = join(CORPUS, 'plaso', 'syslog_sshd_session.log');
    writeFileSync(join(dir, 'auth.log.1.gz'), gzipSync(readFileSync(plain)));
    const db = join(dir, 'c.db');
    const r = corrJson<IngestJson>(['--db', db, 'ingest', join(dir, 'auth.log.1.gz'), join(dir, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope: no such file or directory/);
    expect(r.json.errors.map((e) => e.path)).toEqual([join(dir, 'nope')]);
    expect(r.json.files[0]!.events).toBe(8);
    expect(r.json.events_total).toBe(8);
  });

  it('skips a binary file with a warning and exit 0', () => {
    const dir = tempDir();
    copyFileSync(process.execPath, join(dir, 'node-binary'));
    const r = corrJson<IngestJson>(['--db', join(tempDir(), 'c.db'), 'ingest', dir]);
    expect(r.code).toBe(0);
    expect(r.json.files[0]!.format).toBeNull();
    expect(r.json.files[0]!.warnings.join(' ')).toMatch(/ELF/);
  });
});
