import { describe, expect, it } from 'vitest';
import type { Finding, Outage } from '../../src/correlate/types.js';
import { LEAD_TOLERANCE_S, alignToWindow, describeAlignment, describeChance, signalIntervals } from '../../src/report/correlation.js';

const window: Outage = { host: 'h', start: '2026-05-27T01:00:00Z', end: '2026-05-27T01:10:00Z', status: 'confirmed', sources: [] };
const at = (offsetS: number) => Date.parse(window.start) + offsetS * 1000;
const iv = (fromS: number, toS = fromS) => ({ startMs: at(fromS), endMs: at(toS) });

describe('alignToWindow', () => {
  it('reports a burst before the onset as a negative (leading) delta', () => {
    expect(alignToWindow([iv(-45, -40)], window)).toEqual({ hit: true, deltaS: -45 });
  });

  it('reports a burst inside the window as a positive (lagging) delta', () => {
    expect(alignToWindow([iv(150)], window)).toEqual({ hit: true, deltaS: 150 });
  });

  it('picks the burst nearest the onset when several qualify', () => {
    expect(alignToWindow([iv(-300), iv(30), iv(-20)], window)).toEqual({ hit: true, deltaS: -20 });
  });

  it('counts a burst that ends within the lead tolerance before the onset, not one that ends earlier', () => {
    const t = LEAD_TOLERANCE_S;
    expect(alignToWindow([iv(-t - 100, -t + 1)], window).hit).toBe(true);
    expect(alignToWindow([iv(-t - 100, -t - 1)], window).hit).toBe(false);
  });

  it('misses a burst after the window ends', () => {
    expect(alignToWindow([iv(601)], window)).toEqual({ hit: false });
  });

  it('uses evidence instants when a finding has no bursts', () => {
    const f = { bursts: [], evidence: [{ ts: '2026-05-27T01:00:07Z', file: 'f', line: 1, text: '' }] } as unknown as Finding;
    expect(alignToWindow(signalIntervals(f), window)).toEqual({ hit: true, deltaS: 7 });
  });
});

describe('describing alignment and chance', () => {
  it('words leads, lags, onset and miss', () => {
    expect(describeAlignment({ hit: true, deltaS: -45 })).toBe('hit, leads by 45 s');
    expect(describeAlignment({ hit: true, deltaS: 150 })).toBe('hit, lags by 2.5 min');
    expect(describeAlignment({ hit: true, deltaS: 0.2 })).toBe('hit, at onset');
    expect(describeAlignment({ hit: false })).toBe('miss');
  });

  it('prints chance with fixed decimals and says when it was not computed', () => {
    expect(describeChance(0.0042)).toBe('p = 0.004');
    expect(describeChance(0.00025)).toBe('p = 2.5e-4');
    expect(describeChance(0)).toMatch(/^p = 0 /);
    expect(describeChance(null)).toBe('not computed');
  });
});
