/**
 * Host attribution step 4 through the real CLI: a source with no host evidence of its own whose
 * distinctive lines (stamps with sub-millisecond digits) are identical to lines already stored from
 * a known host takes that host, across runs and within one; coarse stamps (the boot banner at
 * 0.000000, jiffy and whole-second stamps) are never host evidence. The counts in the expected
 * sentences are computed by hand from the lines below.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corrJson, tempDir } from '../helpers/cli.js';

interface Entry { path: string; section: string | null; host: string | null; assumptions: string[]; warnings: string[]; format: string | null }

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  }
}
function ingest(db: string, path: string, extra: string[] = []) {
  const r = corrJson<{ files: Entry[]; warnings: string[] }>(['--db', db, 'ingest', path, ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return r.json;
}
function sql<T>(db: string, q: string): T[] {
  const r = corrJson<{ rows: T[] }>(['--db', db, 'sql', q]);
  expect(r.code, r.stderr).toBe(0);
  return r.json.rows;
}
const one = (files: Entry[], suffix: string) => {
  const e = files.filter((f) => f.path.endsWith(suffix) && f.format !== null);
  expect(e, files.map((f) => f.path).join(', ')).toHaveLength(1);
  return e[0]!;
};

// node-a's ring buffer as its capture holds it: 2 banner lines at 0.000000, one jiffy stamp, 4 distinctive lines.
const RING = [
  '[    0.000000] Linux version 6.8.0-31-generic (buildd@lcy02-amd64-080)',
  '[    0.000000] Command line: BOOT_IMAGE=/vmlinuz-6.8.0-31-generic ro quiet',
  '[    9.184000] PCI: CLS 0 bytes, default 64',
  '[   12.345678] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex',
  '[  301.002417] br0: port 1(veth1a2b) entered forwarding state',
  '[ 1800.123456] nf_conntrack: nf_conntrack: table full, dropping packet',
  '[ 2400.654321] eth0: renamed from veth9f3c',
];
const capture = (host: string, ring: string[]) =>
  ['===== date =====', 'Mon May 27 09:00:00 UTC 2024', '===== hostname =====', host, '===== uptime -s =====', '2024-05-27 08:00:00', '===== dmesg =====', ...ring, ''].join('\n');

describe('host step 4: identical lines already stored from a known host', () => {
  it('across runs: a later copy of the same ring buffer takes the host; its overlap is stored once', () => {
    const dir = tempDir('corr-same-lines-');
    const db = join(dir, 'c.db');
    write(dir, { 'first/output.txt': capture('node-a', RING) });
    ingest(db, join(dir, 'first'));
    // An hour later the ring buffer lost its first 3 lines and gained 2: 4 + 2 = 6 distinctive lines, 4 of them stored.
    const later = [...RING.slice(3), '[ 3000.111111] usb 1-1: new high-speed USB device number 3', '[ 3600.222222] eth0: link down'];
    write(dir, { 'second/dmesg-copy.txt': later.join('\n') + '\n' });
    const j = ingest(db, join(dir, 'second'));
    const e = one(j.files, 'dmesg-copy.txt');
    expect(e.host).toBe('node-a');
    // 4 of 6 is the smallest count chance stays under 1e-6 for (3 of 6: 2e-5).
    expect(e.assumptions.join('\n')).toMatch(/host node-a: 4 of 6 distinctive lines .* identical to lines already stored from .*first\/output\.txt \[dmesg\] of host node-a/);
    expect([...j.warnings, ...e.warnings].join('\n')).not.toContain('--host');
    // The overlap is one event each; the new lines are node-a's.
    expect(sql<{ n: number }>(db, "SELECT count(*) AS n FROM events WHERE message LIKE 'nf_conntrack%'")[0]!.n).toBe(1);
    expect(sql<{ host: string }>(db, "SELECT host FROM events WHERE message = 'eth0: link down'").map((r) => r.host)).toEqual(['node-a']);
  });

  it('within one run: a copy in a directory of its own, beside two hosts\' captures, takes the host whose lines it repeats', () => {
    const dir = tempDir('corr-same-lines-');
    const db = join(dir, 'c.db');
    const other = ['[    0.000000] Linux version 6.8.0-31-generic (buildd@lcy02-amd64-080)', '[   14.000321] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex', '[  500.987654] eth0: link down'];
    write(dir, {
      'b/a/output.txt': capture('node-a', RING),
      'b/c/output.txt': capture('node-b', other),
      'b/loose/dmesg.txt': RING.join('\n') + '\n',
    });
    const j = ingest(db, join(dir, 'b'));
    const e = one(j.files, 'loose/dmesg.txt');
    // The bundle names two hosts, so the directory names none (step 3); the 4 distinctive lines all match node-a's.
    expect(e.host).toBe('node-a');
    expect(e.assumptions.join('\n')).toMatch(/4 of 4 distinctive lines .* of host node-a .*3 lines with coarse stamps are no host evidence/);
    expect(sql<{ n: number }>(db, "SELECT count(*) AS n FROM events WHERE message LIKE 'br0: port 1%'")[0]!.n).toBe(1);
  });

  it('generic lines never carry a host, and too few distinctive ones do not either', () => {
    const dir = tempDir('corr-same-lines-');
    const db = join(dir, 'c.db');
    write(dir, { 'first/output.txt': capture('node-a', RING) });
    ingest(db, join(dir, 'first'));
    // Another machine of the same build: the banner and the jiffy line are identical, and 3 of its
    // 6 distinctive lines happen to be too — 3 of 6 has a chance of 2e-5, over the bound.
    const twin = [
      ...RING.slice(0, 3),
      ...RING.slice(3, 6),
      '[   13.000001] e1000e 0000:00:19.0 eth0: NIC Link is Down',
      '[   20.500002] eth0: link down',
      '[   40.250003] usb 1-1: new high-speed USB device number 2',
    ];
    write(dir, { 'other/dmesg.txt': twin.join('\n') + '\n' });
    const j = ingest(db, join(dir, 'other'), ['--boot-time', '2024-05-27T10:00:00Z']);
    const e = one(j.files, 'other/dmesg.txt');
    expect(e.host).toMatch(/^unknown:/);
    expect([...j.warnings, ...e.warnings].join('\n')).toContain('--host');
    // A machine of its own: its banner line is its own event, not node-a's.
    expect(sql<{ n: number }>(db, "SELECT count(*) AS n FROM events WHERE message LIKE 'Linux version%'")[0]!.n).toBe(2);
    // With only the generic lines identical, likewise.
    write(dir, { 'third/dmesg.txt': [...RING.slice(0, 3), '[   77.777777] eth1: link up'].join('\n') + '\n' });
    const k = ingest(db, join(dir, 'third'), ['--boot-time', '2024-05-27T10:00:00Z']);
    expect(one(k.files, 'third/dmesg.txt').host).toMatch(/^unknown:/);
  });
});
