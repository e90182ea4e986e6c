/**
 * Escapers for every place log text leaves corr: terminal, Markdown, HTML, SVG/XML and CSV.
 *
 * Log content is hostile: sshd writes attacker-chosen user names verbatim, so a "user name" can be an
 * ANSI sequence that recolours the terminal, an OSC sequence that sets the window title, a `\r` that
 * overwrites the line, a U+202E that reverses the text after it, a Markdown link or a `<script>` tag.
 * Every escaper here first makes control characters visible (escapeTerminal) and then neutralises the
 * syntax of its target. All of them run in linear time: one regex pass with no backtracking.
 */

/**
 * Whether a UTF-16 code unit is a control character that must never reach an output raw:
 * - C0 (U+0000–U+001F, including \t \n \r), DEL, and C1 (U+0080–U+009F; U+009B is a one-byte CSI);
 * - invisible format and bidi controls that reorder or hide text: U+061C, U+200B–U+200F,
 *   U+2028–U+202E (line/paragraph separators break lines in many viewers), U+2060–U+2064,
 *   U+2066–U+2069, U+FEFF.
 * Lone surrogates are handled by the caller, which sees the neighbouring code units.
 */
function isControl(c: number): boolean {
  if (c < 0x20) return true;
  if (c < 0x7f) return false;
  if (c <= 0x9f) return true;
  if (c < 0x61c) return false;
  return (
    c === 0x61c ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff
  );
}

function visibleControl(code: number): string {
  if (code === 0x09) return '\\t';
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  if (code <= 0xff) return '\\x' + code.toString(16).padStart(2, '0');
  return '\\u' + code.toString(16).padStart(4, '0');
}

/**
 * Makes every control character visible and inert: ESC → `\x1b`, \t → `\t`, \n → `\n`, \r → `\r`,
 * other C0, DEL and C1 → `\xNN`, bidi/invisible format controls and lone surrogates (half of a pair
 * with no partner, which is not text at all) → `\uNNNN`. Backslashes are left as they are (so the
 * output is for reading, not for unescaping). One pass over the code units, copying clean stretches
 * in one slice each.
 */
export function escapeTerminal(s: string): string {
  let out = '';
  let copiedUpTo = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let bad: boolean;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1); // NaN past the end
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid pair: keep both halves
        continue;
      }
      bad = true;
    } else {
      // A low surrogate reached here has no high half before it (pairs are skipped whole above).
      bad = (c >= 0xdc00 && c <= 0xdfff) || isControl(c);
    }
    if (bad) {
      out += s.slice(copiedUpTo, i) + visibleControl(c);
      copiedUpTo = i + 1;
    }
  }
  return copiedUpTo === 0 ? s : out + s.slice(copiedUpTo);
}

/**
 * Markdown syntax characters, backslash-escaped. Beyond CommonMark's obvious ones this includes
 * `=` (setext heading underline), `:` and `@` (GFM extended autolinks `http://…` and `a@b.c`),
 * and `$` (GitHub math). `&`, `<` and `>` are HTML-escaped instead (GitHub renders raw HTML).
 */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|~=:@$&<>]/g;
const MARKDOWN_REPLACEMENT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes text for Markdown prose and table cells: whatever the input, the result renders as the
 * literal text (with control characters visible) and never as a link, image, emphasis, heading,
 * table cell break, autolink or HTML tag.
 */
export function escapeMarkdownText(s: string): string {
  return escapeTerminal(s).replace(MARKDOWN_SPECIAL, (ch) => MARKDOWN_REPLACEMENT[ch] ?? '\\' + ch);
}

/** The length of the longest run of backticks in s (0 when there is none). */
function longestBacktickRun(s: string): number {
  let longest = 0;
  let current = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === 0x60) {
      current++;
      if (current > longest) longest = current;
    } else {
      current = 0;
    }
  }
  return longest;
}

