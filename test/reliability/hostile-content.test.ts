/**
 * Hostile log content stays inert wherever corr writes it (terminal table, CSV, Markdown, HTML, SVG),
 * and user filters are bound as values: they can never change a query.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corr, corrJson, tempDir } from '../helpers/cli.js';
import { linesOutsideFences, withoutCodeSpans } from '../report/mdcheck.js';

/** An attacker-chosen sshd user name: terminal escapes, an OSC title, CR, backspaces, bidi, markup. */
const HOSTILE_USER =
  '\x1b[31mred\x1b]0;pwned\x07\b\b\rroot\u202eevil`x`<script>alert(1)</script><img src=x onerror=alert(2)>**b**[l](javascript:alert(3))|c';
const RAW_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f\u202e]/; // ESC, CR, BS, BEL ... and the bidi override; \t \n are layout here

let dir: string;
let db: string;

beforeAll(() => {
  dir = tempDir('corr-hostile-');
  db = join(dir, 'c.db');
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const t = `Mar  1 10:${String(Math.floor(i / 6)).padStart(2, '0')}:${String((i * 10) % 60).padStart(2, '0')}`;
    lines.push(`${t} kai-server sshd[${100 + i}]: Invalid user ${HOSTILE_USER} from 6.6.6.6 port ${4000 + i}`);
    lines.push(`${t} kai-server sshd[${100 + i}]: Failed password for invalid user ${HOSTILE_USER} from 6.6.6.6 port ${4000 + i} ssh2`);
  }
  // Messages and a host that a spreadsheet would run as formulas; text with SQL wildcards.
  lines.push('Mar  1 11:00:00 kai-server app[1]: =HYPERLINK("http://evil/","x")');
  lines.push('Mar  1 11:00:01 kai-server app[1]: +1+cmd|calc');
  lines.push('Mar  1 11:00:02 kai-server app[1]: -2+3');
  lines.push('Mar  1 11:00:03 kai-server app[1]: @SUM(A1:A9)');
  lines.push('Mar  1 11:00:04 =evilhost app[1]: formula host');
  lines.push("Mar  1 11:00:05 kai-server app[1]: 100% done_ok ' OR 1=1 --");
  writeFileSync(join(dir, 'auth.log'), lines.join('\n') + '\n');
  const r = corr(['--db', db, 'ingest', join(dir, 'auth.log'), '--tz', 'UTC', '--year', '2026']);
  expect(r.code, r.stderr).toBe(0);
  // The store really holds the hostile bytes: escaping happens on the way out.
  const stored = corrJson<{ rows: { n: number }[] }>(['--db', db, 'sql', "SELECT count(*) AS n FROM events WHERE message LIKE '%' || char(27) || '%'"]);
  expect(stored.json.rows[0]!.n).toBe(80);
});

describe('hostile text in outputs', () => {
  it('the terminal timeline holds no raw ESC, CR, BS, BEL or U+202E, and shows them visibly', () => {
    const r = corr(['--db', db, 'timeline', '--no-collapse']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROLS);
    expect(r.stdout).toContain('\\x1b[31mred');
    expect(r.stdout).toContain('\\u202e');
    expect(r.stderr).not.toMatch(RAW_CONTROLS);
  });

  it('CSV cells never start a formula and hold no raw control characters', () => {
    const r = corr(['--db', db, 'timeline', '--no-collapse', '--csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202e]/);
    const cells = parseCsv(r.stdout).flat();
    expect(cells.length).toBeGreaterThan(80 * 5);
    const formulas = cells.filter((c) => /^[=+\-@]/.test(c) && !/^-?\d+(\.\d+)?$/.test(c));
    expect(formulas).toEqual([]);
    expect(cells).toContain('\'=HYPERLINK("http://evil/","x")');
    expect(cells).toContain("'=evilhost");
    const sql = corr(['--db', db, 'sql', 'SELECT host, message FROM events ORDER BY id', '--csv']);
    expect(parseCsv(sql.stdout).flat().filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
  });

  it('the Markdown report and its SVG hold the name only escaped: no raw ESC, no live HTML or link', () => {
    const out = join(dir, 'report.md');
    const r = corr(['--db', db, 'report', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('6.6.6.6'); // the brute force is in the report
    expect(md).not.toMatch(RAW_CONTROLS);
    const live = linesOutsideFences(md).map(withoutCodeSpans).join('\n');
    expect(live).not.toMatch(/<script|<img|\]\(javascript:/i);
    const svg = readFileSync(join(dir, 'report.svg'), 'utf8');
    expect(svg).not.toMatch(RAW_CONTROLS);
    expect(svg).not.toMatch(/<script|<img|onerror=/i);
  });

  it('the HTML report has no <script> or <img> element, no event handler, no raw ESC', () => {
    const out = join(dir, 'report.html');
    const r = corr(['--db', db, 'report', '--format', 'html', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('6.6.6.6');
    expect(html).not.toMatch(RAW_CONTROLS);
    expect(html).not.toMatch(/<(script|img|iframe)\b/i);
    expect(html).not.toMatch(/<[a-z][^<>]*\son\w+\s*=/i); // an event handler inside a tag
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('JSON output carries the text losslessly (escaped by JSON itself)', () => {
    const r = corrJson<{ events: { message: string }[] }>(['--db', db, 'timeline', '--no-collapse', '--kind', 'sshd.']);
    expect(r.json.events.some((e) => e.message.includes(HOSTILE_USER))).toBe(true);
  });
});

describe('filters are values, never SQL', () => {
  const count = (args: string[]) => {
    const r = corrJson<{ events: unknown[] }>(['--db', db, 'timeline', '--no-collapse', ...args]);
    expect(r.code, r.stderr).toBe(0);
    return r.json.events.length;
  };

  it('a working filter of each kind finds what it should (the control for the cases below)', () => {
    expect(count([])).toBe(86);
    expect(count(['--kind', 'sshd.'])).toBe(80);
    expect(count(['--source', 'syslog'])).toBe(6);
    expect(count(['--host', '=evilhost'])).toBe(1);
    expect(count(['--grep', 'done_ok'])).toBe(1);
  });

  it.each(["' OR 1=1 --", '%', '_', '" OR ""="', "') OR ('1'='1", '*', '\\'])('%j through --kind, --host and --source matches nothing', (value) => {
    expect(count(['--kind', value])).toBe(0);
    expect(count(['--host', value])).toBe(0);
    expect(count(['--source', value])).toBe(0);
  });

  it('--grep takes SQL wildcards literally and an SQL fragment as text', () => {
    expect(count(['--grep', '%'])).toBe(1);
    expect(count(['--grep', "' OR 1=1 --"])).toBe(1);
    expect(count(['--grep', '_ok'])).toBe(1);
    expect(count(['--grep', '^_'])).toBe(0);
  });

  it('corr sql refuses a statement that writes, and the store is unchanged', () => {
    for (const q of ['DELETE FROM events', 'SELECT 1; DROP TABLE events', "ATTACH DATABASE '/tmp/x.db' AS x", 'PRAGMA user_version = 99']) {
      const r = corr(['--db', db, 'sql', q]);
      expect(r.code, q).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(count([])).toBe(86);
  });
});

/** RFC 4180: cells separated by commas, quoted cells with doubled quotes, rows by CRLF or LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
