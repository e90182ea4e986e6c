/**
 * The golden tier: `corr report` on each fixture incident, through the built CLI, as markdown, SVG
 * and HTML. One module says how each case is produced; test/cli/report.test.ts compares, and only
 * `node test/golden/regenerate.mjs` writes the expected files (read the diff before committing).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GOLDEN_DIR = join(ROOT, 'test', 'golden');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');

/** A reference instant six hours after each capture: a checkout gives every file today's mtime. */
export const CASES = [
  {
    name: 'incident-seed',
    ref: '2026-05-27T08:53:09Z',
    tz: 'America/Los_Angeles',
    title: 'kai-server outage (fixture incident)',
    windows: ['2026-05-26 17:18..17:27 PT', '2026-05-26 18:58..19:00 PT', '2026-05-26 19:16..19:17 PT', '2026-05-26 19:44..19:45 PT'],
  },
  {
    name: 'incident-dst',
    ref: '2026-10-25T09:40:12Z',
    tz: 'Europe/Berlin',
    title: 'edge-01 outage (fixture incident)',
    windows: [],
  },
];

function run(args, cwd) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`corr ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

/**
 * Ingests the case's bundle into a fresh store (in a temp dir, named `corr.db` there so the printed
 * timeline command is the same everywhere) and returns its report files, with the checkout's path
 * removed so they read the same in every clone.
 */
/** The options both `correlate` and `report` take for a case (same span, windows and zone). */
export function correlateArgs(c) {
  return ['--tz', c.tz, ...c.windows.flatMap((w) => ['--window', w])];
}

export function renderCase(c) {
  const report = [...correlateArgs(c), '--title', c.title];
  const dir = mkdtempSync(join(tmpdir(), `corr-golden-${c.name}-`));
  try {
    run(['--db', 'corr.db', 'ingest', join(ROOT, 'fixtures', c.name, 'diag'), '--ref', c.ref], dir);
    run(['--db', 'corr.db', 'report', ...report, '--out', 'postmortem.md'], dir);
    run(['--db', 'corr.db', 'report', ...report, '--format', 'html', '--out', 'postmortem.html'], dir);
    const portable = (s) => s.split(ROOT + '/').join('');
    const correlate = run(['--db', 'corr.db', 'correlate', '--json', ...correlateArgs(c)], dir);
    return {
      md: portable(readFileSync(join(dir, 'postmortem.md'), 'utf8')),
      svg: portable(readFileSync(join(dir, 'postmortem.svg'), 'utf8')),
      html: portable(readFileSync(join(dir, 'postmortem.html'), 'utf8')),
      correlate: JSON.parse(correlate.stdout),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function goldenPath(c, ext) {
  return join(GOLDEN_DIR, `${c.name}.${ext}`);
}
