import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KernelLineIndex, kernelMessageHash, kernelMessageKey } from '../../src/ingest/context/kernel-match.js';
import { matchedPairs } from '../../src/time/boot-placement.js';

const hashOf = (m: string): string => {
  const h = new Uint32Array(2);
  kernelMessageHash(m, h);
  return `${h[0]}:${h[1]}`;
};

// Messages from a small alphabet with every kind of whitespace `\s` knows, so that different
// texts often collapse to the same key and the hash has to agree with the key on each.
const ws = [' ', '  ', '\t', '\u00a0', '\u2003', '\u3000', '\ufeff', '\r', '\u2028'];
const piece = fc.oneof(fc.constantFrom(...ws), fc.constantFrom('a', 'b', 'eth0', 'link', 'up', ':', 'é', '😀'));
const message = fc.array(piece, { maxLength: 8 }).map((xs) => xs.join(''));

describe('compact kernel line index', () => {
  it('hashes two messages alike exactly when their whitespace-collapsed keys are equal', () => {
    fc.assert(
      fc.property(message, message, (a, b) => {
        expect(hashOf(a) === hashOf(b)).toBe(kernelMessageKey(a) === kernelMessageKey(b));
      }),
      { numRuns: 5000 },
    );
  });

  it('keys a message as collapsing its whitespace runs and trimming would, returning it as it is when that changes nothing', () => {
    fc.assert(
      fc.property(message, (m) => {
        const key = kernelMessageKey(m);
        expect(key).toBe(m.replace(/\s+/g, ' ').trim());
      }),
      { numRuns: 5000 },
    );
    expect(kernelMessageKey(' a')).toBe('a');
    expect(kernelMessageKey('a ')).toBe('a');
    expect(kernelMessageKey('a  b')).toBe('a b');
    expect(kernelMessageKey('a\u00a0b')).toBe('a b');
    expect(kernelMessageKey(' ')).toBe('');
  });

  it('gives no equal hashes among 300 000 distinct messages', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 300_000; i++) seen.add(hashOf(`usb 1-${i % 97}: new device number ${i} using xhci_hcd`));
    expect(seen.size).toBe(300_000);
  });

  it('finds the same pairs as matching the texts (matchedPairs), repeats on either side excluded', () => {
    const line = fc.record({ m: fc.integer({ min: 0, max: 40 }), us: fc.integer({ min: 0, max: 1e12 }) });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.array(line, { maxLength: 60 }), fc.boolean(), (raw, wall, padded) => {
        const text = (m: number, pad: boolean): string => (pad ? `  kernel:   message ${m} ` : `kernel: message ${m}`);
        const idx = new KernelLineIndex();
        for (const r of raw) idx.addRaw(3, 'Host', text(r.m, false), r.us);
        for (const w of wall) idx.addWall('host', text(w.m, padded), w.us, true);
        const expected = matchedPairs(
          raw.map((r) => ({ message: kernelMessageKey(text(r.m, false)), uptimeUs: r.us })),
          wall.map((w) => ({ message: kernelMessageKey(text(w.m, padded)), wallUs: w.us })),
        ).sort((a, b) => a - b);
        const got = idx.pairsFor(3);
        expect(got ? [...got.pairsUs].sort((a, b) => a - b) : []).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('indexes at most `limit` messages a side, and still marks an indexed one seen again as ambiguous', () => {
    const idx = new KernelLineIndex(3);
    for (let i = 0; i < 5; i++) idx.addRaw(1, 'h', `m${i}`, i);
    idx.addRaw(1, 'h', 'm0', 100); // m0 now ambiguous
    for (let i = 0; i < 5; i++) idx.addWall('h', `m${i}`, 1000 + i, false);
    // m1 and m2 were indexed once on each side; m3 and m4 were past the bound on the raw side.
    expect([...idx.pairsFor(1)!.pairsUs].sort((a, b) => a - b)).toEqual([1000, 1000]);
  });

  it('keeps working past many growths of its tables', () => {
    const idx = new KernelLineIndex();
    for (let i = 0; i < 50_000; i++) idx.addRaw(9, 'h', `line ${i}`, i);
    for (let i = 0; i < 50_000; i += 7) idx.addWall('h', `line  ${i}`, 10 * i, false);
    const p = idx.pairsFor(9)!.pairsUs;
    expect(p.length).toBe(Math.ceil(50_000 / 7));
    expect(p.every((d, j) => d === 9 * 7 * j)).toBe(true);
  });
});
