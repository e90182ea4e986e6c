/**
 * Output through the real CLI: the table at 80 columns (no line longer, words kept whole, wide
 * characters measured), EPIPE under `| head` for every command, and each export format read back
 * the way its importer reads it (Timesketch's documented import columns, plaso's l2tcsv).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { parse } from '../helpers/csv.js';
import { corr, corrJson, ROOT, tempDir } from '../helpers/cli.js';

let dir: string;
let db: string;
let bigDb: string;
const WIDE = '日本語のログ行です'.repeat(6); // 9 wide characters, 18 columns, six times

beforeAll(() => {
  dir = tempDir();
  const auth = [
    'May 27 00:14:59 kai-server sshd[10]: Connection closed by 192.0.2.1 port 1000 [preauth]',
    `May 27 00:15:30 kai-server sshd[11]: Invalid user ${WIDE} from 192.0.2.7 port 2222`,
    'May 27 00:16:00 kai-server sshd[12]: Invalid user =cmd|\' /C calc\'!A0 from 203.0.113.9 port 4444',
    `May 27 00:17:00 kai-server sshd[13]: ${'averyveryverylongwordthatcannotfitanywhere'.repeat(3)} and then some ordinary words that wrap at their boundaries like words should`,
  ];
  writeFileSync(join(dir, 'auth.log'), auth.join('\n') + '\n');
  const probe = [];
  for (let i = 0; i < 20; i++) probe.push(`2026-05-27T00:${String(10 + i).padStart(2, '0')}:00Z probe kai-server ${i % 5 === 4 ? 'DOWN' : 'UP'} exit=${i % 5 === 4 ? 1 : 0}`);
  writeFileSync(join(dir, 'watch.log'), probe.join('\n') + '\n');
  db = join(dir, 'c.db');
  const r = corr(['--db', db, 'ingest', dir, '--tz', 'UTC', '--year', '2026']);
  expect(r.code, r.stderr).toBe(0);
  // A store big enough that `| head` closes the pipe long before the end (about 30k events).
  const gen = join(dir, 'gen');
  const g = spawnSyncNode([join(ROOT, 'bench', 'generate.mjs'), gen, '30000']);
  expect(g.status, g.stderr).toBe(0);
  bigDb = join(dir, 'big.db');
  const b = corr(['--db', bigDb, 'ingest', join(gen, 'diag'), '--quiet']);
  expect(b.code, b.stderr).toBe(0);
});

function spawnSyncNode(args: string[]) {
  return spawnSync(process.execPath, args, { encoding: 'utf8' });
}

/** Run corr with stdout to a pipe that is closed after the first chunk, as `| head -1` does. */
function corrIntoHead(args: string[]): Promise<{ code: number | null; stderr: string; got: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let got = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', (d) => {
      got = String(d);
      child.stdout.destroy();
    });
    child.on('close', (code) => resolve({ code, stderr, got, ms: Date.now() - t0 }));
  });
}

describe('| head: a closed pipe ends the process quietly, exit 0', () => {
  for (const args of [
    ['timeline', '--no-collapse'],
    ['timeline'],
    ['timeline', '--no-collapse', '--format', 'jsonl'],
    ['timeline', '--no-collapse', '--json'],
    ['sql', 'SELECT * FROM events'],
  ]) {
    it(args.join(' '), async () => {
      const r = await corrIntoHead(['--db', bigDb, ...args]);
      expect(r.got.length).toBeGreaterThan(0);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/EPIPE|\n\s+at |Error/);
    });
  }
});

