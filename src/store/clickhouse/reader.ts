/**
 * The ClickHouse engine's reader (../interface.ts). What every query sees:
 * - only rows of completed sections: a row counts when `sections` (FINAL) names its section and
 *   attempt, and the section's file version is not removed;
 * - each event once: the same event (dedup key tkey, dhash, occ) stored by two files or by two
 *   parallel ingesters is read as the row of the file stored first (file_seq), as SQLite keeps the
 *   first and ignores the rest.
 * Events come back in time order, ties in storage order (file, then line), as SQLite's rowid order.
 */
import { SEVERITIES, weightOfCount, type Columns, type EventQuery, type EventRow, type Fields, type RowLookup } from '../../model/event.js';
import type { BootEvidenceRecord, CoverageSpan, StoredSection } from '../../model/source.js';
import type { CoverageRow, FieldsWanted, SourceCoverage, SourceFile, StoredBoot, StoreReader } from '../interface.js';
import type { ColumnChunk } from './bridge.js';
import { type ClickHouseConnection, int, lit } from './connection.js';

/** Sections whose rows count (completed, of a file version still stored). */
export const VISIBLE_FILES = 'SELECT id FROM files FINAL WHERE removed = 0';
export const VISIBLE_SECTIONS = `SELECT id, attempt FROM sections FINAL WHERE file_id IN (${VISIBLE_FILES})`;
export const VISIBLE = `(section_id, attempt) IN (${VISIBLE_SECTIONS})`;

const EVENT_COLUMNS = 'id, ts_us, host, source, kind, severity, message, section_id, line, fields, count';
const ORDER = 'ts_us, file_seq, seq';
/**
 * The column read sorts every event of the span on the server (the dedup, then time order). Past
 * this many bytes the sort spills to disk instead of failing a server's per-query memory limit
 * (ClickHouse's default is 10 GB; the test servers' 4 GB), which a store of about 10M events
 * reaches.
 */
const COLUMN_READ_SETTINGS = { max_bytes_before_external_sort: 2_000_000_000 };

/**
 * Ids per lookup statement: the template miner asks for 20,000 messages at a time
 * (discover.ts MESSAGE_BATCH), each batch one round trip. 20,000 ids are about 360 kB of
 * statement, over the server's default max_query_size (256 KiB), hence the setting.
 */
const LOOKUP_IDS = 20_000;
const LOOKUP_SETTINGS = { max_query_size: 4_000_000 };
/** A host with more keys than this in one lookup is looked up by the range of its keys. */
const RANGE_KEYS = 64;

/** Rows per page when streaming events. */
const PAGE = 100_000;

/** Links that count: written by a completed section's attempt, or after it committed (attempt 0). */
export const VISIBLE_TWINS = `SELECT twin_tkey, twin_dhash, twin_occ, of_tkey, of_dhash, of_occ FROM twins WHERE attempt = 0 OR (section_id, attempt) IN (${VISIBLE_SECTIONS})`;
/** Events that are twins of another (left out unless a query asks for them, as SQLite's twin_of). */
export const NOT_TWIN = `(tkey, dhash, occ) NOT IN (SELECT twin_tkey, twin_dhash, twin_occ FROM (${VISIBLE_TWINS}))`;

function where(q: EventQuery, extra: string[], anchoredOnly: boolean): string {
  const c = [VISIBLE, ...(anchoredOnly ? ['ts_us IS NOT NULL'] : []), ...(q.withTwins ? [] : [NOT_TWIN]), ...extra];
  if (q.sinceUs !== undefined) c.push(`ts_us >= ${int(q.sinceUs)}`);
  if (q.untilUs !== undefined) c.push(`ts_us < ${int(q.untilUs)}`);
  if (q.sources?.length) c.push(`source IN (${q.sources.map(lit).join(', ')})`);
  if (q.hosts?.length) c.push(`host IN (${q.hosts.map(lit).join(', ')})`);
  if (q.kinds?.length) c.push(`(${q.kinds.map((k) => `startsWith(kind, ${lit(k)})`).join(' OR ')})`);
  return c.join(' AND ');
}

/** The events of a query, each once (the first stored copy): a subquery the others select from. */
export function deduped(q: EventQuery, columns: string, extra: string[] = [], anchoredOnly = true): string {
  return `SELECT ${columns}, file_seq, seq, tkey, dhash, occ, boot_key FROM events WHERE ${where(q, extra, anchoredOnly)}
          ORDER BY tkey, dhash, occ, boot_key, file_seq, seq LIMIT 1 BY tkey, dhash, occ, boot_key`;
}

