/**
 * The SQLite engine's writer (interface.ts): prepared statements for files, sections, boots, notes
 * and events, created once per run and reused for every row (better-sqlite3's documented fast path).
 *
 * A section is never split across transactions. Its row, its boots and its notes are written when
 * it commits, so every row is written once with what it finally says; the event rows that reference
 * them go in first, which is why foreign keys are checked at commit (PRAGMA defer_foreign_keys).
 *
 * The sections of small files share a transaction (a group), each inside its own savepoint: 100,000
 * files of a few lines would otherwise be 100,000 commits, each writing a dozen pages to the WAL. A
 * group is committed after GROUP_SECTIONS sections, GROUP_ROWS rows or GROUP_MS of holding the write
 * lock, before and after any section of a larger file (which is its own transaction, as before),
 * and at the end of the run (flush). A kill loses the open group whole, never part of a section:
 * the next run reads its files again from their first section not stored (docs/reliability.md).
 */
import { useWritingCache, type DB } from './db.js';
import { SEVERITY_RANK, type Fields } from '../model/event.js';
import type { Note } from '../model/notes.js';
import { BOOT_PLACED_NOTE } from '../model/time.js';
import type { BootEvidenceRecord, BootRecord, CoverageSpan, KernelRow, PlacedBoot, StoredSection, TwinLink } from '../model/source.js';
import type {
  DedupKey, FileVersion, LateStore, NewEvent, SectionRecord, SectionTx, StoredBoot, StoredLineAt, StoredBootPlacement, StoredFile, StoredTwin, StoreWriter,
} from './interface.js';
import { sectionSummaries, storedBoots } from './queries.js';

export { SEVERITY_RANK };

/** The `boot-unanchored` warning's sentence: written here, because the store rewrites it. */
export function unanchoredWarning(n: number): Note {
  return {
    level: 'warning', code: 'boot-unanchored', count: n,
    text: `${n} kernel lines have only an uptime stamp and no boot anchor yet: left out of time-range queries until one is found (--boot-time, or an uptime -s section)`,
  };
}

/** A file larger than this gets a transaction per section of its own, never a shared group. */
export const GROUP_FILE_BYTES = 256 * 1024;
const GROUP_SECTIONS = 500;
const GROUP_ROWS = 20_000;
const GROUP_MS = 500;

/** The code of source 'kernel' in every store (schema.ts, migration 9). */
export const KERNEL_CODE = 1;

export class SqliteWriter implements StoreWriter {
  private readonly s;
  /**
   * Codes of the names stored so far, read from \`names\` when first needed. Only a rollback can make
   * one wrong (a name added inside the rolled-back part is gone): every rollback drops the map.
   */
  private names: Map<string, number> | null = null;
  /** The open group transaction: the sections and rows it holds, and since when it holds the lock. */
  private group: { sections: number; rows: number; sinceMs: number } | null = null;
  /** @internal What changes stored sections inside the open transaction (twins, late coverage). */
  readonly late: LateStore;

