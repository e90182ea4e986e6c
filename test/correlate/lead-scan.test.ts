/**
 * The consistent-lead scan (lead-scan.ts) and Holm's step-down (judge.ts holmDivisors): a cause whose
 * starts come at one lead before every onset is told from a background line whose starts fall at
 * leads spread over the lead zone, and the scan's chance holds its level when onsets fall at random.
 */
import { describe, expect, it } from 'vitest';
import { SCAN_DRAWS, consistentLeadChance } from '../../src/correlate/lead-scan.js';
import { holmDivisors } from '../../src/correlate/judge.js';
import { mulberry32 } from '../../src/correlate/prng.js';

const S = 1_000_000;
const MIN = 60 * S;
const SPAN = { startUs: 0, endUs: 360 * MIN };
const LEAD = 5 * MIN;

/** Windows whose onset is known to within 10 s, each a block of its own. */
function windowsAt(onsetsMin: readonly number[]) {
  const windows = onsetsMin.map((m) => ({ lo: m * MIN, hi: m * MIN + 10 * S }));
  return { windows, blocks: windows.map((_, i) => [i]) };
}

/** `count` starts spread by a seeded generator over the span, and the given ones, sorted. */
function startsWith(extra: readonly number[], count: number, seed: number): Float64Array {
  const next = mulberry32(seed);
  const ts = [...extra];
  for (let k = 0; k < count; k++) ts.push(Math.round(SPAN.startUs + next() * (SPAN.endUs - SPAN.startUs)));
  return Float64Array.from(ts).sort();
}

describe('the consistent-lead scan', () => {
  const onsets = [40, 110, 190, 300];
  const { windows, blocks } = windowsAt(onsets);

  it('finds the lead a cause keeps before every onset, and gives it a small chance', () => {
    // 120 s (± 2 s) before each onset, among 40 background starts over six hours (one per 9 min).
    const cause = onsets.map((m, k) => m * MIN - (120 + [-2, 1, 2, 0][k]!) * S);
    const r = consistentLeadChance(startsWith(cause, 40, 7), windows, blocks, [SPAN], LEAD)!;
    expect(r.held).toBe(4);
    // The annulus is read off the leads seen: the onset can lie up to 10 s after lo, so the leads of
    // the four starts span 118–132 s at most.
    expect(r.fromS).toBeGreaterThanOrEqual(110);
    expect(r.toS).toBeLessThanOrEqual(132);
    expect(r.chance).toBeLessThanOrEqual(0.002);
    expect(r.draws).toBe(SCAN_DRAWS);
  });

  it('gives starts at leads spread over the zone a far larger chance than the same count at one lead', () => {
    const spread = onsets.map((m, k) => m * MIN - [30, 110, 200, 280][k]! * S);
    const consistent = onsets.map((m) => m * MIN - 150 * S);
    const a = consistentLeadChance(startsWith(spread, 40, 7), windows, blocks, [SPAN], LEAD)!;
    const b = consistentLeadChance(startsWith(consistent, 40, 7), windows, blocks, [SPAN], LEAD)!;
    expect(a.chance).toBeGreaterThan(10 * b.chance);
  });

  it('is deterministic: the same input gives the same chance', () => {
    const ts = startsWith(onsets.map((m) => m * MIN - 60 * S), 30, 3);
    expect(consistentLeadChance(ts, windows, blocks, [SPAN], LEAD)).toEqual(consistentLeadChance(ts, windows, blocks, [SPAN], LEAD));
  });

  it('holds its level: with onsets placed at random, chance ≤ 0.05 in about 5 % of hosts, not more', () => {
    // 120 hosts: 3 onsets placed at random, 30 background starts; nothing leads them but chance.
    const next = mulberry32(11);
    let small = 0;
    const hosts = 120;
    for (let h = 0; h < hosts; h++) {
      const on = [0, 1, 2].map((k) => 20 + k * 110 + next() * 90);
      const w = windowsAt(on);
      const r = consistentLeadChance(startsWith([], 30, 100 + h), w.windows, w.blocks, [SPAN], LEAD)!;
      if (r.chance <= 0.05) small++;
    }
    // A valid test gives ≤ 0.05 with probability at most 0.05: 6 expected of 120; 14 or more has a
    // binomial chance under 0.3 % for a valid one.
    expect(small).toBeLessThan(14);
  });

  it('has nothing to say about a single onset or no room to place the windows', () => {
    const one = windowsAt([100]);
    const r = consistentLeadChance(Float64Array.from([100 * MIN - 60 * S]), one.windows, one.blocks, [SPAN], LEAD)!;
    // One window holds no annulus of two: no placement scores, every one ties, chance 1.
    expect(r.chance).toBe(1);
    expect(consistentLeadChance(Float64Array.from([0]), windows, [[0, 1, 2, 3]], [{ startUs: 0, endUs: 100 * MIN }], LEAD)).toBeNull();
  });
});

describe("Holm's step-down over an incident's tests", () => {
  it('holds the k-th smallest chance to 0.05/(m − k + 1)', () => {
    // Sorted 0.001 (0.05/3), 0.012 (0.05/2), 0.04 (0.05/1): all pass.
    expect(holmDivisors([0.001, 0.04, 0.012])).toEqual([
      { divisor: 3, rank: 1 },
      { divisor: 1, rank: 3 },
      { divisor: 2, rank: 2 },
    ]);
  });

  it('stops at the first that fails, and holds every larger chance to that threshold', () => {
    // 0.0001 passes 0.05/4; 0.02 fails 0.05/3 = 0.0167; 0.021 would pass 0.05/2 alone but Holm stops.
    expect(holmDivisors([0.02, 0.021, 0.022, 0.0001]).map((h) => h.divisor)).toEqual([3, 3, 3, 4]);
    expect(holmDivisors([])).toEqual([]);
    expect(holmDivisors([0.03])).toEqual([{ divisor: 1, rank: 1 }]);
  });
});
