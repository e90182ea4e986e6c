/**
 * The correlator reads the store as columns (loadEventColumns) rather than row objects, and template
 * discovery stops masking a template once its weight outside the zones rules out cause and symptom.
 * Both are speed-ups: the result must be exactly what the row path and full judgement give.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type Database from 'better-sqlite3';
import { loadEventsInOrder } from '../../src/store/queries.js';
import { loadEventTable as loadEventColumns } from '../../src/analysis/gather.js';
import { handStore } from '../store/hand-store.js';
import { correlate } from '../../src/correlate/engine.js';
import { type JudgeContext, judgeSignal, maxOutsideForVerdict } from '../../src/correlate/judge.js';
import { shiftFractions } from '../../src/correlate/prng.js';
import { buildSeries } from '../../src/correlate/series.js';
import type { EventRow } from '../../src/store/types.js';
import { EventBuilder, MINUTE, SECOND, at } from './builder.js';
import { SPAN_END, SPAN_START, seedScenario } from './scenario.js';

/** A store holding the given events, one section per file, written in reverse time order per file (storage order is not time order). */
function storeOf(events: readonly EventRow[]): Database.Database {
  return handStore([...events].reverse().map((e, k) => ({
    path: e.file, tsUs: e.tsUs, line: e.line, host: e.host, source: e.source, kind: e.kind, severity: e.severity, message: e.message,
    raw: `raw ${e.message}`, fields: e.fields, count: e.count, tkey: e.tsUs, dhash: k, occ: 0,
  })));
}

describe('correlating columns from the store', () => {
  const seed = seedScenario();
  // An undiscovered cause too, so template discovery (messages fetched by id) is exercised.
  const b = new EventBuilder();
  for (const e of seed.events) b.add({ tsUs: e.tsUs, kind: e.kind, message: e.message, fields: e.fields, count: e.count, file: e.file, host: e.host });
  seed.outages.forEach((o, k) => {
    for (let j = 0; j < 3; j++) b.add({ tsUs: o.onsetUs - 100 * SECOND + j * SECOND, kind: 'syslog.other', message: `containerd: shim ${k}${j} reaped pid ${4000 + j}`, file: 'syslog' });
  });
  const db = storeOf(b.build());
  afterAll(() => db.close());

  it('gives the same report as the row objects, for the whole store and for a narrow range', () => {
    const whole = correlate(loadEventColumns(db, {}), { sinceUs: SPAN_START, untilUs: SPAN_END });
    expect(whole).toEqual(correlate(loadEventsInOrder(db, {}), { sinceUs: SPAN_START, untilUs: SPAN_END }));
    expect(whole.findings.some((f) => f.kind === 'template-burst' && f.verdict === 'cause')).toBe(true);
    expect(whole.findings.some((f) => f.kind === 'ssh-bruteforce')).toBe(true);
    const q = { sinceUs: SPAN_START + 60 * MINUTE, untilUs: SPAN_START + 100 * MINUTE };
    expect(correlate(loadEventColumns(db, q), q)).toEqual(correlate(loadEventsInOrder(db, q), q));
  });

  it('puts columns in time order with ties by id, and keeps fields only for the kinds that read them', () => {
    const rows = loadEventsInOrder(db, {});
    const table = loadEventColumns(db, {});
    expect(table.length).toBe(rows.length);
    for (let i = 0; i < rows.length; i++) {
      expect([table.ts(i), table.kind(i), table.host(i)]).toEqual([rows[i]!.tsUs, rows[i]!.kind, rows[i]!.host]);
      const wantsFields = rows[i]!.source === 'sshd' || rows[i]!.source === 'probe' || rows[i]!.kind === 'kernel.bridge_state';
      if (wantsFields) expect(table.fields(i)).toEqual(rows[i]!.fields);
    }
    const syslog = rows.findIndex((r) => r.kind === 'syslog.other');
    expect(table.messages([syslog]).get(syslog)).toBe(rows[syslog]!.message);
    expect(table.row(syslog)).toEqual(rows[syslog]);
  });
});

describe('maxOutsideForVerdict', () => {
  const T0 = at('2026-05-26T00:00:00Z');
  const span = { startUs: T0, endUs: T0 + 24 * 60 * MINUTE };
  const ctx: JudgeContext = {
    span,
    windows: [100, 300, 520, 700, 900, 1200].map((m) => ({ startUs: T0 + m * MINUTE, endUs: T0 + (m + 6) * MINUTE })),
    shifts: shiftFractions(7, 99),
  };
  const zoneOf = (w: { startUs: number; endUs: number }) => ({ startUs: w.startUs - 5 * MINUTE, endUs: Math.max(w.startUs + MINUTE, w.endUs) });
  const inAnyZone = (t: number): boolean => ctx.windows.some((w) => t >= zoneOf(w).startUs && t <= zoneOf(w).endUs);

  it('never rules out a signal that is judged a cause or a symptom', () => {
    let judgedCauseOrSymptom = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: -300, max: 420 })), { maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 24 * 60 - 1 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 4 }),
        (nearOnsets, elsewhere, weight) => {
          const b = new EventBuilder();
          for (const [w, s] of nearOnsets) b.add({ tsUs: ctx.windows[w]!.startUs + s * SECOND, kind: 'kernel.x', message: 'x', count: weight });
          for (const m of elsewhere) b.add({ tsUs: T0 + m * MINUTE, kind: 'kernel.x', message: 'x' });
          const events = b.build();
          const series = buildSeries(events, events.map((_, i) => i));
          const j = judgeSignal(series, ctx);
          if (j.verdict !== 'cause' && j.verdict !== 'symptom') return;
          judgedCauseOrSymptom++;
          let inZones = 0;
          for (const e of events) if (inAnyZone(e.tsUs)) inZones += e.count;
          expect(j.eventsOutside).toBeLessThanOrEqual(maxOutsideForVerdict(inZones, ctx));
        },
      ),
      { numRuns: 400, seed: 42 },
    );
    // The property is only worth something if such verdicts occurred.
    expect(judgedCauseOrSymptom).toBeGreaterThan(10);
  });

  it('is tight enough to rule out a template that runs all day', () => {
    // Six events at the onsets against one a minute outside: neither a cause nor a symptom.
    expect(maxOutsideForVerdict(6, ctx)).toBeLessThan(1000);
  });
});