  constructor(readonly db: DB) {
    useWritingCache(db);
    this.s = {
      versions: db.prepare<[string, string], { id: number; sha256: string; size: number; complete: number }>(
        'SELECT id, sha256, size, complete FROM files WHERE real_path = ? OR (real_path = path AND path = ?) ORDER BY id',
      ),
      insertFile: db.prepare('INSERT INTO files (path, real_path, host, sha256, size, mtime_ms, gzip, complete) VALUES (?, ?, ?, ?, ?, ?, ?, 0)'),
      joinable: db.prepare<[string, string], { id: number }>('SELECT id FROM files WHERE real_path = ? AND sha256 = ? AND complete = 0 ORDER BY id DESC LIMIT 1'),
      eventByKey: db.prepare<[number, number, number, number], { id: number; section_id: number }>(
        'SELECT id, section_id FROM event_rows WHERE tkey = ? AND dhash = ? AND occ = ? AND boot_key = ?',
      ),
      addOwner: db.prepare('INSERT OR IGNORE INTO event_owners (event_id, section_id, line) VALUES (?, ?, ?)'),
      sharedOf: db.prepare<[number, number], { event_id: number; section_id: number; line: number }>(
        `SELECT o.event_id, o.section_id, o.line FROM event_owners o JOIN event_rows e ON e.id = o.event_id
         JOIN sections s ON s.id = e.section_id JOIN sections so ON so.id = o.section_id
         WHERE s.file_id = ? AND so.file_id != ? ORDER BY o.event_id, o.section_id`,
      ),
      moveEvent: db.prepare('UPDATE event_rows SET section_id = ?, line = ?, boot_id = NULL WHERE id = ?'),
      dropOwner: db.prepare('DELETE FROM event_owners WHERE event_id = ? AND section_id = ?'),
      deleteFile: db.prepare('DELETE FROM files WHERE id = ?'),
      markComplete: db.prepare('UPDATE files SET complete = 1 WHERE id = ?'),
      nextSectionId: db.prepare<[], { id: number }>('SELECT coalesce(max(id), 0) + 1 AS id FROM sections'),
      insertSection: db.prepare(`INSERT INTO sections (id, file_id, ordinal, title, start_line, end_line, format, looked_like, looked_like_code, host, tz,
        lines, events, continuations, skipped, duplicates, unanchored, first_us, last_us)
        VALUES (@id, @file_id, @ordinal, @title, @start_line, @end_line, @format, @looked_like, @looked_like_code, @host, @tz,
        @lines, @events, @continuations, @skipped, @duplicates, @unanchored, @first_us, @last_us)`),
      storedOrdinals: db.prepare<[number], { ordinal: number }>('SELECT ordinal FROM sections WHERE file_id = ?'),
      insertEvent: db.prepare(`INSERT OR IGNORE INTO event_rows (ts_us, section_id, line, host_code, source_code, kind_code, severity, message, msg_at,
        raw, fields, count, uptime_us, boot_id, time_note, tkey, dhash, occ, boot_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      // The names host, source and kind are stored as (schema.ts, migration 9).
      allNames: db.prepare<[], { id: number; name: string }>('SELECT id, name FROM names'),
      addName: db.prepare('INSERT OR IGNORE INTO names (name) VALUES (?)'),
      nameId: db.prepare<[string], { id: number }>('SELECT id FROM names WHERE name = ?'),
      // A twin's instant is evidence only when it is the line's own clock: not a row placed at its
      // boot's anchor (that anchor came from a fact this capture may contradict), nor a provisional
      // instant of an unanchored boot (stores written by an earlier corr placed such rows).
      twin: db.prepare<[number, number, number, number], { ts_us: number | null; boot_id: number | null }>(
        `SELECT CASE WHEN e.boot_id IS NOT NULL AND (b.anchor_us IS NULL OR e.time_note = '${BOOT_PLACED_NOTE}') THEN NULL ELSE e.ts_us END AS ts_us, e.boot_id
         FROM event_rows e LEFT JOIN boots b ON b.id = e.boot_id WHERE e.tkey = ? AND e.dhash = ? AND e.occ = ? AND e.boot_key = ?`,
      ),
      // The dedup index's (tkey, dhash) prefix serves both: the boot key of a stored line, the
      // latest start of a host's stored boots (src/ingest/boot-keys.ts).
      bootKeyOf: db.prepare<[number, number, number], { boot_key: number }>(
        'SELECT boot_key FROM event_rows WHERE tkey = ? AND dhash = ? AND uptime_us = ? AND boot_key != 0 LIMIT 1',
      ),
      latestBootStart: db.prepare<[string], { us: number | null }>('SELECT max(min_uptime_us) AS us FROM boots WHERE host = ?'),
      linesAt: db.prepare<[number, string, number, number], { host: string; message: string; path: string; title: string | null }>(
        `SELECT (SELECT n.name FROM names n WHERE n.id = e.host_code) AS host, coalesce(e.message, substr(e.raw, e.msg_at + 1)) AS message, f.path, s.title
         FROM event_rows e JOIN sections s ON s.id = e.section_id JOIN files f ON f.id = s.file_id
         WHERE e.tkey = ? AND e.source_code = (SELECT id FROM names WHERE name = ?) AND s.file_id != ? LIMIT ?`,
      ),
      // The partial index events_kernel_wall serves this (its WHERE is repeated word for word;
      // source code 1 is kernel in every store).
      wallKernel: db.prepare<[string, number], { id: number; ts_us: number; message: string }>(
        `SELECT id, ts_us, coalesce(message, substr(raw, msg_at + 1)) AS message FROM event_rows
         WHERE host_code = (SELECT id FROM names WHERE name = ?) AND source_code = ${KERNEL_CODE} AND uptime_us IS NULL AND ts_us IS NOT NULL LIMIT ?`,
      ),
      bootRaw: db.prepare<[number], { uptime_us: number; message: string }>(
        `SELECT uptime_us, coalesce(message, substr(raw, msg_at + 1)) AS message FROM event_rows
         WHERE boot_id = ? AND ts_us IS NULL AND uptime_us IS NOT NULL AND source_code = ${KERNEL_CODE}`,
      ),
      anyInRange: db.prepare<[number, number], { one: number }>('SELECT 1 AS one FROM event_rows WHERE tkey BETWEEN ? AND ? LIMIT 1'),
      insertBoot: db.prepare(`INSERT INTO boots (id, section_id, segment, host, last_segment, min_uptime_us, max_uptime_us, anchor_us, anchor_why, precision_us, evidence)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      nextBootId: db.prepare<[], { id: number }>('SELECT coalesce(max(id), 0) + 1 AS id FROM boots'),
      insertCoverage: db.prepare('INSERT INTO coverage (section_id, host, source, start_us, end_us) VALUES (?, ?, ?, ?, ?)'),
      setBootDetail: db.prepare('UPDATE boots SET precision_us = ?, evidence = ? WHERE id = ?'),
      insertNote: db.prepare('INSERT INTO notes (section_id, level, code, text, count) VALUES (?, ?, ?, ?, ?)'),
      lastSection: db.prepare<[number], { id: number }>('SELECT id FROM sections WHERE file_id = ? ORDER BY ordinal DESC LIMIT 1'),
      bootById: db.prepare<[number], { section_id: number; anchor_us: number | null }>('SELECT section_id, anchor_us FROM boots WHERE id = ?'),
      setBootAnchor: db.prepare('UPDATE boots SET anchor_us = ?, anchor_why = ? WHERE id = ?'),
      // The one UPDATE of event rows: a boot stored unanchored by an earlier run, placed by a later one.
      placeBootRows: db.prepare(`UPDATE event_rows SET ts_us = ? + uptime_us, time_note = '${BOOT_PLACED_NOTE}' WHERE boot_id = ?`),
      sectionSpan: db.prepare<[number], { first: number | null; last: number | null; unanchored: number | null }>(
        'SELECT min(ts_us) AS first, max(ts_us) AS last, sum(ts_us IS NULL) AS unanchored FROM event_rows WHERE section_id = ?',
      ),
      setSectionSpan: db.prepare('UPDATE sections SET first_us = ?, last_us = ?, unanchored = ? WHERE id = ?'),
      dropNotes: db.prepare('DELETE FROM notes WHERE section_id = ? AND code = ?'),
      hasNote: db.prepare<[number, string, string], { n: number }>('SELECT count(*) AS n FROM notes WHERE section_id = ? AND code = ? AND text = ?'),
      total: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM event_rows'),
      // Twins (src/ingest/context/kernel-twins.ts). A row is linked when it is a twin or the kept copy of one.
      placedBoots: db.prepare<[string], { id: number; host: string; anchor_us: number; precision_us: number | null; min_uptime_us: number; max_uptime_us: number }>(
        `SELECT id, host, anchor_us, precision_us, min_uptime_us, max_uptime_us FROM boots
         WHERE host = ? AND anchor_us IS NOT NULL AND min_uptime_us IS NOT NULL AND max_uptime_us IS NOT NULL ORDER BY id`,
      ),
      bootKernelRows: db.prepare<[number], { id: number; ts_us: number; message: string; linked: number }>(
        `SELECT e.id, e.ts_us, coalesce(e.message, substr(e.raw, e.msg_at + 1)) AS message,
                (e.twin_of IS NOT NULL OR EXISTS (SELECT 1 FROM event_rows t WHERE t.twin_of = e.id)) AS linked
         FROM event_rows e WHERE e.boot_id = ? AND e.source_code = ${KERNEL_CODE} AND e.uptime_us IS NOT NULL AND e.ts_us IS NOT NULL`,
      ),
      // The partial index events_kernel_wall serves this (its WHERE is repeated word for word).
      wallKernelIn: db.prepare<[string, number, number], { id: number; ts_us: number; message: string; linked: number }>(
        `SELECT e.id, e.ts_us, coalesce(e.message, substr(e.raw, e.msg_at + 1)) AS message,
                (e.twin_of IS NOT NULL OR EXISTS (SELECT 1 FROM event_rows t WHERE t.twin_of = e.id)) AS linked
         FROM event_rows e WHERE e.host_code = (SELECT id FROM names WHERE name = ?) AND e.source_code = ${KERNEL_CODE} AND e.uptime_us IS NULL AND e.ts_us IS NOT NULL AND e.ts_us BETWEEN ? AND ?`,
      ),
      setTwin: db.prepare('UPDATE event_rows SET twin_of = ? WHERE id = ? AND twin_of IS NULL AND id != ?'),
    };
    const st = this.s;
    this.late = {
      placedBoots: (host) => st.placedBoots.all(host).map((b): PlacedBoot => ({
        id: b.id, host: b.host, anchorUs: b.anchor_us, precisionUs: b.precision_us, minUptimeUs: b.min_uptime_us, maxUptimeUs: b.max_uptime_us,
      })),
      // Stepped, not .all(): a boot's rows and its journal's are each every kernel line of a boot
      // (300,000 at the bench's 1M lines), and .all()'s row objects beside the mapped ones doubled them.
      bootKernelRows: (bootId) => kernelRows(st.bootKernelRows.iterate(bootId)),
      wallKernelRowsIn: (host, fromUs, toUs) => kernelRows(st.wallKernelIn.iterate(host, fromUs, toUs)),
      linkTwins: (links: readonly TwinLink[]) => {
        let n = 0;
        for (const l of links) n += st.setTwin.run(l.ofId, l.twinId, l.ofId).changes;
        return n;
      },
      addSectionCoverage: (sectionId, spans, streams, note) => {
        for (const c of spans) for (const x of streams) st.insertCoverage.run(sectionId, x.host, x.source, c.startUs, c.endUs);
        this.insertNoteOnce(sectionId, note);
      },
    };
  }

  storedVersions(realPath: string, givenPath: string): StoredFile[] {
    return this.s.versions.all(realPath, givenPath).map((r) => ({ id: r.id, sha256: r.sha256, size: r.size, complete: r.complete === 1 }));
  }

  ownFiles(): string[] {
    const name = this.db.name;
    return name && name !== ':memory:' ? [name, `${name}-wal`, `${name}-shm`, `${name}-journal`] : [];
  }

  storedOrdinals(fileId: number): Set<number> {
    return new Set(this.s.storedOrdinals.all(fileId).map((r) => r.ordinal));
  }

  beginSection(file: FileVersion, fileId: number | null, ordinal: number, removeFirst: readonly number[] = []): { fileId: number; tx: SectionTx | null } {
    const db = this.db;
    const alone = file.size > GROUP_FILE_BYTES;
    if (alone) this.flush();
    this.openGroup();
    db.exec('SAVEPOINT section');
    try {
      let id = fileId;
      if (id === null) {
        // Another corr may be storing this very version now (two ingests of one input at once):
        // join its row; the sections it stored are skipped.
        const now = this.s.joinable.get(file.realPath, file.sha256);
        if (now) id = now.id;
        else {
          for (const old of removeFirst) this.removeVersion(old);
          id = Number(this.s.insertFile.run(file.path, file.realPath, file.host, file.sha256, file.size, Math.round(file.mtimeMs), file.gzip ? 1 : 0).lastInsertRowid);
        }
      }
      if (this.storedOrdinals(id).has(ordinal)) {
        this.endSection(0, alone);
        return { fileId: id, tx: null };
      }
      return { fileId: id, tx: new SqliteSectionTx(this, id, this.s.nextSectionId.get()!.id, ordinal, alone) };
    } catch (e) {
      this.abandonSection();
      throw e;
    }
  }

  /** Commit the open group, if any: everything stored so far is then on disk. */
  flush(): void {
    if (!this.group) return;
    this.group = null;
    if (!this.db.inTransaction) return;
    try {
      this.db.exec('COMMIT');
    } catch (e) {
      this.names = null; // a failed COMMIT rolls back; names added in it went with it
      throw e;
    }
  }

  /** @internal The code of a host, source or kind name, added to \`names\` when new (inside the open transaction). */
  code(name: string): number {
    const names = (this.names ??= new Map(this.s.allNames.all().map((r) => [r.name, r.id])));
    let c = names.get(name);
    if (c === undefined) {
      this.s.addName.run(name);
      c = this.s.nameId.get(name)!.id;
      names.set(name, c);
    }
    return c;
  }

  private openGroup(): void {
    if (this.group && this.db.inTransaction) return;
    this.db.exec('BEGIN IMMEDIATE');
    this.db.pragma('defer_foreign_keys = ON');
    this.group = { sections: 0, rows: 0, sinceMs: Date.now() };
  }

  /** @internal A section's savepoint is released: its group is committed now when it is full, or when the section's file is large. */
  endSection(rows: number, alone: boolean): void {
    this.db.exec('RELEASE section');
    const g = this.group;
    if (!g) return;
    g.sections++;
    g.rows += rows;
    if (alone || g.sections >= GROUP_SECTIONS || g.rows >= GROUP_ROWS || Date.now() - g.sinceMs >= GROUP_MS) this.flush();
  }

  /** @internal A section is rolled back to its savepoint; the sections before it in the group stay. */
  abandonSection(): void {
    this.names = null;
    if (!this.db.inTransaction) {
      // SQLite rolled the whole transaction back itself (SQLITE_FULL, an I/O error): the group is gone.
      this.group = null;
      return;
    }
    this.db.exec('ROLLBACK TO section');
    this.db.exec('RELEASE section');
  }

  completeFile(fileId: number, notes: readonly Note[], remove: readonly number[] = []): void {
    this.db.transaction(() => {
      this.s.markComplete.run(fileId);
      const last = this.s.lastSection.get(fileId);
      if (last) for (const n of notes) this.insertNote(last.id, n);
      for (const id of remove) this.removeVersion(id);
    }).immediate();
  }

  /**
   * @internal Inside a transaction: remove a stored file version. An event it shares with another
   * file (stored once, owned by both) moves to that file first, so no other file loses evidence.
   */
  removeVersion(fileId: number): void {
    let last = -1;
    for (const o of this.s.sharedOf.all(fileId, fileId)) {
      if (o.event_id === last) continue; // the first other owner takes it
      last = o.event_id;
      this.s.moveEvent.run(o.section_id, o.line, o.event_id);
      this.s.dropOwner.run(o.event_id, o.section_id);
    }
    this.s.deleteFile.run(fileId);
  }

  openBoots(): StoredBoot[] {
    return storedBoots(this.db, true);
  }

  placeStoredBoots(placements: readonly StoredBootPlacement[], then?: (store: LateStore) => void): void {
    if (placements.length === 0) return;
    this.db.transaction(() => {
      for (const p of placements) {
        if (this.placeStoredBoot(p.bootId, p.anchorUs, p.why) && (p.precisionUs != null || p.evidence)) {
          this.s.setBootDetail.run(p.precisionUs ?? null, p.evidence ? JSON.stringify(p.evidence) : null, p.bootId);
        }
      }
      then?.(this.late);
    }).immediate();
  }

  noteSection(sectionId: number, note: Note): void {
    this.db.transaction(() => this.insertNoteOnce(sectionId, note)).immediate();
  }

  sections(which?: { fileId?: number; sectionIds?: number[] }): StoredSection[] {
    return sectionSummaries(this.db, which);
  }

  totalEvents(): number {
    return this.s.total.get()!.n;
  }

  /** @internal (SqliteSectionTx) */
  insertNote(sectionId: number, n: Note): void {
    this.s.insertNote.run(sectionId, n.level, n.code, n.text, n.count);
  }

  /** @internal */
  insertNoteOnce(sectionId: number, n: Note): void {
    if (this.s.hasNote.get(sectionId, n.code, n.text)!.n === 0) this.insertNote(sectionId, n);
  }

  /** @internal Inside a transaction: place an unanchored stored boot and refresh its section. */
  placeStoredBoot(bootId: number, anchorUs: number, why: string): boolean {
    const boot = this.s.bootById.get(bootId);
    if (!boot || boot.anchor_us !== null) return false;
    this.s.setBootAnchor.run(anchorUs, why, bootId);
    this.s.placeBootRows.run(anchorUs, bootId);
    const span = this.s.sectionSpan.get(boot.section_id)!;
    const left = span.unanchored ?? 0;
    this.s.setSectionSpan.run(span.first, span.last, left, boot.section_id);
    this.s.dropNotes.run(boot.section_id, 'boot-unanchored');
    if (left > 0) this.insertNote(boot.section_id, unanchoredWarning(left));
    this.insertNoteOnce(boot.section_id, { level: 'assumption', code: 'boot-anchor', text: `kernel uptime stamps anchored to the ${why}`, count: 1 });
    return true;
  }

  /** @internal */
  get statements() {
    return this.s;
  }
}

class SqliteSectionTx implements SectionTx {
  private readonly notes: Note[] = [];
  private coverage: (CoverageSpan & { host: string; source: string })[] = [];
  private done = false;
  private firstBootId: number | null = null;

