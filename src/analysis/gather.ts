/**
 * Gathers what the correlator needs from the store: the events of the span, the reported windows
 * (--window), and facts about the probe's recovery snapshots that were ingested (help text instead
 * of diagnostics, identical copies). Shared by `correlate`, `report` and `demo`.
 */
import { basename } from 'node:path';
import type { DB } from '../store/db.js';
import { SqliteReader } from '../store/queries.js';
import type { StoreReader } from '../store/interface.js';
import type { EventQuery, EventRow } from '../model/event.js';
import { type EventTable, ColumnTable, FIELD_KEYS, FIELD_KINDS, FIELD_SOURCES, asTable } from '../correlate/event-table.js';
import { toContractJson } from '../correlate/contract-json.js';
import type { CorrelationResult } from '../model/finding.js';
import { judge, type CorrelateReport, type ReportedWindow } from '../correlate/engine.js';
import type { ProbeSnapshotFact } from '../correlate/probe.js';
import { parseWindow, resolveZone } from '../time/expressions.js';
import type { ClusterOption } from '../correlate/cross-host.js';

export interface AnalysisOptions {
  sinceUs?: number;
  untilUs?: number;
  windows: string[];
  tz?: string;
  refMs?: number;
  /** `--cluster`, resolved (cross-host correlation); default: what the store's k3s lines say. */
  cluster?: ClusterOption;
}

export function readReportedWindows(windows: string[], tz: string | undefined, refMs?: number): ReportedWindow[] {
  const zone = tz !== undefined ? resolveZone(tz, '--tz') : undefined;
  return windows.map((w) => {
    const r = parseWindow(w, '--window', { tz: zone, refMs });
    return { startUs: r.start.ms * 1000, endUs: r.end.ms * 1000, text: w };
  });
}

export function loadEvents(store: StoreReader, sinceUs?: number, untilUs?: number): EventRow[] {
  return store.eventList({ sinceUs, untilUs });
}

/** Facts about ingested files that a probe named as its snapshots. */
export function snapshotFacts(store: StoreReader, eventsOrTable: readonly EventRow[] | EventTable): ProbeSnapshotFact[] {
  const events = asTable(eventsOrTable);
  const named = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    if (events.source(i) !== 'probe') continue;
    const snapshot = events.fields(i).snapshot;
    if (typeof snapshot === 'string') named.add(basename(snapshot));
  }
  if (named.size === 0) return [];
  // Help text is known by the section's looked-like code (src/model/notes.ts), never by its wording.
  const files = store.sources();
  const firstBySha = new Map<string, string>();
  const out: ProbeSnapshotFact[] = [];
  for (const f of files) {
    if (!named.has(basename(f.path))) continue;
    const twin = firstBySha.get(f.sha256);
    if (!twin) firstBySha.set(f.sha256, f.path);
    out.push({ path: f.path, looksLikeHelpText: f.helpText && !f.hasLog, ...(twin ? { identicalTo: twin } : {}) });
  }
  return out;
}

/** The events of a query as the correlator's column table, with the fields its detectors read. */
export function loadEventTable(store: StoreReader, q: EventQuery): ColumnTable {
  const batch = store.eventColumns(q, { sources: FIELD_SOURCES, kinds: FIELD_KINDS, keys: FIELD_KEYS });
  return new ColumnTable(batch.columns, batch.lookup);
}

/**
 * Correlates the events of the span. The correlator reads columns (src/correlate/event-table.ts);
 * `events` (whole rows, what the report's timeline shows) is loaded only if the caller reads it, so
 * `corr correlate` never holds a million row objects. Read it before closing the database.
 */
export function analyse(from: DB | StoreReader, opts: AnalysisOptions): { readonly events: EventRow[]; result: CorrelateReport; model: CorrelationResult } {
  const reported = readReportedWindows(opts.windows, opts.tz, opts.refMs);
  const store: StoreReader = 'eventColumns' in from ? from : new SqliteReader(from);
  const table = loadEventTable(store, { sinceUs: opts.sinceUs, untilUs: opts.untilUs });
  const model = judge(table, {
    sinceUs: opts.sinceUs,
    untilUs: opts.untilUs,
    reported,
    probeSnapshots: snapshotFacts(store, table),
    coverage: store.sourceCoverage(),
    cluster: opts.cluster,
  });
  let events: EventRow[] | null = null;
  return {
    get events(): EventRow[] {
      events ??= loadEvents(store, opts.sinceUs, opts.untilUs);
      return events;
    },
    // The contract's JSON (what --json prints); `model` is the same result typed, instants in microseconds.
    result: toContractJson(model),
    model,
  };
}
