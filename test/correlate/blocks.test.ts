/**
 * The block permutation: outages that cluster (a flapping link) are moved as one block, their
 * spacing kept, so one coincidence with the signal counts once, not once per outage of the cluster.
 */
import { describe, expect, it } from 'vitest';
import { BLOCK_GAP_US, type JudgeContext, type WindowLike, blockCounts, exactChance, judgeSignal, windowBlocks } from '../../src/correlate/judge.js';
import { shiftFractions } from '../../src/correlate/prng.js';
import { buildSeries } from '../../src/correlate/series.js';
import { EventBuilder, MINUTE, SECOND, at } from './builder.js';

const T0 = at('2026-05-26T00:00:00Z');
const seriesAt = (minutes: readonly number[]) => {
  const b = new EventBuilder();
  for (const m of minutes) b.add({ tsUs: T0 + m * MINUTE, kind: 'kernel.x', message: 'x' });
  const events = b.build();
  return { events, series: buildSeries(events, events.map((_, i) => i)) };
};

describe('the blocks of the permutation', () => {
  const win = (startMin: number, endMin: number): WindowLike => ({ startUs: T0 + startMin * MINUTE, endUs: T0 + endMin * MINUTE });

  it('groups windows whose zones come within an episode gap of each other, and only those', () => {
    // Zones: 5 min before the onset through the end. 10–13 and 19–22: the second zone starts at 14,
    // one minute after the first ends. 60–63 is far from both; 69 starts 6 min after 63 (zone at 64): 1 min.
    expect(windowBlocks([win(10, 13), win(19, 22), win(60, 63), win(69, 72), win(200, 230)])).toEqual([[0, 1], [2, 3], [4]]);
    // An up-time of exactly lead + episode gap (10 min) leaves them apart.
    expect(windowBlocks([win(10, 13), win(13 + 10, 26)])).toEqual([[0], [1]]);
    expect(BLOCK_GAP_US).toBe(5 * MINUTE);
  });

  it('agrees with seeded random placements of the blocks, each moved whole', () => {
    const span = { startUs: T0, endUs: T0 + 480 * MINUTE };
    const zones = [
      [40, 46],
      [50, 56],
      [61, 67],
      [250, 256],
      [400, 406],
    ].map(([a, b]) => ({ startUs: T0 + a! * MINUTE, endUs: T0 + b! * MINUTE }));
    const blocks = [[0, 1, 2], [3], [4]];
    const { events, series } = seriesAt([37, 48, 60, 128, 251, 300, 10, 200, 460, 461, 470, 141, 152]);
    const draws = 20_000;
    const random = shiftFractions(23, blocks.length * draws);
    const len = span.endUs - span.startUs;
    for (const observed of [1, 2, 3, 4, 5]) {
      let asMany = 0;
      for (let k = 0; k < draws; k++) {
        let hits = 0;
        blocks.forEach((block, bi) => {
          const from = zones[block[0]!]!.startUs;
          const to = Math.max(...block.map((z) => zones[z]!.endUs));
          const x = span.startUs + random[k * blocks.length + bi]! * (len - (to - from));
          for (const z of block) {
            const a = x + zones[z]!.startUs - from;
            const e = a + zones[z]!.endUs - zones[z]!.startUs;
            if (events.some((ev) => ev.tsUs >= a && ev.tsUs <= e)) hits++;
          }
        });
        if (hits >= observed) asMany++;
      }
      const exact = exactChance(series, zones, observed, span, blocks)!;
      // 20,000 placements: within ±0.012 of the exact share (3.5 standard errors at most).
      expect(Math.abs(exact - asMany / draws)).toBeLessThan(0.012);
    }
  });

  it('gives each count of a block its exact share, summing to one, in a domain of two stretches', () => {
    const { series } = seriesAt([30, 100, 106, 300]);
    const domain = [
      { startUs: T0, endUs: T0 + 120 * MINUTE },
      { startUs: T0 + 200 * MINUTE, endUs: T0 + 360 * MINUTE },
    ];
    const dist = blockCounts(series, [
      { startUs: T0, endUs: T0 + 2 * MINUTE },
      { startUs: T0 + 6 * MINUTE, endUs: T0 + 8 * MINUTE },
    ], domain);
    expect(dist.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Both hit only where the block's two intervals reach 100 and 106 at once: origin x in [98, 100],
    // the first holding 100 while the second holds 106 (x + 6 ≤ 106 ≤ x + 8) — 2 min of the 112 + 152 of room.
    expect(dist[2]).toBeCloseTo(2 / 264, 10);
  });

  it('is the Poisson binomial when every block is one window', () => {
    const span = { startUs: T0, endUs: T0 + 480 * MINUTE };
    const zones = [40, 130, 250, 330, 420].map((m) => ({ startUs: T0 + (m - 5) * MINUTE, endUs: T0 + (m + 1) * MINUTE }));
    const { series } = seriesAt([37, 128, 251, 300, 10, 200, 460, 461, 470]);
    for (const observed of [1, 2, 3]) {
      const alone = exactChance(series, zones, observed, span)!;
      expect(exactChance(series, zones, observed, span, zones.map((_, i) => [i]))).toBe(alone);
      // Moved in one block of all five, their spacing kept, the same signal is likelier to be met as often.
      expect(exactChance(series, zones, observed, span, [[0, 1, 2, 3, 4]])).not.toBe(alone);
    }
  });
});

describe('a link that flaps, and a signal with the same rhythm', () => {
  // Four outages of 3 min, 6 min of up-time between them (a flapping link), in a 6-hour span; a line
  // of the signal 60 s before every onset — and the same rhythm, a line every 9 min, twice more in
  // hours without any outage. Each line is its own episode (9 min apart). Moved one by one, four
  // windows each led would be a coincidence of four; moved as the cluster they are, the cluster meets
  // the signal's rhythm wherever that rhythm runs: one coincidence.
  const onsets = [100, 109, 118, 127];
  const windows: WindowLike[] = onsets.map((m) => ({ startUs: T0 + m * MINUTE, endUs: T0 + (m + 3) * MINUTE }));
  const rhythm = (from: number): number[] => [0, 9, 18, 27].map((k) => from + k);
  const { series } = seriesAt([...onsets.map((m) => m - 1), ...rhythm(20), ...rhythm(240)]);
  const ctx: JudgeContext = { span: { startUs: T0, endUs: T0 + 360 * MINUTE }, windows };

  it('moves the four windows as one block and does not call the signal a cause', () => {
    const j = judgeSignal(series, ctx);
    expect(j.blocks).toEqual([[0, 1, 2, 3]]);
    expect(j.leadHits).toBe(4);
    expect(j.verdict).not.toBe('cause');
    const chance = j.rules.find((r) => r.rule.startsWith('cause: chance'))!;
    expect(chance.met).toBe(false);
    expect(chance.detail).toMatch(/4 windows moved in 1 block:/);
  });

  it('where the independent test, moving each window alone, would have found it unlikely by chance', () => {
    const startsAt = seriesAt([...onsets.map((m) => m - 1), ...rhythm(20), ...rhythm(240)]).series;
    const zones = windows.map((w) => ({ startUs: w.startUs - 60 * SECOND, endUs: w.startUs + MINUTE }));
    const independent = exactChance(startsAt, zones, 4, ctx.span)!;
    const blocked = exactChance(startsAt, zones, 4, ctx.span, [[0, 1, 2, 3]])!;
    expect(independent).toBeLessThan(0.001);
    expect(blocked).toBeGreaterThan(20 * independent);
  });
});
