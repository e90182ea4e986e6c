/**
 * The real CLI on a generated bundle of two hosts, each with a probe polling every 30 s.
 *
 * - `gw-01`: AppArmor denials at one line per ~20 minutes for five hours, and two outages that each
 *   begin 40 s after one of those lines. The lines lead both onsets, at a chance the threshold
 *   admits (0.00256 against 0.05: main before the rise test named the denial the cause of both,
 *   as on the simulator's seeds 1618 and 1795), but the stream is no busier before the onsets
 *   than anywhere else: one line per lead zone is its ordinary rate (2 in 11 min against 16 in 265 min,
 *   chance 0.159). No cause.
 * - `db-01`: an invented driver complaint that bursts (8 lines) 150 s before its one onset and twice
 *   more at other times. It is busier before the onset than elsewhere, and is the cause.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/correlate/prng.js';
import { hexDigits, ingestAndCorrelate, polls, writePlainProbe, writeUtcCapture } from '../helpers/capture-bundle.js';
import { tempDir } from '../helpers/cli.js';

const MIN = 60_000;
const BOOT = Date.UTC(2026, 0, 20, 0, 0, 0);
const T0 = Date.UTC(2026, 0, 30, 18, 0, 0);
const CAPTURE = T0 + 300 * MIN;

interface Rule {
  rule: string;
  met: boolean;
  detail: string;
}

function denials(dir: string): number[] {
  const next = mulberry32(1795);
  const lines: number[] = [];
  for (let t = T0 + 2 * MIN; t < CAPTURE - 2 * MIN; t += Math.round(-Math.log(1 - next()) * 20 * MIN)) lines.push(t);
  const onsets = [lines[4]! + 40_000, lines[9]! + 40_000];
  let serial = 4100;
  const kernel = lines.map((t): [number, string] => [
    t,
    `audit: type=1400 audit(${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}:${serial++}): apparmor="DENIED" operation="ptrace" class="ptrace" profile="cri-containerd.apparmor.d" pid=${2_000_000 + Math.floor(next() * 400_000)} comm="pidof" requested_mask="read" denied_mask="read" peer="unconfined"`,
  ]);
  writeUtcCapture(dir, { host: 'gw-01', captureMs: CAPTURE, bootMs: BOOT, kernel, sections: [] });
  writePlainProbe(dir, 'gw-01', polls(T0 + 30_000, CAPTURE, 30_000), (t) => onsets.some((o) => t >= o && t < o + 8 * MIN));
  return onsets;
}

function driver(dir: string): number {
  const next = mulberry32(1078);
  const onset = T0 + 130 * MIN + 10_000;
  const kernel: [number, string][] = [];
  for (const start of [onset - 150_000, T0 + 45 * MIN, T0 + 230 * MIN]) {
    for (let k = 0; k < 8; k++) {
      kernel.push([start + k * 3500, `mlx5_core: reset completion adapter at 0x${hexDigits(next, 16)}, ring ${Math.floor(next() * 32)} head 0x${hexDigits(next, 4)} tail 0x${hexDigits(next, 4)}`]);
    }
  }
  kernel.sort((a, b) => a[0] - b[0]);
  writeUtcCapture(dir, { host: 'db-01', captureMs: CAPTURE, bootMs: BOOT, kernel, sections: [] });
  writePlainProbe(dir, 'db-01', polls(T0 + 30_000, CAPTURE, 30_000), (t) => t >= onset && t < onset + 12 * MIN);
  return onset;
}

describe('corr correlate on a generated bundle: the rise test', () => {
  it('names no cause for a sparse stream that happens to lead both onsets, and keeps the burst that is busier before its onset', () => {
    const dir = tempDir();
    const bundle = join(dir, 'bundle');
    const onsets = denials(bundle);
    const onset = driver(bundle);
    const { ingest, code, json } = ingestAndCorrelate(dir, bundle);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(code).toBe(0);
    const confirmed = (host: string) => json.outages.filter((o: { status: string; host: string }) => o.status === 'confirmed' && o.host === host);
    expect(confirmed('gw-01').map((o: { start: string }) => Math.round((Date.parse(o.start) - onsets[0]!) / 30_000))).toEqual([0, Math.round((onsets[1]! - onsets[0]!) / 30_000)]);
    expect(confirmed('db-01')).toHaveLength(1);
    expect(Math.abs(Date.parse(confirmed('db-01')[0].start) - onset)).toBeLessThanOrEqual(30_000);

    const causes = json.findings.filter((f: { verdict: string }) => f.verdict === 'cause');
    expect(causes.map((f: { host: string; template?: string }) => [f.host, f.template])).toEqual([['db-01', 'mlx5_core: reset completion adapter at <hex>, ring <n> head <hex> tail <hex>']]);
    const rise = (causes[0].rules as Rule[]).find((r) => r.rule.startsWith('cause: busier before onsets'))!;
    expect(rise.rule).toBe('cause: busier before onsets than elsewhere (chance ≤ 0.05 at one rate)');
    expect(rise.met).toBe(true);
    // 8 lines in the one lead zone (onset − 5 min to the end of its 30 s poll), 16 elsewhere.
    expect(rise.detail).toMatch(/^8 events in 6 min of lead zones, 16 in \d+ min outside \([\d.]+ × its rate outside\); chance [\d.e-]+ at one rate$/);
    expect(Number(/chance ([\d.e-]+) at one rate/.exec(rise.detail)![1])).toBeLessThan(1e-6);
    // gw-01 is told it has no cause, and which logs would decide it (the lead time is 5 minutes:
    // the story said 5000, the lead time in microseconds over 60 000).
    const story = json.stories.find((s: { summary: string }) => s.summary.startsWith('No cause found for the 2 confirmed outages on gw-01.'));
    expect(story.summary).toContain('or logs from the 5 minutes before each onset from sources not collected here');
  });
});
