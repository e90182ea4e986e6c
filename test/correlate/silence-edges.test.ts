/**
 * A silence window's edges against other network witnesses (issue 14): a witness heard inside the
 * members' joint silence proves the host answered then. What a broken program gets wrong here:
 * - members picked by joint chance alone: the window starts at the 8 s scanner's last line, 5 s
 *   before a sparse client was last heard, and ends 5 s after it was heard again;
 * - the onset's spread left at the scanner's rather than bounded by the new start, or, after a line
 *   in the middle (the scanner long overdue), 0 rather than the client's next line due;
 * - `*_timeout` lines (logged because nothing arrived) read as witnesses: the window is cut by them;
 * - a line in the middle ignored: one window over an instant the host answered.
 */
import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/engine.js';
import { asTable } from '../../src/correlate/event-table.js';
import { coverageOf } from '../../src/correlate/coverage.js';
import { findStreams } from '../../src/correlate/streams.js';
import { silenceWindows } from '../../src/correlate/silence-windows.js';
import { mulberry32 } from '../../src/correlate/prng.js';
import type { EventRow } from '../../src/store/types.js';
import { EventBuilder, MINUTE, SECOND, at } from './builder.js';

const T0 = at('2026-05-26T21:00:00Z');
const HOURS = 4;
const ms = (iso: string): number => Date.parse(iso) * 1000;
const SCANNER = '60.163.139.198';
const CLIENT = '45.1.2.3';

/** An 8 s scanner over four hours, silent in the given spans. */
function scanner(b: EventBuilder, silent: readonly [number, number][]): void {
  for (let t = T0, k = 0; t < T0 + HOURS * 60 * MINUTE; t += 8 * SECOND, k++) {
    if (silent.some(([a, z]) => t > a && t < z)) continue;
    b.add({ tsUs: t, kind: 'sshd.failed_password', message: `Failed password for root from ${SCANNER} port ${k} ssh2`, fields: { ip: SCANNER } });
  }
}

/** A sparse Poisson client (mean 3 min, seeded), silent in the given spans, with extra lines at `heard`. */
function client(b: EventBuilder, silent: readonly [number, number][], heard: readonly number[], kind = 'sshd.failed_password'): void {
  const next = mulberry32(11);
  const times: number[] = [];
  for (let t = T0 + 30 * SECOND; t < T0 + HOURS * 60 * MINUTE; t += Math.round(-Math.log(1 - next()) * 180) * SECOND + SECOND) {
    if (!silent.some(([a, z]) => t >= a && t <= z)) times.push(t);
  }
  for (const t of [...times].sort((x, y) => x - y)) {
    b.add({ tsUs: t, kind: 'sshd.failed_password', message: `Failed password for admin from ${CLIENT} port 22 ssh2`, fields: { ip: CLIENT } });
  }
  for (const t of heard) b.add({ tsUs: t, kind, message: `line of ${kind} from ${CLIENT}`, fields: { ip: CLIENT } });
}

function windowsOf(rows: EventRow[]) {
  const events = asTable(rows);
  const all = Array.from({ length: events.length }, (_, i) => i);
  const streams = findStreams(events, 'kai-server', all, coverageOf(events, undefined));
  return { events, streams, windows: silenceWindows('kai-server', streams) };
}

