/**
 * The store stories that are more than appends, on both engines: a boot stored unanchored and
 * placed by a later run, a host taken from identical lines already stored from a known host
 * (host step 4), and `--replace` (of a changed file, and of a file whose lines another file shares).
 * Each step runs the same ingest on SQLite and on ClickHouse; `sources --json` and
 * `timeline --json --no-collapse` must be byte-identical after every step, and the values a broken
 * engine would get wrong (the boot's instant, the host, the counts) are asserted on ClickHouse.
 * Inputs are a few lines each (one server for the file).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corr, corrJson, tempDir } from '../helpers/cli.js';
import { useClickHouse } from './server.js';

const ch = useClickHouse();

/** One store per engine, driven in lockstep. */
function pair(name: string) {
  const dir = tempDir('corr-fleet-stories-');
  const stores = [join(dir, 'corr.db'), ch.get().url(name)];
  return {
    dir,
    ch: stores[1]!,
    ingest(args: string[]) {
      const out = stores.map((db) => corrJson<{ events_added: number; events_total: number; files: { path: string; host: string | null; status?: string; assumptions: string[]; warnings: string[]; format: string | null }[] }>(['--db', db, 'ingest', ...args]));
      for (const r of out) expect(r.code, r.stderr).toBe(0);
      expect(out[1]!.json.events_added, 'events added').toBe(out[0]!.json.events_added);
      expect(out[1]!.json.events_total, 'events in the store').toBe(out[0]!.json.events_total);
      return out[1]!.json;
    },
    /** sources and the whole timeline, identical on both; ClickHouse's parsed. */
    same() {
      const got: unknown[] = [];
      for (const cmd of [['sources', '--json'], ['timeline', '--json', '--no-collapse']]) {
        const [a, b] = stores.map((db) => corr(['--db', db, ...cmd]));
        expect(a!.code, a!.stderr).toBe(0);
        expect(b!.code, b!.stderr).toBe(0);
        expect(b!.stdout, cmd.join(' ')).toBe(a!.stdout);
        got.push(JSON.parse(b!.stdout));
      }
      return { sources: got[0] as { sources: { path: string; host: string | null; events: number }[]; boots: { path: string; boot: string | null; why: string }[] }, timeline: got[1] as { events: { ts: string; message: string; host: string }[] } };
    },
  };
}

const write = (dir: string, name: string, text: string) => {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
};

