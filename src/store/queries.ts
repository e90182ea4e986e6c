/**
 * The read side of the store. Every filter is a bound parameter: user text (--host, --kind, --source)
 * never becomes SQL. Time filters use the events_ts index.
 */
import type { DB } from './db.js';
import type { Statement } from 'better-sqlite3';
import { SEVERITIES, weightOfCount, type Columns, type EventQuery, type EventRow, type Fields, type RowLookup } from '../model/event.js';
import type { BootEvidenceRecord, CoverageSpan, StoredSection } from '../model/source.js';
import type { CoverageRow, FieldsWanted, SourceCoverage, SourceFile, StoredBoot, StoreReader } from './interface.js';

export type { StoredSection };

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
}

/**
 * The statement for `sql` on `db`, prepared once: the per-file reads of an ingest (each file's
 * sections, notes and coverage for its report; the open boots at each section's end) prepared
 * three or four statements per file, which for 100,000 tiny files was a tenth of the run (#17).
 */
const statements = new WeakMap<DB, Map<string, ReturnType<DB["prepare"]>>>();
function prepared(db: DB, sql: string): ReturnType<typeof db.prepare<unknown[]>> {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let st = byText.get(sql);
  if (!st) byText.set(sql, (st = db.prepare(sql)));
  return st;
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
  const sql = `SELECT s.id, f.path, s.title, s.format, s.looked_like, s.host, s.lines, s.events, s.continuations, s.skipped, s.duplicates,
              s.unanchored, s.first_us, s.last_us, s.tz
              FROM sections s JOIN files f ON f.id = s.file_id ${where} ORDER BY f.path, s.ordinal`;
  // A list of section ids is a new text for each length: prepared once only when it is short.
  const rows = (params.length <= 8 ? prepared(db, sql) : db.prepare(sql)).all(...params) as SectionDbRow[];
  const notes = notesOf(db, rows.map((r) => r.id));
  const covered = coverageOf(db, rows.map((r) => r.id));
  const twins = twinsBySection(db);
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
    assumptions: notes.get(r.id)?.assumptions ?? [],
    warnings: notes.get(r.id)?.warnings ?? [],
    coverage: covered.get(r.id) ?? [],
    twins: twins.get(r.id) ?? 0,
  }));
}

/**
 * Per section, how many of its lines are twins of a line kept from another copy. Both halves start
 * from the twin rows (events_twins_section holds only those): the owners' half probes event_owners
 * by its key for each twin (CROSS JOIN fixes that order) instead of reading every owner row.
 */
function twinsBySection(db: DB): Map<number, number> {
  const rows = prepared(
    db,
    `SELECT section_id, count(*) AS n FROM event_rows WHERE twin_of IS NOT NULL GROUP BY section_id
     UNION ALL
     SELECT o.section_id, count(*) FROM event_rows e CROSS JOIN event_owners o ON o.event_id = e.id WHERE e.twin_of IS NOT NULL GROUP BY o.section_id`,
  ).all() as { section_id: number; n: number }[];
  const out = new Map<number, number>();
  for (const r of rows) out.set(r.section_id, (out.get(r.section_id) ?? 0) + r.n);
  return out;
}

/** The stored coverage spans by section, in time order. */
function coverageOf(db: DB, sectionIds: number[]): Map<number, CoverageSpan[]> {
  const out = new Map<number, CoverageSpan[]>();
  if (sectionIds.length === 0) return out;
  const wanted = new Set(sectionIds);
  const rows = (sectionIds.length > LOOKUP_CHUNK
    ? db.prepare('SELECT DISTINCT section_id, start_us, end_us FROM coverage ORDER BY section_id, start_us').all()
    : prepared(db, `SELECT DISTINCT section_id, start_us, end_us FROM coverage WHERE section_id IN (${sectionIds.map(() => '?').join(',')}) ORDER BY section_id, start_us`).all(...sectionIds)) as {
    section_id: number; start_us: number; end_us: number;
  }[];
  for (const r of rows) {
    if (!wanted.has(r.section_id)) continue;
    let list = out.get(r.section_id);
    if (!list) out.set(r.section_id, (list = []));
    list.push({ startUs: r.start_us, endUs: r.end_us });
  }
  return out;
}

/**
 * What each section covers of each host's source: its stored coverage rows; a section stored
 * without any (by a corr before coverage was stored) covers its first to its last event of each
 * host and source. Spans of one host and source from several sections overlap freely: the caller
 * unions them.
 */
/**
 * Sections with no stated coverage. The events of those alone are read (by `events_section`) for
 * the coverage read off the events: the same rows as the correlated NOT EXISTS (an event's section
 * is one of `sections`, a foreign key), without walking every event of the store to test it (a
 * store that states coverage for every section — any ingest since coverage was stored — has none:
 * ~0.4 s of a 300k store's correlate went there).
 */