export function usToIso(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}

export class ClickHouseReader implements StoreReader {
  private paths: Map<number, string> | null = null;

  constructor(readonly conn: ClickHouseConnection) {}

  private anyTwins: boolean | null = null;

  /**
   * The query as sent: the twin filter costs a subquery over sections on every read, so a store
   * that holds no twin link (asked once per reader: a reader runs after the ingest that links)
   * reads without it — the same rows.
   */
  private twinless(q: EventQuery): EventQuery {
    if (q.withTwins) return q;
    this.anyTwins ??= this.conn.rows('SELECT 1 FROM twins LIMIT 1').length > 0;
    return this.anyTwins ? q : { ...q, withTwins: true };
  }

  private sectionPaths(): Map<number, string> {
    if (this.paths) return this.paths;
    const files = new Map(this.conn.rows(`SELECT id, path FROM files FINAL WHERE removed = 0`).map((r) => [Number(r[0]), String(r[1])]));
    this.paths = new Map(this.conn.rows(`SELECT id, file_id FROM sections FINAL`).map((r) => [Number(r[0]), files.get(Number(r[1])) ?? '?']));
    return this.paths;
  }

  private toRow(r: unknown[]): EventRow {
    const [id, ts, host, source, kind, severity, message, section, line, fields, count] = r as [number, number, string, string, string, number, string, number, number, string, number];
    return {
      id, tsUs: ts, host, source, kind, severity: SEVERITIES[severity] ?? 'info', message, file: this.sectionPaths().get(section) ?? '?', line,
      fields: fields ? (JSON.parse(fields) as Fields) : {}, count,
    };
  }

  *events(q: EventQuery): Iterable<EventRow> {
    // Pages by keyset on the order (instant, file, line): each page is one query of at most PAGE rows.
    let after: [number, number, number] | null = null;
    let left = q.limit ?? Infinity;
    for (;;) {
      const size = Math.min(PAGE, left);
      if (size <= 0) return;
      const keyset: string = after
        ? `WHERE ts_us > ${int(after[0])} OR (ts_us = ${int(after[0])} AND (file_seq > ${int(after[1])} OR (file_seq = ${int(after[1])} AND seq > ${int(after[2])})))`
        : '';
      const rows = this.conn.rows(`SELECT ${EVENT_COLUMNS}, file_seq, seq FROM (${deduped(this.twinless({ ...q, limit: undefined }), EVENT_COLUMNS)}) ${keyset} ORDER BY ${ORDER} LIMIT ${int(size)}`);
      for (const r of rows) yield this.toRow(r);
      if (rows.length < size) return;
      left -= rows.length;
      const last = rows[rows.length - 1]!;
      after = [Number(last[1]), Number(last[11]), Number(last[12])];
    }
  }

  eventList(q: EventQuery): EventRow[] {
    return [...this.events(q)];
  }

  eventColumns(q: EventQuery, wanted: FieldsWanted): { columns: Columns; lookup: RowLookup } {
    const sources = wanted.sources.map(lit).join(', ') || `''`;
    const kinds = wanted.kinds.map(lit).join(', ') || `''`;
    const cols = `id, ts_us, host, source, kind, count, if(source IN (${sources}) OR kind IN (${kinds}), fields, '') AS wanted_fields`;
    // Streamed as TSV into typed chunks (bridge.ts `columns`), gathered here and copied once into
    // the batch's arrays: no row objects on either thread.
    const chunks: ColumnChunk[] = [];
    const strings: string[] = [];
    let n = 0;
    this.conn.columns(
      `SELECT id, ts_us, host, source, kind, count, wanted_fields, tkey FROM (${deduped(this.twinless({ ...q, limit: undefined }), cols)}) ORDER BY ${ORDER}${q.limit !== undefined ? ` LIMIT ${int(q.limit)}` : ''}`,
      ['num', 'num', 'code', 'code', 'code', 'num', 'text', 'num'],
      (c) => {
        chunks.push(c);
        for (const s of c.strings) strings.push(s);
        n += c.rows;
      },
      COLUMN_READ_SETTINGS,
    );
    const out = {
      length: n, id: new Float64Array(n), tsUs: new Float64Array(n), weight: new Float64Array(n), host: new Int32Array(n),
      source: new Int32Array(n), kind: new Int32Array(n), strings, fields: new Array<Fields | undefined>(n),
    } satisfies Columns;
    const tkey = new Float64Array(n);
    let at = 0;
    for (let j = 0; j < chunks.length; j++) {
      const c = chunks[j]!;
      const [id, ts, host, source, kind, count, fields, key] = c.cols as [Float64Array, Float64Array, Int32Array, Int32Array, Int32Array, Float64Array, [number, string][], Float64Array];
      tkey.set(key, at);
      out.id.set(id, at);
      out.tsUs.set(ts, at);
      out.host.set(host, at);
      out.source.set(source, at);
      out.kind.set(kind, at);
      for (let k = 0; k < c.rows; k++) out.weight[at + k] = weightOfCount(count[k]!);
      for (const [k, json] of fields) out.fields[at + k] = JSON.parse(json) as Fields;
      at += c.rows;
      // Each chunk goes as soon as it is copied: the peak is the batch and what is left to copy.
      chunks[j] = undefined as never;
    }
    return { columns: out, lookup: this.lookup({ id: out.id, host: out.host, tkey, strings }) };
  }

