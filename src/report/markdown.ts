import { escapeMarkdownText, markdownCodeBlock, markdownCodeSpan } from '../text/escape.js';
import { buildReportModel } from './build.js';
import type { Block, Inline, ReportModel, Span } from './model.js';
import type { ReportInput } from './types.js';

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
 * Prose that can be read raw. Text made only of letters, digits, spaces and punctuation that has no
 * meaning inside one line of CommonMark/GFM (dates, durations, counts, `p = 0.004`) is written as is,
 * so the draft stays editable; anything else goes through escapeMarkdownText: every string with a
 * character outside that set (a newline included, so a span is always one line), a scheme or `www.`
 * that GFM would autolink, a list marker at its start, or an underscore that is not inside a word
 * (only those can open or close emphasis).
 */
const INERT_PROSE = /^[A-Za-z0-9 ,;:.'()%\/=_×–—…-]*$/;
const NEEDS_ESCAPING = /:\/\/|www\.|^\s*(?:[-+*]|\d+[.)])(?:\s|$)|(?:^|[^A-Za-z0-9])_|_(?:[^A-Za-z0-9]|$)/i;

export function markdownText(s: string): string {
  return INERT_PROSE.test(s) && !NEEDS_ESCAPING.test(s) ? s : escapeMarkdownText(s);
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
        `| ${block.header.map(markdownText).join(' | ')} |`,
        `| ${block.header.map(() => '---').join(' | ')} |`,
        ...block.rows.map((row) => `| ${row.map((cell) => inlineMarkdown(cell, true) || ' ').join(' | ')} |`),
      ].join('\n');
    case 'code':
      return markdownCodeBlock(block.lines);
    case 'figure':
      return figureHref === null ? '' : `![${markdownText(block.alt)}](${linkDestination(figureHref)})`;
  }
}

function inlineMarkdown(content: Inline, inTable: boolean): string {
  return content.map((span) => spanMarkdown(span, inTable)).join('');
}

function spanMarkdown(span: Span, inTable: boolean): string {
  switch (span.kind) {
    case 'text':
      return markdownText(span.text);
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
