/**
 * Gathers what the correlator needs from the store: the events of the span, the reported windows
 * (--window), and facts about the probe's recovery snapshots that were ingested (help text instead
 * of diagnostics, identical copies). Shared by `correlate`, `report` and `demo`.
 */
import { basename } from 'node:path';
import type { DB } from '../store/db.js';
import { loadEventColumns, loadEventsInOrder, sourceCoverage } from '../store/queries.js';
import type { EventRow } from '../store/types.js';
import { type EventTable, asTable } from '../correlate/event-table.js';
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
export function snapshotFacts(db: DB, eventsOrTable: readonly EventRow[] | EventTable): ProbeSnapshotFact[] {
  const events = asTable(eventsOrTable);
  const named = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    if (events.source(i) !== 'probe') continue;
    const snapshot = events.fields(i).snapshot;
    if (typeof snapshot === 'string') named.add(basename(snapshot));
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

/**
 * Correlates the events of the span. The correlator reads columns (src/correlate/event-table.ts);
 * `events` (whole rows, what the report's timeline shows) is loaded only if the caller reads it, so
 * `corr correlate` never holds a million row objects. Read it before closing the database.
 */
export function analyse(db: DB, opts: AnalysisOptions): { readonly events: EventRow[]; result: CorrelateReport } {
  const reported = readReportedWindows(opts.windows, opts.tz, opts.refMs);
  const table = loadEventColumns(db, { sinceUs: opts.sinceUs, untilUs: opts.untilUs });
  const result = correlate(table, {
    sinceUs: opts.sinceUs,
    untilUs: opts.untilUs,
    reported,
    probeSnapshots: snapshotFacts(db, table),
    coverage: sourceCoverage(db),
  });
  let events: EventRow[] | null = null;
  return {
    get events(): EventRow[] {
      events ??= loadEvents(db, opts.sinceUs, opts.untilUs);
      return events;
    },
    result,
  };
}
