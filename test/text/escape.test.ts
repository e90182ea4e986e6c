import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  csvCell,
  escapeHtml,
  escapeMarkdownText,
  escapeTerminal,
  escapeXml,
  markdownCodeBlock,
  markdownCodeSpan,
  truncateMiddle,
} from '../../src/text/escape.js';

/** Hostile inputs an attacker can place in an sshd user name or any other log field. */
const HOSTILE = [
  '\x1b[31mred\x1b[0m',
  '\x1b]0;pwned\x07',
  'ok\rEVIL',
  'abc\b\b\bxyz',
  'admin\u202eexe.txt',
  'nul\0byte',
  '[x](http://evil)',
  '![x](y)',
  '<script>alert(1)</script>',
  '| a | b |',
  'a``b`',
  '=HYPERLINK("http://evil","x")',
  '-2+3',
  '@SUM(A1)',
  'lone \ud800 high',
  'C1 CSI \u009b2J',
  'zero\u200bwidth\ufeffbom\u2066isolate\u2069',
  'line\u2028sep',
  'tab\there\nnewline',
];

/** Characters that may never appear raw in any escaper's output. */
function rawControls(s: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const isControl =
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x2028 && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069) ||
      c === 0xfeff;
    const isLoneSurrogate =
      (c >= 0xd800 && c <= 0xdbff && !(s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff)) ||
      (c >= 0xdc00 && c <= 0xdfff && !(s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff));
    if (isControl || isLoneSurrogate) found.push(s[i]!);
  }
  return found;
}

/**
 * Checks that a Markdown-escaped string has no live syntax: after removing backslash escapes and the
 * three entities, no Markdown or HTML special character remains.
 */
function liveMarkdownSyntax(s: string): string {
  return s.replace(/\\[\s\S]|&(?:amp|lt|gt);/g, '').replace(/[^\\`*_{}[\]()#+\-.!|~=:@$&<>]/g, '');
}

describe('escapeTerminal', () => {
  it.each([
    ['\x1b[31mred\x1b[0m', '\\x1b[31mred\\x1b[0m'],
    ['\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'],
    ['ok\rEVIL', 'ok\\rEVIL'],
    ['abc\b\bxy', 'abc\\x08\\x08xy'],
    ['admin\u202eexe', 'admin\\u202eexe'],
    ['nul\0byte', 'nul\\x00byte'],
    ['tab\there\nnl', 'tab\\there\\nnl'],
    ['del\x7f', 'del\\x7f'],
    ['c1\u009b2J', 'c1\\x9b2J'],
    ['zw\u200bsp\ufeff', 'zw\\u200bsp\\ufeff'],
    ['iso\u2066x\u2069', 'iso\\u2066x\\u2069'],
    ['hi\ud800', 'hi\\ud800'],
    ['\udc00lo', '\\udc00lo'],
  ])('makes %j visible', (input, expected) => {
    expect(escapeTerminal(input)).toBe(expected);
  });

  it('keeps ordinary text, backslashes and surrogate pairs as they are', () => {
    expect(escapeTerminal('C:\\path ünïcode 😀 日本')).toBe('C:\\path ünïcode 😀 日本');
  });

  it('leaves no control character in any output', () => {
    for (const s of HOSTILE) expect(rawControls(escapeTerminal(s))).toEqual([]);
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => rawControls(escapeTerminal(s)).length === 0));
  });

  it('runs in linear time on a 100k-character hostile line', () => {
    const line = '\x1b[31m\ud800'.repeat(20_000);
    // CPU time, not wall time: the test machine may be busy. A quadratic pass would take minutes.
    const start = process.cpuUsage();
    const out = escapeTerminal(line);
    expect(process.cpuUsage(start).user / 1000).toBeLessThan(1000);
    expect(out.startsWith('\\x1b[31m\\ud800')).toBe(true);
  });
});

describe('escapeMarkdownText', () => {
  it.each([
    ['[x](http://evil)', '\\[x\\]\\(http\\://evil\\)'],
    ['![x](y)', '\\!\\[x\\]\\(y\\)'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert\\(1\\)&lt;/script&gt;'],
    ['| a | b |', '\\| a \\| b \\|'],
    ['*em* _em_ ~~s~~', '\\*em\\* \\_em\\_ \\~\\~s\\~\\~'],
    ['# heading', '\\# heading'],
    ['&lt;b&gt;', '&amp;lt;b&amp;gt;'],
    ['\x1b[31mred', '\\\\x1b\\[31mred'],
    ['root@www.evil.com', 'root\\@www\\.evil\\.com'],
    ['a\\b', 'a\\\\b'],
  ])('escapes %j', (input, expected) => {
    expect(escapeMarkdownText(input)).toBe(expected);
  });

  it('leaves neither live syntax nor control characters, whatever the input', () => {
    for (const s of HOSTILE) {
      const out = escapeMarkdownText(s);
      expect(liveMarkdownSyntax(out)).toBe('');
      expect(rawControls(out)).toEqual([]);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = escapeMarkdownText(s);
        return liveMarkdownSyntax(out) === '' && rawControls(out).length === 0;
      }),
    );
  });
});

describe('markdownCodeSpan', () => {
  it.each([
    ['plain', '`plain`'],
    ['a`b', '``a`b``'],
    ['a``b`', '``` a``b` ```'],
    ['`start', '`` `start ``'],
    [' both ', '`  both  `'],
    ['   ', '`   `'],
    ['', '` `'],
    ['two\nlines', '`two\\nlines`'],
    ['\x1b]0;pwned\x07', '`\\x1b]0;pwned\\x07`'],
  ])('wraps %j', (input, expected) => {
    expect(markdownCodeSpan(input)).toBe(expected);
  });

  it('escapes pipes only inside tables', () => {
    expect(markdownCodeSpan('| a | b |', { inTable: true })).toBe('`\\| a \\| b \\|`');
    expect(markdownCodeSpan('| a | b |')).toBe('`| a | b |`');
  });

  it('always uses a fence longer than any backtick run inside', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = markdownCodeSpan(s);
        const fence = /^`+/.exec(out)![0];
        const inner = out.slice(fence.length, out.length - fence.length);
        return out.endsWith(fence) && !inner.includes(fence) && rawControls(out).length === 0;
      }),
    );
  });
});