  /**
   * Messages and whole rows by id. The ids come from a column batch, so they are visible already:
   * no visibility subquery (each lookup is a round trip, and the correlator asks for its evidence
   * rows one by one; the subquery was most of a small lookup's cost). The batch also gives each
   * id's host and key instant, so the lookup names them: the table's primary key (host, tkey) then
   * picks the few granules that hold the ids, where `id IN` alone scanned the whole id column of
   * the store on every lookup (about 100 per correlate).
   */
  private lookup(batch: { id: Float64Array; host: Int32Array; tkey: Float64Array; strings: string[] }): RowLookup {
    const byIds = (columns: string, ids: readonly number[], each: (r: unknown[]) => void): void => {
      for (let from = 0; from < ids.length; from += LOOKUP_IDS) {
        const chunk = ids.slice(from, from + LOOKUP_IDS);
        const sql = `SELECT ${columns} FROM events WHERE ${keysOf(chunk)}id IN (${chunk.map(int).join(', ')}) LIMIT 1 BY id`;
        for (const r of this.conn.rows(sql, LOOKUP_SETTINGS)) each(r);
      }
    };
    /**
     * `(host = … AND tkey IN (…)) OR … AND `, or nothing when an id is not in the batch. A host
     * with many keys names their range instead (`tkey BETWEEN lo AND hi`): template mining asks for
     * thousands of one host's messages at once, and the server took about three times as long to
     * match 5,000 keys as to read the host's range and keep the ids asked (0.13 against 0.05 s).
     */
    const keysOf = (ids: readonly number[]): string => {
      const byHost = new Map<number, Set<number>>();
      for (const id of ids) {
        const i = positionOf(id);
        if (i === -1) return '';
        let keys = byHost.get(batch.host[i]!);
        if (!keys) byHost.set(batch.host[i]!, (keys = new Set()));
        keys.add(batch.tkey[i]!);
      }
      const onHost = (h: number, keys: Set<number>): string => {
        if (keys.size <= RANGE_KEYS) return `(host = ${lit(batch.strings[h]!)} AND tkey IN (${[...keys].map(int).join(', ')}))`;
        let lo = Infinity;
        let hi = -Infinity;
        for (const k of keys) {
          if (k < lo) lo = k;
          if (k > hi) hi = k;
        }
        return `(host = ${lit(batch.strings[h]!)} AND tkey BETWEEN ${int(lo)} AND ${int(hi)})`;
      };
      return `(${[...byHost].map(([h, keys]) => onHost(h, keys)).join(' OR ')}) AND `;
    };
    // Each id's position in the batch, by an open-addressing table of positions (4 bytes a slot,
    // at most 0.77 full), built at the first lookup. Why: a scan of the batch per lookup was a
    // quarter of correlate's CPU at 3M events (about 120 lookups, each reading every id).
    let slots: Int32Array | null = null;
    let mask = 0;
    const positionOf = (id: number): number => {
      if (!slots) {
        let size = 1024;
        while (size < batch.id.length * 1.3) size *= 2;
        slots = new Int32Array(size);
        mask = size - 1;
        for (let i = 0; i < batch.id.length; i++) {
          // Ids are 52-bit mixes (ids.ts): their low 32 bits are already well spread.
          let h = batch.id[i]! >>> 0 & mask;
          while (slots[h] !== 0) h = (h + 1) & mask;
          slots[h] = i + 1;
        }
      }
      let h = id >>> 0 & mask;
      for (;;) {
        const at = slots[h]!;
        if (at === 0) return -1;
        if (batch.id[at - 1] === id) return at - 1;
        h = (h + 1) & mask;
      }
    };
    return {
      // Messages alone for mining (id and text: 0.30 of the bytes of whole rows at 200,000 events).
      messages: (ids) => {
        const out = new Map<number, string>();
        byIds('id, message', ids, (r) => out.set(Number(r[0]), String(r[1])));
        return out;
      },
      rows: (ids) => {
        const out = new Map<number, EventRow>();
        byIds(EVENT_COLUMNS, ids, (r) => out.set(Number(r[0]), this.toRow(r)));
        return out;
      },
    };
  }

