/**
 * Lead or lag under each window's onset uncertainty, and the floor of the lead chance at the edges
 * of what was watched. A signal's first line inside an onset's spread came before the onset with the
 * chance that the onset lies later in the spread (ledShare); the verdict's "leads rather than
 * follows" and the symptom's "after the onset" both read that chance, not the seconds from the
 * spread's start. And a start at the very first instant of a watched stretch can never be seen
 * leading (the permutation holds it in one placement alone), so it does not count towards the
 * smallest chance a template could reach.
 */
import { describe, expect, it } from 'vitest';
import { type JudgeContext, type WindowLike, judgeSignal, leadChanceFloor, seenStarts } from '../../src/correlate/judge.js';
import { buildSeries } from '../../src/correlate/series.js';
import { EventBuilder, MINUTE, SECOND, at } from './builder.js';

const T0 = at('2026-06-28T12:00:00Z');
const SPAN = { startUs: T0, endUs: T0 + 360 * MINUTE };

function series(seconds: readonly number[], kind = 'kernel.bridge_state') {
  const b = new EventBuilder();
  for (const s of [...seconds].sort((x, y) => x - y)) b.add({ tsUs: T0 + Math.round(s * SECOND), kind, message: 'x' });
  const events = b.build();
  return buildSeries(events, events.map((_, i) => i));
}

/** A fast scanner's silence: its last line at `startMin`, the next one due `spreadS` later; the window's start is the last line. */
function silenceWindow(startMin: number, spreadS: number, lengthMin = 4): WindowLike {
  const startUs = T0 + startMin * MINUTE;
  return { startUs, endUs: startUs + lengthMin * MINUTE, onsetEarliestUs: startUs, onsetLatestUs: startUs + spreadS * SECOND };
}

describe('a churn burst that starts a few seconds into each onset spread and runs on into the outage', () => {
  // Three outages; each onset is known only to within a silence's 13 s: the scanner's last line, then
  // its next one due. The churn's first line comes 2 s after the last line (11 s before the spread
  // ends: the onset came after it with chance 11/13), then a line every 20 s for 3 minutes.
  const onsetsMin = [60, 150, 250];
  const windows = onsetsMin.map((m) => silenceWindow(m, 13));
  const ctx: JudgeContext = { span: SPAN, windows };
  const lines = onsetsMin.flatMap((m) => Array.from({ length: 10 }, (_, k) => m * 60 + 2 + 20 * k));
  const j = judgeSignal(series(lines), ctx);

  it('leads the onsets: the median chance that each onset came after its first line is 0.85, though the lead from the spread\'s start is −2 s', () => {
    expect(j.leadS).toBe(-2);
    expect(j.firstLedShare).toBeCloseTo(11 / 13, 2);
    const before = j.rules.find((r) => r.rule === 'cause: leads rather than follows')!;
    expect(before.met).toBe(true);
    expect(before.detail).toBe('median lead -2 s; the onset came after its first event with chance 0.85 (median over windows)');
  });

  it('is no symptom: the outage more likely began after it', () => {
    const after = j.rules.find((r) => r.rule === 'symptom: after the onset, not before')!;
    expect(after.met).toBe(false);
    expect(j.verdict).toBe('cause');
  });
});

describe('a line late in each onset spread', () => {
  it('follows the onsets (chance 0.15 that the onset came after it) and is a symptom, not a cause', () => {
    const onsetsMin = [60, 150, 250];
    const windows = onsetsMin.map((m) => silenceWindow(m, 60));
    // 51 s into each 60 s spread, then every 20 s while down.
    const lines = onsetsMin.flatMap((m) => Array.from({ length: 8 }, (_, k) => m * 60 + 51 + 20 * k));
    const j = judgeSignal(series(lines, 'k3s.lease_failure'), { span: SPAN, windows });
    expect(j.firstLedShare).toBeCloseTo(0.15, 2);
    expect(j.rules.find((r) => r.rule === 'symptom: after the onset, not before')!.met).toBe(true);
    expect(j.verdict).toBe('symptom');
  });
});

describe('the smallest chance a signal could reach', () => {
  const windows = [silenceWindow(100, 30)];

  it('is 1 for a signal whose only start is the first instant of the span: no placement but one can hold it', () => {
    // A cron line every minute from the span's first instant: one episode, whose start is the span's start.
    const cron = series(Array.from({ length: 300 }, (_, k) => k * 60));
    const starts = seenStarts(cron, { span: SPAN });
    expect(Array.from(starts.ts)).toEqual([T0]);
    expect(leadChanceFloor(starts, windows, SPAN)).toBe(1);
  });

  it('is 1 for a start at the first instant of a watched stretch later in the span, and small for one inside it', () => {
    const stretch = [{ startUs: T0 + 30 * MINUTE, endUs: SPAN.endUs }];
    const atEdge = series([30 * 60]);
    expect(leadChanceFloor(atEdge, windows, stretch)).toBe(1);
    // One start 10 minutes into the stretch: a 30 s spread placed at random holds it in 30 s of
    // placements out of 330 min − 30 s, chance 30 / 19770 = 0.00152.
    const inside = series([40 * 60]);
    expect(leadChanceFloor(inside, windows, stretch)).toBe(0.00152);
  });
});
