import { describe, expect, it } from 'vitest';
import { KernelLineIndex } from '../../src/ingest/context/kernel-match.js';
import { placeSegment } from '../../src/time/boot-placement.js';

const S = 1_000_000;
const BOOT = Date.parse('2024-05-27T08:00:00.250Z') * 1000;

describe('raw dmesg anchored by the same lines of a journal', () => {
  it('within a second of the truth, although journald read the early lines seconds late', () => {
    const idx = new KernelLineIndex();
    const lines: [number, string][] = [[0.5, 'Linux version 6.8.0'], [1.2, 'Command line: ro quiet'], [3.7, 'e1000e: eth0 NIC Link is Up'], [3.9, 'br0:  port 1(veth1) entered  forwarding state'], [40.1, 'nf_conntrack: table full']];
    // Delays: the first three were read when journald started (8 s in); the rest within 0.2 s.
    const delay = [7.5, 6.8, 4.3, 0.2, 0.05];
    lines.forEach(([u, m], i) => {
      idx.addRaw(7, 'node-a', m, u * S);
      // Journal short format: whole seconds, and its own spacing.
      const wall = Math.floor((BOOT + (u + delay[i]!) * S) / S) * S;
      idx.addWall('NODE-A', m.replace(/\s+/g, ' '), wall, false);
    });
    idx.addWall('node-b', 'Linux version 6.8.0', BOOT - 3600 * S, false); // another host: never matched
    const g = idx.pairsFor(7)!;
    expect(g.pairsUs).toHaveLength(5);
    const p = placeSegment({ fromEnd: 0, minUptimeUs: 0, maxUptimeUs: 41 * S, pairs: [g] }, null, []);
    expect(Math.abs(p.anchorUs! - BOOT)).toBeLessThan(1 * S);
    // The median of the same pairs lands seconds late.
    const sorted = [...g.pairsUs].sort((a, b) => a - b);
    expect(sorted[2]! - BOOT).toBeGreaterThan(3 * S);
  });

  it('a message repeated on either side is never matched', () => {
    const idx = new KernelLineIndex();
    idx.addRaw(1, 'h', 'eth0: link up', 5 * S);
    idx.addRaw(1, 'h', 'eth0: link up', 9 * S);
    idx.addWall('h', 'eth0: link up', BOOT + 6 * S, true);
    expect(idx.pairsFor(1)).toBeNull();
  });
});