  countEvents(q: EventQuery): number {
    return Number(this.conn.rows(`SELECT count() FROM (${deduped(this.twinless(q), 'id')})`)[0]![0]);
  }

  eventSpan(): { firstUs: number | null; lastUs: number | null } {
    // Copies of one event share its instant: min and max need no dedup.
    const r = this.conn.rows(`SELECT count(), min(ts_us), max(ts_us) FROM events WHERE ${VISIBLE} AND ts_us IS NOT NULL`)[0]!;
    return Number(r[0]) === 0 ? { firstUs: null, lastUs: null } : { firstUs: Number(r[1]), lastUs: Number(r[2]) };
  }

  sections(which: { fileId?: number; sectionIds?: number[] } = {}): StoredSection[] {
    return sectionSummaries(this.conn, which);
  }

  sources(): SourceFile[] {
    const files = this.conn.rows(`SELECT id, path, sha256, created_us FROM files FINAL WHERE removed = 0`);
    const flags = new Map(
      this.conn
        .rows(`SELECT file_id, max(looked_like_code = 'help-text'), max(isNotNull(format)) FROM sections FINAL GROUP BY file_id`)
        .map((r) => [Number(r[0]), { help: Number(r[1]) === 1, log: Number(r[2]) === 1 }]),
    );
    return files
      .filter((r) => flags.has(Number(r[0])))
      .map((r) => ({ id: Number(r[0]), path: String(r[1]), sha256: String(r[2]), created: Number(r[3]), f: flags.get(Number(r[0]))! }))
      .sort((a, b) => cmp(a.path, b.path) || a.created - b.created || a.id - b.id)
      .map((r) => ({ path: r.path, sha256: r.sha256, helpText: r.f.help, hasLog: r.f.log }));
  }

  boots(): StoredBoot[] {
    return storedBoots(this.conn, false);
  }

  coverage(): CoverageRow[] {
    return this.conn
      .rows(`SELECT host, source, count(), min(ts_us), max(ts_us) FROM (${deduped(this.twinless({}), 'host, source, ts_us')}) GROUP BY host, source ORDER BY host, source`)
      .map((r) => ({ host: String(r[0]), source: String(r[1]), events: Number(r[2]), firstUs: Number(r[3]), lastUs: Number(r[4]) }));
  }

