/** The ingest hot path's eventHash must be hash52(host, source, message) exactly: stores written before and after agree. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eventHash, hash52 } from '../../src/ingest/hash.js';

describe('eventHash', () => {
  it('equals hash52 of the same three parts, on any text', () => {
    fc.assert(fc.property(fc.string(), fc.string(), fc.string({ unit: 'grapheme' }), (h, s, m) => {
      expect(eventHash(h, s, m)).toBe(hash52(h, s, m));
    }));
  });

  it('keeps the part boundaries: moving a character between parts changes the hash', () => {
    expect(eventHash('kai-server', 'sshd', 'x')).not.toBe(eventHash('kai-serve', 'rsshd', 'x'));
    expect(hash52('ab', 'c')).not.toBe(hash52('a', 'bc'));
  });
});