describe('silence windows against other witnesses', () => {
  const onset = T0 + 90 * MINUTE;
  const recovery = onset + 30 * MINUTE;
  // The scanner's last line is at the onset; the sparse client is heard 5 s after it (before the
  // scanner's next line was due) and 5 s before the scanner resumes, and not in between.
  const lastHeard = onset + 5 * SECOND;
  const firstHeard = recovery - 5 * SECOND;

  it('moves the start to the last witness line before the silence and the end to the first after it, naming them', () => {
    const b = new EventBuilder();
    scanner(b, [[onset, recovery]]);
    client(b, [[onset - 10 * MINUTE, recovery + 10 * MINUTE]], [lastHeard, firstHeard]);
    const rows = b.build();
    const { windows, events } = windowsOf(rows);
    expect(windows).toHaveLength(1);
    const w = windows[0]!;
    expect(w.startUs).toBe(lastHeard);
    expect(w.endUs).toBe(firstHeard);
    // The scanner alone is the member (the client's 20-min gap is no candidate at its pace); the
    // client's lines bound the edges and are named as evidence (file:line through the event index).
    expect(w.members.map((m) => m.stream)).toEqual([`sshd ${SCANNER}`]);
    expect(w.startEdge.stream).toBe(`sshd ${CLIENT}`);
    expect(w.endEdge.stream).toBe(`sshd ${CLIENT}`);
    expect(events.ts(w.startEdge.index)).toBe(lastHeard);
    expect(events.ts(w.endEdge.index)).toBe(firstHeard);
    expect(w.witnessedInside.map((e) => e.tsUs)).toEqual([lastHeard, firstHeard]);
    // The scanner's next line was due 3 s after the client was heard: the onset lies within them.
    expect(w.onsetUncertaintyUs).toBe(3 * SECOND);
    expect(w.endUncertaintyUs).toBe(3 * SECOND);

    // Through the engine: the outage's start, end and onset spread are the trimmed ones.
    const { outages } = correlate(rows, {});
    expect(outages).toHaveLength(1);
    expect(ms(outages[0]!.start)).toBe(lastHeard);
    expect(ms(outages[0]!.end)).toBe(firstHeard);
    expect(ms(outages[0]!.onset_earliest!)).toBe(lastHeard);
    expect(ms(outages[0]!.onset_latest!)).toBe(lastHeard + w.onsetUncertaintyUs);
  });

  it('keeps the members\' edges when nothing else was heard inside, and leaves their onset rule alone', () => {
    const b = new EventBuilder();
    scanner(b, [[onset, recovery]]);
    client(b, [[onset - 10 * MINUTE, recovery + 10 * MINUTE]], []);
    const { windows } = windowsOf(b.build());
    expect(windows).toHaveLength(1);
    const w = windows[0]!;
    // The scanner's last line before the onset (8 s grid) and its first after the recovery.
    expect(onset - w.startUs).toBeGreaterThanOrEqual(0);
    expect(onset - w.startUs).toBeLessThan(8 * SECOND);
    expect(w.endUs - recovery).toBeLessThan(8 * SECOND);
    expect(w.startEdge.stream).toBe(`sshd ${SCANNER}`);
    expect(w.witnessedInside).toEqual([]);
    expect(w.onsetUncertaintyUs).toBeLessThanOrEqual(9 * SECOND);
  });

  it('does not take a line logged because nothing arrived (sshd *_timeout) as a witness', () => {
    const b = new EventBuilder();
    scanner(b, [[onset, recovery]]);
    client(b, [[onset - 10 * MINUTE, recovery + 10 * MINUTE]], [lastHeard, onset + 15 * MINUTE, firstHeard], 'sshd.client_timeout');
    const { windows } = windowsOf(b.build());
    expect(windows).toHaveLength(1);
    expect(onset - windows[0]!.startUs).toBeLessThan(8 * SECOND);
    expect(windows[0]!.endUs - recovery).toBeLessThan(8 * SECOND);
    expect(windows[0]!.witnessedInside).toEqual([]);
  });

  it('splits a silence at a witness line in its middle: two windows, each tested on its own', () => {
    const middle = onset + 15 * MINUTE;
    const b = new EventBuilder();
    scanner(b, [[onset, recovery]]);
    client(b, [[onset - 10 * MINUTE, recovery + 10 * MINUTE]], [middle]);
    const rows = b.build();
    const { windows } = windowsOf(rows);
    expect(windows.map((w) => [w.endUs === middle, w.startUs === middle])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(windows[1]!.startEdge.stream).toBe(`sshd ${CLIENT}`);
    expect(windows[0]!.endEdge.stream).toBe(`sshd ${CLIENT}`);
    // After the middle line the scanner was long overdue: the onset is bounded by the client's next
    // line due (its tail threshold, minutes at a mean of 3 min), not pinned to the line (0).
    expect(windows[1]!.onsetUncertaintyUs).toBeGreaterThan(60 * SECOND);
    expect(windows[1]!.onsetUncertaintyUs).toBeLessThan(15 * MINUTE);
    // Two outages, not one merged over the instant the host answered (they touch there).
    const { outages } = correlate(rows, {});
    expect(outages.map((o) => [o.status, ms(o.end) === middle || ms(o.start) === middle])).toEqual([
      ['confirmed', true],
      ['confirmed', true],
    ]);
  });

  it('drops a piece too short to be a silence: a line 6 s before the scanner resumes moves the end, it makes no window', () => {
    // Shorter than the scanner's 8 s pace, the piece after the line is no silence at all: the end
    // moves in to the line.
    const near = recovery - 6 * SECOND;
    const b = new EventBuilder();
    scanner(b, [[onset, recovery]]);
    client(b, [[onset - 10 * MINUTE, recovery + 10 * MINUTE]], [near]);
    const { windows } = windowsOf(b.build());
    expect(windows).toHaveLength(1);
    expect(windows[0]!.endUs).toBe(near);
  });
});