describe('stories beyond appending, byte-identical on SQLite and ClickHouse', () => {
  it('a raw dmesg stored unanchored is placed by the journal of a later run', () => {
    // The boot at 08:00:33.250Z; journal stamps are whole seconds, so the earliest
    // (wall − uptime) pair, 08:00:32.500, places it to within one second.
    const boot = Date.parse('2024-05-27T08:00:33.250Z');
    const lines: [number, number, string][] = [
      [0.5, 7.5, 'Linux version 6.8.0-31-generic'],
      [3.7, 4.3, 'e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex'],
      [12.5, 0.2, 'br0: port 1(veth1) entered forwarding state'],
      [40.1, 0.05, 'nf_conntrack: nf_conntrack: table full, dropping packet'],
    ];
    const stamp = (ms: number) => {
      const d = new Date(ms);
      return `${d.toUTCString().slice(8, 11)} ${String(d.getUTCDate()).padStart(2)} ${d.toISOString().slice(11, 19)}`;
    };
    const p = pair('late_boot');
    write(p.dir, 'd/dmesg.txt', lines.map(([u, , m]) => `[${u.toFixed(6).padStart(12)}] ${m}`).join('\n') + '\n');
    write(p.dir, 'j/journal.txt', '-- Logs begin at Mon 2024-05-27 08:00:40 UTC, end at Mon 2024-05-27 09:00:00 UTC. --\n' + lines.map(([u, d, m]) => `${stamp(boot + (u + d) * 1000)} node-a kernel: ${m}`).join('\n') + '\n');
    const first = p.ingest([join(p.dir, 'd'), '--host', 'node-a']);
    expect(first.files[0]!.warnings.join(' ')).toContain('no boot anchor');
    expect(p.same().sources.boots[0]!.boot).toBeNull();
    p.ingest([join(p.dir, 'j'), '--tz', 'UTC']);
    const after = p.same();
    const placed = after.sources.boots.find((b) => b.path.endsWith('dmesg.txt'))!;
    expect(placed.why).toContain('matched');
    const at = Date.parse(placed.boot!);
    const low = Date.parse('2024-05-27T08:00:32.500Z');
    expect(at).toBeGreaterThanOrEqual(low);
    expect(at).toBeLessThanOrEqual(low + 1000);
    // The raw line now stands at the boot plus its uptime (40.1 s).
    const nf = after.timeline.events.filter((e) => e.message.startsWith('nf_conntrack')).map((e) => Date.parse(e.ts));
    expect(nf).toContain(at + 40_100);
  }, 300_000);

  it('host step 4: a later copy of a ring buffer takes the host whose identical lines are stored', () => {
    const ring = [
      '[    0.000000] Linux version 6.8.0-31-generic (buildd@lcy02-amd64-080)',
      '[    9.184000] PCI: CLS 0 bytes, default 64',
      '[   12.345678] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex',
      '[  301.002417] br0: port 1(veth1a2b) entered forwarding state',
      '[ 1800.123456] nf_conntrack: nf_conntrack: table full, dropping packet',
      '[ 2400.654321] eth0: renamed from veth9f3c',
    ];
    const capture = ['===== date =====', 'Mon May 27 09:00:00 UTC 2024', '===== hostname =====', 'node-a', '===== uptime -s =====', '2024-05-27 08:00:00', '===== dmesg =====', ...ring, ''].join('\n');
    const p = pair('same_lines');
    write(p.dir, 'first/output.txt', capture);
    p.ingest([join(p.dir, 'first')]);
    // The copy lost its first 2 lines and gained 2: 4 of its 6 distinctive lines are stored.
    write(p.dir, 'second/dmesg-copy.txt', [...ring.slice(2), '[ 3000.111111] usb 1-1: new high-speed USB device number 3', '[ 3600.222222] eth0: link down'].join('\n') + '\n');
    const j = p.ingest([join(p.dir, 'second')]);
    const copy = j.files.find((f) => f.path.endsWith('dmesg-copy.txt') && f.format !== null)!;
    expect(copy.host).toBe('node-a');
    expect(copy.assumptions.join('\n')).toMatch(/host node-a: 4 of 6 distinctive lines .* identical to lines already stored from .*first\/output\.txt \[dmesg\] of host node-a/);
    expect(j.events_added).toBe(2);
    p.same();
    // The overlap is one event each; the new lines are node-a's (unanchored: no timeline instant, so asked by SQL).
    const rows = (q: string) => corrJson<{ rows: Record<string, unknown>[] }>(['--db', p.ch, 'sql', q]).json.rows;
    expect(rows(`SELECT count() AS n FROM visible_events WHERE startsWith(message, 'nf_conntrack')`)).toEqual([{ n: 1 }]);
    expect(rows(`SELECT host FROM visible_events WHERE message = 'eth0: link down'`)).toEqual([{ host: 'node-a' }]);
  }, 300_000);

  it('--replace: a changed file keeps only its new version; lines another file shares stay', () => {
    const auth = (from: number, to: number) => {
      const out: string[] = [];
      for (let i = from; i <= to; i++) {
        out.push(`Mar  1 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} kai-server sshd[${1000 + i}]: Failed password for root from 203.0.113.${i % 250} port ${20000 + i} ssh2`);
      }
      return out.join('\n') + '\n';
    };
    const time = ['--tz', 'UTC', '--year', '2026'];
    const p = pair('replace');
    const a = join(p.dir, 'a.log');
    const b = join(p.dir, 'b.log');
    writeFileSync(a, auth(1, 60));
    writeFileSync(b, auth(11, 60)); // 50 lines also in a.log: stored once
    expect(p.ingest([a, b, ...time]).events_total).toBe(60);
    writeFileSync(a, auth(1, 100)); // grew: kept beside the first version
    expect(p.ingest([a, ...time]).events_added).toBe(40);
    expect(p.same().sources.sources).toHaveLength(3);
    writeFileSync(a, auth(201, 210)); // rewritten: 10 other lines, replacing both stored versions
    const r = p.ingest([a, '--replace', ...time]);
    expect(r.files[0]!.status).toBe('replaced');
    // b.log's 50 lines survive a.log's replacement; a.log now holds its 10.
    expect(r.events_total).toBe(60);
    const { sources, timeline } = p.same();
    expect(sources.sources.map((s) => [s.path.endsWith('a.log') ? 'a' : 'b', s.events])).toEqual([['a', 10], ['b', 50]]);
    expect(timeline.events).toHaveLength(60);
    // Ingesting both again adds nothing.
    expect(p.ingest([a, b, ...time]).events_added).toBe(0);
  }, 300_000);

  it('boot keys: two boots whose [0.000000] lines are identical are both kept; a second capture of one is stored once', () => {
    const early = ['Linux version 5.15.0-105-generic (buildd@lcy02-amd64-007) (gcc 11.4.0) #115-Ubuntu SMP', 'Command line: BOOT_IMAGE=/boot/vmlinuz-5.15.0-105-generic root=/dev/sda2 ro quiet', 'KERNEL supported cpus:'];
    // One boot's ring buffer: the early lines at 0.000000, then n lines with microsecond stamps of its own.
    const boot = (seed: number, n: number) => {
      const out = early.map((m) => `[    0.000000] ${m}`);
      let us = 1000 + seed * 7;
      for (let i = 0; i < n; i++) {
        us += 1_000 + ((seed * 7919 + i * 104_729) % 90_000) + 1;
        if (us % 1000 === 0) us += 1;
        out.push(`[${(us / 1e6).toFixed(6).padStart(12, ' ')}] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex (${i})`);
      }
      return out.join('\n') + '\n';
    };
    const p = pair('boot_keys');
    const opts = ['--host', 'node1', '--tz', 'UTC'];
    write(p.dir, 'dmesg.boot1', boot(1, 30));
    write(p.dir, 'dmesg.boot2', boot(2, 20));
    write(p.dir, 'copy/dmesg.boot1', boot(1, 30));
    expect(p.ingest([join(p.dir, 'dmesg.boot1'), ...opts]).events_added).toBe(33);
    // The second boot's 3 early lines are its own events, not the first boot's.
    expect(p.ingest([join(p.dir, 'dmesg.boot2'), ...opts]).events_added).toBe(23);
    expect(p.ingest([join(p.dir, 'copy'), ...opts]).events_added).toBe(0);
    p.same();
    const n = corrJson<{ rows: { n: number }[] }>(['--db', p.ch, 'sql', 'SELECT count() AS n FROM visible_events']).json.rows[0]!.n;
    expect(n).toBe(56);
  }, 300_000);
});
