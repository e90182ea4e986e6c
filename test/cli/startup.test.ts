/**
 * Start-up cost (#18): `corr --version` loads nothing but its entry point, and `corr timeline`
 * loads neither the ingest pipeline, the correlator nor the report renderer. A module-resolve
 * hook (node:module register) records every module the real CLI process resolves.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corr, FIXTURES, ROOT, tempDir } from '../helpers/cli.js';

function loadedBy(args: string[]): { code: number; stdout: string; loaded: string[] } {
  const dir = tempDir('corr-startup-');
  const log = join(dir, 'loaded.log');
  writeFileSync(log, '');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}
`,
  );
  // The resolve hook sees imports; modules loaded with require() (createRequire, for the lazily
  // loaded ones) are recorded by wrapping Module._load.
  writeFileSync(
    join(dir, 'register.mjs'),
    `import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const loaded = load.apply(this, arguments);
  try {
    const file = Module._resolveFilename(request, parent, isMain);
    if (file.startsWith('/')) appendFileSync(${JSON.stringify(log)}, 'file://' + file + '\\n');
  } catch {}
  return loaded;
};
`,
  );
  const r = corr(args, { env: { NODE_OPTIONS: `--import ${pathToFileURL(join(dir, 'register.mjs')).href}` } });
  const dist = pathToFileURL(join(ROOT, 'dist')).href + '/';
  const loaded = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))]
    .filter((u) => !u.startsWith('node:'))
    .map((u) => (u.startsWith(dist) ? 'dist/' + u.slice(dist.length) : u.replace(/^.*\/node_modules\//, 'node_modules/')));
  return { code: r.code, stdout: r.stdout, loaded };
}

describe('start-up', () => {
  it('corr --version prints the package version and loads only its entry point', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = loadedBy(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(pkg.version + '\n');
    expect(r.loaded.sort()).toEqual(['dist/cli/main.js', 'dist/cli/version.js']);
  });

  it('corr timeline loads the timeline, never yargs, string widths, the ClickHouse engine, ingest, correlate, report or chrono-node', () => {
    const db = join(tempDir(), 'seed.db');
    expect(corr(['ingest', '--db', db, '--quiet', join(FIXTURES, 'incident-seed', 'diag')]).code).toBe(0);
    const r = loadedBy(['timeline', '--db', db, '--since', '2026-05-27T03:00:00Z', '--until', '+15m', '--json', '--quiet']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { events: unknown[] }).events.length).toBeGreaterThan(0);
    // The probe shows itself working: what timeline needs is there.
    expect(r.loaded).toEqual(expect.arrayContaining(['dist/cli/timeline.js', 'dist/store/queries.js', 'node_modules/better-sqlite3/lib/index.js']));
    const heavy = r.loaded.filter((m) => /^dist\/(ingest|correlate|analysis|report)\/|^dist\/cli\/(ingest|correlate|report|demo|probe)\.js$|^node_modules\/chrono-node\//.test(m));
    expect(heavy).toEqual([]);
    // A plain line is read without yargs (src/cli/plain-line.ts); a --json window draws no table, so no
    // string widths (~40 ms: a grapheme segmenter and emoji tables); an SQLite store, no ClickHouse.
    expect(r.loaded.filter((m) => /^node_modules\/(yargs|yargs-parser|cliui|string-width|wrap-ansi|@clickhouse)\/|^dist\/store\/clickhouse\/(?!url\.js)|^dist\/export\/(table|width|timeline-table|histogram)\.js$/.test(m))).toEqual([]);
    // A --json window without --grep needs neither the regular-expression engine nor the CSV writer,
    // nor another format's writer, nor the "did you mean" of a filter that matched nothing.
    expect(r.loaded.filter((m) => /^node_modules\/(re2js|csv-stringify)\/|^dist\/export\/(csv|timesketch|l2tcsv)\.js$|^dist\/cli\/suggest\.js$/.test(m))).toEqual([]);
  });

  it('corr timeline loads re2js for a --grep and csv-stringify for CSV, and both still work', () => {
    const db = join(tempDir(), 'seed.db');
    expect(corr(['ingest', '--db', db, '--quiet', join(FIXTURES, 'incident-seed', 'diag')]).code).toBe(0);
    const r = loadedBy(['timeline', '--db', db, '--since', '2026-05-27T03:00:00Z', '--until', '+15m', '--format', 'csv', '--grep', '.', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')[0]).toMatch(/^ts,host,source/);
    expect(r.stdout.split('\r\n').length).toBeGreaterThan(3);
    expect(r.loaded.some((m) => m.startsWith('node_modules/re2js/'))).toBe(true);
    expect(r.loaded.some((m) => m.startsWith('node_modules/csv-stringify/'))).toBe(true);
  });
});
