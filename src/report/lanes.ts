import type { TimelineRow } from '../timeline/types.js';

/** Sources in the fixed order the figure and the tables use; others follow alphabetically. */
export const SOURCE_ORDER = ['kernel', 'k3s', 'sshd', 'probe', 'syslog'] as const;

/** The sources present in the timeline, in lane order. */
export function lanesOf(rows: readonly TimelineRow[]): string[] {
  const present = new Set(rows.map((r) => r.source));
  const known: string[] = SOURCE_ORDER.filter((s) => present.has(s));
  const others = [...present].filter((s) => !(SOURCE_ORDER as readonly string[]).includes(s)).sort();
  return [...known, ...others];
}
