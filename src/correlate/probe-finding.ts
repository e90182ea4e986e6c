/** The `probe-artifact` finding: a probe judged to lie, from when, why, and the lines that show it. */
import type { EventTable } from './event-table.js';
import type { FindingDraft } from './findings.js';
import { evidenceFrom } from './evidence.js';
import type { ProbeJudgement, ProbeWindow } from './probe.js';
import type { ProbeClock } from './probe-clock.js';
import type { WindowLike } from './judge.js';
import type { WindowHit } from '../model/finding.js';
import { iso, overlaps, seconds, SECOND_US } from './stats.js';

export function probeArtifactFinding(
  events: EventTable,
  j: ProbeJudgement,
  confirmed: readonly WindowLike[],
  outageIds: readonly number[],
): FindingDraft {
  const lying = j.windows.filter((_, i) => j.lying[i]);
  const first = lying[0]!;
  const last = lying[lying.length - 1]!;
  const picks: number[] = [];
  // The last trusted window shows the old failure mode; then the first lying ones and the contradictions.
  if (j.lieFrom > 0 && !j.lying[j.lieFrom - 1]) picks.push(j.windows[j.lieFrom - 1]!.openIndex);
  const contradictions = j.contradictions.filter((c) => j.lying[c.window]);
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
      trustedWindows: j.windows.length - lying.length,
    },
    hitWindows: [],
    key: j.target,
  };
}

/**
 * The `probe-clock` finding: a probe whose down windows sit at one constant offset from the host's
 * witness silences. Its verdict is `artifact` (the probe's timestamps are false, not the outages),
 * `offsetS` is positive when the probe's clock runs ahead, with its uncertainty, and it says whether
 * the probe was then used realigned or not at all.
 */
export function probeClockFinding(
  events: EventTable,
  target: string,
  windows: readonly ProbeWindow[],
  clock: ProbeClock,
  confirmed: readonly WindowLike[],
): FindingDraft {
  const offsetS = seconds(clock.offsetUs);
  const uncertaintyS = seconds(clock.uncertaintyUs);
  const picks: number[] = [];
  for (const m of clock.matched.slice(0, 5)) {
    const w = windows[m.window]!;
    if (w.openIndex >= 0) picks.push(w.openIndex);
    const t = clock.targets[m.silence]!;
    if (t.beforeIndex >= 0) picks.push(t.beforeIndex);
  }
  const first = windows[0]!;
  const last = windows[windows.length - 1]!;
  const direction = clock.offsetUs > 0 ? 'ahead of' : 'behind';
  const use = clock.realigned
    ? `its windows are used realigned by ${-offsetS} s`
    : 'its matched windows do not agree on one offset, so its windows are not used';
  const poll = clock.pollKnown ? `its poll of ${seconds(clock.pollUs)} s` : `its poll, which its log does not state (at most ${seconds(clock.pollUs)} s: the longest beat every one of its transitions lies on)`;
  const reasons = [
    `${clock.matched.length} of its ${windows.length} down windows line up with the host's witness silences, both edges, when shifted by ${-offsetS} s; ${clock.matchedAtZero} do without the shift.`,
    `Without the shift, ${clock.contradictedAtZero} of its windows put the host down where a network witness shows it answered; with it, ${clock.contradicted}.`,
    `Every matched pair allows the offset ${offsetS} ± ${uncertaintyS} s (${poll}, and the silences' edge spreads).`,
  ];
  return {
    finding: {
      id: '',
      host: target,
      kind: 'probe-clock',
      verdict: 'artifact',
      startUs: first.startUs,
      endUs: last.endUs,
      bursts: windows.map((w) => ({ startUs: w.startUs, endUs: w.endUs, count: 1 })),
      outagesHit: clock.matched.length,
      outagesTotal: confirmed.length,
      chance: null,
      summary: `The probe of ${target} runs ${Math.abs(offsetS)} s (± ${uncertaintyS} s) ${direction} the other sources: ${clock.matched.length} of its ${windows.length} down windows line up with the host's silences at that one offset; ${use}.`,
      evidence: evidenceFrom(events, picks),
      hits: [],
      reason: `its windows sit at one constant offset of ${offsetS} ± ${uncertaintyS} s from the host's silences`,
      offsetS,
      offsetUncertaintyS: uncertaintyS,
      realigned: clock.realigned,
      reasons,
    },
    hitWindows: [],
    key: `${target}\u0000clock`,
  };
}
