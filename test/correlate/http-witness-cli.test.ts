/**
 * An access log alone as a network witness, through the real CLI on generated files (seeded, one
 * bundle a seed: random clients, rates, an outage of random length, a reported window right and
 * one wrong). What a broken program gets wrong here:
 * - http not read as a witness: no window at all, and the wrong reported window `unconfirmed`;
 * - the node's own traffic (kube-probe, 10.42/10.43, loopback) or 408s read as witnesses: they flow
 *   through the outage and refute the true window, or (their own pause) make one;
 * - a floor or a fixed multiple of the median gap instead of the test: the start off by minutes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corr, corrJson, tempDir } from '../helpers/cli.js';
import { mulberry32 } from '../../src/correlate/prng.js';
import { MINUTE, accessBundle, around } from './http-witness-bundle.js';

const HOST = 'web-1';
const SEEDS = [1, 2, 3, 4, 5, 6];

interface Outage {
  host: string;
  start: string;
  end: string;
  status: string;
  sources: string[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

function run(lines: readonly string[], windows: readonly [number, number][]): Outage[] {
  const dir = tempDir('corr-http-');
  const file = join(dir, 'access.log');
  writeFileSync(file, lines.join('\n') + '\n');
  const db = join(dir, 'corr.db');
  const ingest = corr(['--db', db, 'ingest', file, '--host', HOST]);
  expect(ingest.code, ingest.stderr).toBe(0);
  const { code, json, stderr } = corrJson(['--db', db, 'correlate', ...windows.flatMap(([a, b]) => ['--window', `${iso(a)}..${iso(b)}`])]);
  expect(code, stderr).toBe(0);
  return json.outages as Outage[];
}

/** A reported window at least 30 minutes from the outage, 5–20 minutes long, inside the log's span. */
function wrongWindow(seed: number, b: ReturnType<typeof accessBundle>): [number, number] {
  const next = mulberry32(seed * 7919);
  for (;;) {
    const length = Math.floor((5 + next() * 15) * MINUTE);
    const start = Math.floor(b.startMs + 20 * MINUTE + next() * (b.endMs - b.startMs - 50 * MINUTE - length));
    if (start + length < b.onsetMs - 30 * MINUTE || start > b.recoveryMs + 30 * MINUTE) return [start, start + length];
  }
}

describe('corr correlate on an access log alone: http streams as network witnesses', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: finds the outage inside one gap of a steady client, confirms the right report and refutes the wrong one`, () => {
      const b = accessBundle(seed);
      const next = mulberry32(seed * 104729);
      const right: [number, number] = [b.onsetMs - Math.floor(next() * 2 * MINUTE), b.recoveryMs + Math.floor(next() * 2 * MINUTE)];
      const wrong = wrongWindow(seed, b);
      const outages = run(b.lines, [right, wrong]);

      const confirmed = outages.filter((o) => o.status === 'confirmed');
      expect(confirmed, JSON.stringify(outages)).toHaveLength(1);
      const w = confirmed[0]!;
      expect(w.host).toBe(HOST);
      expect(w.sources).toEqual(expect.arrayContaining(['stream-silence', 'reported']));
      // The silence sets the extent (data over a recollection). Its edges are a steady outside
      // client's last request before the onset and first after the recovery: the start lies inside
      // the gap of one such client that holds the onset, the end inside the one holding the recovery.
      const start = Date.parse(w.start);
      const end = Date.parse(w.end);
      const steady = b.clients.filter((c) => c.kind !== 'human').map((c) => ({ c, ...around(c.times, b.onsetMs, b.recoveryMs) }));
      const sec = (ms: number): number => Math.floor(ms / 1000) * 1000;
      expect(steady.some((s) => sec(s.before) === start), `start ${w.start}`).toBe(true);
      expect(steady.some((s) => sec(s.after) === end), `end ${w.end}`).toBe(true);
      expect(start).toBeLessThanOrEqual(b.onsetMs);
      expect(end).toBeGreaterThanOrEqual(sec(b.recoveryMs));
      // Within one inter-arrival scale of the client whose gap it is: a monitor's last poll lies
      // within its period (and jitter) of any instant; a Poisson client's more than 5 mean gaps
      // before it with chance e^−5 < 1 %.
      // No outside client was heard between the start and the onset, nor between the recovery and
      // the end: the edges stand on the last witness heard before the outage and the first after it,
      // whichever client that was (seed 2's monitor gap began 31–46 s before two Poisson clients'
      // last requests while the windows were picked by lowest chance alone).
      const all = b.clients.map((c) => around(c.times, b.onsetMs, b.recoveryMs));
      expect(start, `start ${w.start}`).toBe(Math.max(...all.map((s) => sec(s.before))));
      expect(end, `end ${w.end}`).toBe(Math.min(...all.map((s) => sec(s.after))));
      const by = steady.find((s) => sec(s.before) === start)!;
      expect(b.onsetMs - start).toBeLessThanOrEqual(by.c.kind === 'monitor' ? by.c.scaleMs + 2000 : 5 * by.c.scaleMs);

      // The wrong report: outside clients kept their pace through it.
      const refuted = outages.filter((o) => o.status === 'refuted');
      expect(refuted).toHaveLength(1);
      expect(Date.parse(refuted[0]!.start)).toBe(wrong[0]);
      expect(outages).toHaveLength(2);
    });
  }

  for (const seed of SEEDS.slice(0, 3)) {
    it(`seed ${seed}: the node's own traffic and 408s alone make no window and refute nothing`, () => {
      const b = accessBundle(seed, { insideOnly: true });
      const wrong = wrongWindow(seed, b);
      const outages = run(b.lines, [wrong]);
      // Their pause where the outage would be is no window; their flow through the report no refutal.
      expect(outages.map((o) => [o.status, o.sources])).toEqual([['unconfirmed', ['reported']]]);
    });
  }
});
