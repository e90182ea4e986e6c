/**
 * The ClickHouse engine's writer (../interface.ts). ClickHouse has no transactions, so a section's
 * "transaction" is an attempt: its rows (events, boots, notes, coverage) are written under a random
 * attempt id, and the section's row in `sections` — written last, in one insert — names the attempt
 * whose rows count. A killed ingester leaves only rows no reader sees; the next run finds the
 * section missing and stores it again under a new attempt (resume). Two ingesters storing the same
 * section at once both complete it; `sections` keeps one row per section (ReplacingMergeTree), so
 * one attempt's rows count and the other's stay invisible.
 *
 * Every event is written, also one stored already from another file: readers take the first file's
 * copy (reader.ts), so removing a file version (--replace) leaves the other file's copy in view —
 * what the SQLite writer does by moving the event to its other owner.
 */
import { SEVERITY_RANK, type Fields } from '../../model/event.js';
import type { Note } from '../../model/notes.js';
import { BOOT_PLACED_NOTE } from '../../model/time.js';
import type { BootRecord, CoverageSpan, KernelRow, PlacedBoot, StoredSection, TwinLink } from '../../model/source.js';
import type {
  DedupKey, FileVersion, LateStore, NewEvent, SectionRecord, SectionTx, StoredBoot, StoredBootPlacement, StoredFile, StoredLineAt, StoredTwin, StoreWriter,
} from '../interface.js';
import { unanchoredWarning } from '../writer.js';
import { type ClickHouseConnection, int, lit, tsvField } from './connection.js';
import { attemptId, id52, id52Of, nextVer } from './ids.js';
import { Lease, reapAbandoned } from './lease.js';
import { ATTEMPT_TABLES } from './schema.js';
import { VISIBLE, VISIBLE_SECTIONS, VISIBLE_TWINS, deduped, sectionSummaries, storedBoots } from './reader.js';

/** Event rows per insert (each insert is a part the server merges later; fewer, larger ones are cheaper)… */
const EVENTS_PER_INSERT = 50_000;
/** …or this much text (about 16 MB in flight per insert, two at most). */
const CHARS_PER_INSERT = 16_000_000;

type FileRow = Record<string, unknown> & { id: number; created_us: number };

export class ClickHouseWriter implements StoreWriter {
  constructor(readonly conn: ClickHouseConnection) {
    // Each run first deletes the rows of attempts that can never count (lease.ts): usually none,
    // and then it costs one read of the small leases table.
    reapAbandoned(conn, ATTEMPT_TABLES);
  }

  storedVersions(realPath: string, givenPath: string): StoredFile[] {
    return this.conn
      .rows(`SELECT id, sha256, size, complete FROM files FINAL WHERE removed = 0 AND (real_path = ${lit(realPath)} OR (real_path = path AND path = ${lit(givenPath)})) ORDER BY created_us, id`)
      .map((r) => ({ id: Number(r[0]), sha256: String(r[1]), size: Number(r[2]), complete: Number(r[3]) === 1 }));
  }

  ownFiles(): string[] {
    return [];
  }

  storedOrdinals(fileId: number): Set<number> {
    return new Set(this.conn.rows(`SELECT ordinal FROM sections FINAL WHERE file_id = ${int(fileId)}`).map((r) => Number(r[0])));
  }

  /** @internal The file row as stored (latest version). */
  fileRow(fileId: number): FileRow | null {
    const r = this.conn.result(`SELECT * FROM files FINAL WHERE id = ${int(fileId)}`);
    if (r.data.length === 0) return null;
    return Object.fromEntries(r.meta.map((m, i) => [m.name, r.data[0]![i]])) as FileRow;
  }

  private rewriteFile(fileId: number, change: Record<string, unknown>): void {
    const row = this.fileRow(fileId);
    if (row) this.conn.insert('files', [{ ...row, ...change, ver: nextVer() }]);
  }

