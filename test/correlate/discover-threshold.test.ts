/**
 * Template discovery judges each candidate alone (at the loosest threshold) and then only those it
 * can still report against the threshold corrected for the candidates tested (discover.ts). That is
 * only the same as judging every candidate twice if a stricter threshold never makes a signal a
 * cause or a symptom that was neither at the looser one, and if `tested: 1` is no threshold at all.
 * These hold judge.ts to both, on signals of every shape near and away from generated outages.
 */
import { describe, expect, it } from 'vitest';
import { type JudgeContext, type WindowLike, judgeSignal } from '../../src/correlate/judge.js';
import { mulberry32 } from '../../src/correlate/prng.js';
import { buildSeries } from '../../src/correlate/series.js';
import { EventBuilder, MINUTE, SECOND, at } from './builder.js';

const T0 = at('2026-05-26T00:00:00Z');
const SPAN = { startUs: T0, endUs: T0 + 24 * 60 * MINUTE };
const REPORTABLE = new Set(['cause', 'symptom']);

function seriesAt(times: readonly number[]) {
  const b = new EventBuilder();
  for (const t of [...times].sort((x, y) => x - y)) b.add({ tsUs: t, kind: 'syslog.svc', message: 'x' });
  const events = b.build();
  return buildSeries(events, events.map((_, i) => i));
}

/** Outages at random places, 2–12 min long, disjoint, sorted. */
function windowsOf(next: () => number, count: number): WindowLike[] {
  const out: WindowLike[] = [];
  let t = SPAN.startUs + 30 * MINUTE;
  for (let k = 0; k < count && t < SPAN.endUs - 60 * MINUTE; k++) {
    t += Math.round((20 + next() * 120) * MINUTE);
    const len = Math.round((2 + next() * 10) * MINUTE);
    out.push({ startUs: t, endUs: t + len });
    t += len;
  }
  return out.filter((w) => w.endUs < SPAN.endUs);
}

/** A signal: lines before some onsets, inside some windows, and noise elsewhere, in varying measure. */
function signalFor(next: () => number, windows: readonly WindowLike[]): number[] {
  const lead = next();
  const inside = next();
  const noise = Math.floor(next() * next() * 80);
  const out: number[] = [];
  for (const w of windows) {
    if (next() < lead) for (let k = 0; k < 1 + Math.floor(next() * 4); k++) out.push(w.startUs - Math.round((5 + next() * 200) * SECOND));
    if (next() < inside) for (let k = 0; k < 1 + Math.floor(next() * 4); k++) out.push(w.startUs + Math.round(next() * (w.endUs - w.startUs)));
  }
  for (let k = 0; k < noise; k++) out.push(SPAN.startUs + Math.round(next() * (SPAN.endUs - SPAN.startUs)));
  return out;
}

describe('the corrected threshold in template discovery', () => {
  it('a stricter threshold never makes a cause or symptom of a signal that was neither, and tested 1 is the loose judgement', () => {
    let reportable = 0;
    let lostToStricter = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const next = mulberry32(seed);
      const windows = windowsOf(next, 3 + Math.floor(next() * 10));
      const times = signalFor(next, windows);
      if (times.length === 0) continue;
      const s = seriesAt(times);
      const ctx: JudgeContext = { span: SPAN, windows };
      const loose = judgeSignal(s, ctx);
      expect(judgeSignal(s, { ...ctx, tested: 1 })).toEqual(loose);
      if (REPORTABLE.has(loose.verdict)) reportable++;
      for (const tested of [2, 3, 7, 50]) {
        const strict = judgeSignal(s, { ...ctx, tested });
        if (REPORTABLE.has(strict.verdict)) expect(REPORTABLE.has(loose.verdict), `seed ${seed}, tested ${tested}: ${strict.verdict} strict, ${loose.verdict} loose`).toBe(true);
        else if (REPORTABLE.has(loose.verdict)) lostToStricter++;
      }
    }
    // The generated signals reach both sides of the rule, so the property is tested, not vacuous.
    expect(reportable).toBeGreaterThan(10);
    expect(lostToStricter).toBeGreaterThan(0);
  });
});