  private rows = 0;

  constructor(
    private readonly w: SqliteWriter,
    readonly fileId: number,
    readonly sectionId: number,
    private readonly ordinal: number,
    /** A large file's section: committed on its own, not in a group. */
    private readonly alone: boolean,
  ) {}

  addEvents(events: readonly NewEvent[]): boolean[] {
    const w = this.w;
    const st = w.statements;
    const out = new Array<boolean>(events.length);
    this.rows += events.length;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const at = messageOffset(e.raw, e.message);
      const r = st.insertEvent.run(
        e.tsUs, this.sectionId, e.line, w.code(e.host), w.code(e.source), w.code(e.kind), SEVERITY_RANK[e.severity] ?? 1, at === null ? e.message : null, at, e.raw,
        fieldsJson(e.fields), e.count, e.uptimeUs, e.bootId, e.timeNote, e.tkey, e.dhash, e.occ, e.bootKey ?? 0,
      );
      out[i] = r.changes > 0;
      if (!out[i]) {
        // Stored already from another file: this section owns it too (removing either keeps it).
        const twin = st.eventByKey.get(e.tkey, e.dhash, e.occ, e.bootKey ?? 0);
        if (twin && twin.section_id !== this.sectionId) st.addOwner.run(twin.id, this.sectionId, e.line);
      }
    }
    return out;
  }

