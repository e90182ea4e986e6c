/**
 * Lead and lag under the onset's uncertainty: an onset known only to within a probe's poll may lie
 * anywhere in it, so a line inside that spread leads the onset only as likely as the onset lies
 * later. Symptoms a few seconds into a poll are symptoms; causes a few seconds before the onset stay
 * causes; a line after an onset known to within seconds leads nothing.
 */
import { describe, expect, it } from 'vitest';
import { type JudgeContext, type WindowLike, judgeSignal, ledShare } from '../../src/correlate/judge.js';
import { buildSeries } from '../../src/correlate/series.js';
import { EventBuilder, MINUTE, SECOND, at } from './builder.js';

const T0 = at('2026-05-26T00:00:00Z');
const SPAN = { startUs: T0, endUs: T0 + 360 * MINUTE };

/** A probe's window: the first failed poll at `startMin`, the last good one `pollS` before it. */
function probeWindow(startMin: number, pollS: number, lengthMin = 8): WindowLike {
  const startUs = T0 + startMin * MINUTE;
  return { startUs, endUs: startUs + lengthMin * MINUTE, onsetEarliestUs: startUs - pollS * SECOND, onsetLatestUs: startUs };
}

function series(seconds: readonly number[]) {
  const b = new EventBuilder();
  for (const s of seconds) b.add({ tsUs: T0 + s * SECOND, kind: 'k3s.lease_failure', message: 'x' });
  const events = b.build();
  return buildSeries(events, events.map((_, i) => i));
}

describe('the chance that the onset came after a line', () => {
  const w = probeWindow(100, 60);
  it('is 1 before the spread, 0 after it, and the share of the spread after the line inside it', () => {
    expect(ledShare(w, w.onsetEarliestUs! - SECOND)).toBe(1);
    expect(ledShare(w, w.startUs + SECOND)).toBe(0);
    expect(ledShare(w, w.onsetEarliestUs! + 45 * SECOND)).toBeCloseTo(0.25, 10);
    expect(ledShare(w, w.onsetEarliestUs! + 6 * SECOND)).toBeCloseTo(0.9, 10);
  });

  it('treats a window without a stated spread as known to within a minute after its start', () => {
    const reported: WindowLike = { startUs: T0 + 100 * MINUTE, endUs: T0 + 110 * MINUTE };
    expect(ledShare(reported, reported.startUs + 15 * SECOND)).toBeCloseTo(0.75, 10);
  });
});

describe('a signal whose first line falls inside every onset spread', () => {
  const onsets = [60, 130, 200, 270];
  const windows = onsets.map((m) => probeWindow(m, 60));
  const ctx: JudgeContext = { span: SPAN, windows };

  it('is a symptom when it comes late in each poll (more likely after the onset), with the chance printed', () => {
    // 45–50 s after each last good poll, then every 20 s while the host is down; nothing elsewhere.
    const lines = onsets.flatMap((m, k) => [0, 20, 40, 60, 80].map((d) => m * 60 - 60 + 45 + k + d));
    const j = judgeSignal(series(lines), ctx);
    expect(j.verdict).toBe('symptom');
    expect(j.ledExpected).toBeLessThan(1.2);
    const after = j.rules.find((r) => r.rule === 'symptom: after the onset, not before')!;
    expect(after.met).toBe(true);
    expect(after.detail).toMatch(/the onset came before its first event with chance 0\.7/);
  });

  it('leads them when it comes early in each poll, and a short burst before the onsets stays a cause', () => {
    // 3–6 s after each last good poll: the onset came later with chance 0.9–0.95; then a few lines in 20 s.
    const lines = onsets.flatMap((m, k) => [0, 5, 10, 20].map((d) => m * 60 - 60 + 3 + k + d));
    const j = judgeSignal(series(lines), ctx);
    expect(j.leadHits).toBe(4);
    expect(j.ledExpected).toBeGreaterThan(3.5);
    expect(j.verdict).toBe('cause');
  });

  it('says how many onsets it leads once their spreads are allowed for, and fails "most" on that figure', () => {
    // 45 s into each 60 s poll (the onset came later with chance 0.25), and now and then elsewhere: 4
    // led by the zones, 1 once the spreads are allowed for.
    const lines = [...onsets.map((m) => m * 60 - 60 + 45), ...[20, 100, 170, 240, 320].map((m) => m * 60)];
    const j = judgeSignal(series(lines), ctx);
    const most = j.rules.find((r) => r.rule === 'cause: leads most onsets')!;
    expect(most.met).toBe(false);
    expect(most.detail).toBe('4 of 4 onsets led (1 allowing for where in its spread each onset lies)');
    expect(j.verdict).not.toBe('cause');
  });
});

describe('an onset the evidence places to within seconds', () => {
  it('is not led by a line 16 s after it (no minute added to a spread the evidence states)', () => {
    // A fast scanner's silence: the last line 4 s before the next one was due.
    const a: WindowLike = { startUs: T0 + 100 * MINUTE, endUs: T0 + 112 * MINUTE, onsetEarliestUs: T0 + 100 * MINUTE, onsetLatestUs: T0 + 100 * MINUTE + 4 * SECOND };
    const b: WindowLike = { startUs: T0 + 250 * MINUTE, endUs: T0 + 262 * MINUTE, onsetEarliestUs: T0 + 250 * MINUTE, onsetLatestUs: T0 + 250 * MINUTE + 4 * SECOND };
    // Led truly at the first (120 s before), 16 s late at the second.
    const j = judgeSignal(series([100 * 60 - 120, 250 * 60 + 16, 30 * 60, 180 * 60, 330 * 60]), { span: SPAN, windows: [a, b] });
    expect(j.leadHits).toBe(1);
    expect(j.verdict).not.toBe('cause');
  });
});

describe('the rise before onsets', () => {
  it('compares rates where the signal runs, not over a span it covers only half of', () => {
    // An attack every 20 s from minute 150 to the end, silent inside the outages (a network witness).
    const windows: WindowLike[] = [200, 280].map((m) => ({ startUs: T0 + m * MINUTE, endUs: T0 + (m + 6) * MINUTE, onsetEarliestUs: T0 + m * MINUTE, onsetLatestUs: T0 + m * MINUTE + 20 * SECOND }));
    const lines: number[] = [];
    for (let s = 150 * 60; s < 360 * 60; s += 20) if (!windows.some((w) => T0 + s * SECOND > w.startUs && T0 + s * SECOND < w.endUs)) lines.push(s);
    const j = judgeSignal(series(lines), { span: SPAN, windows });
    expect(j.rise).toBeGreaterThan(0.8);
    expect(j.rise).toBeLessThan(1.25);
    expect(j.verdict).toBe('background');
  });
});
