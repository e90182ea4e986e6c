/**
 * The correlator reads the store as columns (loadEventColumns) rather than row objects, and template
 * discovery stops masking a template once its weight outside the zones rules out cause and symptom.
 * Both are speed-ups: the result must be exactly what the row path and full judgement give.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type Database from 'better-sqlite3';
import { SqliteReader, loadEventsInOrder } from '../../src/store/queries.js';
import { loadEventTable } from '../../src/analysis/gather.js';
import { FIELD_KEYS } from '../../src/correlate/event-table.js';
import { handStore } from '../store/hand-store.js';
import { correlate } from '../../src/correlate/engine.js';
import { type JudgeContext, coverageReach, episodeStarts, exactChance, judgeSignal, maxCoveredForCause, maxOutsideForSymptom } from '../../src/correlate/judge.js';
import { shiftFractions } from '../../src/correlate/prng.js';
import { buildSeries } from '../../src/correlate/series.js';
import type { EventRow } from '../../src/store/types.js';
import { EventBuilder, MINUTE, SECOND, at } from './builder.js';

const loadEventColumns = (db: Database.Database, q: Parameters<typeof loadEventTable>[1]) => loadEventTable(new SqliteReader(db), q);
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
      // Only the keys some detector reads are loaded (FIELD_KEYS): the others are left out.
      if (wantsFields) expect(table.fields(i)).toEqual(Object.fromEntries(Object.entries(rows[i]!.fields).filter(([k]) => FIELD_KEYS.includes(k))));
    }
    const syslog = rows.findIndex((r) => r.kind === 'syslog.other');
    expect(table.messages([syslog]).get(syslog)).toBe(rows[syslog]!.message);
    expect(table.row(syslog)).toEqual(rows[syslog]);
  });
});

describe('the bounds template discovery prunes by', () => {
  const T0 = at('2026-05-26T00:00:00Z');
  const span = { startUs: T0, endUs: T0 + 24 * 60 * MINUTE };
  const ctx: JudgeContext = {
    span,
    windows: [100, 300, 520, 700, 900, 1200].map((m) => ({ startUs: T0 + m * MINUTE, endUs: T0 + (m + 6) * MINUTE })),
  };
  const reach = coverageReach(ctx.windows);
  const coveredUs = (ts: number[]): number =>
    ts
      .map((t) => ({ startUs: t - reach.after, endUs: t + reach.before }))
      .sort((a, b) => a.startUs - b.startUs)
      .reduce<{ startUs: number; endUs: number }[]>((out, iv) => {
        const last = out[out.length - 1];
        if (last && iv.startUs <= last.endUs) last.endUs = Math.max(last.endUs, iv.endUs);
        else out.push({ ...iv });
        return out;
      }, [])
      .reduce((sum, iv) => sum + Math.min(iv.endUs, span.endUs) - Math.max(iv.startUs, span.startUs), 0);

  it('never rule out a signal that is judged a cause or a symptom', () => {
    let causes = 0;
    let symptoms = 0;
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
          if (j.verdict === 'symptom') {
            symptoms++;
            expect(j.eventsOutside).toBeLessThanOrEqual(maxOutsideForSymptom(j.eventsInside, ctx));
          }
          if (j.verdict === 'cause') {
            causes++;
            expect(coveredUs(Array.from(episodeStarts(series).ts))).toBeLessThanOrEqual(maxCoveredForCause(ctx));
          }
        },
      ),
      { numRuns: 400, seed: 42 },
    );
    // The property is only worth something if such verdicts occurred.
    expect(causes).toBeGreaterThan(5);
    expect(symptoms).toBeGreaterThan(5);
  });

  it('are tight enough to rule out a template that runs all day', () => {
    // Six events in the windows against one a minute outside: no symptom; events every minute cover the whole day: no cause.
    expect(maxOutsideForSymptom(6, ctx)).toBeLessThan(1000);
    expect(maxCoveredForCause(ctx)).toBeLessThan(0.8 * 24 * 60 * MINUTE);
  });
});

describe('the exact permutation chance', () => {
  it('agrees with the share of seeded random placements of the windows', () => {
    const T0 = at('2026-05-26T00:00:00Z');
    const span = { startUs: T0, endUs: T0 + 480 * MINUTE };
    const zones = [40, 130, 250, 330, 420].map((m) => ({ startUs: T0 + (m - 5) * MINUTE, endUs: T0 + (m + 1) * MINUTE }));
    const b = new EventBuilder();
    for (const m of [37, 128, 251, 300, 10, 200, 460, 461, 470]) b.add({ tsUs: T0 + m * MINUTE, kind: 'kernel.x', message: 'x' });
    const events = b.build();
    const s = buildSeries(events, events.map((_, i) => i));
    const random = shiftFractions(11, 5 * 20_000);
    const len = span.endUs - span.startUs;
    for (const observed of [1, 2, 3]) {
      let asMany = 0;
      for (let k = 0; k < 20_000; k++) {
        let hits = 0;
        zones.forEach((z, zi) => {
          // Each window moved on its own to a uniformly random place inside the span.
          const a = span.startUs + random[k * 5 + zi]! * (len - (z.endUs - z.startUs));
          const bEnd = a + (z.endUs - z.startUs);
          if (events.some((e) => e.tsUs >= a && e.tsUs <= bEnd)) hits++;
        });
        if (hits >= observed) asMany++;
      }
      const sampled = asMany / 20_000;
      const exact = exactChance(s, zones, observed, span)!;
      // 20,000 placements: the sampled share is within ±0.012 of the exact one (3.5 standard errors at most).
      expect(Math.abs(exact - sampled)).toBeLessThan(0.012);
    }
    // A signal that is everywhere is hit wherever the windows go.
    const every = new EventBuilder();
    for (let m = 0; m < 480; m += 2) every.add({ tsUs: T0 + m * MINUTE, kind: 'kernel.y', message: 'y' });
    const e2 = every.build();
    expect(exactChance(buildSeries(e2, e2.map((_, i) => i)), zones, 5, span)).toBe(1);
  });
});