  twins(keys: readonly DedupKey[]): (StoredTwin | undefined)[] {
    if (keys.length === 0) return [];
    // One range probe on the dedup index first: a first ingest (no stored row in the keys' range)
    // then costs one query instead of one per key.
    let lo = Infinity;
    let hi = -Infinity;
    for (const k of keys) {
      if (k.tkey < lo) lo = k.tkey;
      if (k.tkey > hi) hi = k.tkey;
    }
    if (!this.w.statements.anyInRange.get(lo, hi)) return keys.map(() => undefined);
    const stmt = this.w.statements.twin;
    return keys.map((k) => {
      const r = stmt.get(k.tkey, k.dhash, k.occ, k.bootKey ?? 0);
      return r ? { tsUs: r.ts_us, bootId: r.boot_id } : undefined;
    });
  }

  sameLines(keys: readonly { tkey: number; source: string }[], limit = 20): StoredLineAt[][] {
    const st = this.w.statements.linesAt;
    return keys.map((k) => st.all(k.tkey, k.source, this.fileId, limit));
  }

  bootId(segment: number): number {
    // Reserved under the write lock this transaction holds: no other writer can take them.
    this.firstBootId ??= this.w.statements.nextBootId.get()!.id;
    return this.firstBootId + segment;
  }

  placeBoot(b: BootRecord): void {
    this.w.statements.insertBoot.run(
      this.bootId(b.segment), this.sectionId, b.segment, b.host, b.last ? 1 : 0, b.minUptimeUs, b.maxUptimeUs, b.anchorUs, b.anchorWhy,
      b.precisionUs ?? null, b.evidence ? JSON.stringify(b.evidence) : null,
    );
  }

