/** The `probe-artifact` finding: a probe judged to lie, from when, why, and the lines that show it. */
import type { EventTable } from './event-table.js';
import type { FindingDraft } from './findings.js';
import { evidenceFrom } from './evidence.js';
import type { ProbeJudgement } from './probe.js';
import type { WindowLike } from './judge.js';
import { iso, overlaps } from './stats.js';

export function probeArtifactFinding(
  events: EventTable,
  j: ProbeJudgement,
  confirmed: readonly WindowLike[],
): FindingDraft {
  const lying = j.windows.slice(j.lieFrom);
  const first = lying[0]!;
  const last = lying[lying.length - 1]!;
  const picks: number[] = [];
  // The last trusted window shows the old failure mode; then the first lying ones and the contradictions.
  if (j.lieFrom > 0) picks.push(j.windows[j.lieFrom - 1]!.openIndex);
  const contradictions = j.contradictions.filter((c) => c.window >= j.lieFrom);
  for (const c of contradictions.slice(0, 3)) picks.push(c.eventIndex);
  for (const w of lying) picks.push(w.openIndex);
  const overlapping = confirmed.filter((c) => lying.some((w) => overlaps(w, c))).length;
  const period = j.periodS !== null ? `, a fake cycle every ${j.periodS} s` : '';
  return {
    finding: {
      id: '',
      host: j.target,
      kind: 'probe-artifact',
      verdict: 'artifact',
      start: iso(first.startUs),
      end: iso(last.endUs),
      bursts: lying.map((w) => ({ start: iso(w.startUs), end: iso(w.endUs), count: 1 })),
      outages_hit: overlapping,
      outages_total: confirmed.length,
      chance: null,
      summary: `The probe of ${j.target} lies from ${iso(first.startUs)}: ${lying.length} down window${lying.length === 1 ? '' : 's'}${period}, ${contradictions.length} contradicted by other sources; ${j.reasons.length} independent reasons.`,
      evidence: evidenceFrom(events, picks),
      ...(j.periodS !== null ? { period_s: j.periodS } : {}),
      reasons: j.reasons,
      windows: lying.length,
      trusted_windows: j.lieFrom,
    },
    hitWindows: [],
    key: j.target,
  };
}
