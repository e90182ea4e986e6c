/**
 * The ingest side of the store: prepared statements for files, sections, boots and events, created
 * once per run and reused for every row (better-sqlite3's documented fast path).
 */
import type { DB } from './db.js';
import { SEVERITIES, type Severity } from '../ingest/types.js';

export const SEVERITY_RANK: Record<Severity, number> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

export interface StoredFile {
  id: number;
  sha256: string;
  complete: number;
}

export interface SectionRow {
  file_id: number;
  ordinal: number;
  title: string | null;
  start_line: number;
  end_line: number;
  format: string | null;
  looked_like: string | null;
  host: string | null;
  tz: string | null;
  assumptions: string;
  warnings: string;
  lines: number;
  events: number;
  continuations: number;
  skipped: number;
  duplicates: number;
  unanchored: number;
  first_us: number | null;
  last_us: number | null;
}

export interface EventInsert {
  ts_us: number | null;
  section_id: number;
  line: number;
  host: string;
  source: string;
  kind: string;
  severity: number;
  message: string;
  raw: string;
  fields: string | null;
  count: number;
  uptime_us: number | null;
  boot_id: number | null;
  time_note: string | null;
  tkey: number;
  dhash: number;
  occ: number;
}

export class StoreWriter {
  private readonly fileByPath;
  private readonly insertFile;
  private readonly deleteFile;
  private readonly markComplete;
  private readonly insertSectionStmt;
  private readonly updateSectionStmt;
  private readonly storedOrdinals;
  private readonly insertEventStmt;
  private readonly findDuplicate;
  private readonly insertBootStmt;
  private readonly updateBootStmt;

  constructor(readonly db: DB) {
    this.fileByPath = db.prepare<[string], StoredFile>('SELECT id, sha256, complete FROM files WHERE path = ?');
    this.insertFile = db.prepare('INSERT INTO files (path, sha256, size, mtime_ms, gzip, complete) VALUES (?, ?, ?, ?, ?, 0)');
    this.deleteFile = db.prepare('DELETE FROM files WHERE id = ?');
    this.markComplete = db.prepare('UPDATE files SET complete = 1 WHERE id = ?');
    this.insertSectionStmt = db.prepare(`INSERT INTO sections (file_id, ordinal, title, start_line, end_line, format, looked_like, host, tz,
      assumptions, warnings, lines, events, continuations, skipped, duplicates, unanchored, first_us, last_us)
      VALUES (@file_id, @ordinal, @title, @start_line, @end_line, @format, @looked_like, @host, @tz,
      @assumptions, @warnings, @lines, @events, @continuations, @skipped, @duplicates, @unanchored, @first_us, @last_us)`);
    this.updateSectionStmt = db.prepare(`UPDATE sections SET format = @format, looked_like = @looked_like, host = @host, tz = @tz,
      assumptions = @assumptions, warnings = @warnings, lines = @lines, events = @events, continuations = @continuations,
      skipped = @skipped, duplicates = @duplicates, unanchored = @unanchored, first_us = @first_us, last_us = @last_us WHERE id = @id`);
    this.storedOrdinals = db.prepare<[number], { ordinal: number }>('SELECT ordinal FROM sections WHERE file_id = ?');
    this.insertEventStmt = db.prepare(`INSERT OR IGNORE INTO event_rows (ts_us, section_id, line, host, source, kind, severity, message, msg_at,
      raw, fields, count, uptime_us, boot_id, time_note, tkey, dhash, occ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // A row of a boot that is not anchored yet may hold a provisional instant (placed at insert time
    // from the capture's own boot fact, see pipeline.ts): it is no evidence of where the line stands.
    this.findDuplicate = db.prepare<[number, number, number], { ts_us: number | null; boot_id: number | null }>(
      `SELECT CASE WHEN e.boot_id IS NOT NULL AND b.anchor_us IS NULL THEN NULL ELSE e.ts_us END AS ts_us, e.boot_id
       FROM event_rows e LEFT JOIN boots b ON b.id = e.boot_id WHERE e.tkey = ? AND e.dhash = ? AND e.occ = ?`,
    );
    this.insertBootStmt = db.prepare('INSERT INTO boots (section_id, segment, host, last_segment, min_uptime_us, max_uptime_us, anchor_us, anchor_why) VALUES (?, ?, ?, 0, NULL, NULL, NULL, NULL)');
    this.updateBootStmt = db.prepare('UPDATE boots SET last_segment = ?, min_uptime_us = ?, max_uptime_us = ?, anchor_us = ?, anchor_why = ? WHERE id = ?');
  }

  file(path: string): StoredFile | undefined {
    return this.fileByPath.get(path);
  }

  addFile(path: string, sha256: string, size: number, mtimeMs: number, gzip: boolean): number {
    return Number(this.insertFile.run(path, sha256, size, Math.round(mtimeMs), gzip ? 1 : 0).lastInsertRowid);
  }

  removeFile(id: number): void {
    this.deleteFile.run(id);
  }

  complete(fileId: number): void {
    this.markComplete.run(fileId);
  }

  ordinalsOf(fileId: number): Set<number> {
    return new Set(this.storedOrdinals.all(fileId).map((r) => r.ordinal));
  }

  addSection(row: SectionRow): number {
    return Number(this.insertSectionStmt.run(row).lastInsertRowid);
  }

  updateSection(id: number, row: Omit<SectionRow, 'file_id' | 'ordinal' | 'title' | 'start_line' | 'end_line'>): void {
    this.updateSectionStmt.run({ ...row, id });
  }

  /** Insert one event; false when an identical one is already stored (from this or another file). */
  addEvent(e: EventInsert): boolean {
    const at = messageOffset(e.raw, e.message);
    const r = this.insertEventStmt.run(
      e.ts_us, e.section_id, e.line, e.host, e.source, e.kind, e.severity, at === null ? e.message : null, at, e.raw, e.fields,
      e.count, e.uptime_us, e.boot_id, e.time_note, e.tkey, e.dhash, e.occ,
    );
    return r.changes > 0;
  }

  /**
   * The stored twin of a duplicate event: its instant tells an unanchored boot where it stands.
   * `ts_us` is null while the twin's own boot is unanchored (even when provisionally placed).
   */
  twinOf(tkey: number, dhash: number, occ: number): { ts_us: number | null; boot_id: number | null } | undefined {
    return this.findDuplicate.get(tkey, dhash, occ);
  }

  addBoot(sectionId: number, segment: number, host: string): number {
    return Number(this.insertBootStmt.run(sectionId, segment, host).lastInsertRowid);
  }

  updateBoot(id: number, last: boolean, minUs: number | null, maxUs: number | null, anchorUs: number | null, why: string | null): void {
    this.updateBootStmt.run(last ? 1 : 0, minUs, maxUs, anchorUs, why, id);
  }
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
