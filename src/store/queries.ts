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

function buildWhere(q: EventQuery): { sql: string; params: (string | number)[] } {
  const clauses = ['e.ts_us IS NOT NULL'];
  const params: (string | number)[] = [];
  if (q.sinceUs !== undefined) {
    clauses.push('e.ts_us >= ?');
    params.push(q.sinceUs);
  }
  if (q.untilUs !== undefined) {
    clauses.push('e.ts_us < ?');
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
