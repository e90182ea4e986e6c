import { escapeHtml } from '../../text/escape.js';
import { buildReportModel } from '../build.js';
import type { Block, Inline, ReportModel, Span } from '../model.js';
import { svgDocument } from './svg.js';
import type { ReportInput } from '../types.js';

/**
 * The postmortem as one self-contained HTML file: inline CSS, the figure as inline SVG, a CSP that
 * forbids every fetch and script, and the same model markdown.ts serialises. Nothing in the output
 * refers outside the file.
 */

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2329; background: #ffffff;
  max-width: 1180px; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; font-size: 15px; }
h1 { font-size: 1.7rem; border-bottom: 2px solid #d0d7de; padding-bottom: .3rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .86em; }
code { background: #f2f4f7; padding: .05em .3em; border-radius: 3px; white-space: pre-wrap; overflow-wrap: anywhere; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 4px; padding: .6rem .8rem;
  overflow-x: auto; white-space: pre; }
pre code { background: none; padding: 0; }
.table-wrap { overflow-x: auto; margin: .8rem 0; }
table { border-collapse: collapse; font-size: .9em; }
th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f4f7; }
/* Kinds and file:line stay whole; only the last column (message, quoted line) breaks anywhere. */
td code { white-space: nowrap; }
td:last-child { min-width: 14rem; }
td:last-child code { white-space: pre-wrap; overflow-wrap: anywhere; }
figure { margin: 1.2rem 0; overflow-x: auto; }
figure svg { display: block; max-width: 100%; height: auto; }
summary { cursor: pointer; color: #3b4650; }
`;

export function renderHtml(input: ReportInput): string {
  const model = buildReportModel(input, true);
  return serialiseHtml(model, svgDocument(input, 1200, false));
}

export function serialiseHtml(model: ReportModel, svg: string): string {
  const body: string[] = [`<h1>${escapeHtml(model.title)}</h1>`];
  for (const block of model.intro) body.push(blockHtml(block, svg));
  for (const section of model.sections) {
    body.push(`<section id="${escapeHtml(section.id)}">`);
    body.push(`<h2>${inlineHtml(section.heading)}</h2>`);
    // Long reference tables fold, so the page reads like the markdown and not like a log dump.
    if (section.fold) body.push(`<details><summary>Show ${inlineHtml(section.heading)}</summary>`);
    for (const block of section.blocks) body.push(blockHtml(block, svg));
    if (section.fold) body.push('</details>');
    body.push('</section>');
  }
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(model.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function blockHtml(block: Block, svg: string): string {
  switch (block.type) {
    case 'paragraph':
      return `<p>${inlineHtml(block.content)}</p>`;
    case 'subheading':
      return `<h3>${inlineHtml(block.content)}</h3>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      const items = block.items.map((item) => {
        const children = item.children?.length
          ? `<ul>${item.children.map((c) => `<li>${inlineHtml(c)}</li>`).join('')}</ul>`
          : '';
        return `<li>${inlineHtml(item.content)}${children}</li>`;
      });
      return `<${tag}>\n${items.join('\n')}\n</${tag}>`;
    }
    case 'table': {
      const head = `<tr>${block.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
      const rows = block.rows.map((row) => `<tr>${row.map((cell) => `<td>${inlineHtml(cell)}</td>`).join('')}</tr>`);
      return `<div class="table-wrap"><table>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>`;
    }
    case 'code':
      return `<pre><code>${block.lines.map(escapeHtml).join('\n')}</code></pre>`;
    case 'figure':
      return `<figure>\n${svg}</figure>`;
  }
}

function inlineHtml(content: Inline): string {
  return content.map(spanHtml).join('');
}

function spanHtml(span: Span): string {
  const t = escapeHtml(span.text);
  switch (span.kind) {
    case 'text':
      return t;
    case 'code':
      return `<code>${t}</code>`;
    case 'strong':
      return `<strong>${t}</strong>`;
    case 'em':
      return `<em>${t}</em>`;
  }
}
