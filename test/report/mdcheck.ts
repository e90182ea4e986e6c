/**
 * Just enough CommonMark to check that hostile text stayed inert: which parts of a markdown
 * document are code (fenced blocks, code spans) and which are live markup.
 */

/** The lines outside fenced code blocks (a fence closes only on a run at least as long as its opener). */
export function linesOutsideFences(md: string): string[] {
  const out: string[] = [];
  let fence = 0;
  for (const line of md.split('\n')) {
    const run = /^(`{3,})/.exec(line)?.[1]?.length ?? 0;
    if (fence === 0 && run > 0) fence = run;
    else if (fence > 0 && run >= fence && line.trim() === '`'.repeat(run)) fence = 0;
    else if (fence === 0) out.push(line);
  }
  return out;
}

/** A line with its code spans removed: a run of n backticks up to the next run of exactly n. */
export function withoutCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\\' && i + 1 < line.length) {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] !== '`') {
      out += line[i];
      i++;
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    let j = i + n;
    let close = -1;
    while (j < line.length) {
      if (line[j] === '`') {
        let m = 0;
        while (line[j + m] === '`') m++;
        if (m === n) {
          close = j;
          break;
        }
        j += m;
      } else j++;
    }
    if (close < 0) {
      out += line.slice(i, i + n);
      i += n;
    } else {
      out += '<CODE>';
      i = close + n;
    }
  }
  return out;
}

/** Cell separators GFM sees in a table row: every `|` not escaped with a backslash, code spans included. */
export function cellSeparators(row: string): number {
  let count = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') i++;
    else if (row[i] === '|') count++;
  }
  return count;
}