  beginSection(file: FileVersion, fileId: number | null, ordinal: number, removeFirst: readonly number[] = []): { fileId: number; tx: ClickHouseSectionTx | null } {
    let id = fileId;
    if (id === null) {
      // Another corr may be storing this very version now, or an earlier run was killed: join its row.
      // One read answers both that and the generation (how often this version was removed).
      const versions = this.conn.rows(
        `SELECT id, complete, removed FROM files FINAL WHERE real_path = ${lit(file.realPath)} AND sha256 = ${lit(file.sha256)} ORDER BY created_us DESC`,
      );
      const open = versions.find((r) => Number(r[1]) === 0 && Number(r[2]) === 0);
      if (open) id = Number(open[0]);
      else {
        for (const old of removeFirst) this.removeVersion(old);
        // Named by what it is, so two ingesters of one file write one row; a version stored again
        // after it was removed (--replace) is a new generation.
        const generation = versions.filter((r) => Number(r[2]) === 1).length;
        id = id52('file', file.realPath, file.sha256, generation);
        this.conn.insert('files', [{
          id, path: file.path, real_path: file.realPath, host: file.host, sha256: file.sha256, size: file.size, mtime_ms: Math.round(file.mtimeMs),
          gzip: file.gzip ? 1 : 0, complete: 0, removed: 0, created_us: nextVer(), ver: nextVer(),
        }]);
      }
    }
    // The file row as stored (a racing ingester's, if its version won) and the ordinals stored, in one read.
    const r = this.conn.result(`SELECT *, (SELECT groupArray(ordinal) FROM sections FINAL WHERE file_id = ${int(id)}) AS stored_ordinals FROM files FINAL WHERE id = ${int(id)}`);
    const row = r.data.length ? (Object.fromEntries(r.meta.map((m, i) => [m.name, r.data[0]![i]])) as FileRow & { stored_ordinals: number[] }) : null;
    if (row?.stored_ordinals.map(Number).includes(ordinal)) return { fileId: id, tx: null };
    // Hold the section before writing it: another ingester storing it now makes this one wait,
    // and skip it once its mark is there.
    const sectionId = id52('section', id, ordinal);
    const attempt = attemptId();
    const fileRowId = id;
    const lease = Lease.claim(this.conn, sectionId, attempt, () => this.storedOrdinals(fileRowId).has(ordinal));
    if (!lease) return { fileId: id, tx: null };
    return { fileId: id, tx: new ClickHouseSectionTx(this, id, sectionId, ordinal, Number(row?.created_us ?? nextVer()), attempt, lease) };
  }

  completeFile(fileId: number, notes: readonly Note[], remove: readonly number[] = []): void {
    if (notes.length) {
      const last = this.conn.rows(`SELECT id FROM sections FINAL WHERE file_id = ${int(fileId)} ORDER BY ordinal DESC LIMIT 1`);
      if (last.length) for (const n of notes) this.insertNote(Number(last[0]![0]), n);
    }
    this.rewriteFile(fileId, { complete: 1 });
    for (const id of remove) this.removeVersion(id);
  }

  /** @internal A removed version's sections stop counting; another file's copy of a shared event comes into view. */
  removeVersion(fileId: number): void {
    this.rewriteFile(fileId, { removed: 1 });
  }

  openBoots(): StoredBoot[] {
    return storedBoots(this.conn, true);
  }

  placeStoredBoots(placements: readonly StoredBootPlacement[], then?: (store: LateStore) => void): void {
    for (const p of placements) {
      this.placeStoredBoot(p.bootId, p.anchorUs, p.why, p.precisionUs, p.evidence);
    }
    if (placements.length > 0) then?.(new ClickHouseLate(this, null));
  }

  noteSection(sectionId: number, note: Note): void {
    this.insertNoteOnce(sectionId, note);
  }

  sections(which?: { fileId?: number; sectionIds?: number[] }): StoredSection[] {
    return sectionSummaries(this.conn, which);
  }

  totalEvents(): number {
    return Number(this.conn.rows(`SELECT count() FROM (${deduped({ withTwins: true }, 'id', [], false)})`)[0]![0]);
  }

  /** @internal A note added after its section committed: seen whatever attempt counts (attempt 0). */
  insertNote(sectionId: number, n: Note): void {
    this.conn.insert('notes', [{ section_id: sectionId, attempt: 0, seq: nextVer(), level: n.level, code: n.code, text: n.text, count: n.count, dropped: 0, ver: nextVer() }]);
  }

