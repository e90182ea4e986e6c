/**
 * Monitors nobody wrote for corr: `ping -D` and Nagios's log. Before they were read, a `ping -D`
 * capture was taken for the kernel ring buffer (its epoch stamps read as 56 years of uptime) and a
 * Nagios log was called JSON. Through the real CLI: a ping outage becomes a confirmed window at the
 * right minutes; a Nagios host alert is a poll; a disk alert is not an outage.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dmesgRaw } from '../../src/ingest/formats/dmesg.js';
import { pingFormat } from '../../src/ingest/formats/ping.js';
import { nagiosFormat } from '../../src/ingest/formats/nagios.js';
import { corr, corrJson, tempDir } from '../helpers/cli.js';

const T0 = 1779851884; // 2026-05-27T03:18:04Z

/** An hour of `ping -D -O` once a second, with the host silent from `downFrom` to `downTo` seconds in. */
function pingLog(downFrom: number, downTo: number): string {
  const lines = ['PING kai-server (10.0.0.5) 56(84) bytes of data.'];
  for (let k = 0; k < 3600; k++) {
    const t = `${T0 + k}.${String(100000 + ((k * 7919) % 800000)).padStart(6, '0')}`;
    lines.push(k >= downFrom && k < downTo ? `[${t}] no answer yet for icmp_seq=${k + 1}` : `[${t}] 64 bytes from kai-server (10.0.0.5): icmp_seq=${k + 1} ttl=64 time=0.${300 + (k % 90)} ms`);
  }
  lines.push('', '--- kai-server ping statistics ---', '3600 packets transmitted, 3000 received, 16.6667% packet loss, time 3599005ms', 'rtt min/avg/max/mdev = 0.300/0.344/0.389/0.026 ms');
  return lines.join('\n') + '\n';
}

describe('ping -D as a monitor', () => {
  it('is not the kernel ring buffer: an epoch in brackets is no uptime', () => {
    expect(dmesgRaw.parse('[1779851884.123456] 64 bytes from kai-server (10.0.0.5): icmp_seq=1 ttl=64 time=0.345 ms', null)).toBeNull();
    expect(dmesgRaw.parse('[ 7137.102298] eth0: link up', null)?.type).toBe('event');
    // The largest uptime kept: just under 10^9 s (31.7 years).
    expect(dmesgRaw.parse('[999999999.000001] x', null)?.type).toBe('event');
  });

  it('turns an outage of the pings into one confirmed window at its minutes, through the real CLI', () => {
    const dir = tempDir();
    const file = join(dir, 'ping.log');
    writeFileSync(file, pingLog(1800, 2400));
    const db = join(dir, 'p.db');
    const ingest = corrJson(['ingest', file, '--db', db]);
    expect(ingest.code).toBe(0);
    const f = ingest.json.files[0];
    expect(f.format).toBe('ping');
    expect(f.events).toBe(3600);
    // Every line is accounted for: the header and the blank line in the ping region, the closing
    // statistics (no poll among them) a region of their own, skipped with their reason.
    const files = ingest.json.files as { lines: number; events: number; skipped: number }[];
    expect(files.reduce((n, x) => n + x.events + x.skipped, 0)).toBe(3605);
    expect(f.skipped).toBe(2);
    const kinds = corrJson(['--db', db, 'sql', "SELECT kind, json_extract(fields, '$.state') AS state, count(*) AS n FROM events GROUP BY 1, 2 ORDER BY 1, 2"]);
    expect(kinds.json.rows).toEqual([
      { kind: 'probe.state', state: 'down', n: 599 },
      { kind: 'probe.state', state: 'up', n: 2999 },
      { kind: 'probe.transition', state: 'down', n: 1 },
      { kind: 'probe.transition', state: 'up', n: 1 },
    ]);
    const c = corrJson(['correlate', '--db', db]);
    expect(c.code).toBe(0);
    const confirmed = c.json.outages.filter((o: { status: string }) => o.status === 'confirmed');
    expect(confirmed).toHaveLength(1);
    expect(Date.parse(confirmed[0].start) / 1000 - (T0 + 1800)).toBeGreaterThanOrEqual(-1);
    expect(Date.parse(confirmed[0].start) / 1000 - (T0 + 1800)).toBeLessThanOrEqual(1);
    expect(Math.abs(Date.parse(confirmed[0].end) / 1000 - (T0 + 2400))).toBeLessThanOrEqual(1);
  });

  it('says why a ping line without a time is not read', () => {
    const read = pingFormat.reader!();
    expect(read('PING kai-server (10.0.0.5) 56(84) bytes of data.', null)).toEqual({ type: 'skip', reason: 'ping header (names the target)' });
    expect(read('64 bytes from kai-server (10.0.0.5): icmp_seq=1 ttl=64 time=0.345 ms', null)).toEqual({ type: 'skip', reason: 'ping line without a time (run ping with -D)' });
    const err = read('[1779851889.140000] From 10.0.0.1 icmp_seq=5 Destination Host Unreachable', null);
    if (err?.type !== 'event') throw new Error('not an event');
    expect(err.event.fields).toMatchObject({ target: 'kai-server', state: 'down', err: 'Destination Host Unreachable', from_addr: '10.0.0.1' });
  });
});

