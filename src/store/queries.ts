/**
 * The read side of the store. Every filter is a bound parameter: user text (--host, --kind, --source)
 * never becomes SQL. Time filters use the events_ts index.
 */
import type { DB } from './db.js';
import type { EventQuery, EventRow, SectionSummary } from './types.js';
import { SEVERITIES, type Fields } from '../ingest/types.js';

export interface StoredSection extends SectionSummary {
  id: number;
  duplicates: number;
  unanchored: number;
}

interface SectionDbRow {
  id: number;
  path: string;
  title: string | null;
  format: string | null;
  looked_like: string | null;
  host: string | null;
  lines: number;
  events: number;
  continuations: number;
  skipped: number;
  duplicates: number;
  unanchored: number;
  first_us: number | null;
  last_us: number | null;
  tz: string | null;
  assumptions: string;
  warnings: string;
}

export function usToIso(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}

export function sectionSummaries(db: DB, which: { fileId?: number; sectionIds?: number[] } = {}): StoredSection[] {
  let where = '';
  const params: number[] = [];
  if (which.fileId !== undefined) {
    where = 'WHERE s.file_id = ?';
    params.push(which.fileId);
  } else if (which.sectionIds) {
    if (which.sectionIds.length === 0) return [];
    where = `WHERE s.id IN (${which.sectionIds.map(() => '?').join(',')})`;
    params.push(...which.sectionIds);
  }
  const rows = db
    .prepare(`SELECT s.id, f.path, s.title, s.format, s.looked_like, s.host, s.lines, s.events, s.continuations, s.skipped, s.duplicates,
              s.unanchored, s.first_us, s.last_us, s.tz, s.assumptions, s.warnings
              FROM sections s JOIN files f ON f.id = s.file_id ${where} ORDER BY f.path, s.ordinal`)
    .all(...params) as SectionDbRow[];
  return rows.map((r) => ({
    id: r.id,
    path: r.path,
    section: r.title,
    format: r.format,
    host: r.host,
    lines: r.lines,
    events: r.events,
    continuations: r.continuations,
    skipped: r.skipped,
    duplicates: r.duplicates,
    unanchored: r.unanchored,
    first: r.first_us === null ? null : usToIso(r.first_us),
    last: r.last_us === null ? null : usToIso(r.last_us),
    tz: r.tz,
    assumptions: JSON.parse(r.assumptions) as string[],
    warnings: JSON.parse(r.warnings) as string[],
  }));
}

interface EventDbRow {
  id: number;
  ts_us: number;
  host: string;
  source: string;
  kind: string;
  severity: number;
  message: string;
  section_id: number;
  path?: string;
  line: number;
  fields: string | null;
  count: number;
}

/** `ts` is the time column as the query names it: `+e.ts_us` keeps SQLite off the events_ts index. */
function buildWhere(q: EventQuery, ts = 'e.ts_us'): { sql: string; params: (string | number)[] } {
  const clauses = [`${ts} IS NOT NULL`];
  const params: (string | number)[] = [];
  if (q.sinceUs !== undefined) {
    clauses.push(`${ts} >= ?`);
    params.push(q.sinceUs);
  }
  if (q.untilUs !== undefined) {
    clauses.push(`${ts} < ?`);
    params.push(q.untilUs);
  }
  if (q.sources?.length) {
    clauses.push(`e.source IN (${q.sources.map(() => '?').join(',')})`);
    params.push(...q.sources);
  }
  if (q.hosts?.length) {
    clauses.push(`e.host IN (${q.hosts.map(() => '?').join(',')})`);
    params.push(...q.hosts);
  }
  if (q.kinds?.length) {
    // Prefix match without LIKE, so `_` and `%` in a user's prefix are literal.
    clauses.push(`(${q.kinds.map(() => 'substr(e.kind, 1, ?) = ?').join(' OR ')})`);
    for (const k of q.kinds) params.push(k.length, k);
  }
  return { sql: clauses.join(' AND '), params };
}