  anyKeyIn(lo: number, hi: number): boolean {
    return this.w.statements.anyInRange.get(lo, hi) !== undefined;
  }

  storedBootKey(tkey: number, dhash: number): number | null {
    return this.w.statements.bootKeyOf.get(tkey, dhash, tkey)?.boot_key ?? null;
  }

  latestBootStart(host: string): number | null {
    return this.w.statements.latestBootStart.get(host)?.us ?? null;
  }

  wallKernelLines(host: string, limit = 1_000_000): { id: number; tsUs: number; message: string }[] {
    const out: { id: number; tsUs: number; message: string }[] = [];
    for (const r of this.w.statements.wallKernel.iterate(host, limit)) out.push({ id: r.id, tsUs: r.ts_us, message: r.message });
    return out;
  }

  bootRawLines(bootId: number): { uptimeUs: number; message: string }[] {
    return this.w.statements.bootRaw.all(bootId).map((r) => ({ uptimeUs: r.uptime_us, message: r.message }));
  }

  placeStoredBoot(bootId: number, anchorUs: number, why: string, precisionUs?: number | null, evidence?: BootEvidenceRecord | null): void {
    if (this.w.placeStoredBoot(bootId, anchorUs, why) && (precisionUs != null || evidence)) {
      this.w.statements.setBootDetail.run(precisionUs ?? null, evidence ? JSON.stringify(evidence) : null, bootId);
    }
  }

