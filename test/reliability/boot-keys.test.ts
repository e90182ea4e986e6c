/**
 * #17: dedup keys that cannot collide across boots of one host (src/ingest/boot-keys.ts). Every
 * boot prints the same `[    0.000000] …` lines; uptime, host and message alone took a second
 * boot's for the first one's. Through the CLI, with exact counts: two boots of one host are both
 * kept; one ring buffer captured twice (or after it wrapped) is stored once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corrJson, tempDir } from '../helpers/cli.js';

const HOST = ['--host', 'node1', '--tz', 'UTC'];

/** The lines every boot of this machine prints before its clock runs: identical in every boot. */
const EARLY = [
  'Linux version 5.15.0-105-generic (buildd@lcy02-amd64-007) (gcc 11.4.0) #115-Ubuntu SMP',
  'Command line: BOOT_IMAGE=/boot/vmlinuz-5.15.0-105-generic root=/dev/sda2 ro quiet',
  'KERNEL supported cpus:',
  '  Intel GenuineIntel',
  'BIOS-provided physical RAM map:',
  'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable',
];

/**
 * One boot's ring buffer: the early lines at 0.000000, then `n` lines whose stamps carry
 * microseconds of this boot's own (`seed` picks them; two boots never share one).
 */
function boot(seed: number, n: number): string[] {
  const out = EARLY.map((m) => `[    0.000000] ${m}`);
  let us = 1000 + seed * 7;
  for (let i = 0; i < n; i++) {
    us += 1_000 + ((seed * 7919 + i * 104_729) % 90_000) + 1; // never a whole millisecond apart from the last by chance
    if (us % 1000 === 0) us += 1;
    const s = (us / 1e6).toFixed(6).padStart(12, ' ');
    out.push(`[${s}] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx (${i})`);
  }
  return out;
}

const text = (lines: string[]): string => lines.join('\n') + '\n';

function total(db: string): number {
  return corrJson<{ rows: { n: number }[] }>(['--db', db, 'sql', 'SELECT count(*) AS n FROM events']).json.rows[0]!.n;
}

function ingest(db: string, path: string): { code: number; added: number; duplicates: number } {
  const r = corrJson<{ events_added: number; files: { duplicates: number }[] }>(['--db', db, 'ingest', path, ...HOST]);
  return { code: r.code, added: r.json.events_added, duplicates: r.json.files.reduce((n, f) => n + f.duplicates, 0) };
}

describe('boot-aware dedup keys', () => {
  it('keeps both boots of one host whose [0.000000] lines are identical', () => {
    const dir = tempDir();
    const db = join(dir, 's.db');
    writeFileSync(join(dir, 'dmesg.boot1'), text(boot(1, 30)));
    writeFileSync(join(dir, 'dmesg.boot2'), text(boot(2, 20)));
    expect(ingest(db, join(dir, 'dmesg.boot1'))).toEqual({ code: 0, added: 36, duplicates: 0 });
    // Before boot keys: the 6 early lines of boot 2 were taken for boot 1's (30 + 6 + 14 stored).
    expect(ingest(db, join(dir, 'dmesg.boot2'))).toEqual({ code: 0, added: 26, duplicates: 0 });
    expect(total(db)).toBe(62);
    const zero = corrJson<{ rows: { n: number }[] }>(['--db', db, 'sql', 'SELECT count(*) AS n FROM events WHERE uptime_us = 0']);
    expect(zero.json.rows[0]!.n).toBe(12);
  });

  it('stores one ring buffer captured twice once: the later capture adds only its new lines', () => {
    const dir = tempDir();
    const db = join(dir, 's.db');
    const lines = boot(3, 40);
    writeFileSync(join(dir, 'dmesg.first'), text(lines.slice(0, 30)));
    writeFileSync(join(dir, 'dmesg.later'), text(lines));
    expect(ingest(db, join(dir, 'dmesg.first'))).toEqual({ code: 0, added: 30, duplicates: 0 });
    expect(ingest(db, join(dir, 'dmesg.later'))).toEqual({ code: 0, added: 16, duplicates: 30 });
    expect(total(db)).toBe(46);
  });

  it('stores a buffer captured after it wrapped once, in either order', () => {
    for (const order of [['wrapped', 'whole'], ['whole', 'wrapped']] as const) {
      const dir = tempDir();
      const db = join(dir, 's.db');
      const lines = boot(4, 50);
      writeFileSync(join(dir, 'dmesg.whole'), text(lines));
      writeFileSync(join(dir, 'dmesg.wrapped'), text(lines.slice(20))); // the oldest 20 lines overwritten
      const first = ingest(db, join(dir, `dmesg.${order[0]}`));
      const second = ingest(db, join(dir, `dmesg.${order[1]}`));
      expect(first.code + second.code).toBe(0);
      expect(first.added + second.added).toBe(56);
      expect(second.duplicates).toBe(36);
      expect(total(db)).toBe(56);
    }
  });

  it('takes each boot of a two-boot capture for its own: a later capture of the second boot adds nothing', () => {
    const dir = tempDir();
    const db = join(dir, 's.db');
    const second = boot(6, 25);
    writeFileSync(join(dir, 'dmesg.both'), text([...boot(5, 30), ...second]));
    writeFileSync(join(dir, 'dmesg.second'), text(second));
    expect(ingest(db, join(dir, 'dmesg.both'))).toEqual({ code: 0, added: 67, duplicates: 0 });
    expect(ingest(db, join(dir, 'dmesg.second'))).toEqual({ code: 0, added: 0, duplicates: 31 });
    expect(total(db)).toBe(67);
  });

  it('adds nothing when the same files are ingested again', () => {
    const dir = tempDir();
    const db = join(dir, 's.db');
    writeFileSync(join(dir, 'a'), text(boot(7, 10)));
    writeFileSync(join(dir, 'b'), text(boot(8, 10)));
    expect(ingest(db, dir).added).toBe(32);
    expect(ingest(db, dir).added).toBe(0);
    // --replace reads both again: the same rows, none doubled.
    const again = corrJson<{ events_added: number }>(['--db', db, 'ingest', dir, '--replace', ...HOST]);
    expect(again.json.events_added).toBe(32);
    expect(total(db)).toBe(32);
  });
});
