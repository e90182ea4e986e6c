/** The `probe-artifact` finding: a probe judged to lie, from when, why, and the lines that show it. */
import type { EventTable } from './event-table.js';
import type { FindingDraft } from './findings.js';
import { evidenceFrom } from './evidence.js';
import type { ProbeJudgement, ProbeWindow } from './probe.js';
import type { ProbeClock } from './probe-clock.js';
import type { SilenceWindow } from './silence-windows.js';
import type { WindowLike } from './judge.js';
import { iso, overlaps, seconds } from './stats.js';

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

/**
 * The `probe-clock` finding: a probe whose down windows sit at one constant offset from the host's
 * silences. Its verdict is `artifact` (the probe's timestamps are false, not the outages), `offset_s`
 * is positive when the probe's clock runs ahead, and it says whether the probe was then used
 * realigned or not at all.
 */
export function probeClockFinding(
  events: EventTable,
  target: string,
  windows: readonly ProbeWindow[],
  clock: ProbeClock,
  silences: readonly SilenceWindow[],
  confirmed: readonly WindowLike[],
): FindingDraft {
  const offsetS = seconds(clock.offsetUs);
  const picks: number[] = [];
  for (const m of clock.matched.slice(0, 5)) {
    const w = windows[m.window]!;
    if (w.openIndex >= 0) picks.push(w.openIndex);
    const s = silences[m.silence]!;
    if (s.members[0]) picks.push(s.members[0].beforeIndex);
  }
  const first = windows[0]!;
  const last = windows[windows.length - 1]!;
  const direction = clock.offsetUs > 0 ? 'ahead of' : 'behind';
  const use = clock.realigned
    ? `its windows are used realigned by ${-offsetS} s`
    : `its residuals (median ${seconds(clock.residualUs)} s) exceed the tolerance (${seconds(clock.toleranceUs)} s), so its windows are not used`;
  return {
    finding: {
      id: '',
      host: target,
      kind: 'probe-clock',
      verdict: 'artifact',
      start: iso(first.startUs),
      end: iso(last.endUs),
      bursts: windows.map((w) => ({ start: iso(w.startUs), end: iso(w.endUs), count: 1 })),
      outages_hit: clock.matched.length,
      outages_total: confirmed.length,
      chance: null,
      summary: `The probe of ${target} runs ${Math.abs(offsetS)} s ${direction} the other sources: ${clock.matched.length} of its ${windows.length} down windows line up with the host's silences at that one offset (median residual ${seconds(clock.residualUs)} s, tolerance ${seconds(clock.toleranceUs)} s; ${clock.matchedAtZero} without it); ${use}.`,
      evidence: evidenceFrom(events, picks),
      offset_s: offsetS,
      matched_windows: clock.matched.length,
      matched_without_offset: clock.matchedAtZero,
      residual_s: seconds(clock.residualUs),
      tolerance_s: seconds(clock.toleranceUs),
      realigned: clock.realigned,
    },
    hitWindows: [],
    key: `${target}\u0000clock`,
  };
}