/**
 * An inline code span showing s literally. The fence is one backtick longer than the longest run
 * inside; padding spaces are added when s starts or ends with a backtick, or starts and ends with a
 * space (CommonMark strips one space from each side then). In a GFM table, `|` splits cells even
 * inside code, so it becomes `\|` there (GFM removes that backslash again when rendering).
 */
export function markdownCodeSpan(s: string, opts?: { inTable?: boolean }): string {
  let content = escapeTerminal(s);
  if (opts?.inTable) content = content.replace(/\|/g, '\\|');
  // A code span cannot be empty; one space renders as an empty-looking span.
  if (content === '') return '` `';
  const fence = '`'.repeat(longestBacktickRun(content) + 1);
  const needsPadding =
    content.startsWith('`') ||
    content.endsWith('`') ||
    (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '');
  return needsPadding ? `${fence} ${content} ${fence}` : `${fence}${content}${fence}`;
}

/**
 * A fenced code block holding lines verbatim (control characters made visible, so no raw ESC or
 * embedded newline reaches the file). The fence is at least three backticks and longer than any run
 * inside, so no line can close it. The info string loses backticks (forbidden there) and controls.
 * Returns the block without a trailing newline.
 */
export function markdownCodeBlock(lines: string[], info?: string): string {
  const body = lines.map(escapeTerminal);
  const fence = '`'.repeat(Math.max(3, ...body.map((line) => longestBacktickRun(line) + 1)));
  const safeInfo = info === undefined ? '' : escapeTerminal(info).replace(/`/g, '').trim();
  return [fence + safeInfo, ...body, fence].join('\n');
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attribute values; control characters made visible first. */
export function escapeHtml(s: string): string {
  return escapeTerminal(s).replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch]!);
}

/**
 * Escapes text for SVG/XML content and attributes. Like escapeHtml, and additionally U+FFFE and
 * U+FFFF (not XML 1.0 characters) become visible; every other character that XML 1.0 forbids is a
 * control or lone surrogate that escapeTerminal already made visible.
 */
export function escapeXml(s: string): string {
  return escapeHtml(s).replace(/[\ufffe\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16));
}

/** First characters that make a spreadsheet treat a cell as a formula (ASCII and fullwidth forms). */
const FORMULA_START = /^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/;

/**
 * One RFC 4180 CSV cell. null/undefined → empty. Numbers are written as numbers (a negative number
 * stays `-2`); a string that a spreadsheet would run as a formula (starting with = + - @ TAB CR LF)
 * gets a leading `'`. Control characters are made visible; the cell is quoted when it holds
 * `,` `"` CR or LF, with quotes doubled.
 */
export function csvCell(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  if (typeof s === 'number') return String(s);
  let cell = escapeTerminal(s);
  if (FORMULA_START.test(s)) cell = "'" + cell;
  if (/[",\r\n]/.test(cell)) cell = '"' + cell.replace(/"/g, '""') + '"';
  return cell;
}

/**
 * Shortens s to at most max code points by keeping its start and end with `…` between them.
 * Counts code points, so a surrogate pair is never split. max < 1 gives the empty string.
 */
export function truncateMiddle(s: string, max: number): string {
  max = Math.floor(max);
  // Fast path: a string whose UTF-16 length fits has at most that many code points.
  if (s.length <= max) return s;
  const points = Array.from(s);
  if (points.length <= max) return s;
  if (max < 1) return '';
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return points.slice(0, head).join('') + '…' + (tail > 0 ? points.slice(points.length - tail).join('') : '');
}

/**
 * Characters JSON.stringify leaves raw that a terminal or viewer would act on: DEL and C1 controls
 * (U+009B is a one-byte CSI), bidi and invisible format controls, line/paragraph separators.
 * (C0 controls and lone surrogates JSON.stringify already writes as \uXXXX.)
 */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** JSON text that is inert on a terminal: the same value, with every control written as \uXXXX. */
export function inertJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