/** A small seeded generator, so that a failure names the case it came from. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('ping -D on varied monitors (seeded)', () => {
  // Eight monitors: poll every 1–30 s, 1–3 outages of 1–30 min at random, epoch or ISO stamps in a
  // random offset. corr must find exactly those windows, each edge within one poll of the truth.
  for (const seed of [11, 23, 37, 41, 53, 67, 79, 97]) {
    it(`finds the outages of monitor ${seed}`, () => {
      const r = rng(seed);
      const pollS = 1 + Math.floor(r() * 30);
      const spanS = 4 * 3600;
      const outages: [number, number][] = [];
      for (let k = 0, n = 1 + Math.floor(r() * 3); k < n; k++) {
        const len = 60 + Math.floor(r() * 1740);
        const from = 600 + k * Math.floor((spanS - 1200) / n) + Math.floor(r() * 600);
        outages.push([from, from + len]);
      }
      const iso = r() < 0.5;
      const offsetH = [-7, -3, 0, 5, 9][Math.floor(r() * 5)]!;
      const stamp = (s: number) => {
        if (!iso) return `[${T0 + s}.${String(Math.floor(r() * 1e6)).padStart(6, '0')}]`;
        const local = new Date((T0 + s + offsetH * 3600) * 1000).toISOString().slice(0, 19);
        const sign = offsetH < 0 ? '-' : '+';
        return `${local}${sign}${String(Math.abs(offsetH)).padStart(2, '0')}:00`;
      };
      const lines = ['PING kai-server (10.0.0.5) 56(84) bytes of data.'];
      for (let s = 0, seq = 1; s < spanS; s += pollS, seq++) {
        const down = outages.some(([a, b]) => s >= a && s < b);
        lines.push(down ? `${stamp(s)} no answer yet for icmp_seq=${seq}` : `${stamp(s)} 64 bytes from kai-server (10.0.0.5): icmp_seq=${seq} ttl=64 time=0.${100 + seq % 800} ms`);
      }
      const dir = tempDir();
      writeFileSync(join(dir, 'ping.log'), lines.join('\n') + '\n');
      const db = join(dir, 'p.db');
      expect(corrJson(['ingest', join(dir, 'ping.log'), '--db', db]).json.files[0].format).toBe('ping');
      const c = corrJson(['correlate', '--db', db]);
      const found = (c.json.outages as { status: string; start: string; end: string }[]).filter((o) => o.status === 'confirmed');
      expect(found.map((o) => [Date.parse(o.start) / 1000 - T0, Date.parse(o.end) / 1000 - T0]).length, JSON.stringify({ pollS, outages })).toBe(outages.length);
      outages.forEach(([a, b], k) => {
        const start = Date.parse(found[k]!.start) / 1000 - T0;
        const end = Date.parse(found[k]!.end) / 1000 - T0;
        expect(Math.abs(start - a), `start of ${k}: ${JSON.stringify({ pollS, outages })}`).toBeLessThanOrEqual(pollS + 1);
        expect(Math.abs(end - b), `end of ${k}: ${JSON.stringify({ pollS, outages })}`).toBeLessThanOrEqual(pollS + 1);
      });
    });
  }
});

describe('Nagios log', () => {
  const log = [
    '[1779800000] LOG ROTATION: DAILY',
    '[1779800000] CURRENT HOST STATE: kai-server;UP;HARD;1;PING OK - Packet loss = 0%, RTA = 0.35 ms',
    '[1779851884] SERVICE ALERT: kai-server;Root Partition;CRITICAL;HARD;3;DISK CRITICAL - free space: / 210 MB (2% inode=90%)',
    '[1779851944] HOST ALERT: kai-server;DOWN;SOFT;1;CRITICAL - Host Unreachable (10.0.0.5)',
    '[1779852004] HOST ALERT: kai-server;DOWN;HARD;3;CRITICAL - Host Unreachable (10.0.0.5)',
    '[1779852004] HOST NOTIFICATION: admins;kai-server;DOWN;notify-host-by-email;CRITICAL - Host Unreachable (10.0.0.5)',
    '[1779852544] HOST ALERT: kai-server;UP;HARD;1;PING OK - Packet loss = 0%, RTA = 0.41 ms',
    '[1779852544] Auto-save of retention data completed successfully.',
  ].join('\n') + '\n';

  it('reads host alerts as polls of the host, and a disk alert as no outage, through the real CLI', () => {
    const dir = tempDir();
    const file = join(dir, 'nagios.log');
    writeFileSync(file, log);
    const db = join(dir, 'n.db');
    const ingest = corrJson(['ingest', file, '--db', db]);
    expect(ingest.json.files[0].format).toBe('nagios');
    expect(ingest.json.files[0].events).toBe(8);
    const c = corrJson(['correlate', '--db', db]);
    const windows = c.json.outages.filter((o: { status: string }) => o.status === 'confirmed');
    expect(windows).toHaveLength(1);
    // From the first failed check (SOFT: it failed then) to the recovery.
    expect(windows[0].start).toBe(new Date(1779851944 * 1000).toISOString());
    expect(windows[0].end).toBe(new Date(1779852544 * 1000).toISOString());
  });

  it('is no longer described as JSON when it is not read', () => {
    const dir = tempDir();
    const file = join(dir, 'odd.log');
    writeFileSync(file, '[not json] at all\n[still] not\n');
    const r = corrJson(['ingest', file, '--db', join(dir, 'o.db')]);
    expect(r.json.files[0].warnings.join('\n')).not.toContain('JSON');
    expect(nagiosFormat.detect(['[1779851944] HOST ALERT: kai-server;DOWN;HARD;3;x'])).toBe(1);
    expect(corr(['formats']).stdout).toContain('nagios');
  });
});
