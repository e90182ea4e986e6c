/**
 * Every statement a `corr timeline` window runs reads only what it needs (#18): the real CLI is run
 * with a hook that records each SQL text better-sqlite3 prepares, and each is shown by
 * `EXPLAIN QUERY PLAN` to reach the event rows through an index. A statement that scans every event
 * row (as the sections' twin count did, 1.2 s at 1M rows before events_twins_section) fails here,
 * whichever part of the command added it. Plans are the same at any size: corr never runs ANALYZE,
 * so SQLite plans from the schema alone.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corr, FIXTURES, ROOT, tempDir } from '../helpers/cli.js';

/** The distinct SQL texts the CLI prepared for `args`, in first-prepared order. */
function statementsOf(args: string[]): { code: number; stdout: string; sql: string[] } {
  const dir = tempDir('corr-plans-');
  const log = join(dir, 'sql.jsonl');
  writeFileSync(log, '');
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
const Database = createRequire(${JSON.stringify(join(ROOT, 'package.json'))})('better-sqlite3');
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (sql) {
  appendFileSync(${JSON.stringify(log)}, JSON.stringify(sql) + '\\n');
  return prepare.apply(this, arguments);
};
`,
  );
  const r = corr(args, { env: { NODE_OPTIONS: `--import ${pathToFileURL(join(dir, 'register.mjs')).href}` } });
  const sql = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string))];
  return { code: r.code, stdout: r.stdout, sql };
}

function planOf(db: Database.Database, sql: string): string[] {
  const params = new Array<number>((sql.match(/\?/g) ?? []).length).fill(0);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

/**
 * A plan line that visits every row of event_rows (or of event_owners, as large as the duplicates):
 * a SCAN of the table, or of an index over all of it. A scan of a partial index over the twin rows
 * alone reads only those.
 */
function scansAllEvents(line: string): boolean {
  const m = /^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?/.exec(line);
  if (!m) return false;
  const [, table, index] = m;
  if (!['event_rows', 'e', 'events', 'event_owners', 'o'].includes(table!)) return false;
  return index !== 'events_twins_section';
}

describe('the statements of a timeline window', () => {
  const db = join(tempDir(), 'seed.db');
  expect(corr(['ingest', '--db', db, '--quiet', join(FIXTURES, 'incident-seed', 'diag')]).code).toBe(0);

  it('each reaches the event rows through an index, none scans them all', () => {
    // No --tz: the display zone is read from the sections, with their notes, coverage and twins.
    const r = statementsOf(['timeline', '--db', db, '--since', '2026-05-27T03:00:00Z', '--until', '+15m', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { events: unknown[] }).events.length).toBeGreaterThan(0);
    const store = new Database(db, { readonly: true });
    try {
      const queries = r.sql.filter((s) => !/^\s*PRAGMA\b/i.test(s));
      // The probe sees the statements it is meant to: the window, the span, the sections' twins.
      expect(queries.some((s) => /ORDER BY e\.ts_us/.test(s))).toBe(true);
      expect(queries.some((s) => /twin_of IS NOT NULL GROUP BY/.test(s))).toBe(true);
      expect(queries.some((s) => /FROM sections/.test(s))).toBe(true);
      const scanning = queries.map((s) => ({ s, plan: planOf(store, s) })).filter(({ plan }) => plan.some(scansAllEvents));
      expect(scanning.map(({ s, plan }) => `${s}\n  ${plan.join('\n  ')}`)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('the window itself is a range search of events_ts between both bounds, in its order, with any filter', () => {
    // Not scanning is not enough: a window read through events_ts from its start to the store's end
    // (the upper bound lost, or `+e.ts_us` written where it is not meant) or sorted after the read
    // scans nothing whole and still costs a 15-minute window on 5M events seconds instead of ms.
    const store = new Database(db, { readonly: true });
    try {
      for (const filters of [[], ['--source', 'kernel'], ['--host', 'kai-server', '--kind', 'sshd.'], ['--no-collapse', '--limit', '5']]) {
        const r = statementsOf(['timeline', '--db', db, '--since', '2026-05-27T03:00:00Z', '--until', '+15m', '--json', ...filters]);
        expect(r.code, filters.join(' ')).toBe(0);
        const window = r.sql.filter((s) => /FROM events e WHERE/.test(s) && /ORDER BY e\.ts_us/.test(s));
        expect(window, filters.join(' ')).toHaveLength(1);
        const plan = planOf(store, window[0]!);
        const why = `${filters.join(' ')}\n${window[0]}\n${plan.join('\n')}`;
        // The event rows are reached once, by the range; anything else in the plan is the view's
        // name lookups (a primary-key search each), never a scan or a sort of its own.
        expect(plan.filter((l) => /^(?:SEARCH|SCAN) (?:e|event_rows) /.test(l)), why).toEqual(['SEARCH e USING INDEX events_ts (ts_us>? AND ts_us<?)']);
        expect(plan.filter((l) => /^SCAN |TEMP B-TREE/.test(l)), why).toEqual([]);
      }
    } finally {
      store.close();
    }
  });

  it('the check itself: a count over every row is caught', () => {
    const store = new Database(db, { readonly: true });
    try {
      expect(planOf(store, 'SELECT section_id, count(*) FROM event_rows GROUP BY section_id').some(scansAllEvents)).toBe(true);
      expect(planOf(store, 'SELECT count(*) FROM event_rows WHERE twin_of IS NOT NULL').some(scansAllEvents)).toBe(false);
    } finally {
      store.close();
    }
  });
});
