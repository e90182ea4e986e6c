/**
 * `corr ingest`'s progress display and its interruption, through the real CLI: on a terminal (a
 * pseudo-terminal from util-linux `script`) and on pipes. The inputs are written here: syslog files
 * of distinct sshd lines, one section each, so that an interruption lands between stored sections
 * and the open one — four large files (a transaction per section) and forty small ones (whose
 * sections the store groups into shared transactions).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { corr, corrJson, ROOT, tempDir } from '../helpers/cli.js';
import { progressLine, interruptedLine, bytesOf, clockOf } from '../../src/cli/progress.js';
import type { IngestProgress } from '../../src/ingest/progress.js';

const FILES = 4;
const LINES_PER_FILE = 15_000;
/** Small files: under the store's GROUP_FILE_BYTES (256 KiB) each. */
const SMALL_FILES = 40;
const SMALL_LINES = 1_500;
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const DRIVER = join(ROOT, 'test', 'helpers', 'interrupt.mjs');

let dir: string;
let input: string;
let small: string;
let clean: { total: number; byKind: string };
let cleanSmall: { total: number; byKind: string };

function sshdLines(file: number, lines = LINES_PER_FILE): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const s = i % 60;
    const m = Math.floor(i / 60) % 60;
    const h = Math.floor(i / 3600) % 24;
    const ts = `May 26 ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
    out.push(`${ts} host${file} sshd[${1000 + file}]: Failed password for invalid user u${i % 97} from 198.51.100.${(i % 250) + 1} port ${10000 + i} ssh2`);
  }
  return out.join('\n') + '\n';
}

function sql(db: string, query: string): Record<string, unknown>[] {
  const r = corrJson<{ rows: Record<string, unknown>[] }>(['--db', db, 'sql', query]);
  expect(r.code, r.stderr).toBe(0);
  return r.json.rows;
}

const byKind = (db: string) => JSON.stringify(sql(db, 'SELECT host, kind, count(*) AS n FROM events GROUP BY host, kind ORDER BY host, kind'));
const ingestArgs = (db: string, dirOf = input) => ['--db', db, 'ingest', dirOf, '--tz', 'UTC', '--year', '2026'];

/** Run a shell command line inside a pseudo-terminal of 80 columns; what the terminal received. */
function inTerminal(command: string): { code: number; screen: string } {
  const r = spawnSync('script', ['-qfec', `stty cols 80 rows 24; ${command}`, '/dev/null'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024,
  });
  expect(r.error, 'util-linux script(1) runs').toBeUndefined();
  return { code: r.status ?? -1, screen: r.stdout };
}

/** The progress frames a terminal was sent: each redraw starts at column 1 (ESC [1G) and ends clearing the rest (ESC [0K). */
function frames(screen: string): string[] {
  return [...screen.matchAll(/\x1b\[1G([^\x1b]*)\x1b\[0K/g)].map((m) => m[1]!);
}

const quoted = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

beforeAll(() => {
  dir = tempDir('corr-progress-');
  input = join(dir, 'logs');
  mkdirSync(input);
  for (let f = 0; f < FILES; f++) writeFileSync(join(input, `auth${f}.log`), sshdLines(f));
  small = join(dir, 'small');
  mkdirSync(small);
  for (let f = 0; f < SMALL_FILES; f++) writeFileSync(join(small, `auth${String(f).padStart(2, '0')}.log`), sshdLines(f, SMALL_LINES));
  const db = join(dir, 'clean.db');
  const r = corrJson<{ events_total: number }>(ingestArgs(db));
  expect(r.code, r.stderr).toBe(0);
  clean = { total: r.json.events_total, byKind: byKind(db) };
  expect(clean.total).toBe(FILES * LINES_PER_FILE);
  const dbSmall = join(dir, 'clean-small.db');
  const rs = corrJson<{ events_total: number }>(ingestArgs(dbSmall, small));
  expect(rs.code, rs.stderr).toBe(0);
  cleanSmall = { total: rs.json.events_total, byKind: byKind(dbSmall) };
  expect(cleanSmall.total).toBe(SMALL_FILES * SMALL_LINES);
});

describe('the progress line', () => {
  const p: IngestProgress = {
    phase: 'read', path: '/var/log/日本語/auth.log', fileIndex: 2, files: 4, bytesDone: 3 * 1024 * 1024, bytesTotal: 12 * 1024 * 1024,
    lines: 100_000, readStartMs: 0, eventsKept: 40_000, sectionsKept: 2, openSectionLine: 1,
  };
  it('says bytes of the total, the share, the time left and the rate, at the rate so far', () => {
    // 3 of 12 MiB in 10 s: 9 MiB left at 0.3 MiB/s is 30 s; 100,000 lines in 10 s is 10,000 lines/s.
    const line = progressLine(p, 200, 10_000);
    expect(line).toContain(' 25% · 3.0/12.0 MiB · ETA 0:30 · 10,000 lines/s · /var/log/日本語/auth.log');
    expect(bytesOf(512 * 1024, 900 * 1024)).toBe('512/900 KiB');
    expect(clockOf(3725)).toBe('1:02:05');
  });
  it('never takes more than the width less one column, wide characters counted as two', () => {
    for (let w = 10; w <= 140; w++) {
      const line = progressLine(p, w, 10_000);
      expect(stringWidth(line), `${w}: ${line}`).toBeLessThanOrEqual(Math.max(9, w - 1));
    }
  });
  it('shows no rate or time left before a second of reading', () => {
    expect(progressLine(p, 120, 500)).toContain('ETA … · … lines/s');
  });
  it('makes a hostile file name inert', () => {
    expect(progressLine({ ...p, path: 'x\x1b]0;pwned\x07.log' }, 120, 10_000)).not.toMatch(/\x1b|\x07/);
    expect(interruptedLine({ ...p, path: 'x\x1b[2J.log' })).not.toContain('\x1b');
  });
});

describe('on a terminal', () => {
  it('draws the bar on stderr within 80 columns, then clears it before the summary', () => {
    const db = join(dir, 'tty.db');
    const out = join(dir, 'tty.out');
    const { code, screen } = inTerminal(`exec node ${BIN} ${ingestArgs(db).map(quoted).join(' ')} > ${quoted(out)}`);
    expect(code, screen).toBe(0);
    const drawn = frames(screen);
    expect(drawn.some((f) => f.startsWith('surveying 1 of 4')), screen).toBe(true);
    const reading = drawn.filter((f) => /^[█░]+ +\d+% · [\d.]+\/[\d.]+ (KiB|MiB) · ETA /.test(f));
    expect(reading.length, screen).toBeGreaterThan(0);
    for (const f of drawn) expect(stringWidth(f), f).toBeLessThanOrEqual(79);
    // Line wrapping is switched off while drawing and back on after; the bar's line is cleared.
    expect(screen.indexOf('\x1b[?7l')).toBeGreaterThanOrEqual(0);
    expect(screen.lastIndexOf('\x1b[?7h')).toBeGreaterThan(screen.lastIndexOf('\x1b[0K'));
    expect(screen.endsWith('\x1b[2K') || /\x1b\[2K\s*$/.test(screen)).toBe(true);
    expect(readFileSync(out, 'utf8')).toContain(`${clean.total.toLocaleString('en-US')} events added`);
  });

  it('draws nothing with --quiet', () => {
    const db = join(dir, 'tty-quiet.db');
    const { code, screen } = inTerminal(`exec node ${BIN} --quiet ${ingestArgs(db).map(quoted).join(' ')} > /dev/null`);
    expect(code, screen).toBe(0);
    expect(frames(screen)).toEqual([]);
    expect(screen).not.toMatch(/%|\x1b\[\?7l/);
  });

  it('interrupted, restores the terminal and says what was kept', () => {
    const db = join(dir, 'tty-int.db');
    const { code, screen } = inTerminal(`exec node ${DRIVER} SIGINT ${quoted(db)} ${ingestArgs(db).map(quoted).join(' ')} > /dev/null`);
    expect(code, screen).toBe(130);
    const end = screen.slice(screen.lastIndexOf('\x1b[?7h'));
    expect(end, screen).toMatch(/corr: interrupted: kept [\d,]+ events from \d+ complete sections?; /);
  });
});

describe('on pipes', () => {
  it('prints no progress at all, only the summary', () => {
    const db = join(dir, 'pipe.db');
    const r = corr(ingestArgs(db));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/[\r\x1b█░]|%|lines\/s|surveying/);
  });

  const cases = [
    { signal: 'SIGINT', exit: 130, what: 'large files', files: FILES, lines: LINES_PER_FILE, dirOf: () => input, reference: () => clean },
    { signal: 'SIGTERM', exit: 143, what: 'large files', files: FILES, lines: LINES_PER_FILE, dirOf: () => input, reference: () => clean },
    { signal: 'SIGINT', exit: 130, what: 'small files, sections grouped into shared transactions', files: SMALL_FILES, lines: SMALL_LINES, dirOf: () => small, reference: () => cleanSmall },
  ] as const;
  for (const c of cases) {
    it(`${c.signal} (${c.what}): one line saying what was kept and where the next run resumes; exit ${c.exit}; the rerun gives the clean run's store`, () => {
      const db = join(dir, `int-${c.signal}-${c.files}.db`);
      const args = ingestArgs(db, c.dirOf());
      const r = spawnSync(process.execPath, [DRIVER, c.signal, db, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' } });
      expect(r.status, `99 means the ingest ended before the signal: ${r.stderr}`).toBe(c.exit);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      const m = /^corr: interrupted: kept ([\d,]+) events? from (\d+) complete sections?; the next `corr ingest` of the same inputs resumes from (.+)$/.exec(lines[0]!);
      expect(m, lines[0]).not.toBeNull();
      const kept = Number(m![1]!.replace(/,/g, ''));
      const sections = Number(m![2]);
      // What the line says is what the store holds: whole sections, nothing of the open one.
      expect(sql(db, 'SELECT count(*) AS n FROM events')[0]!.n).toBe(kept);
      expect(sql(db, 'SELECT count(*) AS n FROM sections')[0]!.n).toBe(sections);
      expect(sections).toBeGreaterThanOrEqual(1);
      expect(sections).toBeLessThan(c.files);
      expect(kept).toBe(sections * c.lines);
      // It names a file the store does not hold yet.
      const named = m![3]!;
      expect(named).toMatch(/auth\d+\.log$/);
      expect(sql(db, 'SELECT path FROM files').map((f) => f.path)).not.toContain(named);
      const again = corrJson<{ events_added: number; events_total: number }>(args);
      expect(again.code, again.stderr).toBe(0);
      expect(again.json.events_added).toBe(c.reference().total - kept);
      expect(again.json.events_total).toBe(c.reference().total);
      expect(byKind(db)).toBe(c.reference().byKind);
    });
  }
});