  placedBoots(host: string): PlacedBoot[] {
    return this.w.late.placedBoots(host);
  }

  bootKernelRows(bootId: number): KernelRow[] {
    return this.w.late.bootKernelRows(bootId);
  }

  wallKernelRowsIn(host: string, fromUs: number, toUs: number): KernelRow[] {
    return this.w.late.wallKernelRowsIn(host, fromUs, toUs);
  }

  linkTwins(links: readonly TwinLink[]): number {
    return this.w.late.linkTwins(links);
  }

  addSectionCoverage(sectionId: number, spans: readonly CoverageSpan[], streams: readonly { host: string; source: string }[], note: Note): void {
    this.w.late.addSectionCoverage(sectionId, spans, streams, note);
  }

  addNote(note: Note): void {
    this.notes.push(note);
  }

  setCoverage(spans: readonly CoverageSpan[], streams: readonly { host: string; source: string }[]): void {
    this.coverage = spans.flatMap((c) => streams.map((s) => ({ ...c, ...s })));
  }

  commit(s: SectionRecord, completeFile: boolean, remove: readonly number[] = []): void {
    const st = this.w.statements;
    st.insertSection.run({
      id: this.sectionId, file_id: this.fileId, ordinal: this.ordinal, title: s.title, start_line: s.startLine, end_line: s.endLine,
      format: s.format, looked_like: s.lookedLike, looked_like_code: s.lookedLikeCode, host: s.host, tz: s.tz,
      lines: s.lines, events: s.events, continuations: s.continuations, skipped: s.skipped, duplicates: s.duplicates, unanchored: s.unanchored,
      first_us: s.firstUs, last_us: s.lastUs,
    });
    for (const n of this.notes) this.w.insertNote(this.sectionId, n);
    for (const c of this.coverage) st.insertCoverage.run(this.sectionId, c.host, c.source, c.startUs, c.endUs);
    if (completeFile) st.markComplete.run(this.fileId);
    for (const id of remove) this.w.removeVersion(id);
    this.done = true;
    this.w.endSection(this.rows, this.alone);
  }

