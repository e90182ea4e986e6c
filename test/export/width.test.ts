/** Terminal columns (src/export/width.ts): the characters measured by length agree with string-width. */
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { NARROW, columnsOf } from '../../src/export/width.js';

describe('columnsOf', () => {
  it('measures every character of the by-length class as string-width does: one column', () => {
    const wrong: string[] = [];
    let inClass = 0;
    for (let cp = 0; cp <= 0xffff; cp++) {
      const c = String.fromCharCode(cp);
      if (!NARROW.test(c)) continue;
      inClass++;
      if (stringWidth(c) !== 1) wrong.push(cp.toString(16));
    }
    expect(wrong).toEqual([]);
    // The class is what the comment says: ASCII 95, Latin-1 95 (less the soft hyphen), …, 160 box and block elements.
    expect(inClass).toBe(95 + 95 + 1 + 160);
  });

  it('agrees with string-width on mixed text, wide and zero-width characters included', () => {
    for (const s of ['plain', '──── ×12 …03:04', 'Grüße · 5 °C ±1', '日本語のログ', 'e\u0301', 'a\u200bb', '\u00ad', 'ｶﾞ', '👍🏽 ok', 'x\u2028y']) {
      expect(columnsOf(s), JSON.stringify(s)).toBe(stringWidth(s));
    }
    expect(columnsOf('日本語')).toBe(6);
    expect(columnsOf('e\u0301')).toBe(1);
  });
});