  sourceCoverage(): SourceCoverage[] {
    const stored = this.conn.rows(`SELECT DISTINCT host, source, start_us, end_us, section_id FROM coverage WHERE ${VISIBLE}`);
    const withCoverage = new Set(stored.map((r) => Number(r[4])));
    const fallback = this.conn
      .rows(`SELECT section_id, host, source, min(ts_us), max(ts_us) FROM events WHERE ${VISIBLE} AND ts_us IS NOT NULL GROUP BY section_id, host, source`)
      .filter((r) => !withCoverage.has(Number(r[0])))
      .map((r) => [r[1], r[2], r[3], r[4], r[0]]);
    // syslog sections are different logs (auth.log, a unit's journal): each speaks for the programs it
    // holds, as the SQLite store says (src/store/queries.ts sourceCoverage) — the kinds of a section
    // with coverage rows, or of its timed rows when it has none.
    const syslogCovered = new Set(stored.filter((r) => String(r[1]) === 'syslog').map((r) => Number(r[4])));
    const kinds = new Map<number, string[]>();
    for (const r of this.conn.rows(`SELECT DISTINCT section_id, kind, ts_us IS NOT NULL FROM events WHERE ${VISIBLE} AND source = 'syslog'`)) {
      const section = Number(r[0]);
      if (!(syslogCovered.has(section) || (!withCoverage.has(section) && Number(r[2]) === 1))) continue;
      let list = kinds.get(section);
      if (!list) kinds.set(section, (list = []));
      if (!list.includes(String(r[1]))) list.push(String(r[1]));
    }
    return [...stored.map((r) => [r[0], r[1], r[2], r[3], r[4]]), ...fallback]
      .map((r) => ({
        host: String(r[0]),
        source: String(r[1]),
        startUs: Number(r[2]),
        endUs: Number(r[3]),
        ...(String(r[1]) === 'syslog' ? { kinds: (kinds.get(Number(r[4])) ?? []).sort() } : {}),
      }))
      .sort((a, b) => cmp(a.host, b.host) || cmp(a.source, b.source) || a.startUs - b.startUs || a.endUs - b.endUs);
  }

  distinctValues(column: 'host' | 'source' | 'kind'): string[] {
    const col = { host: 'host', source: 'source', kind: 'kind' }[column];
    return this.conn.rows(`SELECT DISTINCT ${col} FROM events WHERE ${VISIBLE} AND ts_us IS NOT NULL ORDER BY ${col}`).map((r) => String(r[0]));
  }
}

/** Byte order of UTF-8, as SQLite compares TEXT (JavaScript's < compares UTF-16 units). */
export function cmp(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function sectionSummaries(conn: ClickHouseConnection, which: { fileId?: number; sectionIds?: number[] } = {}): StoredSection[] {
  let filter = '';
  if (which.fileId !== undefined) filter = ` AND file_id = ${int(which.fileId)}`;
  else if (which.sectionIds) {
    if (which.sectionIds.length === 0) return [];
    filter = ` AND id IN (${which.sectionIds.map(int).join(', ')})`;
  }
  // The path beside each section (one read; a store of many files is not read whole per section).
  const rows = conn
    .rows(`SELECT id, attempt, file_id, ordinal, title, format, host, lines, events, continuations, skipped, duplicates, unanchored, first_us, last_us, tz, path, created_us
           FROM (SELECT * FROM sections FINAL WHERE file_id IN (${VISIBLE_FILES})${filter})
           ANY LEFT JOIN (SELECT id AS file_id, path, created_us FROM files FINAL WHERE removed = 0) USING file_id`)
    .map((r) => ({
      id: Number(r[0]), attempt: Number(r[1]), fileId: Number(r[2]), ordinal: Number(r[3]), title: r[4] as string | null, format: r[5] as string | null,
      host: r[6] as string | null, lines: Number(r[7]), events: Number(r[8]), continuations: Number(r[9]), skipped: Number(r[10]),
      duplicates: Number(r[11]), unanchored: Number(r[12]), first: r[13] === null ? null : Number(r[13]), last: r[14] === null ? null : Number(r[14]),
      tz: r[15] as string | null, path: r[16] === null || r[16] === '' ? '?' : String(r[16]), created: Number(r[17]),
    }))
    // Versions of one path in the order they were stored (SQLite's file ids grow in that order; ours are names).
    .sort((a, b) => cmp(a.path, b.path) || a.created - b.created || a.fileId - b.fileId || a.ordinal - b.ordinal);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => int(r.id)).join(', ');
  const notes = new Map<number, { assumptions: string[]; warnings: string[] }>();
  for (const n of conn.rows(
    `SELECT section_id, level, text FROM notes FINAL WHERE section_id IN (${ids}) AND dropped = 0
     AND (attempt = 0 OR (section_id, attempt) IN (${VISIBLE_SECTIONS})) ORDER BY section_id, seq`,
  )) {
    const id = Number(n[0]);
    let e = notes.get(id);
    if (!e) notes.set(id, (e = { assumptions: [], warnings: [] }));
    (n[1] === 'assumption' ? e.assumptions : e.warnings).push(String(n[2]));
  }
  const covered = new Map<number, CoverageSpan[]>();
  for (const c of conn.rows(`SELECT DISTINCT section_id, start_us, end_us FROM coverage WHERE section_id IN (${ids}) AND ${VISIBLE} ORDER BY section_id, start_us, end_us`)) {
    const id = Number(c[0]);
    let list = covered.get(id);
    if (!list) covered.set(id, (list = []));
    list.push({ startUs: Number(c[1]), endUs: Number(c[2]) });
  }
  // Each section's own copy of a twin counts for it, as SQLite counts a section's stored and owned rows.
  const twins = new Map(
    conn.rows(`SELECT section_id, count() FROM events WHERE section_id IN (${ids}) AND ${VISIBLE}
               AND (tkey, dhash, occ) IN (SELECT twin_tkey, twin_dhash, twin_occ FROM (${VISIBLE_TWINS})) GROUP BY section_id`).map((r) => [Number(r[0]), Number(r[1])]),
  );
  return rows.map((r) => ({
    twins: twins.get(r.id) ?? 0,
    id: r.id, path: r.path, section: r.title, format: r.format, host: r.host, lines: r.lines, events: r.events, continuations: r.continuations,
    skipped: r.skipped, duplicates: r.duplicates, unanchored: r.unanchored, first: r.first === null ? null : usToIso(r.first),
    last: r.last === null ? null : usToIso(r.last), tz: r.tz, assumptions: notes.get(r.id)?.assumptions ?? [], warnings: notes.get(r.id)?.warnings ?? [],
    coverage: covered.get(r.id) ?? [],
  }));
}

