#!/usr/bin/env node
/**
 * The report's size bound on a big store: generates the benchmark bundle (bench/generate.mjs, cached
 * under bench/data/, never committed), ingests it into a fresh store, writes `corr report` as
 * markdown and HTML, and fails (exit 1) unless the markdown fits a GitHub or Forgejo issue:
 * at most 60,000 characters (an issue body takes 65,536).
 *
 *   npm run build && node bench/report-size.mjs              # 1,000,000 lines
 *   node bench/report-size.mjs --lines 200000 --keep         # keep the temp dir to read the draft
 *
 * Prints one JSON line with the sizes and timings; the machine's load is in it, since the figures
 * are only comparable on an idle machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBundle } from './generate.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
/** An issue body on GitHub or Forgejo takes 65,536 characters; the rest is room for the author. */
export const MAX_MARKDOWN_CHARS = 60_000;

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
}

function corr(args) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    process.stderr.write(`report-size: corr ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}\n`);
    process.exit(2);
  }
  return Date.now() - started;
}

const lines = Number(option('--lines', '1000000'));
if (!Number.isInteger(lines) || lines <= 0) {
  process.stderr.write('report-size: --lines takes a positive whole number\n');
  process.exit(2);
}
const bundle = join(ROOT, 'bench', 'data', String(lines));
const manifest = generateBundle(bundle, lines);
const work = mkdtempSync(join(tmpdir(), 'corr-report-size-'));
try {
  const db = join(work, 'corr.db');
  const ingestMs = corr(['--db', db, 'ingest', join(bundle, 'diag')]);
  const md = join(work, 'postmortem.md');
  const html = join(work, 'postmortem.html');
  const reportMs = corr(['--db', db, 'report', '--tz', 'America/Los_Angeles', '--out', md]);
  corr(['--db', db, 'report', '--tz', 'America/Los_Angeles', '--format', 'html', '--out', html]);
  const markdown = readFileSync(md, 'utf8');
  const result = {
    lines: manifest.lines,
    markdownChars: markdown.length,
    svgBytes: statSync(join(work, 'postmortem.svg')).size,
    htmlBytes: statSync(html).size,
    ingestMs,
    reportMs,
    load: loadavg().map((x) => +x.toFixed(2)),
    fits: markdown.length <= MAX_MARKDOWN_CHARS,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  if (!result.fits) {
    process.stderr.write(`report-size: the markdown is ${markdown.length} characters, over ${MAX_MARKDOWN_CHARS}\n`);
    process.exitCode = 1;
  }
} finally {
  if (process.argv.includes('--keep')) process.stderr.write(`report-size: kept ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}
