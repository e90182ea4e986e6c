/**
 * Evidence lines: the few log lines that prove a finding's point, each leading back to file:line.
 * Messages are hostile (attacker-chosen user names, 100k-character lines), so the quoted text is
 * capped; file:line leads to the whole line.
 */
import type { EventRow } from '../model/event.js';
import type { EvidenceLine } from '../model/finding.js';
import type { EventTable } from './event-table.js';

export const MAX_EVIDENCE = 10;
export const MAX_EVIDENCE_TEXT = 500;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function evidenceLine(e: EventRow): EvidenceLine {
  return { tsUs: e.tsUs, file: e.file, line: e.line, text: truncate(e.message, MAX_EVIDENCE_TEXT) };
}

/**
 * The evidence line of event i, whose file, line and text are read from the store when first read
 * (EventTable.deferRow): every line named this way before the first read is fetched in that one
 * lookup. The instant is the column's, so ordering lines by it fetches nothing. `host` is set on
 * cross-host findings' lines. The keys are those of `evidenceLine`, in its order (JSON output).
 */
export function deferredEvidenceLine(events: EventTable, i: number, host?: string): EvidenceLine {
  const row = events.deferRow(i);
  const line = { tsUs: events.ts(i) } as EvidenceLine;
  const lazy = (key: 'file' | 'line' | 'text', of: (r: EventRow) => string | number): void => {
    Object.defineProperty(line, key, { enumerable: true, get: () => of(row()) });
  };
  lazy('file', (r) => r.file);
  lazy('line', (r) => r.line);
  lazy('text', (r) => truncate(r.message, MAX_EVIDENCE_TEXT));
  if (host !== undefined) line.host = host;
  return line;
}

/** A copy of a line with its host set (cross-host findings) that keeps its fields unread until read. */
export function withHost(line: EvidenceLine, host: string): EvidenceLine {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(line)) as EvidenceLine;
  copy.host = host;
  return copy;
}

/** Event positions given in priority order: duplicates dropped, the first MAX_EVIDENCE kept, in time order (ties by event order). */
export function evidencePositions(prioritized: readonly number[]): number[] {
  const chosen: number[] = [];
  const seen = new Set<number>();
  for (const i of prioritized) {
    if (i < 0 || seen.has(i)) continue;
    seen.add(i);
    chosen.push(i);
    if (chosen.length === MAX_EVIDENCE) break;
  }
  return chosen.sort((a, b) => a - b);
}

/**
 * Evidence from event indices given in priority order: duplicates dropped, the first MAX_EVIDENCE
 * kept, then printed in time order (ties by event order) so they read as a story. The lines' text
 * is fetched when first read, with every other finding's (deferredEvidenceLine).
 */
export function evidenceFrom(events: EventTable, prioritized: readonly number[]): EvidenceLine[] {
  return evidencePositions(prioritized).map((i) => deferredEvidenceLine(events, i));
}