const UNCOVERED_SECTIONS = 'SELECT s.id FROM sections s WHERE NOT EXISTS (SELECT 1 FROM coverage c WHERE c.section_id = s.id)';

export function sourceCoverage(db: DB): SourceCoverage[] {
  const rows = db
    .prepare(
      `SELECT host, source, start_us, end_us, section_id FROM coverage
       UNION ALL
       SELECT e.host, e.source, min(e.ts_us), max(e.ts_us), e.section_id FROM events e
       WHERE e.section_id IN (${UNCOVERED_SECTIONS})
         AND e.ts_us IS NOT NULL AND NOT EXISTS (SELECT 1 FROM coverage c WHERE c.section_id = e.section_id)
       GROUP BY e.section_id, e.host, e.source
       ORDER BY 1, 2, 3`,
    )
    .all() as { host: string; source: string; start_us: number; end_us: number; section_id: number }[];
  // syslog sections are different logs (auth.log, a unit's journal): each speaks for the programs it holds.
  const kinds = new Map<number, string[]>();
  for (const r of db
    .prepare(
      `SELECT DISTINCT section_id, kind FROM events
       WHERE source = 'syslog' AND section_id IN (SELECT section_id FROM coverage WHERE source = 'syslog')
       UNION
       SELECT DISTINCT e.section_id, e.kind FROM events e
       WHERE e.section_id IN (${UNCOVERED_SECTIONS})
         AND e.source = 'syslog' AND e.ts_us IS NOT NULL AND NOT EXISTS (SELECT 1 FROM coverage c WHERE c.section_id = e.section_id)`,
    )
    .all() as { section_id: number; kind: string }[]) {
    let list = kinds.get(r.section_id);
    if (!list) kinds.set(r.section_id, (list = []));
    list.push(r.kind);
  }
  return rows.map((r) => ({
    host: r.host,
    source: r.source,
    startUs: r.start_us,
    endUs: r.end_us,
    ...(r.source === 'syslog' ? { kinds: (kinds.get(r.section_id) ?? []).sort() } : {}),
  }));
}