  private insertNoteOnce(sectionId: number, n: Note): void {
    const has = this.conn.rows(`SELECT count() FROM notes FINAL WHERE section_id = ${int(sectionId)} AND dropped = 0 AND code = ${lit(n.code)} AND text = ${lit(n.text)}`);
    if (Number(has[0]![0]) === 0) this.insertNote(sectionId, n);
  }

  /** @internal Place an unanchored stored boot: its rows get their instants, its section's warning gives way. */
  placeStoredBoot(bootId: number, anchorUs: number, why: string, precisionUs?: number | null, evidence?: unknown): boolean {
    const r = this.conn.result(`SELECT * FROM boots FINAL WHERE id = ${int(bootId)} AND (section_id, attempt) IN (${VISIBLE_SECTIONS})`);
    if (r.data.length === 0) return false;
    const boot = Object.fromEntries(r.meta.map((m, i) => [m.name, r.data[0]![i]])) as Record<string, unknown>;
    if (boot.anchor_us !== null) return false;
    const sectionId = Number(boot.section_id);
    const detail = precisionUs != null || evidence ? { precision_us: precisionUs ?? null, evidence: evidence ? JSON.stringify(evidence) : null } : {};
    // The event rows first: a crash before the boot row leaves the boot unanchored, to be placed again.
    this.conn.mutate('events', `UPDATE ts_us = ${int(anchorUs)} + uptime_us, time_note = ${lit(BOOT_PLACED_NOTE)} WHERE boot_id = ${int(bootId)}`);
    this.conn.insert('boots', [{ ...boot, anchor_us: anchorUs, anchor_why: why, ...detail, ver: nextVer() }]);
    const sec = this.conn.result(`SELECT * FROM sections FINAL WHERE id = ${int(sectionId)}`);
    const srow = Object.fromEntries(sec.meta.map((m, i) => [m.name, sec.data[0]![i]])) as Record<string, unknown>;
    const span = this.conn.rows(`SELECT min(ts_us), max(ts_us), countIf(isNull(ts_us)) FROM events WHERE section_id = ${int(sectionId)} AND attempt = ${int(Number(srow.attempt))}`)[0]!;
    const left = Number(span[2]);
    this.conn.insert('sections', [{ ...srow, first_us: span[0], last_us: span[1], unanchored: left, ver: nextVer() }]);
    const stale = this.conn.result(`SELECT * FROM notes FINAL WHERE section_id = ${int(sectionId)} AND code = 'boot-unanchored' AND dropped = 0`);
    this.conn.insert('notes', stale.data.map((d) => ({ ...Object.fromEntries(stale.meta.map((m, i) => [m.name, d[i]])), dropped: 1, ver: nextVer() })));
    if (left > 0) this.insertNote(sectionId, unanchoredWarning(left));
    this.insertNoteOnce(sectionId, { level: 'assumption', code: 'boot-anchor', text: `kernel uptime stamps anchored to the ${why}`, count: 1 });
    return true;
  }
}

/** The events table's columns in the order the writer encodes them. */
const EVENT_INSERT_COLUMNS = [
  'id', 'ts_us', 'section_id', 'attempt', 'file_seq', 'seq', 'line', 'host', 'source', 'kind', 'severity', 'message', 'raw', 'fields', 'count',
  'uptime_us', 'boot_id', 'time_note', 'tkey', 'dhash', 'occ', 'boot_key',
];

/** Stored keys fetched per twins read: a window of this many covers as many of the section's events. */
const TWIN_WINDOW = 50_000;

/** What one twins read learned: every stored key of one host from `lo` up to `hi` (inclusive). */
interface TwinWindow {
  lo: number;
  hi: number;
  found: Map<string, StoredTwin>;
}

export class ClickHouseSectionTx implements SectionTx {
  /** The attempt's events are named under this (ids.ts id52Of). */
  private readonly eventBase: number;
  private readonly notes: Note[] = [];
  private readonly boots: BootRecord[] = [];
  private coverage: (CoverageSpan & { host: string; source: string })[] = [];
  /** Encoded rows not yet sent (TabSeparated lines), and how many. */
  private pending: string[] = [];
  private pendingChars = 0;
  private readonly perLine = new Map<number, number>();
  /** Per host: the stored keys of the last window read (twins). */
  private readonly windows = new Map<string, TwinWindow>();