  rollback(): void {
    if (this.done) return;
    this.done = true;
    this.w.abandonSection();
  }
}

function kernelRows(rows: Iterable<{ id: number; ts_us: number; message: string; linked: number }>): KernelRow[] {
  const out: KernelRow[] = [];
  for (const r of rows) out.push({ id: r.id, tsUs: r.ts_us, message: r.message, linked: r.linked === 1 });
  return out;
}

function fieldsJson(f: Fields): string | null {
  if (f instanceof PackedFields) return f.json;
  for (const _ in f) return JSON.stringify(f);
  return null;
}

/**
 * An event's fields already as the JSON this writer stores (or null for none), made where the line
 * was parsed: the read worker's events (src/ingest/event-pack.ts) arrive so, and the thread that
 * inserts does not stringify them again.
 */
export class PackedFields {
  constructor(readonly json: string | null) {}
}

/**
 * Where `message` starts in `raw` when it is exactly the end of it (the common case: a line minus
 * its timestamp/host/program prefix), so the row stores it once; null when it must be stored
 * whole. The `events` view reads it back with SQLite's substr(), which counts characters: the
 * offset is only used when the prefix holds no surrogate pair (one character, two JavaScript
 * units) and raw holds no NUL (where SQLite's text functions may stop).
 */
export function messageOffset(raw: string, message: string): number | null {
  const at = raw.length - message.length;
  if (at < 0 || !raw.endsWith(message) || raw.indexOf('\0') !== -1) return null;
  for (let i = 0; i < at; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return null;
  }
  return at;
}
