/**
 * Twins: raw dmesg and a journal of the same boot hold the same kernel lines. Both rows are kept,
 * one is marked the twin of the other, and every count leaves the twin out: the bridge churn below
 * is 6 lines per burst in each copy, so a program that counted both copies would say 12.
 *
 * The boot: 08:00:00.000Z. The journal (short-iso-precise, microseconds) read the two boot lines
 * 6.0 and 5.5 s late (journald starting), the bridge lines 3–4 ms late. The two boot lines are the
 * only messages once on each side, so the boot is placed at their earliest (wall − uptime) pair,
 * 08:00:05.500Z (5.5 s late: a logging delay only adds, and nothing earlier was matched); the
 * bridge lines repeat and are paired in order, the raw copy 5.496 s after its journal copy in every
 * pair (one common offset).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corrJson, tempDir } from '../helpers/cli.js';
import { linkKernelTwins, pairKernelTwins, type KernelRow } from '../../src/ingest/context/kernel-twins.js';

const BOOT_MS = Date.parse('2024-05-27T08:00:00.000Z');
const LINES: [number, number, string][] = [
  [0.5, 6.0, 'Linux version 6.8.0-31-generic'],
  [1.25, 5.5, 'Command line: BOOT_IMAGE=/vmlinuz ro quiet'],
];
for (const minute of [10, 30, 50]) {
  for (let k = 0; k < 3; k++) {
    LINES.push([minute * 60 + k * 2 + 0.123456, 0.004, 'br0: port 1(veth1a) entered disabled state']);
    LINES.push([minute * 60 + k * 2 + 1.234567, 0.003, 'br0: port 1(veth1a) entered forwarding state']);
  }
}
const pad = (u: number) => `[${u.toFixed(6).padStart(12)}]`;
const journalStamp = (u: number) => {
  const us = Math.round(u * 1e6);
  return `${new Date(BOOT_MS + Math.floor(us / 1e6) * 1000).toISOString().slice(0, 19)}.${String(us % 1e6).padStart(6, '0')}+00:00`;
};
const DMESG = LINES.map(([u, , m]) => `${pad(u)} ${m}`).join('\n') + '\n';
const JOURNAL = LINES.map(([u, d, m]) => `${journalStamp(u + d)} node-a kernel: ${m}`).join('\n') + '\n';

interface Source { path: string; twins: number; events: number; assumptions: string[]; coverage: { start: string; end: string }[] }
interface Finding { kind: string; bursts: { start: string; count: number }[] }

function setup() {
  const dir = tempDir('corr-twins-');
  mkdirSync(join(dir, 'j'));
  mkdirSync(join(dir, 'd'));
  writeFileSync(join(dir, 'j', 'journal.txt'), JOURNAL);
  writeFileSync(join(dir, 'd', 'dmesg.txt'), DMESG);
  return { dir, db: join(dir, 'c.db') };
}
function run<T>(db: string, args: string[]): T {
  const r = corrJson<T>(['--db', db, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.json;
}
const WINDOWS = ['08:09:50..08:11:00', '08:29:50..08:31:00', '08:49:50..08:51:00'].flatMap((w) => {
  const [a, b] = w.split('..');
  return ['--window', `2024-05-27T${a}Z..2024-05-27T${b}Z`];
});

function expectOneCopy(db: string) {
  const sources = run<{ sources: Source[] }>(db, ['sources']).sources;
  const journal = sources.find((s) => s.path.endsWith('journal.txt'))!;
  const dmesg = sources.find((s) => s.path.endsWith('dmesg.txt'))!;
  // Both copies are stored whole; the journal's copy of each line is the twin (the raw copy's boot
  // is placed ±1 µs by these matched lines, the journal's stamp is 1 µs plus a logging delay).
  expect(journal.events).toBe(LINES.length);
  expect(dmesg.events).toBe(LINES.length);
  expect(journal.twins).toBe(LINES.length);
  expect(dmesg.twins).toBe(0);
  const stored = run<{ rows: { n: number; twins: number }[] }>(db, ['sql', 'SELECT count(*) AS n, count(twin_of) AS twins FROM events']).rows[0]!;
  expect(stored).toEqual({ n: 2 * LINES.length, twins: LINES.length });
  // The timeline shows each line once, at the raw copy's instant: boot 08:00:05.500 + uptime.
  const events = run<{ events: { ts: string; file: string }[] }>(db, ['timeline', '--no-collapse']).events;
  expect(events).toHaveLength(LINES.length);
  expect(events.every((e) => e.file.endsWith('dmesg.txt'))).toBe(true);
  expect(events[2]!.ts).toBe('2024-05-27T08:10:05.623Z');
  // The correlator counts one copy: 6 bridge lines a burst, not 12.
  const findings = run<{ findings: Finding[] }>(db, ['correlate', ...WINDOWS]).findings;
  const churn = findings.find((f) => f.kind === 'bridge-churn')!;
  expect(churn.bursts.map((b) => [b.start, b.count])).toEqual([
    ['2024-05-27T08:10:05.623Z', 6],
    ['2024-05-27T08:30:05.623Z', 6],
    ['2024-05-27T08:50:05.623Z', 6],
  ]);
}

describe('twins: a journal kernel line and the same raw dmesg line', () => {
  it('in one run: stored twice, counted once; a re-ingest adds nothing', () => {
    const { dir, db } = setup();
    run(db, ['ingest', join(dir, 'j'), join(dir, 'd'), '--host', 'node-a']);
    expectOneCopy(db);
    const again = run<{ events_added: number }>(db, ['ingest', join(dir, 'j'), join(dir, 'd'), '--host', 'node-a']);
    expect(again.events_added).toBe(0);
    expectOneCopy(db);
  });

  it('the journal in a first run, the raw dmesg in a later one', () => {
    const { dir, db } = setup();
    run(db, ['ingest', join(dir, 'j')]);
    run(db, ['ingest', join(dir, 'd'), '--host', 'node-a']);
    expectOneCopy(db);
  });

  it('the raw dmesg first (unplaced), the journal later: placed, covered and linked in the journal section', () => {
    const { dir, db } = setup();
    run(db, ['ingest', join(dir, 'd'), '--host', 'node-a']);
    const before = run<{ sources: Source[] }>(db, ['sources']).sources[0]!;
    expect(before.coverage).toEqual([]);
    run(db, ['ingest', join(dir, 'j')]);
    expectOneCopy(db);
    // The dmesg section's coverage, recomputed when its boot was placed: its first line
    // (08:00:05.500 + 0.5 s) to its last (08:00:05.500 + 3005.234567 s).
    const dmesg = run<{ sources: Source[] }>(db, ['sources']).sources.find((s) => s.path.endsWith('dmesg.txt'))!;
    expect(dmesg.coverage).toEqual([{ start: '2024-05-27T08:00:06.000Z', end: '2024-05-27T08:50:10.734Z' }]);
    expect(dmesg.assumptions.join(' ')).toContain('once boot #0 was placed');
  });
});

describe('pairKernelTwins', () => {
  const row = (id: number, tsUs: number, message: string): KernelRow => ({ id, tsUs, message, linked: false });
  const boot = { id: 1, host: 'h', anchorUs: 0, minUptimeUs: 0, maxUptimeUs: 100e6 };

  it('keeps the raw copy when its boot is placed at least as precisely as the wall stamp, else the wall copy', () => {
    const raw = [row(1, 10_000_000, 'eth0: link up')];
    const wall = [row(2, 10_002_000, 'eth0: link up')];
    expect(pairKernelTwins({ ...boot, precisionUs: 0.5 }, raw, wall)).toEqual([{ twinId: 2, ofId: 1 }]);
    // A boot placed ±1 s (a btime) beside a journal with microseconds: the journal's copy is kept.
    expect(pairKernelTwins({ ...boot, precisionUs: 1_000_000 }, raw, wall)).toEqual([{ twinId: 1, ofId: 2 }]);
    // Whole-second syslog stamps are no better than a ±1 s boot: the raw copy is kept.
    expect(pairKernelTwins({ ...boot, precisionUs: 1_000_000 }, raw, [row(2, 11_000_000, 'eth0: link up')])).toEqual([{ twinId: 2, ofId: 1 }]);
  });

  it('a ring buffer that lost its oldest occurrences pairs the rest in order, never shifted by one', () => {
    // The journal saw the message at 10, 20, 30, 40 s; the ring buffer kept only the last two.
    const wall = [10, 20, 30, 40].map((s, i) => row(10 + i, s * 1e6 + 3000, 'link down'));
    const raw = [30, 40].map((s, i) => row(1 + i, s * 1e6, 'link down'));
    const links = pairKernelTwins({ ...boot, precisionUs: 0.5 }, raw, wall);
    expect(links).toEqual([{ twinId: 12, ofId: 1 }, { twinId: 13, ofId: 2 }]);
  });

  it('copies that fit no common offset stay two events; rows already linked are not linked again', () => {
    // Offsets 3 ms and 7 s: a journal that dropped one occurrence and has another instead.
    const raw = [row(1, 10e6, 'x'), row(2, 20e6, 'x')];
    const wall = [row(3, 10e6 + 3000, 'x'), row(4, 27e6, 'x')];
    expect(pairKernelTwins({ ...boot, precisionUs: 0.5 }, raw, wall)).toEqual([]);
    const linked = [{ ...row(1, 10e6, 'y'), linked: true }];
    expect(pairKernelTwins({ ...boot, precisionUs: 0.5 }, linked, [row(2, 10e6 + 5, 'y')])).toEqual([]);
  });
});

describe('linkKernelTwins', () => {
  // A store that counts the raw rows it hands out: a boot's raw rows are every kernel line of a
  // dmesg (300,000 at the bench's 1M lines), and fetching them all when the host has no wall-clock
  // kernel line to pair them with doubled the ingest's peak RSS (docs/performance.md, fifth round).
  const placed = { id: 7, host: 'h', anchorUs: 1e15, precisionUs: 0.5, minUptimeUs: 1e6, maxUptimeUs: 50e6 };
  const fake = (wall: KernelRow[]) => {
    const asked = { raw: 0, wall: [] as [number, number][] };
    const store = {
      placedBoots: () => [placed],
      bootKernelRows: () => (asked.raw++, [{ id: 1, tsUs: 1e15 + 10e6, message: 'eth0: link up', linked: false }]),
      wallKernelRowsIn: (_h: string, fromUs: number, toUs: number) => (asked.wall.push([fromUs, toUs]), wall),
      linkTwins: (links: readonly { twinId: number; ofId: number }[]) => links.length,
    };
    return { store, asked };
  };

  it("reads a boot's raw rows only when its host has wall-clock kernel rows in the boot's window", () => {
    const none = fake([]);
    expect(linkKernelTwins(none.store, ['h'], null)).toBe(0);
    expect(none.asked.raw).toBe(0);
    // The window: from the first raw line less the precision and a second, to the last plus the horizon.
    expect(none.asked.wall).toEqual([[1e15 + 1e6 - 0.5 - 1e6, 1e15 + 50e6 + 120e6]]);
    const some = fake([{ id: 2, tsUs: 1e15 + 10e6 + 3000, message: 'eth0: link up', linked: false }]);
    expect(linkKernelTwins(some.store, ['h'], null)).toBe(1);
    expect(some.asked.raw).toBe(1);
  });
});
