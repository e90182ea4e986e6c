/**
 * `corr export --to clickhouse://…`: copy an SQLite store into a ClickHouse store through the
 * ClickHouse writer, section by section, so the copy keeps the writer's guarantees: a section
 * already in the target is skipped (re-running adds nothing), an interrupted export leaves only
 * whole sections and the next run resumes. Events the SQLite store keeps once for two files (its
 * event_owners) are written to each section that holds them, as a ClickHouse ingest writes them.
 */
import type { DB } from '../db.js';
import { SEVERITIES, type Fields, type Severity } from '../../model/event.js';
import type { Note, NoteCode } from '../../model/notes.js';
import type { LookedLikeCode } from '../../model/notes.js';
import type { BootEvidenceRecord } from '../../model/source.js';
import type { NewEvent } from '../interface.js';
import { ClickHouseWriter } from './writer.js';

export interface ExportSummary {
  files: number;
  sections_copied: number;
  sections_present: number;
  events_written: number;
  events_total: number;
}

interface FileDb { id: number; path: string; real_path: string; host: string | null; sha256: string; size: number; mtime_ms: number | null; gzip: number; complete: number }
interface SectionDb {
  id: number; ordinal: number; title: string | null; start_line: number; end_line: number; format: string | null; looked_like: string | null;
  looked_like_code: string | null; host: string | null; tz: string | null; lines: number; events: number; continuations: number; skipped: number;
  duplicates: number; unanchored: number; first_us: number | null; last_us: number | null;
}
interface EventDb {
  ts_us: number | null; line: number; host: string; source: string; kind: string; severity: number; message: string; raw: string; fields: string | null;
  count: number; uptime_us: number | null; boot_id: number | null; time_note: string | null; tkey: number; dhash: number; occ: number; boot_key: number;
}
interface BootDb {
  id: number; segment: number; host: string; last_segment: number; min_uptime_us: number | null; max_uptime_us: number | null; anchor_us: number | null;
  anchor_why: string | null; precision_us: number | null; evidence: string | null;
}

const BATCH = 5000;

export function exportToClickHouse(db: DB, writer: ClickHouseWriter, progress?: (line: string) => void): ExportSummary {
  const files = db.prepare('SELECT id, path, real_path, host, sha256, size, mtime_ms, gzip, complete FROM files ORDER BY id').all() as FileDb[];
  const sectionsOf = db.prepare(`SELECT id, ordinal, title, start_line, end_line, format, looked_like, looked_like_code, host, tz, lines, events, continuations,
    skipped, duplicates, unanchored, first_us, last_us FROM sections WHERE file_id = ? ORDER BY ordinal`);
  // The section's own rows, and those it owns beside another file (stored once, under the first);
  // the boot key from event_rows (the events view leaves it out).
  const eventsOf = db.prepare(`SELECT * FROM (
      SELECT ts_us, line, host, source, kind, severity, message, raw, fields, count, uptime_us, boot_id, time_note, tkey, dhash, occ, (SELECT k.boot_key FROM event_rows k WHERE k.id = events.id) AS boot_key, id FROM events WHERE section_id = ?
      UNION ALL
      SELECT e.ts_us, o.line, e.host, e.source, e.kind, e.severity, e.message, e.raw, e.fields, e.count, e.uptime_us, NULL, e.time_note, e.tkey, e.dhash, e.occ, (SELECT k.boot_key FROM event_rows k WHERE k.id = e.id), e.id
      FROM event_owners o JOIN events e ON e.id = o.event_id WHERE o.section_id = ?)
    ORDER BY id`);
  const bootsOf = db.prepare('SELECT id, segment, host, last_segment, min_uptime_us, max_uptime_us, anchor_us, anchor_why, precision_us, evidence FROM boots WHERE section_id = ? ORDER BY segment');
  const notesOf = db.prepare('SELECT level, code, text, count FROM notes WHERE section_id = ? ORDER BY id');
  const coverageOf = db.prepare('SELECT host, source, start_us, end_us FROM coverage WHERE section_id = ? ORDER BY rowid');
  const out: ExportSummary = { files: 0, sections_copied: 0, sections_present: 0, events_written: 0, events_total: 0 };
  for (const f of files) {
    out.files++;
    const version = { path: f.path, realPath: f.real_path, host: f.host, sha256: f.sha256, size: f.size, mtimeMs: f.mtime_ms ?? 0, gzip: f.gzip === 1 };
    let fileId: number | null = null;
    const sections = sectionsOf.all(f.id) as SectionDb[];
    sections.forEach((s, i) => {
      const begun = writer.beginSection(version, fileId, s.ordinal);
      fileId = begun.fileId;
      const tx = begun.tx;
      if (!tx) {
        out.sections_present++;
        return;
      }
      const boots = bootsOf.all(s.id) as BootDb[];
      const bootIds = new Map(boots.map((b) => [b.id, tx.bootId(b.segment)]));
      let batch: NewEvent[] = [];
      for (const e of eventsOf.iterate(s.id, s.id) as IterableIterator<EventDb>) {
        batch.push({
          tsUs: e.ts_us, line: e.line, host: e.host, source: e.source, kind: e.kind, severity: (SEVERITIES[e.severity] ?? 'info') as Severity,
          message: e.message, raw: e.raw, fields: e.fields ? (JSON.parse(e.fields) as Fields) : {}, count: e.count, uptimeUs: e.uptime_us,
          bootId: e.boot_id === null ? null : (bootIds.get(e.boot_id) ?? null), timeNote: e.time_note, tkey: e.tkey, dhash: e.dhash, occ: e.occ,
          // SQLite's boot key as it is: keys need only agree within a store, and later ingests read them back.
          bootKey: e.boot_key,
        });
        if (batch.length >= BATCH) {
          tx.addEvents(batch);
          out.events_written += batch.length;
          batch = [];
        }
      }
      tx.addEvents(batch);
      out.events_written += batch.length;
      for (const b of boots) {
        tx.placeBoot({
          segment: b.segment, host: b.host, last: b.last_segment === 1, minUptimeUs: b.min_uptime_us ?? 0, maxUptimeUs: b.max_uptime_us ?? 0,
          anchorUs: b.anchor_us, anchorWhy: b.anchor_why, precisionUs: b.precision_us, evidence: b.evidence ? (JSON.parse(b.evidence) as BootEvidenceRecord) : null,
        });
      }
      for (const n of notesOf.all(s.id) as { level: Note['level']; code: string; text: string; count: number }[]) tx.addNote({ ...n, code: n.code as NoteCode });
      const spans = coverageOf.all(s.id) as { host: string; source: string; start_us: number; end_us: number }[];
      // Coverage rows are already per host and source: one span per stream.
      for (const c of spans) tx.setCoverageRow(c.host, c.source, c.start_us, c.end_us);
      tx.commit({
        title: s.title, startLine: s.start_line, endLine: s.end_line, format: s.format, lookedLike: s.looked_like, lookedLikeCode: s.looked_like_code as LookedLikeCode | null,
        host: s.host, tz: s.tz, lines: s.lines, events: s.events, continuations: s.continuations, skipped: s.skipped, duplicates: s.duplicates,
        unanchored: s.unanchored, firstUs: s.first_us, lastUs: s.last_us,
      }, i === sections.length - 1 && f.complete === 1);
      out.sections_copied++;
      progress?.(`${f.path}${s.title ? ` [${s.title}]` : ''}`);
    });
  }
  out.events_total = writer.totalEvents();
  return out;
}