export function storedBoots(conn: ClickHouseConnection, openOnly: boolean): StoredBoot[] {
  const rows = conn.rows(
    `SELECT id, section_id, segment, host, last_segment, min_uptime_us, max_uptime_us, anchor_us, anchor_why, precision_us, evidence
     FROM boots FINAL WHERE (section_id, attempt) IN (${VISIBLE_SECTIONS})${openOnly ? ' AND anchor_us IS NULL' : ''}`,
  );
  // Nothing to count for a store without boots (most ingests ask for the open ones: usually none).
  if (rows.length === 0) return [];
  const sections = new Map(
    conn.rows(`SELECT id, ordinal, title, file_id FROM sections FINAL WHERE file_id IN (${VISIBLE_FILES})`).map((r) => [Number(r[0]), { ordinal: Number(r[1]), title: r[2] as string | null, fileId: Number(r[3]) }]),
  );
  const files = new Map(conn.rows(`SELECT id, path, created_us FROM files FINAL WHERE removed = 0`).map((r) => [Number(r[0]), { path: String(r[1]), created: Number(r[2]) }]));
  // Only these boots' events are counted, not the whole store's: the dedup reads the keys their
  // rows carry (an event another file stored first counts for that file's boot, as before).
  const ids = rows.map((b) => int(Number(b[0]))).join(', ');
  const keys = `(tkey, dhash, occ, boot_key) IN (SELECT tkey, dhash, occ, boot_key FROM events WHERE boot_id IN (${ids}))`;
  const counts = new Map(
    conn.rows(`SELECT boot_id, count() FROM (${deduped({ withTwins: true }, 'boot_id', [keys], false)}) WHERE boot_id IN (${ids}) GROUP BY boot_id`).map((r) => [Number(r[0]), Number(r[1])]),
  );
  const boots = rows.map((b) => {
    const s = sections.get(Number(b[1]))!;
    const num = (v: unknown): number | null => (v === null ? null : Number(v));
    return {
      id: Number(b[0]), sectionId: Number(b[1]), path: files.get(s.fileId)?.path ?? '?', created: files.get(s.fileId)?.created ?? 0, title: s.title, segment: Number(b[2]), host: String(b[3]), last: Number(b[4]) === 1,
      minUptimeUs: num(b[5]), maxUptimeUs: num(b[6]), anchorUs: num(b[7]), anchorWhy: b[8] as string | null, events: counts.get(Number(b[0])) ?? 0,
      precisionUs: num(b[9]), evidence: b[10] ? (JSON.parse(String(b[10])) as BootEvidenceRecord) : null, ordinal: s.ordinal, fileId: s.fileId,
    };
  });
  boots.sort(openOnly ? (a, b) => a.sectionId - b.sectionId || a.segment - b.segment : (a, b) => cmp(a.path, b.path) || a.created - b.created || a.fileId - b.fileId || a.ordinal - b.ordinal || a.segment - b.segment);
  return boots.map(({ ordinal: _o, fileId: _f, created: _c, ...b }) => b);
}
