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
 * Evidence from event indices given in priority order: duplicates dropped, the first MAX_EVIDENCE
 * kept, then printed in time order (ties by event order) so they read as a story.
 */
export function evidenceFrom(events: EventTable, prioritized: readonly number[]): EvidenceLine[] {
  const chosen: number[] = [];
  const seen = new Set<number>();
  for (const i of prioritized) {
    if (i < 0 || seen.has(i)) continue;
    seen.add(i);
    chosen.push(i);
    if (chosen.length === MAX_EVIDENCE) break;
  }
  chosen.sort((a, b) => a - b);
  events.prefetchRows(chosen);
  return chosen.map((i) => evidenceLine(events.row(i)));
}
