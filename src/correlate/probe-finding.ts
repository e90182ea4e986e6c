/** The `probe-artifact` finding: a probe judged to lie, from when, why, and the lines that show it. */
import type { EventTable } from './event-table.js';
import type { FindingDraft } from './findings.js';
import { evidenceFrom } from './evidence.js';
import type { ProbeJudgement } from './probe.js';
import type { WindowLike } from './judge.js';
import type { WindowHit } from '../model/finding.js';
import { iso, overlaps, SECOND_US } from './stats.js';

export function probeArtifactFinding(
  events: EventTable,
  j: ProbeJudgement,
  confirmed: readonly WindowLike[],
  outageIds: readonly number[],
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
  // Confirmed windows a lying window overlaps: the judge's hits of this finding.
  const hits: WindowHit[] = [];
  confirmed.forEach((c, k) => {
    const w = lying.find((l) => overlaps(l, c));
    if (w) hits.push({ outage: outageIds[k]!, firstUs: w.startUs, leadS: Math.round((c.startUs - w.startUs) / (SECOND_US / 10)) / 10, led: false });
  });
  const overlapping = hits.length;
  const period = j.periodS !== null ? `, a fake cycle every ${j.periodS} s` : '';
  return {
    finding: {
      id: '',
      host: j.target,
      kind: 'probe-artifact',
      verdict: 'artifact',
      startUs: first.startUs,
      endUs: last.endUs,
      bursts: lying.map((w) => ({ startUs: w.startUs, endUs: w.endUs, count: 1 })),
      outagesHit: overlapping,
      outagesTotal: confirmed.length,
      chance: null,
      summary: `The probe of ${j.target} lies from ${iso(first.startUs)}: ${lying.length} down window${lying.length === 1 ? '' : 's'}${period}, ${contradictions.length} contradicted by other sources; ${j.reasons.length} independent reasons.`,
      evidence: evidenceFrom(events, picks),
      hits,
      reason: `${j.reasons.length} independent reasons show the probe lies`,
      periodS: j.periodS,
      reasons: j.reasons,
      windows: lying.length,
      trustedWindows: j.lieFrom,
    },
    hitWindows: [],
    key: j.target,
  };
}