  constructor(
    private readonly w: ClickHouseWriter,
    readonly fileId: number,
    readonly sectionId: number,
    private readonly ordinal: number,
    private readonly fileSeq: number,
    private readonly attempt: number,
    private readonly lease: Lease,
  ) {
    this.eventBase = id52('event', sectionId, this.attempt);
  }

  private get conn(): ClickHouseConnection {
    return this.w.conn;
  }

  addEvents(events: readonly NewEvent[]): boolean[] {
    const twins = this.twins(events);
    const fixed = `${int(this.sectionId)}\t${int(this.attempt)}\t${int(this.fileSeq)}`;
    for (const e of events) {
      const k = this.perLine.get(e.line) ?? 0;
      this.perLine.set(e.line, k + 1);
      // Numbers are the pipeline's integers: a stray fraction would fail the insert, never become text.
      const row = `${id52Of(this.eventBase, e.line * 1_048_576 + k)}\t${num(e.tsUs)}\t${fixed}\t${e.line * 16 + Math.min(k, 15)}\t${e.line}\t`
        + `${tsvField(e.host)}\t${tsvField(e.source)}\t${tsvField(e.kind)}\t${SEVERITY_RANK[e.severity] ?? 1}\t${tsvField(e.message)}\t${tsvField(e.raw)}\t`
        + `${tsvField(fieldsJson(e.fields))}\t${e.count}\t${num(e.uptimeUs)}\t${num(e.bootId)}\t${tsvField(e.timeNote)}\t`
        + `${e.tkey}\t${e.dhash}\t${e.occ}\t${e.bootKey ?? 0}\n`;
      this.pending.push(row);
      this.pendingChars += row.length;
    }
    if (this.pending.length >= EVENTS_PER_INSERT || this.pendingChars >= CHARS_PER_INSERT) this.flush();
    return twins.map((t) => t === undefined);
  }

  /** Send the encoded rows; the insert runs while parsing goes on (commit waits for it). */
  private flush(): void {
    if (this.pending.length === 0) return;
    this.conn.insertTsvAsync('events', EVENT_INSERT_COLUMNS, this.pending.join(''), this.pending.length);
    this.pending = [];
    this.pendingChars = 0;
    this.lease.keep();
  }

  /**
   * Stored twins, read by windows rather than per batch: one read takes the host's next
   * TWIN_WINDOW stored keys from the batch's first instant on, and answers every later batch whose
   * instants fall inside — on a first ingest (nothing stored) one read answers the whole section,
   * on a re-ingest one read per TWIN_WINDOW events. What the window cannot answer (keys of no
   * single host, a window full at one instant) is read as the batch's exact range.
   */
  twins(keys: readonly DedupKey[]): (StoredTwin | undefined)[] {
    const out = new Array<StoredTwin | undefined>(keys.length);
    const byHost = new Map<string, number[]>();
    const loose: number[] = [];
    keys.forEach((k, i) => {
      const host = (k as Partial<NewEvent>).host;
      if (typeof host !== 'string') return loose.push(i);
      let list = byHost.get(host);
      if (!list) byHost.set(host, (list = []));
      list.push(i);
    });
    for (const [host, idx] of byHost) {
      for (const i of idx) {
        const k = keys[i]!;
        let w = this.windows.get(host);
        if (!w || k.tkey < w.lo || k.tkey > w.hi) {
          const fetched = this.readWindow(host, k.tkey);
          if (fetched) {
            this.windows.set(host, (w = fetched));
          } else {
            // More than a window's keys at one instant: this batch's exact range.
            const rest = idx.filter((j) => { const t = keys[j]!.tkey; return !w || t < w.lo || t > w.hi; });
            const found = this.readRange(rest.map((j) => keys[j]!), [host]);
            for (const j of rest) out[j] = found.get(keyOf(keys[j]!));
            break;
          }
        }
        out[i] = w.found.get(keyOf(k));
      }
    }
    if (loose.length) {
      const found = this.readRange(loose.map((i) => keys[i]!), null);
      for (const i of loose) out[i] = found.get(keyOf(keys[i]!));
    }
    return out;
  }