describe('markdownCodeBlock', () => {
  it('fences with more backticks than any run inside and escapes controls', () => {
    expect(markdownCodeBlock(['a```b', '\x1b[2J'], 'text')).toBe('````text\na```b\n\\x1b[2J\n````');
    expect(markdownCodeBlock(['plain'])).toBe('```\nplain\n```');
  });

  it('keeps one line per input line even when a line holds a newline', () => {
    expect(markdownCodeBlock(['one\ntwo']).split('\n')).toEqual(['```', 'one\\ntwo', '```']);
  });

  it('strips backticks and controls from the info string', () => {
    expect(markdownCodeBlock(['x'], 'sh`\n')).toBe('```sh\\n\nx\n```');
  });
});

describe('escapeHtml and escapeXml', () => {
  it('escapes markup characters and controls', () => {
    expect(escapeHtml(`<script>alert("x" + 'y') & 1</script>`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;) &amp; 1&lt;/script&gt;',
    );
    expect(escapeHtml('\x1b]0;pwned\x07<b>')).toBe('\\x1b]0;pwned\\x07&lt;b&gt;');
  });

  it('never emits a character invalid in XML 1.0', () => {
    expect(escapeXml('a\uffffb\ufffe<')).toBe('a\\uffffb\\ufffe&lt;');
    const invalidInXml = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = escapeXml(s);
        return !invalidInXml.test(out) && rawControls(out).length === 0 && !/[<>"']/.test(out);
      }),
    );
  });
});

describe('csvCell', () => {
  it.each<[string | number | null | undefined, string]>([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['-2+3', "'-2+3"],
    ['+1', "'+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\\t=1"],
    ['\r=1', "'\\r=1"],
    ['a\nb', 'a\\nb'],
    ['\x1b[31m', '\\x1b[31m'],
    [-2, '-2'],
    [3.5, '3.5'],
    [null, ''],
    [undefined, ''],
  ])('writes %j as %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('never lets a string start with a formula character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = csvCell(s).replace(/^"/, '');
        return !/^[=+\-@\t\r\n]/.test(out) && rawControls(out).length === 0;
      }),
    );
  });
});

describe('truncateMiddle', () => {
  it('keeps start and end around an ellipsis', () => {
    expect(truncateMiddle('abcdefghij', 5)).toBe('ab…ij');
    expect(truncateMiddle('abcdefghij', 6)).toBe('abc…ij');
    expect(truncateMiddle('abcdefghij', 10)).toBe('abcdefghij');
    expect(truncateMiddle('abcdefghij', 1)).toBe('…');
    expect(truncateMiddle('abcdefghij', 0)).toBe('');
  });

  it('counts code points and never splits a surrogate pair', () => {
    expect(truncateMiddle('😀😀😀😀😀😀', 4)).toBe('😀😀…😀');
    expect(truncateMiddle('😀😀😀', 3)).toBe('😀😀😀');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 20 }), (s, max) => {
        const out = truncateMiddle(s, max);
        const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
        const points = Array.from(out);
        const truncated = Array.from(s).length > max;
        return points.length === Math.min(max, Array.from(s).length) && !loneSurrogate.test(out) && (!truncated || out.includes('…'));
      }),
    );
  });
});