describe('the table at 80 columns (a pipe, as to a pager)', () => {
  const widthOf = (out: string) => Math.max(...out.split('\n').map((l) => stringWidth(l)));

  it('no line is longer than 80 columns, for timeline with and without --tz, sources and sql', () => {
    for (const args of [['timeline', '--no-collapse'], ['timeline', '--tz', 'America/Los_Angeles'], ['sources'], ['sql', 'SELECT id, host, source, kind, message FROM events']]) {
      const r = corr(['--db', db, ...args], { env: { COLUMNS: '' } });
      expect(r.code, r.stderr).toBe(0);
      expect(widthOf(r.stdout), args.join(' ')).toBeLessThanOrEqual(80);
      expect(r.stdout.length).toBeGreaterThan(100);
    }
  });

  it('keeps the indent of the assumption list when an item wraps', () => {
    const r = corr(['--db', db, 'sources'], { env: { COLUMNS: '' } });
    const list = r.stdout.split('\n').slice(r.stdout.split('\n').findIndex((l) => l.startsWith('Assumptions')) + 1).filter((l) => l !== '');
    expect(list.length).toBeGreaterThan(3);
    // A line is a file's header (its path) or an indented item or continuation — never an item pushed to column 0.
    for (const line of list) expect(line.startsWith(dir) || line.startsWith('  '), JSON.stringify(line)).toBe(true);
    expect(list.some((l) => l.startsWith('      '))).toBe(true); // a wrapped item's continuation
  });

  it('wraps at word boundaries: ordinary words are never cut', () => {
    const r = corr(['--db', db, 'timeline', '--no-collapse', '--source', 'sshd'], { env: { COLUMNS: '' } });
    const lines = r.stdout.split('\n');
    for (const w of ['ordinary', 'boundaries', 'should']) expect(lines.some((l) => new RegExp(`\\b${w}\\b`).test(l)), w).toBe(true);
  });

  it('measures East Asian wide characters as two columns and keeps every character', () => {
    const r = corr(['--db', db, 'timeline', '--no-collapse', '--grep', '日本語'], { env: { COLUMNS: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(widthOf(r.stdout)).toBeLessThanOrEqual(80);
    // A line of only wide characters with no room left: the cell holds at least one line more than 18 columns of them.
    const wideText = r.stdout.replace(/[^\u3040-\u30ff\u4e00-\u9fff]/g, '');
    expect(wideText).toBe(WIDE);
  });

  it('COLUMNS=120 gives lines up to 120 columns, and a file gets the whole message on one line', () => {
    const r = corr(['--db', db, 'timeline', '--no-collapse'], { env: { COLUMNS: '120' } });
    expect(widthOf(r.stdout)).toBeLessThanOrEqual(120);
    expect(widthOf(r.stdout)).toBeGreaterThan(80);
    const out = join(dir, 'tl.txt');
    const f = spawnSync('sh', ['-c', `"${process.execPath}" "${join(ROOT, 'dist', 'cli', 'main.js')}" --db "${db}" timeline --no-collapse --source sshd > "${out}"`], { env: { ...process.env, COLUMNS: '', NO_COLOR: '1' }, encoding: 'utf8' });
    expect(f.status, f.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('and then some ordinary words that wrap at their boundaries like words should');
  });

  it('colour is applied after wrapping: every wrapped line opens and closes its own colour', () => {
    const r = corr(['--db', db, 'timeline', '--no-collapse', '--source', 'sshd', '--color', 'always'], { env: { COLUMNS: '' } });
    expect(r.stdout).toMatch(/\x1b\[/);
    for (const line of r.stdout.split('\n')) {
      const opens = (line.match(/\x1b\[(?:1|2|3[0-7])m/g) ?? []).length;
      const closes = (line.match(/\x1b\[(?:22|39)m/g) ?? []).length;
      expect(opens, JSON.stringify(line)).toBe(closes);
    }
    expect(widthOf(r.stdout)).toBeLessThanOrEqual(80);
  });
});

describe('--color and NO_COLOR / FORCE_COLOR', () => {
  const coloured = (env: Record<string, string>, extra: string[] = []) => /\x1b\[/.test(corr(['--db', db, 'timeline', '--source', 'sshd', ...extra], { env }).stdout);
  it('is plain on a pipe by default, coloured with FORCE_COLOR or --color always, and never with --color never', () => {
    expect(coloured({ NO_COLOR: '' })).toBe(false);
    expect(coloured({ NO_COLOR: '', FORCE_COLOR: '1' })).toBe(true);
    expect(coloured({ NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(coloured({ NO_COLOR: '1' }, ['--color', 'always'])).toBe(true);
    expect(coloured({ NO_COLOR: '', FORCE_COLOR: '1' }, ['--color', 'never'])).toBe(false);
    expect(corr(['--db', db, 'timeline', '--color', 'sometimes']).code).toBe(2);
  });
});

describe('export formats', () => {
  it('CSV: RFC 4180 with a header, formulas neutralised, control characters visible', () => {
    const r = corr(['--db', db, 'timeline', '--no-collapse', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(24);
    expect(Object.keys(rows[0]!)).toEqual(['ts', 'host', 'source', 'kind', 'severity', 'count', 'first', 'last', 'file', 'line', 'message']);
    expect(rows.every((row) => !/^[=+@]/.test(row.message!) )).toBe(true);
    expect(rows.find((row) => row.message!.includes('calc'))!.message).toMatch(/^Invalid user =cmd/);
    expect(corr(['--db', db, 'timeline', '--no-collapse', '--csv']).stdout).toBe(r.stdout);
  });

  it('JSONL: one contract event per line, the same events as --json', () => {
    const r = corr(['--db', db, 'timeline', '--no-collapse', '--format', 'jsonl']);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const json = corrJson<{ events: unknown[] }>(['--db', db, 'timeline', '--no-collapse']);
    expect(lines).toEqual(json.json.events);
    expect(lines).toHaveLength(24);
    expect(Object.keys(lines[0])).toEqual(['ts', 'host', 'source', 'kind', 'severity', 'message', 'count', 'first', 'last', 'file', 'line', 'fields']);
  });

  it("Timesketch CSV and JSONL carry Timesketch's import fields: message, datetime (ISO 8601), timestamp_desc, timestamp (µs)", () => {
    // Timesketch's "Create timeline from JSON/JSONL/CSV file": mandatory message, datetime, timestamp_desc; timestamp optional.
    const csv = corr(['--db', db, 'timeline', '--no-collapse', '--format', 'timesketch']);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!).slice(0, 4)).toEqual(['message', 'timestamp', 'datetime', 'timestamp_desc']);
    for (const row of rows) {
      expect(row.message!.length).toBeGreaterThan(0);
      expect(row.datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Number(row.timestamp)).toBe(Date.parse(row.datetime!) * 1000);
      expect(row.timestamp_desc!.length).toBeGreaterThan(0);
    }
    const jsonl = corr(['--db', db, 'timeline', '--no-collapse', '--format', 'timesketch-jsonl']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(jsonl).toHaveLength(rows.length);
    for (const [i, o] of jsonl.entries()) {
      expect(o.message).toBe(rows[i]!.message);
      expect(o.datetime).toBe(rows[i]!.datetime);
      expect(typeof o.timestamp).toBe('number');
      expect(typeof o.timestamp_desc).toBe('string');
    }
    expect(jsonl.find((o) => o.source === 'sshd' && o.field_port === 2222)).toBeTruthy();
  });

  it("l2tcsv: plaso's 17 columns, MM/DD/YYYY and HH:MM:SS in UTC, file:line back to the evidence", () => {
    const r = corr(['--db', db, 'timeline', '--no-collapse', '--format', 'l2tcsv']);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['date', 'time', 'timezone', 'MACB', 'source', 'sourcetype', 'type', 'user', 'host', 'short', 'desc', 'version', 'filename', 'inode', 'notes', 'format', 'extra']);
    const first = rows[0]!;
    expect(first.date).toBe('05/27/2026');
    expect(first.time).toBe('00:10:00');
    expect(first.timezone).toBe('UTC');
    expect(rows.find((x) => x.time === '00:15:30')!.user).toBe(WIDE);
    expect(rows.find((x) => x.time === '00:14:59')!.filename).toBe(`${join(dir, 'auth.log')}:1`);
    expect(rows.find((x) => x.time === '00:14:59')!.inode).toBe('-');
  });

  it('refuses two formats at once (exit 2, one line)', () => {
    const r = corr(['--db', db, 'timeline', '--csv', '--format', 'jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('--histogram', () => {
  it('counts events per bucket per source, with a round bucket from the span', () => {
    const r = corrJson<{ histogram: { bucket_s: number; start: string; series: { name: string; total: number; counts: number[] }[] } }>(['--db', db, 'timeline', '--histogram']);
    expect(r.code, r.stderr).toBe(0);
    const h = r.json.histogram;
    // 00:10:00 .. 00:29:00 is 19 minutes: the first round bucket that fits 80-column bars.
    expect(h.start).toBe('2026-05-27T00:10:00.000Z');
    expect(h.series.map((s) => [s.name, s.total])).toEqual([['probe', 20], ['sshd', 4]]);
    const probe = h.series[0]!;
    expect(probe.counts.reduce((a, b) => a + b, 0)).toBe(20);
    expect(probe.counts.length * h.bucket_s).toBeGreaterThanOrEqual(19 * 60);
  });

  it('draws one row of block characters per source within the width', () => {
    const r = corr(['--db', db, 'timeline', '--histogram', '--by', 'kind'], { env: { COLUMNS: '' } });
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /[▁▂▃▄▅▆▇█]/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.some((l) => l.startsWith('probe.'))).toBe(true);
    for (const l of r.stdout.split('\n')) expect(stringWidth(l)).toBeLessThanOrEqual(80);
  });
});
