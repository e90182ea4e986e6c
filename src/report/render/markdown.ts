import { escapeTerminal, markdownCodeBlock, markdownCodeSpan } from '../../text/escape.js';
import { buildReportModel } from '../build.js';
import type { Block, Inline, ReportModel, Span } from '../model.js';
import type { ReportInput } from '../types.js';

/**
 * The postmortem draft as markdown. The model holds raw strings; this file decides how each reaches
 * the page: quoted material as code spans and fenced blocks, prose through `markdownText`.
 */

export function renderMarkdown(input: ReportInput, figure: { href: string } | null): string {
  return serialiseMarkdown(buildReportModel(input, figure !== null), figure?.href ?? null);
}

export function serialiseMarkdown(model: ReportModel, figureHref: string | null): string {
  const parts: string[] = [`# ${markdownText(model.title)}`];
  for (const block of model.intro) parts.push(blockMarkdown(block, figureHref));
  for (const section of model.sections) {
    parts.push(`## ${inlineMarkdown(section.heading, false)}`);
    for (const block of section.blocks) parts.push(blockMarkdown(block, figureHref));
  }
  return parts.join('\n\n') + '\n';
}

/**
 * Prose escaped only where a character would change the rendering, so the raw draft stays easy to
 * edit (`2026-05-27T04:41:10Z` is written as is), yet hostile text stays inert:
 *  - control characters are made visible first (escapeTerminal), so a span is always one line;
 *  - `\`, `` ` ``, `*`, `[`, `]`, `~`, `|`, `$` are always escaped (code, emphasis, links, strikethrough,
 *    table cells, math); `<`, `>`, `&` become entities (GitHub renders raw HTML);
 *  - `_` only where it can open or close emphasis (not between two letters or digits: `Los_Angeles`);
 *  - `#`, `+`, `-`, `=` and `1.` only at the start, where they make a heading or a list;
 *  - autolinks are broken: `://` → `\://`, `www.` → `www\.`, and `@` (an e-mail autolink) → `\@`.
 */
const ALWAYS = /[\\`*[\]~|$]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function markdownText(raw: string, atLineStart = true): string {
  let s = escapeTerminal(raw).replace(ALWAYS, (c) => '\\' + c).replace(/[&<>]/g, (c) => ENTITIES[c] as string);
  s = s.replace(/(^|[^A-Za-z0-9\\])_|_(?=[^A-Za-z0-9]|$)/g, (m) => m.replace('_', '\\_'));
  s = s.replace(/:\/\//g, '\\://').replace(/\bwww\./gi, (m) => m.slice(0, 3) + '\\.').replace(/@/g, '\\@');
  if (atLineStart) s = s.replace(/^(\s*)([#+=>-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
  return s;
}

function blockMarkdown(block: Block, figureHref: string | null): string {
  switch (block.type) {
    case 'paragraph':
      return inlineMarkdown(block.content, false).trimEnd();
    case 'subheading':
      return `### ${inlineMarkdown(block.content, false)}`;
    case 'list':
      return block.items
        .map((item, i) => {
          const marker = block.ordered ? `${i + 1}.` : '-';
          const children = (item.children ?? []).map((c) => `\n  - ${inlineMarkdown(c, false)}`).join('');
          return `${marker} ${inlineMarkdown(item.content, false)}${children}`;
        })
        .join('\n');
    case 'table':
      return [
        `| ${block.header.map((h) => markdownText(h)).join(' | ')} |`,
        `| ${block.header.map(() => '---').join(' | ')} |`,
        ...block.rows.map((row) => `| ${row.map((cell) => inlineMarkdown(cell, true) || ' ').join(' | ')} |`),
      ].join('\n');
    case 'code':
      return markdownCodeBlock(block.lines);
    case 'figure':
      return figureHref === null ? '' : `![${markdownText(block.alt)}](${linkDestination(figureHref)})`;
  }
}

/** Only the first span of a line can start a heading or a list, so only it is escaped for that. */
function inlineMarkdown(content: Inline, inTable: boolean): string {
  return content.map((span, i) => spanMarkdown(span, inTable, i === 0)).join('');
}

function spanMarkdown(span: Span, inTable: boolean, atLineStart: boolean): string {
  switch (span.kind) {
    case 'text':
      return markdownText(span.text, atLineStart);
    case 'code':
      return markdownCodeSpan(span.text, { inTable });
    case 'strong':
      return delimited(span.text, '**');
    case 'em':
      return delimited(span.text, '_');
  }
}

/** Emphasis delimiters must touch the text: `**Not load-bearing.** ` rather than `**Not load-bearing. **`. */
function delimited(s: string, mark: string): string {
  const body = s.trim();
  if (body === '') return s;
  const lead = s.slice(0, s.length - s.trimStart().length);
  const trail = s.slice(s.trimEnd().length);
  return `${lead}${mark}${markdownText(body)}${mark}${trail}`;
}

/** The figure's path as a link destination: each segment percent-encoded, parentheses included. */
function linkDestination(href: string): string {
  return href
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[()'!*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()))
    .join('/');
}