  /** The host's next TWIN_WINDOW stored keys from `lo` on; null when they all share one instant. */
  private readWindow(host: string, lo: number): TwinWindow | null {
    const rows = this.conn.rows(
      `SELECT tkey, dhash, occ, ts_us, boot_id, time_note, boot_key FROM events WHERE host = ${lit(host)} AND tkey >= ${int(lo)} AND ${VISIBLE}
       ORDER BY tkey, dhash, occ, boot_key, file_seq, seq LIMIT 1 BY tkey, dhash, occ, boot_key LIMIT ${TWIN_WINDOW}`,
    );
    let hi = Number.MAX_SAFE_INTEGER;
    if (rows.length === TWIN_WINDOW) {
      // The last instant's keys may go on past the limit: the window ends just before it.
      hi = Number(rows[rows.length - 1]![0]) - 1;
      if (hi < lo) return null;
    }
    return { lo, hi, found: this.twinsOf(rows.filter((r) => Number(r[0]) <= hi)) };
  }

  /** Every stored key in the keys' tkey range (of these hosts), matched here. */
  private readRange(keys: readonly DedupKey[], hosts: string[] | null): Map<string, StoredTwin> {
    if (keys.length === 0) return new Map();
    let lo = Infinity;
    let hi = -Infinity;
    for (const k of keys) {
      if (k.tkey < lo) lo = k.tkey;
      if (k.tkey > hi) hi = k.tkey;
    }
    const wanted = new Set(keys.map(keyOf));
    const rows = this.conn
      .rows(
        `SELECT tkey, dhash, occ, ts_us, boot_id, time_note, boot_key FROM events WHERE tkey BETWEEN ${int(lo)} AND ${int(hi)}${hosts ? ` AND host IN (${hosts.map(lit).join(', ')})` : ''} AND ${VISIBLE}
         ORDER BY file_seq, seq LIMIT 1 BY tkey, dhash, occ, boot_key`,
      )
      .filter((r) => wanted.has(`${r[0]}:${r[1]}:${r[2]}:${r[6]}`));
    return this.twinsOf(rows);
  }

  private twinsOf(found: unknown[][]): Map<string, StoredTwin> {
    const bootIds = [...new Set(found.filter((r) => r[4] !== null).map((r) => Number(r[4])))];
    const anchored = new Set(
      bootIds.length ? this.conn.rows(`SELECT id FROM boots FINAL WHERE id IN (${bootIds.map(int).join(', ')}) AND anchor_us IS NOT NULL`).map((r) => Number(r[0])) : [],
    );
    const out = new Map<string, StoredTwin>();
    for (const r of found) {
      const bootId = r[4] === null ? null : Number(r[4]);
      // A twin's instant is evidence only when it is the line's own clock (as the SQLite writer says).
      const own = bootId === null || (anchored.has(bootId) && r[5] !== BOOT_PLACED_NOTE);
      out.set(`${r[0]}:${r[1]}:${r[2]}:${r[6]}`, { tsUs: own && r[3] !== null ? Number(r[3]) : null, bootId });
    }
    return out;
  }

  sameLines(keys: readonly { tkey: number; source: string }[], limit = 20): StoredLineAt[][] {
    if (keys.length === 0) return [];
    const rows = this.conn.rows(
      `SELECT tkey, source, host, message, section_id FROM events
       WHERE ${VISIBLE} AND section_id NOT IN (SELECT id FROM sections FINAL WHERE file_id = ${int(this.fileId)})
       AND (tkey, source) IN (${keys.map((k) => `(${int(k.tkey)}, ${lit(k.source)})`).join(', ')})
       ORDER BY file_seq, seq LIMIT ${int(limit)} BY tkey, source`,
    );
    const where = new Map<number, { path: string; title: string | null }>();
    const ids = [...new Set(rows.map((r) => Number(r[4])))];
    if (ids.length) {
      const paths = new Map(this.conn.rows(`SELECT id, path FROM files FINAL`).map((r) => [Number(r[0]), String(r[1])]));
      for (const r of this.conn.rows(`SELECT id, file_id, title FROM sections FINAL WHERE id IN (${ids.map(int).join(', ')})`)) {
        where.set(Number(r[0]), { path: paths.get(Number(r[1])) ?? '?', title: r[2] as string | null });
      }
    }
    const by = new Map<string, StoredLineAt[]>();
    for (const r of rows) {
      const k = `${r[0]}\u0000${r[1]}`;
      let list = by.get(k);
      if (!list) by.set(k, (list = []));
      const w = where.get(Number(r[4])) ?? { path: '?', title: null };
      list.push({ host: String(r[2]), message: String(r[3]), path: w.path, title: w.title });
    }
    return keys.map((k) => by.get(`${k.tkey}\u0000${k.source}`) ?? []);
  }

