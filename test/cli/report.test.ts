/**
 * `corr report` and `corr demo` end to end on the fixture incidents: the draft matches its committed,
 * reviewed golden files (written only by `node test/golden/regenerate.mjs`), has the seed
 * postmortem's sections, shows the judge's own per-window hits, fits an issue, and keeps hostile text
 * inert in markdown, SVG and HTML.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corr, tempDir } from '../helpers/cli.js';
import { CASES, type GoldenCase, goldenPath, renderCase } from '../golden/cases.mjs';

type Rendered = ReturnType<typeof renderCase>;
const rendered = new Map<string, Rendered>();

beforeAll(() => {
  for (const c of CASES) rendered.set(c.name, renderCase(c));
});

const out = (c: GoldenCase) => rendered.get(c.name) as Rendered;

/** The seed postmortem's sections, in its order (stories in between). */
const SEED_SHAPE = ['Symptom that opened the session', 'Story 1 — ', 'Timeline', 'Lessons', 'Out of scope', 'How to apply', 'Assumptions and coverage'];

function h2(md: string): string[] {
  return md.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
}

/** The rows of a story's Windows table: `W1` → the cells after the window and status columns. */
function windowTable(md: string): { header: string[]; rows: string[][] }[] {
  const tables: { header: string[]; rows: string[][] }[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('| \\# | Window (UTC)')) continue;
    const cells = (l: string) => l.slice(2, -2).split(' | ');
    const header = cells(lines[i]!);
    const rows: string[][] = [];
    for (let j = i + 2; j < lines.length && lines[j]!.startsWith('| W'); j++) rows.push(cells(lines[j]!));
    tables.push({ header, rows });
  }
  return tables;
}

describe.each(CASES)('corr report on $name', (c) => {
  it('matches the reviewed golden markdown, SVG and HTML', () => {
    for (const ext of ['md', 'svg', 'html'] as const) {
      expect(existsSync(goldenPath(c, ext)), `${goldenPath(c, ext)} is missing: run node test/golden/regenerate.mjs and review it`).toBe(true);
      expect(out(c)[ext], `golden ${c.name}.${ext} (regenerate with node test/golden/regenerate.mjs, then read the diff)`).toBe(readFileSync(goldenPath(c, ext), 'utf8'));
    }
  });

  it("has the seed postmortem's sections, in its order", () => {
    const headings = h2(out(c).md);
    let at = -1;
    for (const want of SEED_SHAPE) {
      const found = headings.findIndex((h, i) => i > at && h.startsWith(want));
      expect(found, `${want} after ${headings[at]}`).toBeGreaterThan(at);
      at = found;
    }
    expect(new Set(headings).size, 'headings are unique').toBe(headings.length);
  });

  it("shows, window by window, exactly the judge's hits", () => {
    const json = out(c).correlate;
    const real = (json.outages as { start: string; status: string }[])
      .map((o, index) => ({ ...o, index }))
      .filter((o) => o.status !== 'artifact' && o.status !== 'refuted')
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.index - b.index);
    const tables = windowTable(out(c).md);
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) {
      const first = t.header.indexOf('Status') + 1;
      t.header.slice(first).forEach((label, k) => {
        const f = (json.findings as { id: string; kind: string; outages_hit: number; hits?: { outage: number }[] }[]).find((x) => `${x.id} ${x.kind}` === label)!;
        const marked = t.rows.map((r, w) => (r[first + k] !== '—' ? w : -1)).filter((w) => w >= 0);
        // Each marked row is one of the judge's hit windows, and there are as many as outages_hit.
        expect(marked.length, label).toBe(f.outages_hit);
        if (f.hits !== undefined) expect(marked.map((w) => real[w]!.index).sort(), label).toEqual(f.hits.map((h) => h.outage).sort());
      });
    }
  });

  it('fits a GitHub or Forgejo issue and leads to the full timeline with exact arguments', () => {
    expect(out(c).md.length).toBeLessThanOrEqual(60_000);
    expect(out(c).md).toMatch(/`corr --db corr\.db timeline --since \S+ --until \S+ --tz \S+`/);
  });

  it('keeps hostile text inert in markdown, SVG and HTML', () => {
    for (const [name, text] of Object.entries({ md: out(c).md, svg: out(c).svg, html: out(c).html })) {
      expect(text, name).not.toMatch(/[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f\u202e]/);
      expect(text, name).not.toMatch(/<script/i);
      expect(text, name).not.toMatch(/\]\(http:\/\/evil/);
    }
    expect(out(c).html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//);
  });
});

describe('corr report on the seed incident', () => {
  const seed = () => out(CASES[0]!);

  it('counts four independent stories, as the seed postmortem did', () => {
    expect(seed().md).toContain('**4 independent stories**');
    expect(h2(seed().md).filter((h) => h.startsWith('Story '))).toEqual([
      'Story 1 — cause: F1 bridge-churn',
      'Story 2 — what stopped F1 bridge-churn?',
      'Story 3 — background: F7 ssh-bruteforce',
      'Story 4 — artifact: F6 probe-artifact, a monitor that lied',
    ]);
  });

  it("quotes the probe's first failure and asks what the logs cannot show", () => {
    expect(seed().md).toContain('err="tcp dial kai-server:22: i/o timeout"');
    expect(seed().md).toContain('is a public address, so sshd on kai-server was reachable from the internet');
    expect(seed().md).toMatch(/\*\*What changed then\?\*\* _\(to fill: what ended bridge-churn at about 04:30:39 UTC/);
    expect(seed().md).toContain('bridge-churn went on for 1 h 32 min after that');
    expect(seed().md).toContain('**Probes must validate output, not just exit codes.**');
  });

  it('writes the raw markdown without needless escapes', () => {
    expect(seed().md).not.toMatch(/\d\\-\d|\d\\:\d|\d\\\.\d/);
    expect(seed().md).not.toContain('\\`');
  });

  it('refuses an unwritable --out with exit 2 and a one-line reason', () => {
    const dir = tempDir();
    const r = corr(['--db', join(dir, 'none.db'), 'report', '--out', join(dir, 'no', 'such', 'dir', 'x.md')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('corr demo', () => {
  it('ingests the fixture incident, correlates and writes the draft, from any directory', () => {
    const cwd = tempDir();
    const r = corr(['demo'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/bridge-churn\s+cause/);
    expect(r.stdout).toMatch(/probe-artifact\s+artifact/);
    for (const f of ['corr.db', 'postmortem.md', 'postmortem.svg', 'postmortem.html']) expect(existsSync(join(cwd, 'corr-demo', f)), f).toBe(true);
  });
});
