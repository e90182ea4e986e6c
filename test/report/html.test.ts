import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/render/html.js';
import { renderMarkdown } from '../../src/report/render/markdown.js';
import { HOSTILE_LINK, HOSTILE_USER, seedLikeInput } from './fixture.js';
import { linesOutsideFences } from './mdcheck.js';

/** Entity-decoded text of the `<h2>` elements. */
function h2s(html: string): string[] {
  return [...html.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) =>
    (m[1] as string).replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
  );
}

describe('renderHtml', () => {
  it('is one self-contained document with a strict CSP', () => {
    const html = renderHtml(seedLikeInput());
    expect(html.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).toMatch(/<style>[^<]+<\/style>/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object/i);
    expect(html).not.toMatch(/\s(?:src|href)=/i);
    expect(html).not.toContain('http://www.w3.org');
    expect(html.match(/<svg /g)).toHaveLength(1);
  });

  it('carries the same sections as the markdown draft, built from one model', () => {
    const input = seedLikeInput();
    const md = linesOutsideFences(renderMarkdown(input, null)).filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
    expect(h2s(renderHtml(input))).toEqual(md);
  });

  it('shows hostile names as text and never as markup', () => {
    const html = renderHtml(seedLikeInput({ title: `${HOSTILE_USER} ${HOSTILE_LINK}` }));
    expect(html).toContain('<title>&lt;script&gt;window.pwned=1&lt;/script&gt; [x](http://evil.example/)</title>');
    expect(html).toContain('<h1>&lt;script&gt;window.pwned=1&lt;/script&gt; [x](http://evil.example/)</h1>');
    expect(html).toContain('00:05:00Z  auth.log:10  Failed password for invalid user &lt;script&gt;window.pwned=1&lt;/script&gt; from 60.163.139.198 port 4242 ssh2');
    expect(html).toContain('\\x1b[31mred');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it('folds the timeline and the coverage table, with the same content as the markdown', () => {
    const html = renderHtml(seedLikeInput());
    for (const id of ['timeline', 'coverage']) {
      expect(html).toMatch(new RegExp(`<section id="${id}">\n<h2>[^<]+</h2>\n<details><summary>Show `));
    }
    expect(html.match(/<details>/g)).toHaveLength(2);
    // Every operator row and key moment of the markdown timeline is in the page.
    const md = renderMarkdown(seedLikeInput(), null);
    const moments = md.split('\n').filter((l) => l.startsWith('| 2026-'));
    expect(moments.length).toBeGreaterThan(5);
    expect(html.match(/<tr><td>2026-/g)?.length).toBe(moments.length);
  });

  it('is byte-identical across runs', () => {
    expect(renderHtml(seedLikeInput())).toBe(renderHtml(seedLikeInput()));
  });
});