  bootId(segment: number): number {
    return id52('boot', this.sectionId, segment);
  }

  placeBoot(b: BootRecord): void {
    this.boots.push(b);
  }

  /** The boot key of a stored uptime-keyed line (src/ingest/boot-keys.ts), or null. */
  storedBootKey(tkey: number, dhash: number): number | null {
    const r = this.conn.rows(`SELECT boot_key FROM events WHERE tkey = ${int(tkey)} AND dhash = ${int(dhash)} AND uptime_us = ${int(tkey)} AND boot_key != 0 AND ${VISIBLE} LIMIT 1`);
    return r.length ? Number(r[0]![0]) : null;
  }

  latestBootStart(host: string): number | null {
    const r = this.conn.rows(`SELECT count(), max(min_uptime_us) FROM boots FINAL WHERE host = ${lit(host)} AND (section_id, attempt) IN (${VISIBLE_SECTIONS})`)[0]!;
    return Number(r[0]) === 0 || r[1] === null ? null : Number(r[1]);
  }

  anyKeyIn(lo: number, hi: number): boolean {
    return this.conn.rows(`SELECT 1 FROM events WHERE ${VISIBLE} AND tkey BETWEEN ${int(lo)} AND ${int(hi)} LIMIT 1`).length > 0;
  }

  placeStoredBoot(bootId: number, anchorUs: number, why: string, precisionUs?: number | null, evidence?: unknown): void {
    this.w.placeStoredBoot(bootId, anchorUs, why, precisionUs, evidence);
  }

  /** The host's wall-clock kernel lines (no uptime stamp): stored ones, and this attempt's not yet flushed. */
  wallKernelLines(host: string, limit = 1_000_000): { id: number; tsUs: number; message: string }[] {
    this.flush();
    return this.conn
      .rows(
        `SELECT id, ts_us, message FROM events WHERE (${VISIBLE} OR (section_id = ${int(this.sectionId)} AND attempt = ${int(this.attempt)}))
         AND host = ${lit(host)} AND source = 'kernel' AND uptime_us IS NULL AND ts_us IS NOT NULL LIMIT ${int(limit)}`,
      )
      .map((r) => ({ id: Number(r[0]), tsUs: Number(r[1]), message: String(r[2]) }));
  }

  bootRawLines(bootId: number): { uptimeUs: number; message: string }[] {
    return this.conn
      .rows(`SELECT uptime_us, message FROM events WHERE ${VISIBLE} AND boot_id = ${int(bootId)} AND ts_us IS NULL AND uptime_us IS NOT NULL AND source = 'kernel'`)
      .map((r) => ({ uptimeUs: Number(r[0]), message: String(r[1]) }));
  }

  private lateStore(): ClickHouseLate {
    // The section's own rows are read back (its boots' lines): the asynchronous inserts must have landed.
    this.flush();
    this.conn.drain();
    return new ClickHouseLate(this.w, { sectionId: this.sectionId, attempt: this.attempt, boots: this.boots.map((b) => ({ ...b, id: this.bootId(b.segment) })) });
  }

  placedBoots(host: string): PlacedBoot[] {
    return this.lateStore().placedBoots(host);
  }

  bootKernelRows(bootId: number): KernelRow[] {
    return this.lateStore().bootKernelRows(bootId);
  }

  wallKernelRowsIn(host: string, fromUs: number, toUs: number): KernelRow[] {
    return this.lateStore().wallKernelRowsIn(host, fromUs, toUs);
  }

  linkTwins(links: readonly TwinLink[]): number {
    return this.lateStore().linkTwins(links);
  }

  addSectionCoverage(sectionId: number, spans: readonly CoverageSpan[], streams: readonly { host: string; source: string }[], note: Note): void {
    this.lateStore().addSectionCoverage(sectionId, spans, streams, note);
  }

  addNote(note: Note): void {
    this.notes.push(note);
  }

