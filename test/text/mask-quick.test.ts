/**
 * The masker's shortcuts for the template miner (src/text/mask.ts, src/text/templates.ts) against the
 * code they stand in for, on generated tokens and messages:
 * - quickMaskedToken (a token settled by its characters) against maskToken;
 * - maskMessageWarm (tokens found by a scan) against maskMessage (tokens found by TOKEN);
 * - cannotMatchMask against every mining mask's expression;
 * - maskForMining (split and join skipped when a scan shows they change nothing) against
 *   maskForMiningPlain, the split–mask–join it replaced.
 * The generators lean on the edges the shortcuts test: hex runs of 5, 6 and 7 characters, `d` (a hex
 * letter and a duration unit), the constant hex words, bridge and veth prefixes, `<n>` after `:` or
 * `[`, two-character hex bytes, 12- and 13-character tokens with `:` fifth, every whitespace and
 * control character, doubled and leading spaces.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/correlate/prng.js';
import { maskMessage, maskMessageWarm, maskToken, quickMaskedToken } from '../../src/text/mask.js';
import { MINING_MASKS, cannotMatchMask, maskForMining, maskForMiningPlain } from '../../src/text/templates.js';

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

const HEX = '0123456789abcdefABCDEF';
const PIECES = [
  'br-', 'veth', 'cali', 'lxc', 'ED25519', 'ed25519', '0x', 'd', 'ms', 's', 'h', '.', ':', '-', '/', '_', '+', '=', '%', '#', '@',
  '<n>', '<hex>', ':<n>', '[<n>]', '[', ']', '<', '>', 'kworker/', 'irq/', 'rcu_sched/', 'eth', 'wlan', 'bond', 'ib', 'tun', 'java',
  '0000:3a:0f.3', '0000:3a:0f.3:', '10.1.2.3', '::1', 'fe80::1%eth0', '2026-05-26', '17:15:03', '1m30s', 'µs', 'é', '\u2028', 'Z', 'port', 'user',
];

function hexRun(rng: Rng, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += HEX[Math.floor(rng() * HEX.length)]!;
  return s;
}

/** A token of mixed pieces: hex runs (lengths 1..9 weighted to 5..7), digits, words and punctuation. */
function token(rng: Rng): string {
  const parts = 1 + Math.floor(rng() * 3);
  let t = '';
  for (let p = 0; p < parts; p++) {
    const r = rng();
    if (r < 0.35) t += hexRun(rng, rng() < 0.5 ? 5 + Math.floor(rng() * 3) : 1 + Math.floor(rng() * 9));
    else if (r < 0.5) t += String(Math.floor(rng() * 10 ** (1 + Math.floor(rng() * 6))));
    else if (r < 0.6) t += pick(rng, ['abc', 'dd', 'dead', 'Failed', 'entered', 'Dd', 'x']);
    else t += pick(rng, PIECES);
  }
  return t;
}

const SPACES = [' ', ' ', ' ', ' ', '  ', '\t', '\n', '\r', '\v', '\f', '(', ')', '"', '=', ',', ';', '\u0001', '\u007f', ' [', '] '];

function message(rng: Rng): string {
  const n = Math.floor(rng() * 9);
  let m = rng() < 0.1 ? pick(rng, SPACES) : '';
  for (let k = 0; k < n; k++) {
    if (k > 0) m += rng() < 0.8 ? ' ' : pick(rng, SPACES);
    m += rng() < 0.1 ? pick(rng, ['Failed password for ', 'Invalid user ', 'from ', 'port ', 'entered forwarding state', 'Code:']) : token(rng);
  }
  if (rng() < 0.1) m += pick(rng, SPACES);
  // Dumps: six or more hex bytes, so the minCount mask applies.
  if (rng() < 0.1) m += ' Code: ' + Array.from({ length: 6 + Math.floor(rng() * 3) }, () => hexRun(rng, 2)).join(' ');
  return m;
}

describe('the masker shortcuts', () => {
  it('quickMaskedToken answers as maskToken does, or leaves the token to it', () => {
    const rng = mulberry32(181);
    let answered = 0;
    const fixed = ['ed25519', 'ED25519', 'abcdef', 'abcde', '12d34d', '123d45', 'deadbeef', 'ddddddd1', 'br-abc', 'veth', 'cali', 'lxc', 'xyz', '0'];
    for (const t of [...fixed, ...Array.from({ length: 40_000 }, () => token(rng))]) {
      const quick = quickMaskedToken(t);
      if (quick === null) continue;
      answered++;
      expect(quick, t).toBe(maskToken(t));
    }
    // The shortcut is taken, for most tokens of these shapes.
    expect(answered).toBeGreaterThan(10_000);
  });

  it('maskMessageWarm masks every message as maskMessage does', () => {
    const rng = mulberry32(182);
    for (let k = 0; k < 30_000; k++) {
      const m = message(rng);
      expect(maskMessageWarm(m), JSON.stringify(m)).toBe(maskMessage(m));
    }
  });

  it('cannotMatchMask is true only of tokens no mining mask matches', () => {
    const rng = mulberry32(183);
    const fixed = ['eth0', 'eth0:', 'wg0', 'irq/', '[kworker/1:2]', 'java:<n>', 'nginx[<n>]', '<4f>', '4f', 'e5', '0000:3a:0f.3', '0000:3a:0f.3:', 'a:<n>'];
    let cannot = 0;
    for (const t of [...fixed, ...Array.from({ length: 40_000 }, () => token(rng))]) {
      if (!cannotMatchMask(t)) continue;
      cannot++;
      for (const mask of MINING_MASKS) expect(mask.token.test(t), `${mask.name}: ${t}`).toBe(false);
    }
    expect(cannot).toBeGreaterThan(10_000);
    for (const t of fixed) expect(cannotMatchMask(t), t).toBe(false);
  });

  it('maskForMining gives the text maskForMiningPlain gives', () => {
    const rng = mulberry32(184);
    const fixed = [
      'pcieport 0000:3a:0f.3: AER: error', 'pcieport 0000:3a:0f.3 AER', 'kworker/3:1 blocked via eth0', '[kworker/u8:2] done',
      'nginx[<n>]: up', 'Code: e5 c3 ff aa bb cc dd', 'a\tb', 'a  b', ' a', 'a ', '', 'java:1234 exited',
    ];
    for (const m of [...fixed, ...Array.from({ length: 30_000 }, () => message(rng))]) {
      expect(maskForMining(m), JSON.stringify(m)).toBe(maskForMiningPlain(m));
    }
  });
});
