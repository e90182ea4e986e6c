/**
 * `corr report` and `corr demo` end to end on the seed fixture incident: byte-identical output for
 * the same store (golden files), hostile user names inert in markdown, SVG and HTML, and the demo
 * writing its files from a fresh directory.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { corr, ROOT, tempDir } from '../helpers/cli.js';

const GOLDEN = join(ROOT, 'test', 'golden');
const WINDOWS = ['2026-05-26 17:18..17:27 PT', '2026-05-26 18:58..19:00 PT', '2026-05-26 19:16..19:17 PT', '2026-05-26 19:44..19:45 PT'];
const reportArgs = (db: string) => ['--db', db, 'report', '--tz', 'America/Los_Angeles', '--title', 'kai-server outage (fixture)', ...WINDOWS.flatMap((w) => ['--window', w])];

let db: string;
let dir: string;

beforeAll(() => {
  dir = tempDir();
  db = join(dir, 'c.db');
  // A path relative to the repository (corr runs there), so the paths the report quotes — and may
  // shorten in the middle — are the same in every checkout.
  const r = corr(['--db', db, 'ingest', 'fixtures/incident-seed/diag', '--ref', '2026-05-27T06:00:00Z']);
  expect(r.code, r.stderr).toBe(0);
});

/** Golden files are written on the first run (UPDATE_GOLDEN=1 rewrites them) and compared after. */
function golden(name: string, text: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN || !existsSync(path)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, text);
  }
  expect(text, `golden ${name} (UPDATE_GOLDEN=1 to accept a deliberate change)`).toBe(readFileSync(path, 'utf8'));
}

/** Paths in the report are those given at ingest: make them independent of the temp dir and checkout. */
function portable(text: string): string {
  return text.split(ROOT + '/').join('');
}

describe('corr report on the seed incident', () => {
  it('writes markdown with its SVG beside it, byte-identical on a second run, and matching the golden', () => {
    const a = join(dir, 'a.md');
    const b = join(dir, 'b.md');
    expect(corr([...reportArgs(db), '--out', a]).code).toBe(0);
    expect(corr([...reportArgs(db), '--out', b]).code).toBe(0);
    const md = readFileSync(a, 'utf8');
    expect(md).toBe(readFileSync(b, 'utf8').replace('b.svg', 'a.svg'));
    expect(readFileSync(join(dir, 'a.svg'), 'utf8')).toBe(readFileSync(join(dir, 'b.svg'), 'utf8'));
    expect(md).toContain('![Timeline](a.svg)');
    for (const heading of ['## Symptom that opened the session', '## Cause 1', '## Probe trust', '## Background (not load-bearing)', '## Timeline', '## Assumptions and coverage', '## Lessons', '## Out of scope']) {
      expect(md).toContain(heading);
    }
    expect(md).toMatch(/bridge-churn/);
    expect(md).toMatch(/60\.163\.139\.198/);
    golden('seed-postmortem.md', portable(md).replace(/\(a\.svg\)/g, '(postmortem.svg)'));
    golden('seed-postmortem.svg', portable(readFileSync(join(dir, 'a.svg'), 'utf8')));
  });

  it('keeps the hostile user names inert in markdown, SVG and HTML', () => {
    const md = readFileSync(join(dir, 'a.md'), 'utf8');
    const svg = readFileSync(join(dir, 'a.svg'), 'utf8');
    const htmlPath = join(dir, 'r.html');
    expect(corr([...reportArgs(db), '--format', 'html', '--out', htmlPath]).code).toBe(0);
    const html = readFileSync(htmlPath, 'utf8');
    for (const [name, text] of [['md', md], ['svg', svg], ['html', html]] as const) {
      expect(text, name).not.toMatch(/[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f\u202e]/);
      expect(text, name).not.toMatch(/<script/i);
      expect(text, name).not.toMatch(/\]\(http:\/\/evil/);
    }
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//);
    golden('seed-postmortem.html', portable(html));
  });

  it('refuses an unwritable --out with exit 2 and a one-line reason', () => {
    const r = corr([...reportArgs(db), '--out', join(dir, 'no', 'such', 'dir', 'x.md')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('corr demo', () => {
  it('ingests the fixture incident, correlates and writes the draft, from any directory', () => {
    const cwd = tempDir();
    const r = corr(['demo'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/bridge-churn\s*│\s*cause/);
    expect(r.stdout).toMatch(/probe-artifact\s*│\s*artifact/);
    for (const f of ['corr.db', 'postmortem.md', 'postmortem.svg', 'postmortem.html']) expect(existsSync(join(cwd, 'corr-demo', f)), f).toBe(true);
  });
});
