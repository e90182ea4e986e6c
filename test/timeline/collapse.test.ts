/**
 * Burst collapsing on a stream (src/timeline/collapse.ts): rows in order of their first event, each
 * written as soon as it can no longer grow, and never more than `maxPending` rows held, whatever
 * one endless stream does.
 */
import { describe, expect, it } from 'vitest';
import { collapseBursts, streamBursts } from '../../src/timeline/collapse.js';
import type { EventRow } from '../../src/store/types.js';

const S = 1_000_000;
let nextId = 1;
function ev(tsS: number, source: string, message: string): EventRow {
  return { id: nextId++, tsUs: tsS * S, host: 'h', source, kind: `${source}.x`, severity: 'info', message, file: 'f.log', line: nextId, fields: {}, count: 1 };
}

const LETTERS = 'ghijklmnopqrstuvwxyz';
/** A word of letters that are not hex digits (the masker leaves it), different for each n. */
const word = (n: number) => LETTERS[n % 20]! + LETTERS[Math.floor(n / 20) % 20]! + LETTERS[Math.floor(n / 400) % 20]!;

/**
 * Two hours of a probe saying the same thing every 30 s (never quiet for the 60 s gap), and every
 * 10 s a one-off line of another stream (each its own template, so each its own row).
 */
function probeAndOneOffs(): EventRow[] {
  const out: EventRow[] = [];
  for (let t = 0; t < 7200; t += 10) {
    if (t % 30 === 0) out.push(ev(t, 'probe', 'probe kai-server: up'));
    out.push(ev(t + 1, 'kernel', `one-off ${word(t / 10)} line`));
  }
  return out;
}

/** Feeds the events one by one, recording how many were read when each row came out. */
function drive(events: EventRow[], maxPending: number): { rows: ReturnType<typeof collapseBursts>; readAt: number[] } {
  let read = 0;
  function* input(): Generator<EventRow> {
    for (const e of events) {
      read++;
      yield e;
    }
  }
  const rows = [];
  const readAt: number[] = [];
  for (const r of streamBursts(input(), 60 * S, maxPending)) {
    rows.push(r);
    readAt.push(read);
  }
  return { rows, readAt };
}

describe('streamBursts', () => {
  const events = probeAndOneOffs();
  const oneOffs = events.filter((e) => e.source === 'kernel').length;
  const probes = events.length - oneOffs;

  it('holds at most maxPending rows behind a burst that never ends, and splits that burst into consecutive rows', () => {
    const { rows, readAt } = drive(events, 50);
    // Each one-off is a row of its own: the one-offs read but not yet out never exceed the bound (+ the one just read).
    const kernelReadBy: number[] = [];
    events.reduce((n, e, i) => (kernelReadBy[i + 1] = n + (e.source === 'kernel' ? 1 : 0)), 0);
    let kernelOut = 0;
    rows.forEach((r, i) => {
      if (r.source === 'kernel') kernelOut++;
      expect(kernelReadBy[readAt[i]!]! - kernelOut).toBeLessThanOrEqual(51);
    });
    // Every event is in exactly one row; the probe burst became several rows, each one whole span.
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(events.length);
    const probeRows = rows.filter((r) => r.source === 'probe');
    expect(probeRows.length).toBeGreaterThan(1);
    expect(probeRows.reduce((n, r) => n + r.count, 0)).toBe(probes);
    for (let i = 1; i < probeRows.length; i++) expect(probeRows[i]!.firstUs).toBeGreaterThan(probeRows[i - 1]!.lastUs);
    // In order of first event.
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.firstUs).toBeGreaterThanOrEqual(rows[i - 1]!.firstUs);
  });

  it('writes a row as soon as its stream has been quiet for the gap, not at the end of the input', () => {
    const quiet = [ev(0, 'kernel', 'link down'), ...Array.from({ length: 200 }, (_, i) => ev(1 + i, 'sshd', 'Failed password for root from 203.0.113.9'))];
    const { rows, readAt } = drive(quiet, 1_000);
    expect(rows[0]!.message).toBe('link down');
    // At 61 s (the 62nd event of 201) the kernel row can no longer grow: out then, long before the end.
    expect(readAt[0]).toBe(62);
    expect(rows[1]!.count).toBe(200);
  });

  it('without a bound (the report), the endless burst stays one row', () => {
    const rows = collapseBursts(events, 60 * S);
    const probeRows = rows.filter((r) => r.source === 'probe');
    expect(probeRows).toHaveLength(1);
    expect(probeRows[0]!.count).toBe(probes);
    expect(rows).toHaveLength(1 + oneOffs);
  });
});
