/**
 * The masker and the mining masks remember their answer per distinct token (src/text/mask.ts,
 * src/text/templates.ts). A remembered answer must be the answer: the same text masks the same way
 * before and after the caches have filled and started over, and a token's answer is never another's.
 */
import { describe, expect, it } from 'vitest';
import { maskMessage } from '../../src/text/mask.js';
import { maskForMining } from '../../src/text/templates.js';

const LINES: [string, string][] = [
  ['Failed password for root from 203.0.113.9 port 40022 ssh2', 'Failed password for <user> from <ip> port <n> ssh2'],
  ['br-33693122cf09: port 8(veth2cbbca2) entered blocking state', 'br-<hex>: port <n>(<veth>) entered <state> state'],
  ['eth0: link up 1000Mbps', 'eth0: link up <n>Mbps'],
];
const MINED: [string, string][] = [
  ['kworker/3:1 blocked on 0000:3a:0f.3 via eth0', '<kthread> blocked on <pci> via <iface>'],
  // The hex-bytes mask needs six matching tokens; maskMessage has made the all-digit bytes <n> first.
  ['Code: e5 c3 ff aa bb cc dd', 'Code: <hex> <hex> <hex> <hex> <hex> <hex> <hex>'],
  ['Code: 48 89 e5 41 57 55 c3', 'Code: <n> <n> e5 <n> <n> <n> c3'],
];

/** Enough distinct tokens to fill both caches several times over. */
function thrash(): void {
  for (let k = 0; k < 120_000; k++) {
    maskMessage(`tok${k}x value-${k % 97}a q${k}`);
    maskForMining(`w${k}q eth${k % 13} 4${k % 10}`);
  }
}

describe('remembered masking', () => {
  it('masks the same text the same way before, between and after the caches start over', () => {
    const first = [...LINES.map(([m]) => maskMessage(m)), ...MINED.map(([m]) => maskForMining(m))];
    expect(first).toEqual([...LINES.map(([, t]) => t), ...MINED.map(([, t]) => t)]);
    thrash();
    expect([...LINES.map(([m]) => maskMessage(m)), ...MINED.map(([m]) => maskForMining(m))]).toEqual(first);
  });

  it('answers each token for itself: tokens masked in turn keep their own answers', () => {
    const tokens = ['12', 'abc', '0x1f', 'deadbeef01', 'eth0', '10.1.2.3:80', 'veth1a2b', 'plain'];
    const alone = tokens.map((t) => maskMessage(t));
    expect(alone).toEqual(['<n>', 'abc', '<hex>', '<hex>', 'eth0', '<ip>:<n>', '<veth>', 'plain']);
    expect(maskMessage(tokens.join(' '))).toBe(alone.join(' '));
    expect(tokens.map((t) => maskMessage(t))).toEqual(alone);
  });
});
