/**
 * maskMessage finds the tokens it may change with one expression (NOTABLE_TOKEN in src/text/mask.ts:
 * tokens with a digit, and those starting `br-`, `veth`, `cali`, `lxc`) and leaves every other token
 * unvisited. Held here to the masker it replaced, kept verbatim: every token cut by TOKEN's class and
 * passed through maskToken, the text between copied. The generator puts the edges of the expression
 * in the messages: a digit first, last or alone; the prefixes at a token's start, inside a token and
 * cut short (`br`, `vet`); every separator and control character, DEL, non-ASCII digits (not
 * digits), lone surrogates, tokens at the start and the end of the text and of the user name's cut.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/correlate/prng.js';
import { maskMessage, maskMessageWarm, maskToken } from '../../src/text/mask.js';

const SEPARATORS = ' \t\n\r\f\v()[]{}<>"\'`,;=|&?!*\\^';
const TOKEN = new RegExp(
  `[^\\u0000-\\u001f\\u007f${[...SEPARATORS].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]+`,
  'g',
);

/** The token pass as it was before NOTABLE_TOKEN: every token, each through maskToken. */
function maskTokensBefore(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const token = m[0];
    const masked = maskToken(token);
    if (masked !== token) {
      out += text.slice(copiedUpTo, m.index) + masked;
      copiedUpTo = m.index + token.length;
    }
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

const WORDS = [
  'br-', 'br', 'b', 'veth', 'vet', 'cali', 'cal', 'lxc', 'lx', 'xbr-', 'aveth', 'br-33693122cf09', 'veth2cbbca2', 'cali317e2eeb40', 'lxc1a2b3c4d5e6f',
  'br-abcdef', 'vethabc', 'calidead', 'lxcabcdefabcdef', 'port', 'Failed', 'from', 'user', 'entered', 'forwarding', 'state', 'ED25519', '0x1f',
  '10.1.2.3', '10.1.2.3:80', '::1', 'fe80::1%eth0', '2026-05-26', '17:15:03', '1m30s', '5.2s', '٣', '１２', '\ud800', '\udc00', 'é', '<n>', '<hex>',
];
const SEPS = [...SEPARATORS, '\u0000', '\u0001', '\u001f', '\u007f', '  ', ' [', '] ', '\u00a0', '\u2028'];

function piece(rng: Rng): string {
  const r = rng();
  if (r < 0.3) return String(Math.floor(rng() * 10 ** (1 + Math.floor(rng() * 5))));
  if (r < 0.4) return pick(rng, '0123456789abcdef'.split(''));
  return pick(rng, WORDS);
}

function message(rng: Rng): string {
  const n = Math.floor(rng() * 10);
  let m = rng() < 0.2 ? pick(rng, SEPS) : '';
  for (let k = 0; k < n; k++) {
    if (k > 0) m += rng() < 0.6 ? ' ' : pick(rng, SEPS);
    // Tokens of one to three pieces run together: a digit may sit anywhere in one.
    const parts = 1 + Math.floor(rng() * 3);
    for (let p = 0; p < parts; p++) m += piece(rng);
    if (rng() < 0.05) m += pick(rng, ['Failed password for ', 'Invalid user ', ' port 22', 'entered blocking state']);
  }
  if (rng() < 0.2) m += pick(rng, SEPS);
  return m;
}

describe('the token pass of maskMessage', () => {
  it('masks every message as every token through maskToken did', () => {
    const rng = mulberry32(1809);
    let compared = 0;
    const fixed = ['', ' ', '1', 'a', 'br-', 'veth', '1 2', 'a1', '1a', 'x br-abc', 'xbr-abc1', '(veth1)', '[1]', '\u00001\u0000', 'a\u007f1', '٣ 3', '\ud8001'];
    for (const m of [...fixed, ...Array.from({ length: 40_000 }, () => message(rng))]) {
      // Without a user name's introducer or a phrase (a bridge state, a date beside a time),
      // maskMessage is the token pass alone.
      const before = maskTokensBefore(m);
      if (/user|User | for |entered /.test(m) || before.includes('<ts>')) continue;
      compared++;
      expect(maskMessage(m), JSON.stringify(m)).toBe(before);
    }
    expect(compared).toBeGreaterThan(25_000);
  });

  it('masks messages with user names and phrases as before, and as the miner\'s scan does', () => {
    const rng = mulberry32(1810);
    let masked = 0;
    for (let k = 0; k < 20_000; k++) {
      const m = message(rng);
      const got = maskMessage(m);
      if (got !== m) masked++;
      expect(maskMessageWarm(m), JSON.stringify(m)).toBe(got);
    }
    expect(masked).toBeGreaterThan(10_000);
  });

  it('reads a long token in linear time, with a digit at its end or none', () => {
    // A quadratic match would take minutes on these (4·10^10 steps); linear, milliseconds.
    // Compared as booleans: a failure's diff of 200 000 characters would bury the report.
    const long = 'q'.repeat(200_000);
    expect(maskMessage(long) === long).toBe(true);
    expect(maskMessage(long + '1') === long + '1').toBe(true);
    expect(maskMessage(`x ${'1'.repeat(200_000)} y`)).toBe('x <n> y');
    expect(maskMessage('br-' + long) === 'br-' + long).toBe(true);
    const spaced = 'q '.repeat(100_000);
    expect(maskMessage(spaced + '7') === spaced + '<n>').toBe(true);
  });
});