  setCoverage(spans: readonly CoverageSpan[], streams: readonly { host: string; source: string }[]): void {
    this.coverage = spans.flatMap((c) => streams.map((s) => ({ ...c, ...s })));
  }

  /** One stored coverage row as it is (corr export: SQLite's rows are already per host and source). */
  setCoverageRow(host: string, source: string, startUs: number, endUs: number): void {
    this.coverage.push({ host, source, startUs, endUs });
  }

  commit(s: SectionRecord, completeFile: boolean, remove: readonly number[] = []): void {
    this.flush();
    const a = this.attempt;
    const ver = nextVer();
    this.conn.insert('boots', this.boots.map((b) => ({
      id: this.bootId(b.segment), section_id: this.sectionId, attempt: a, segment: b.segment, host: b.host, last_segment: b.last ? 1 : 0,
      min_uptime_us: b.minUptimeUs, max_uptime_us: b.maxUptimeUs, anchor_us: b.anchorUs, anchor_why: b.anchorWhy,
      precision_us: b.precisionUs ?? null, evidence: b.evidence ? JSON.stringify(b.evidence) : null, ver,
    })));
    this.conn.insert('notes', this.notes.map((n, i) => ({ section_id: this.sectionId, attempt: a, seq: i, level: n.level, code: n.code, text: n.text, count: n.count, dropped: 0, ver })));
    this.conn.insert('coverage', this.coverage.map((c) => ({ section_id: this.sectionId, attempt: a, host: c.host, source: c.source, start_us: c.startUs, end_us: c.endUs })));
    // Every row of the attempt stored (an insert that failed throws here), then the completion
    // mark: from this insert on, the attempt's rows count.
    this.conn.drain();
    // The mark only under a lease still held (renewed here unless it was lately): a holder stalled
    // past its lease may have been taken over, and stops instead.
    this.lease.keep();
    this.conn.insert('sections', [{
      id: this.sectionId, attempt: a, file_id: this.fileId, ordinal: this.ordinal, title: s.title, start_line: s.startLine, end_line: s.endLine,
      format: s.format, looked_like: s.lookedLike, looked_like_code: s.lookedLikeCode, host: s.host, tz: s.tz, lines: s.lines, events: s.events,
      continuations: s.continuations, skipped: s.skipped, duplicates: s.duplicates, unanchored: s.unanchored, first_us: s.firstUs, last_us: s.lastUs, ver: nextVer(),
    }]);
    this.lease.done();
    if (completeFile) this.w.completeFile(this.fileId, [], remove);
    else for (const id of remove) this.w.removeVersion(id);
  }

  rollback(): void {
    // Nothing of the attempt counts without its section row. Its lease is given up, so no other
    // ingester waits for it to run out, and its rows are deleted by the next run's reaping.
    this.pending = [];
    this.pendingChars = 0;
    try {
      this.lease.release();
    } catch {
      // The server is gone (what made the rollback, most likely): the lease runs out instead.
    }
  }
}

function keyOf(k: DedupKey): string {
  return `${k.tkey}:${k.dhash}:${k.occ}:${k.bootKey ?? 0}`;
}

function num(v: number | null): string {
  return v === null ? '\\N' : String(v);
}

function fieldsJson(f: Fields): string {
  for (const _ in f) return JSON.stringify(f);
  return '';
}

/**
 * Twins and late coverage on ClickHouse (LateStore). Inside a section (`own`), its attempt's rows and
 * boots count as well, and its links are written under its attempt (they count once it commits);
 * after a commit (own null) links are written under attempt 0, which always counts.
 */
class ClickHouseLate implements LateStore {
  constructor(
    private readonly w: ClickHouseWriter,
    private readonly own: { sectionId: number; attempt: number; boots: (BootRecord & { id: number })[] } | null,
  ) {}

  private get conn(): ClickHouseConnection {
    return this.w.conn;
  }

  private rowsSeen(): string {
    return this.own ? `(${VISIBLE} OR (section_id = ${int(this.own.sectionId)} AND attempt = ${int(this.own.attempt)}))` : VISIBLE;
  }

  private linksSeen(): string {
    return this.own ? `(${VISIBLE_TWINS} UNION ALL SELECT twin_tkey, twin_dhash, twin_occ, of_tkey, of_dhash, of_occ FROM twins WHERE section_id = ${int(this.own.sectionId)} AND attempt = ${int(this.own.attempt)})` : `(${VISIBLE_TWINS})`;
  }