/** The notes' texts by section, in the order they were written. */
function notesOf(db: DB, sectionIds: number[]): Map<number, { assumptions: string[]; warnings: string[] }> {
  const out = new Map<number, { assumptions: string[]; warnings: string[] }>();
  if (sectionIds.length === 0) return out;
  const wanted = new Set(sectionIds);
  const all = sectionIds.length > LOOKUP_CHUNK;
  const rows = all
    ? (db.prepare('SELECT section_id, level, text FROM notes ORDER BY id').all() as { section_id: number; level: string; text: string }[])
    : (prepared(db, `SELECT section_id, level, text FROM notes WHERE section_id IN (${sectionIds.map(() => '?').join(',')}) ORDER BY id`)
        .all(...sectionIds) as { section_id: number; level: string; text: string }[]);
  for (const n of rows) {
    if (!wanted.has(n.section_id)) continue;
    let e = out.get(n.section_id);
    if (!e) out.set(n.section_id, (e = { assumptions: [], warnings: [] }));
    (n.level === 'assumption' ? e.assumptions : e.warnings).push(n.text);
  }
  return out;
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

/** host, source and kind as a query of the `events` view names them. */
const VIEW_NAMES = { host: 'e.host', source: 'e.source', kind: 'e.kind' };
/** The same, for a query of `event_rows` itself, which holds their codes (schema.ts, migration 9). */
const CODED_NAMES = {
  host: '(SELECT n.name FROM names n WHERE n.id = e.host_code)',
  source: '(SELECT n.name FROM names n WHERE n.id = e.source_code)',
  kind: '(SELECT n.name FROM names n WHERE n.id = e.kind_code)',
};

/**
 * `ts` is the time column as the query names it: `+e.ts_us` keeps SQLite off the events_ts index;
 * `names`: how the query reaches host, source and kind (VIEW_NAMES or CODED_NAMES).
 */
function buildWhere(q: EventQuery, ts = 'e.ts_us', names = VIEW_NAMES): { sql: string; params: (string | number)[] } {
  const clauses = [`${ts} IS NOT NULL`];
  // Twins (the same kernel line from a second copy of the log) are left out of every count and
  // correlation unless asked for (docs/time.md, "Twins").
  if (!q.withTwins) clauses.push('e.twin_of IS NULL');
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
    clauses.push(`${names.source} IN (${q.sources.map(() => '?').join(',')})`);
    params.push(...q.sources);
  }
  if (q.hosts?.length) {
    clauses.push(`${names.host} IN (${q.hosts.map(() => '?').join(',')})`);
    params.push(...q.hosts);
  }
  if (q.kinds?.length) {
    // Prefix match without LIKE, so `_` and `%` in a user's prefix are literal.
    clauses.push(`(${q.kinds.map(() => `substr(${names.kind}, 1, ?) = ?`).join(' OR ')})`);
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
  // Rows as arrays, each made into its event at once: better-sqlite3's row objects (eleven named
  // properties each) were a second object per event, a sixth of a timeline window's reading.
  stmt.raw(true);
  for (const r of stmt.iterate(...params) as IterableIterator<EventDbArray>) {
    yield {
      id: r[0],
      tsUs: r[1],
      host: r[2],
      source: r[3],
      kind: r[4],
      severity: SEVERITIES[r[5]] ?? 'info',
      message: r[6],
      file: paths.get(r[7]) ?? '?',
      line: r[8],
      fields: r[9] ? (JSON.parse(r[9]) as Fields) : {},
      count: r[10],
    };
  }
}

/** iterateEvents' columns, in its SELECT's order. */
type EventDbArray = [id: number, tsUs: number, host: string, source: string, kind: string, severity: number, message: string, sectionId: number, line: number, fields: string | null, count: number];

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

/**
 * The events of a query as columns for the correlator (src/correlate/event-table.ts): instants,
 * weights and interned host/source/kind codes in time order (ties by id), and parsed `fields` only
 * for the events whose fields the correlator reads. Messages, files and lines stay in the store and
 * are fetched by id when needed. ~40 bytes per event instead of an object with its message.
 *
 * Like loadEventsInOrder, a wide range is read in storage order from event_rows (no message is
 * rebuilt from raw) and sorted here; a narrow one walks the index.
 */
export function loadEventColumns(db: DB, q: EventQuery, wanted: FieldsWanted): { columns: Columns; lookup: RowLookup } {
  const wide = q.limit === undefined && coversMuchOfStore(db, q);
  // A wide load reads the table once, and what follows on a read-only connection (messages fetched
  // in id order, a few evidence rows) reads near what it read last: the default 64 MiB of page
  // cache only held pages never asked for again, ~45 MB of correlate's peak at 5M for no CPU.
  if (wide && db.readonly) db.pragma(`cache_size = -${READ_CACHE_KIB}`);
  const { sql, params } = buildWhere(q, wide ? '+e.ts_us' : 'e.ts_us', CODED_NAMES);
  const limit = q.limit !== undefined ? ' LIMIT ?' : '';
  if (q.limit !== undefined) params.push(q.limit);
  // The rows' host, source and kind codes are the columns' codes: `strings` is the names table by
  // code, read once (a few dozen rows), where three strings were made and interned for every row.
  const named = db.prepare('SELECT id, name FROM names ORDER BY id').raw(true).all() as [number, string][];
  // Dense from 0 (codes start at 1): a holey array indexed in arbitrary order may become a dictionary.
  const strings = new Array<string>((named.at(-1)?.[0] ?? 0) + 1).fill('');
  const codeOf = new Map<string, number>();
  for (const [id, name] of named) {
    strings[id] = name;
    codeOf.set(name, id);
  }
  const codes = (list: readonly string[]): string => list.flatMap((n) => (codeOf.has(n) ? [codeOf.get(n)!] : [])).join(', ') || 'NULL';
  const stmt = db
    .prepare(
      `SELECT e.id, e.ts_us, e.host_code, e.source_code, e.kind_code, e.count,
              CASE WHEN e.source_code IN (${codes(wanted.sources)}) OR e.kind_code IN (${codes(wanted.kinds)}) THEN e.fields END
       FROM event_rows e WHERE ${sql}${wide ? '' : ' ORDER BY e.ts_us, e.id'}${limit}`,
    )
    .raw(true);
  // The columns sized once from an upper bound (every stored row in the range, twins too: index
  // only), instead of doubling as they fill: at 5M rows doubling left them at 8.4M slots at the
  // load's peak. Rows an ingest adds between the count and the scan still fit (the columns grow).
  const bounded = q.limit === undefined && !q.sources?.length && !q.hosts?.length && !q.kinds?.length;
  const expected = bounded ? countEvents(db, { sinceUs: q.sinceUs, untilUs: q.untilUs, withTwins: true }) : undefined;
  const read = new ColumnBuilder(strings, expected, wanted.keys);
  for (const r of stmt.iterate(...params) as IterableIterator<[number, number, number, number, number, number, string | null]>) {
    read.push(r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
  }
  return { columns: read.inTimeOrder(), lookup: storeLookup(db) };
}

/** The page cache of a read-only connection once a wide column load has run (KiB). */
const READ_CACHE_KIB = 16_384;


/**
 * The `fields` of the rows a column read keeps, packed: the keys the caller does not read are left
 * out, and each row's remaining values are a few 32-bit cells — its shape (the ordered keys with each
 * value's type), then per key the number itself when a 32-bit integer holds it exactly (ports, pids,
 * exit codes; else the index of the number kept aside, type `f`), or the code of an interned
 * string, or 0/1 for a boolean, or the index of a kept object. (8-byte cells were ~100 MB at 5M.) `get` builds the same object (same keys
 * in the same order, same values) each time it is asked. At 1M events the parsed objects of every
 * sshd, probe and bridge line were ~45 MB of a ~50 MB load (an object of 56 bytes and an array slot
 * each; 590k of them on the bench's store); packed, an sshd row is four cells (16 bytes) and its place in the cells 4 more.
 * (Sharing whole objects between equal texts was measured and not kept: on the bench's store 84 % of
 * the texts are distinct — sshd's port.)
 */
/** A step of the shape tree: the shape of the keys and types walked so far (-1: none yet), and the next steps by key, then type code. */
interface ShapeNode {
  shape: number;
  next: Map<string, ShapeNode[]>;
}

/** A value's type as PackedFields packs it: the code, and its letter in a shape's `types`. */
function typeCode(v: unknown): number {
  return typeof v === 'number' ? (Object.is(v | 0, v) ? 0 : 1) : typeof v === 'string' ? 2 : typeof v === 'boolean' ? 3 : v === null ? 4 : 5;
}
const TYPE_LETTERS = 'nfsbzo';

/** Cells per chunk of packed fields: 4 MB, a row is at most a few dozen. */
const CHUNK_CELLS = 1 << 20;

class PackedFields {
  private readonly keys: ReadonlySet<string> | null;
  /**
   * The cells, in chunks of CHUNK_CELLS that are never copied or grown: doubling one array and
   * trimming it at the end held the old and the new copy at once (~200 MB at 5M, the load's peak).
   * A row's cells never straddle two chunks; `at` = chunk × CHUNK_CELLS + offset.
   */
  private readonly chunks: Int32Array[] = [];
  private cells = new Int32Array(0);
  private used = CHUNK_CELLS;
  private readonly shapes: { keys: string[]; types: string }[] = [];
  private readonly shapeRoot: ShapeNode = { shape: -1, next: new Map() };
  private readonly strings: string[] = [];
  /** The strings' codes while rows are added; dropped by `seal` (the codes stay in the cells). */
  private stringCodes: Map<string, number> | null = new Map();
  private readonly objects: unknown[] = [];
  /** Numbers a cell does not hold exactly (past 32 bits, fractions, -0), by index: type `f`. */
  private readonly floats: number[] = [];

  constructor(keys?: readonly string[]) {
    this.keys = keys ? new Set(keys) : null;
  }

  /** Packs the fields of one row; returns where they start (0 is never one: see ColumnBuilder). */
  add(text: string): number {
    const parsed = JSON.parse(text) as Fields;
    // The shape is found by walking a tree of (key, type) steps from the root: no key text is made
    // per row (the keys JSON.parse gives are interned strings, whose hash is kept), and a shape's
    // keys and types are written out only when it is first met.
    let node = this.shapeRoot;
    for (const key in parsed) {
      if (this.keys !== null && !this.keys.has(key)) continue;
      const t = typeCode(parsed[key]);
      let byType = node.next.get(key);
      if (byType === undefined) node.next.set(key, (byType = []));
      let child = byType[t];
      if (child === undefined) byType[t] = child = { shape: -1, next: new Map() };
      node = child;
    }
    if (node.shape < 0) {
      const keys: string[] = [];
      let types = '';
      for (const key in parsed) {
        if (this.keys !== null && !this.keys.has(key)) continue;
        keys.push(key);
        types += TYPE_LETTERS[typeCode(parsed[key])];
      }
      node.shape = this.shapes.length;
      this.shapes.push({ keys, types });
    }
    const shape = node.shape;
    const { keys, types } = this.shapes[shape]!;
    if (keys.length + 1 > CHUNK_CELLS) throw new Error(`fields of ${keys.length} keys: more than a packed row holds`);
    if (this.used + keys.length + 1 > CHUNK_CELLS) {
      this.cells = new Int32Array(CHUNK_CELLS);
      this.chunks.push(this.cells);
      // Cell 0 of the first chunk stays unused: a row's start is then never 0, which marks "no fields".
      this.used = this.chunks.length === 1 ? 1 : 0;
    }
    const at = (this.chunks.length - 1) * CHUNK_CELLS + this.used;
    this.cells[this.used++] = shape;
    for (let k = 0; k < keys.length; k++) {
      const v = parsed[keys[k]!];
      switch (types[k]) {
        case 'n':
          this.cells[this.used++] = v as number;
          break;
        case 'f':
          this.cells[this.used++] = this.floats.push(v as number) - 1;
          break;
        case 's':
          this.cells[this.used++] = this.stringCode(v as string);
          break;
        case 'b':
          this.cells[this.used++] = v ? 1 : 0;
          break;
        case 'z':
          this.cells[this.used++] = 0;
          break;
        default:
          this.cells[this.used++] = this.objects.push(v) - 1;
      }
    }
    return at;
  }

  /** The fields packed at `at`, as the object JSON.parse gave (less the keys left out). */
  get(at: number): Fields {
    const cells = this.chunks[Math.floor(at / CHUNK_CELLS)]!;
    const from = at % CHUNK_CELLS;
    const shape = this.shapes[cells[from]!]!;
    const out: Fields = {};
    for (let k = 0; k < shape.keys.length; k++) {
      const cell = cells[from + 1 + k]!;
      let v: unknown;
      switch (shape.types[k]) {
        case 'n':
          v = cell;
          break;
        case 'f':
          v = this.floats[cell]!;
          break;
        case 's':
          v = this.strings[cell]!;
          break;
        case 'b':
          v = cell === 1;
          break;
        case 'z':
          v = null;
          break;
        default:
          v = this.objects[cell];
      }
      const key = shape.keys[k]!;
      // JSON.parse makes "__proto__" an own key; an assignment would set the prototype instead.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v as Fields[string];
    }
    return out;
  }

  /** Done adding: the last chunk shrinks to what it uses. */
  seal(): void {
    const last = this.chunks.length - 1;
    if (last >= 0) this.chunks[last] = this.cells = this.cells.slice(0, this.used);
    this.stringCodes = null;
  }

  private stringCode(s: string): number {
    const codes = this.stringCodes!;
    let c = codes.get(s);
    if (c === undefined) {
      c = this.strings.push(s) - 1;
      codes.set(s, c);
    }
    return c;
  }
}

/**
 * Event i's fields, from where its packed fields start. Made outside ColumnBuilder.inTimeOrder on
 * purpose: a closure made there shares that call's context, which holds the builder's columns at
 * their grown capacity and the sort order — at 5M events ~150 MB kept alive for the whole correlate.
 */
function fieldsAccessor(starts: Int32Array, packed: PackedFields): (i: number) => Fields | undefined {
  return (i) => {
    const at = starts[i]!;
    return at === 0 ? undefined : packed.get(at);
  };
}

type Narrow = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/**
 * A growing column of non-negative integers in the narrowest array that holds every value so far:
 * it starts at one byte a value and is copied into the next width the first time a value does not
 * fit (at most three times). At 5M events the weights (all but a few 1) and the host, source and
 * kind codes (a few dozen strings) were 8 + 3 × 4 bytes an event; now 4 (columns.test.ts,
 * "narrow columns", widens each step on purpose).
 */
class NarrowColumn {
  a: Narrow;
  private limit = 0xff;

  constructor(size: number) {
    this.a = new Uint8Array(size);
  }

  set(k: number, v: number): void {
    if (v > this.limit || !Number.isInteger(v) || v < 0) this.widen(v);
    this.a[k] = v;
  }

  grow(size: number): void {
    const b = new (this.a.constructor as new (n: number) => Narrow)(size);
    b.set(this.a);
    this.a = b;
  }

  private widen(v: number): void {
    const fits = Number.isInteger(v) && v >= 0;
    const [make, limit]: [new (n: number) => Narrow, number] =
      fits && v <= 0xffff ? [Uint16Array, 0xffff] : fits && v <= 0xffffffff ? [Uint32Array, 0xffffffff] : [Float64Array, Infinity];
    if (limit <= this.limit) return;
    const b = new make(this.a.length);
    b.set(this.a);
    this.a = b;
    this.limit = limit;
  }
}

/** Accumulates rows into growing typed arrays, then puts them in time order. */
class ColumnBuilder {
  private n = 0;
  private capacity: number;
  private id: NarrowColumn;
  private ts: Float64Array;
  private weight: NarrowColumn;
  private host: NarrowColumn;
  private source: NarrowColumn;
  private kind: NarrowColumn;
  /** Where each row's packed fields start; 0: none. */
  private fieldsAt: Int32Array;
  private readonly packed: PackedFields;

  /**
   * `strings`: the names by code (the store's `names` table) that the rows' codes index;
   * `expected`: the rows the query will return, when counted first (the arrays are then exact);
   * `keys`: the only field keys the caller reads (FieldsWanted.keys).
   */
  constructor(private readonly strings: readonly string[], expected = 1024, keys?: readonly string[]) {
    this.packed = new PackedFields(keys);
    const size = Math.max(16, expected);
    this.capacity = size;
    this.fieldsAt = new Int32Array(size);
    this.id = new NarrowColumn(size);
    this.ts = new Float64Array(size);
    this.weight = new NarrowColumn(size);
    this.host = new NarrowColumn(size);
    this.source = new NarrowColumn(size);
    this.kind = new NarrowColumn(size);
  }

  push(id: number, ts: number, host: number, source: number, kind: number, count: number, fields: string | null): void {
    if (this.n === this.capacity) this.grow();
    const k = this.n++;
    this.id.set(k, id);
    this.ts[k] = ts;
    this.weight.set(k, weightOfCount(count));
    this.host.set(k, host);
    this.source.set(k, source);
    this.kind.set(k, kind);
    this.fieldsAt[k] = fields ? this.packed.add(fields) : 0;
  }

  private grow(): void {
    const size = this.capacity * 2;
    this.capacity = size;
    const widen = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.ts = widen(this.ts, (n) => new Float64Array(n));
    this.fieldsAt = widen(this.fieldsAt, (n) => new Int32Array(n));
    for (const c of [this.id, this.weight, this.host, this.source, this.kind]) c.grow(size);
  }

  /**
   * The columns in time order (ties by id). Each column is moved into its place one at a time and
   * the builder's copy dropped before the next, so the peak is the columns once plus one column and
   * the order (at 5M rows ~40 MB each), not every column twice.
   */
  inTimeOrder(): Columns {
    const n = this.n;
    const ts = this.ts;
    const id = this.id.a;
    const order = timeOrder(ts, id, n);
    const place = <T extends Narrow | Int32Array>(a: T): T => {
      const out = new (a.constructor as new (m: number) => T)(n);
      if (order === null) out.set(a.subarray(0, n));
      else for (let k = 0; k < n; k++) out[k] = a[order[k]!]!;
      return out;
    };
    const empty = new Float64Array(0);
    const outTs = place(this.ts);
    this.ts = empty;
    // An id past 2^32 (never in practice) makes its column Float64Array; below, Uint32Array at most.
    let outId = place(this.id.a);
    if (!(outId instanceof Float64Array || outId instanceof Uint32Array)) outId = Uint32Array.from(outId);
    const outWeight = place(this.weight.a);
    const outHost = place(this.host.a);
    const outSource = place(this.source.a);
    const outKind = place(this.kind.a);
    for (const c of [this.id, this.weight, this.host, this.source, this.kind]) c.a = empty;
    const outFieldsAt = place(this.fieldsAt);
    this.fieldsAt = new Int32Array(0);
    this.packed.seal();
    const fieldsAt = fieldsAccessor(outFieldsAt, this.packed);
    return { length: n, id: outId as Float64Array | Uint32Array, tsUs: outTs, weight: outWeight, host: outHost, source: outSource, kind: outKind, strings: this.strings as string[], fields: [], fieldsAt };
  }
}

/**
 * The positions 0..n-1 in order of (ts, id), or null when they are in that order already. Rows were
 * stored section by section, each nearly in time order: a few presorted runs, merged pairwise (a
 * natural merge sort on typed arrays). A comparator sort of 5M positions cost ~2 s at 5M in calls
 * alone. Ids are distinct, so (ts, id) orders the rows totally and any correct sort gives this order
 * (test/store/time-order.test.ts holds it to the comparator sort).
 */
export function timeOrder(ts: ArrayLike<number>, id: ArrayLike<number>, n: number): Uint32Array | null {
  const before = (a: number, b: number): boolean => ts[a]! < ts[b]! || (ts[a] === ts[b] && id[a]! < id[b]!);
  // Run starts: where a row does not follow the one before it.
  const starts: number[] = [0];
  for (let k = 1; k < n; k++) if (!before(k - 1, k)) starts.push(k);
  if (starts.length === 1) return null;
  let from = new Uint32Array(n);
  for (let k = 0; k < n; k++) from[k] = k;
  let to = new Uint32Array(n);
  let runs = starts;
  while (runs.length > 1) {
    const merged: number[] = [];
    for (let r = 0; r < runs.length; r += 2) {
      const lo = runs[r]!;
      const mid = r + 1 < runs.length ? runs[r + 1]! : n;
      const hi = r + 2 < runs.length ? runs[r + 2]! : n;
      merged.push(lo);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) to[k++] = before(from[j]!, from[i]!) ? from[j++]! : from[i++]!;
      while (i < mid) to[k++] = from[i++]!;
      while (j < hi) to[k++] = from[j++]!;
    }
    [from, to] = [to, from];
    runs = merged;
  }
  return from;
}

/** Point lookups by id, in chunks of bound parameters (SQLite caps their number per statement). */
const LOOKUP_CHUNK = 500;
/** Messages are looked up this many ids a statement (one JSON text of ids: no cap on parameters). */
const MESSAGE_CHUNK = 50_000;

function storeLookup(db: DB): RowLookup {
  let paths: Map<number, string> | null = null;
  // One statement per column list and chunk length, prepared once: preparing one per chunk of 500
  // was a tenth of the cost of fetching the messages template mining reads.
  const statements = new Map<string, Statement>();
  let messageStmt: Statement | null = null;
  const chunked = <R>(ids: readonly number[], columns: string, each: (r: R) => void): void => {
    for (let from = 0; from < ids.length; from += LOOKUP_CHUNK) {
      const chunk = ids.slice(from, from + LOOKUP_CHUNK);
      const key = `${chunk.length} ${columns}`;
      let stmt = statements.get(key);
      if (stmt === undefined) {
        stmt = db.prepare(`SELECT ${columns} FROM events e WHERE e.id IN (${chunk.map(() => '?').join(',')})`);
        statements.set(key, stmt);
      }
      for (const r of stmt.all(...chunk) as R[]) each(r);
    }
  };
  return {
    messages(ids) {
      // One statement for the whole batch, its ids as one JSON array (json_each, each a rowid probe)
      // and rows as arrays: template mining asks for millions of messages at 5M events, and chunks
      // of 500 bound ids with a row object each cost a third more CPU (docs/performance.md).
      messageStmt ??= db.prepare('SELECT e.id, e.message FROM json_each(?) j JOIN events e ON e.id = j.value').raw(true);
      const out = new Map<number, string>();
      for (let from = 0; from < ids.length; from += MESSAGE_CHUNK) {
        // In id order: each probe then lands beside the one before it (the same or the next page),
        // where ids in time order jump between the sections' pages; at 5M events, where the table is
        // many times the page cache, that was ~40 % of the fetch. The answer is a map: order is free.
        const chunk = Float64Array.from(ids.slice(from, from + MESSAGE_CHUNK)).sort();
        for (const r of messageStmt.all(`[${chunk.join(',')}]`) as [number, string][]) out.set(r[0], r[1]);
      }
      return out;
    },
    rows(ids) {
      paths ??= sectionPaths(db);
      const known = paths;
      const out = new Map<number, EventRow>();
      chunked<EventDbRow>(ids, 'e.id, e.ts_us, e.host, e.source, e.kind, e.severity, e.message, e.section_id, e.line, e.fields, e.count', (r) => {
        r.path = known.get(r.section_id) ?? '?';
        out.set(r.id, toEventRow(r));
      });
      return out;
    },
  };
}

/** Reading the table in order pays off once the range holds more than ~1/8 of the rows. */
const SCAN_SHARE = 0.125;

function coversMuchOfStore(db: DB, q: EventQuery): boolean {
  if (q.sinceUs === undefined && q.untilUs === undefined) return true;
  // Both counts come from indexes alone (no row is read), so they are cheap even at millions.
  const inRange = countEvents(db, { sinceUs: q.sinceUs, untilUs: q.untilUs, withTwins: true });
  const total = (db.prepare('SELECT count(*) AS n FROM events WHERE ts_us IS NOT NULL').get() as { n: number }).n;
  return inRange > total * SCAN_SHARE;
}

function sectionPaths(db: DB): Map<number, string> {
  const rows = db.prepare('SELECT s.id, f.path FROM sections s JOIN files f ON f.id = s.file_id').all() as { id: number; path: string }[];
  return new Map(rows.map((r) => [r.id, r.path]));
}

function toEventRow(r: EventDbRow): EventRow {
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
  // Two one-row walks of events_ts from either end. `min(ts_us), max(ts_us)` in one SELECT reads
  // every entry of the index instead (SQLite's min/max shortcut needs a lone aggregate): 190 ms at
  // 1M rows against 0.1 ms, most of a timeline window's query time.
  const r = db
    .prepare(
      `SELECT (SELECT ts_us FROM event_rows WHERE ts_us IS NOT NULL ORDER BY ts_us LIMIT 1) AS f,
              (SELECT ts_us FROM event_rows WHERE ts_us IS NOT NULL ORDER BY ts_us DESC LIMIT 1) AS l`,
    )
    .get() as { f: number | null; l: number | null };
  return { firstUs: r.f, lastUs: r.l };
}

/** Boot segments with their file and section; `openOnly`: those still unanchored. */
export function storedBoots(db: DB, openOnly = false): StoredBoot[] {
  const rows = prepared(db, `SELECT b.id, b.section_id, f.path, s.title, b.segment, b.host, b.last_segment, b.min_uptime_us, b.max_uptime_us, b.anchor_us, b.anchor_why,
              b.precision_us, b.evidence,
              (SELECT count(*) FROM event_rows e WHERE e.boot_id = b.id) AS events
              FROM boots b JOIN sections s ON s.id = b.section_id JOIN files f ON f.id = s.file_id
              ${openOnly ? 'WHERE b.anchor_us IS NULL ORDER BY b.id' : 'ORDER BY f.path, s.ordinal, b.segment'}`)
    .all() as {
    id: number; section_id: number; path: string; title: string | null; segment: number; host: string; last_segment: number;
    min_uptime_us: number | null; max_uptime_us: number | null; anchor_us: number | null; anchor_why: string | null; events: number;
    precision_us: number | null; evidence: string | null;
  }[];
  return rows.map((b) => ({
    id: b.id, sectionId: b.section_id, path: b.path, title: b.title, segment: b.segment, host: b.host, last: b.last_segment === 1,
    minUptimeUs: b.min_uptime_us, maxUptimeUs: b.max_uptime_us, anchorUs: b.anchor_us, anchorWhy: b.anchor_why, events: b.events,
    precisionUs: b.precision_us, evidence: b.evidence ? (JSON.parse(b.evidence) as BootEvidenceRecord) : null,
  }));
}

/** Stored files with what their sections were (help text, a log), in path order. */
export function sourceFiles(db: DB): SourceFile[] {
  const rows = db
    .prepare(`SELECT f.path, f.sha256,
                max(CASE WHEN s.looked_like_code = 'help-text' THEN 1 ELSE 0 END) AS help,
                max(CASE WHEN s.format IS NOT NULL THEN 1 ELSE 0 END) AS has_log
              FROM files f JOIN sections s ON s.file_id = f.id GROUP BY f.id ORDER BY f.path`)
    .all() as { path: string; sha256: string; help: number; has_log: number }[];
  return rows.map((r) => ({ path: r.path, sha256: r.sha256, helpText: r.help === 1, hasLog: r.has_log === 1 }));
}

/** Per host and source, the span of anchored events. */
export function coverage(db: DB): CoverageRow[] {
  const rows = db
    // Grouped by the codes, named after: a few groups to look up instead of two names a row.
    .prepare(`SELECT h.name AS host, s.name AS source, g.n, g.f, g.l
              FROM (SELECT host_code, source_code, count(*) AS n, min(ts_us) AS f, max(ts_us) AS l FROM event_rows
                    WHERE ts_us IS NOT NULL AND twin_of IS NULL GROUP BY host_code, source_code) g
              JOIN names h ON h.id = g.host_code JOIN names s ON s.id = g.source_code
              ORDER BY h.name, s.name`)
    .all() as { host: string; source: string; n: number; f: number; l: number }[];
  return rows.map((r) => ({ host: r.host, source: r.source, events: r.n, firstUs: r.f, lastUs: r.l }));
}

/** The SQLite engine's reader (interface.ts). */
export class SqliteReader implements StoreReader {
  constructor(private readonly db: DB) {}
  events(q: EventQuery): Iterable<EventRow> {
    return iterateEvents(this.db, q);
  }
  eventList(q: EventQuery): EventRow[] {
    return loadEventsInOrder(this.db, q);
  }
  eventColumns(q: EventQuery, fields: FieldsWanted): { columns: Columns; lookup: RowLookup } {
    return loadEventColumns(this.db, q, fields);
  }
  countEvents(q: EventQuery): number {
    return countEvents(this.db, q);
  }
  eventSpan(): { firstUs: number | null; lastUs: number | null } {
    return eventSpan(this.db);
  }
  sections(which?: { fileId?: number; sectionIds?: number[] }): StoredSection[] {
    return sectionSummaries(this.db, which);
  }
  sources(): SourceFile[] {
    return sourceFiles(this.db);
  }
  boots(): StoredBoot[] {
    return storedBoots(this.db);
  }
  coverage(): CoverageRow[] {
    return coverage(this.db);
  }
  sourceCoverage(): SourceCoverage[] {
    return sourceCoverage(this.db);
  }
  distinctValues(column: 'host' | 'source' | 'kind'): string[] {
    return distinctEventValues(this.db, column);
  }
}

/** The distinct values of one event column in the store, sorted (for "did you mean" on --source/--host/--kind). */
export function distinctEventValues(db: DB, column: 'host' | 'source' | 'kind'): string[] {
  const col = { host: 'host_code', source: 'source_code', kind: 'kind_code' }[column];
  return (db.prepare(`SELECT n.name AS v FROM names n WHERE n.id IN (SELECT ${col} FROM event_rows WHERE ts_us IS NOT NULL) ORDER BY 1`).all() as { v: string }[]).map((r) => r.v);
}