/** Events in time order (ties by id), streamed from SQLite. */
export function* iterateEvents(db: DB, q: EventQuery): Generator<EventRow> {
  const { sql, params } = buildWhere(q);
  const limit = q.limit !== undefined ? ' LIMIT ?' : '';
  if (q.limit !== undefined) params.push(q.limit);
  // Paths are looked up from a small map rather than joined per row: the join would cost more than
  // the event itself on a large window.
  const paths = sectionPaths(db);
  const stmt = db.prepare(
    `SELECT e.id, e.ts_us, e.host, e.source, e.kind, e.severity, e.message, e.section_id, e.line, e.fields, e.count
     FROM events e WHERE ${sql} ORDER BY e.ts_us, e.id${limit}`,
  );
  for (const r of stmt.iterate(...params) as IterableIterator<EventDbRow>) {
    r.path = paths.get(r.section_id) ?? '?';
    yield toEventRow(r);
  }
}

/**
 * Every event of a query in time order (ties by id), as one array: what the correlator loads.
 *
 * Why not iterateEvents: walking the events_ts index fetches each row from wherever it sits in
 * the table, one page read per row, which at a million events cost most of `corr correlate`.
 * When the range holds a large share of the store, the table is read in storage order instead
 * and sorted here: rows were stored section by section, each nearly in time order, so the sort
 * (a merge of a few presorted runs) is cheap. A narrow range still uses the index.
 */
export function loadEventsInOrder(db: DB, q: EventQuery): EventRow[] {
  if (q.limit !== undefined || !coversMuchOfStore(db, q)) return [...iterateEvents(db, q)];
  const { sql, params } = buildWhere(q, '+e.ts_us');
  const paths = sectionPaths(db);
  const stmt = db.prepare(
    `SELECT e.id, e.ts_us, e.host, e.source, e.kind, e.severity, e.message, e.section_id, e.line, e.fields, e.count
     FROM events e WHERE ${sql}`,
  );
  const out: EventRow[] = [];
  // SQLite hands back a new string per row; a million copies of `kai-server` and `kernel` add up
  // (about a tenth of the correlator's memory), so the few distinct ones are shared.
  const shared = new Map<string, string>();
  const share = (s: string): string => {
    const known = shared.get(s);
    if (known !== undefined) return known;
    if (shared.size < 10_000) shared.set(s, s);
    return s;
  };
  for (const r of stmt.iterate(...params) as IterableIterator<EventDbRow>) {
    r.path = paths.get(r.section_id) ?? '?';
    r.host = share(r.host);
    r.source = share(r.source);
    r.kind = share(r.kind);
    out.push(toEventRow(r));
  }
  return out.sort((a, b) => a.tsUs - b.tsUs || a.id - b.id);
}

/** Reading the table in order pays off once the range holds more than ~1/8 of the rows. */
const SCAN_SHARE = 0.125;

function coversMuchOfStore(db: DB, q: EventQuery): boolean {
  if (q.sinceUs === undefined && q.untilUs === undefined) return true;
  // Both counts come from indexes alone (no row is read), so they are cheap even at millions.
  const inRange = countEvents(db, { sinceUs: q.sinceUs, untilUs: q.untilUs });
  const total = (db.prepare('SELECT count(*) AS n FROM events WHERE ts_us IS NOT NULL').get() as { n: number }).n;
  return inRange > total * SCAN_SHARE;
}

function sectionPaths(db: DB): Map<number, string> {
  const rows = db.prepare('SELECT s.id, f.path FROM sections s JOIN files f ON f.id = s.file_id').all() as { id: number; path: string }[];
  return new Map(rows.map((r) => [r.id, r.path]));
}

export function toEventRow(r: EventDbRow): EventRow {
  return {
    id: r.id,
    tsUs: r.ts_us,
    host: r.host,
    source: r.source,
    kind: r.kind,
    severity: SEVERITIES[r.severity] ?? 'info',
    message: r.message,
    file: r.path ?? '?',
    line: r.line,
    fields: r.fields ? (JSON.parse(r.fields) as Fields) : {},
    count: r.count,
  };
}

export function countEvents(db: DB, q: EventQuery): number {
  const { sql, params } = buildWhere(q);
  return (db.prepare(`SELECT count(*) AS n FROM events e WHERE ${sql}`).get(...params) as { n: number }).n;
}

/** The span of anchored events in the store. */
export function eventSpan(db: DB): { firstUs: number | null; lastUs: number | null } {
  const r = db.prepare('SELECT min(ts_us) AS f, max(ts_us) AS l FROM events WHERE ts_us IS NOT NULL').get() as { f: number | null; l: number | null };
  return { firstUs: r.f, lastUs: r.l };
}
