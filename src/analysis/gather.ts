/**
 * Gathers what the correlator needs from the store: the events of the span, the reported windows
 * (--window), and facts about the probe's recovery snapshots that were ingested (help text instead
 * of diagnostics, identical copies). Shared by `correlate`, `report` and `demo`.
 */
import { basename } from 'node:path';
import type { DB } from '../store/db.js';
import { loadEventsInOrder } from '../store/queries.js';
import type { EventRow } from '../store/types.js';
import { correlate, type CorrelateReport, type ReportedWindow } from '../correlate/engine.js';
import type { ProbeSnapshotFact } from '../correlate/probe.js';
import { parseWindow, resolveZone } from '../time/expressions.js';

export interface AnalysisOptions {
  sinceUs?: number;
  untilUs?: number;
  windows: string[];
  tz?: string;
  refMs?: number;
}

export function readReportedWindows(windows: string[], tz: string | undefined, refMs?: number): ReportedWindow[] {
  const zone = tz !== undefined ? resolveZone(tz, '--tz') : undefined;
  return windows.map((w) => {
    const r = parseWindow(w, '--window', { tz: zone, refMs });
    return { startUs: r.start.ms * 1000, endUs: r.end.ms * 1000, text: w };
  });
}

export function loadEvents(db: DB, sinceUs?: number, untilUs?: number): EventRow[] {
  return loadEventsInOrder(db, { sinceUs, untilUs });
}

/** Facts about ingested files that a probe named as its snapshots. */
export function snapshotFacts(db: DB, events: EventRow[]): ProbeSnapshotFact[] {
  const named = new Set<string>();
  for (const e of events) {
    if (e.source === 'probe' && typeof e.fields.snapshot === 'string') named.add(basename(e.fields.snapshot));
  }
  if (named.size === 0) return [];
  const files = db
    .prepare(`SELECT f.path, f.sha256,
                max(CASE WHEN s.looked_like = 'CLI usage or help text' THEN 1 ELSE 0 END) AS help,
                max(CASE WHEN s.format IS NOT NULL THEN 1 ELSE 0 END) AS has_log
              FROM files f JOIN sections s ON s.file_id = f.id GROUP BY f.id ORDER BY f.path`)
    .all() as { path: string; sha256: string; help: number; has_log: number }[];
  const firstBySha = new Map<string, string>();
  const out: ProbeSnapshotFact[] = [];
  for (const f of files) {
    if (!named.has(basename(f.path))) continue;
    const twin = firstBySha.get(f.sha256);
    if (!twin) firstBySha.set(f.sha256, f.path);
    out.push({ path: f.path, looksLikeHelpText: f.help === 1 && f.has_log === 0, ...(twin ? { identicalTo: twin } : {}) });
  }
  return out;
}

export function analyse(db: DB, opts: AnalysisOptions): { events: EventRow[]; result: CorrelateReport } {
  const reported = readReportedWindows(opts.windows, opts.tz, opts.refMs);
  const events = loadEvents(db, opts.sinceUs, opts.untilUs);
  const result = correlate(events, { sinceUs: opts.sinceUs, untilUs: opts.untilUs, reported, probeSnapshots: snapshotFacts(db, events) });
  return { events, result };
}
