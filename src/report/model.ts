/**
 * The report as a small document model, computed once (build.ts) and serialised twice: markdown.ts
 * and html.ts. Every string in the model is *raw* — log text, file names and user input exactly as
 * found — and each serialiser escapes it for its own output. Keeping escaping out of the model is what
 * lets one hostile user name be inert in both formats.
 */

/** A run of inline text. `code` is quoted log material (messages, templates, file:line, user names). */
export interface Span {
  kind: 'text' | 'code' | 'strong' | 'em';
  text: string;
}

export type Inline = Span[];

export interface ListItem {
  content: Inline;
  /** One level of nested detail lines (assumptions, reasons, extras). */
  children?: Inline[];
}

export type Block =
  | { type: 'paragraph'; content: Inline }
  | { type: 'list'; ordered?: boolean; items: ListItem[] }
  | { type: 'table'; header: string[]; rows: Inline[][] }
  /** Quoted log lines, verbatim (a fenced block in markdown, <pre> in HTML). */
  | { type: 'code'; lines: string[] }
  /** The timeline figure: a link to the SVG in markdown, the SVG inline in HTML. */
  | { type: 'figure'; alt: string }
  | { type: 'subheading'; content: Inline };

export interface Section {
  /** A stable slug for HTML anchors (`cause-1`); our own text, never log content. */
  id: string;
  heading: Inline;
  blocks: Block[];
  /** Long reference material (the timeline, the coverage table): folded in HTML, shown whole in markdown. */
  fold?: boolean;
}

export interface ReportModel {
  title: string;
  /** The anchor paragraph(s) and figure, before the first section. */
  intro: Block[];
  sections: Section[];
}

export const text = (s: string): Span => ({ kind: 'text', text: s });
export const code = (s: string): Span => ({ kind: 'code', text: s });
export const strong = (s: string): Span => ({ kind: 'strong', text: s });
export const em = (s: string): Span => ({ kind: 'em', text: s });

/** A paragraph block from spans. */
export function paragraph(...content: Span[]): Block {
  return { type: 'paragraph', content };
}

/** A question only a human can answer, shown as `_(to fill: …)_` so it is easy to find and replace. */
export function prompt(question: string): Span {
  return em(`(to fill: ${question})`);
}