  placedBoots(host: string): PlacedBoot[] {
    const stored = this.conn
      .rows(`SELECT id, host, anchor_us, precision_us, min_uptime_us, max_uptime_us FROM boots FINAL
             WHERE (section_id, attempt) IN (${VISIBLE_SECTIONS}) AND host = ${lit(host)} AND anchor_us IS NOT NULL AND min_uptime_us IS NOT NULL AND max_uptime_us IS NOT NULL ORDER BY id`)
      .map((r): PlacedBoot => ({
        id: Number(r[0]), host: String(r[1]), anchorUs: Number(r[2]), precisionUs: r[3] === null ? null : Number(r[3]), minUptimeUs: Number(r[4]), maxUptimeUs: Number(r[5]),
      }));
    const mine = (this.own?.boots ?? [])
      .filter((b) => b.host === host && b.anchorUs !== null)
      .map((b): PlacedBoot => ({ id: b.id, host: b.host, anchorUs: b.anchorUs!, precisionUs: b.precisionUs ?? null, minUptimeUs: b.minUptimeUs, maxUptimeUs: b.maxUptimeUs }));
    return [...stored, ...mine].sort((a, b) => a.id - b.id);
  }

  private kernelRows(filter: string): KernelRow[] {
    const links = this.linksSeen();
    return this.conn
      .rows(
        `SELECT id, ts_us, message,
                (tkey, dhash, occ) IN (SELECT twin_tkey, twin_dhash, twin_occ FROM ${links}) OR (tkey, dhash, occ) IN (SELECT of_tkey, of_dhash, of_occ FROM ${links})
         FROM events WHERE ${this.rowsSeen()} AND source = 'kernel' AND ts_us IS NOT NULL AND ${filter}
         ORDER BY tkey, dhash, occ, file_seq, seq LIMIT 1 BY tkey, dhash, occ`,
      )
      .map((r) => ({ id: Number(r[0]), tsUs: Number(r[1]), message: String(r[2]), linked: Number(r[3]) === 1 }));
  }

  bootKernelRows(bootId: number): KernelRow[] {
    return this.kernelRows(`boot_id = ${int(bootId)} AND uptime_us IS NOT NULL`);
  }

  wallKernelRowsIn(host: string, fromUs: number, toUs: number): KernelRow[] {
    return this.kernelRows(`host = ${lit(host)} AND uptime_us IS NULL AND ts_us BETWEEN ${int(fromUs)} AND ${int(toUs)}`);
  }

  linkTwins(links: readonly TwinLink[]): number {
    if (links.length === 0) return 0;
    const ids = [...new Set(links.flatMap((l) => [l.twinId, l.ofId]))];
    const keys = new Map<number, [number, number, number]>();
    for (const r of this.conn.rows(`SELECT id, tkey, dhash, occ FROM events WHERE id IN (${ids.map(int).join(', ')}) LIMIT 1 BY id`)) {
      keys.set(Number(r[0]), [Number(r[1]), Number(r[2]), Number(r[3])]);
    }
    const rows = links.flatMap((l) => {
      const t = keys.get(l.twinId);
      const o = keys.get(l.ofId);
      if (!t || !o) return [];
      return [{ twin_tkey: t[0], twin_dhash: t[1], twin_occ: t[2], of_tkey: o[0], of_dhash: o[1], of_occ: o[2], section_id: this.own?.sectionId ?? 0, attempt: this.own?.attempt ?? 0 }];
    });
    this.conn.insert('twins', rows);
    return rows.length;
  }

  addSectionCoverage(sectionId: number, spans: readonly CoverageSpan[], streams: readonly { host: string; source: string }[], note: Note): void {
    const r = this.conn.rows(`SELECT attempt FROM sections FINAL WHERE id = ${int(sectionId)}`);
    if (r.length === 0) return;
    const attempt = Number(r[0]![0]);
    this.conn.insert('coverage', spans.flatMap((c) => streams.map((x) => ({ section_id: sectionId, attempt, host: x.host, source: x.source, start_us: c.startUs, end_us: c.endUs }))));
    this.w.noteSection(sectionId, note);
  }
}
