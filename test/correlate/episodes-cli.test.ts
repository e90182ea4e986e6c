/**
 * The real CLI on a generated bundle: a host's capture (dmesg ring, k3s journal) and a probe. Docker
 * bridge churn leads both outages; the dmesg ring begins 4½ minutes before the first burst, and a
 * service's routine line (every ~50 s) resumes after a 6-minute pause a second before the second
 * onset. The churn is the cause; the routine line is not.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/correlate/prng.js';
import { ingestAndCorrelate, polls, syslogStamp, writePlainProbe, writeUtcCapture, pushBridgeChurn } from '../helpers/capture-bundle.js';
import { tempDir } from '../helpers/cli.js';

const HOST = 'nas-01';
const MIN = 60_000;
const BOOT = Date.UTC(2026, 10, 1, 0, 0, 0);
const T0 = Date.UTC(2026, 10, 8, 6, 0, 0);
const CAPTURE = T0 + 240 * MIN;


function bundle(dir: string): { onsets: number[] } {
  const next = mulberry32(1014);
  const kernel: [number, string][] = [];
  const ringStart = T0 + 30 * MIN;
  kernel.push([ringStart, 'audit: type=1400 audit(0.0:1): apparmor="DENIED" operation="ptrace" profile="cri-containerd.apparmor.d" comm="pidof"']);
  // Churn bursts: setup lines seconds apart, teardown 3.5 min later; the first two lead outages by
  // ~2 min, the third leads none (churn without an outage lowers the likelihood, it does not veto).
  const churnAt = [ringStart + 4.5 * MIN, T0 + 120 * MIN, T0 + 190 * MIN];
  for (const start of churnAt) pushBridgeChurn(kernel, next, start, 4000);
  kernel.sort((a, b) => a[0] - b[0]);
  const onsets = [churnAt[0]! + 120_000, churnAt[1]! + 120_000];
  const outages = onsets.map((o) => [o, o + 12 * MIN] as const);
  const down = (t: number): boolean => outages.some(([a, b]) => t >= a && t < b);

  // A service's routine line, Poisson every ~50 s, paused for 6 minutes before the second onset and
  // resuming one second before it.
  const service: number[] = [];
  for (let t = T0 + 5000; t < CAPTURE - MIN; t += Math.round(-Math.log(1 - next()) * 50_000)) {
    if (t >= onsets[1]! - 7 * MIN && t < onsets[1]! - 1000) continue;
    service.push(t);
  }
  service.push(onsets[1]! - 1000);
  service.sort((a, b) => a - b);

  const journal = service.map((t, k) => `${syslogStamp(t)} ${HOST} ingestd[812]: request served in ${(k * 37) % 900}ms status=200 path=/v1/items`);
  writeUtcCapture(dir, { host: HOST, captureMs: CAPTURE, bootMs: BOOT, kernel, sections: [['journalctl -u ingestd --no-pager --since "-4h"', journal]] });
  writePlainProbe(dir, HOST, polls(T0, CAPTURE, 5000), down);
  return { onsets };
}

describe('corr correlate on a generated bundle: episode starts', () => {
  it('judges churn that begins minutes into the dmesg ring a cause, and a routine line that resumes before an onset none', () => {
    const dir = tempDir();
    const { onsets } = bundle(join(dir, 'bundle'));
    const { ingest, code, json } = ingestAndCorrelate(dir, join(dir, 'bundle'));
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(code).toBe(0);
    const confirmed = json.outages.filter((o: { status: string }) => o.status === 'confirmed');
    expect(confirmed.map((o: { start: string }) => Math.abs(Date.parse(o.start) - onsets[confirmed.indexOf(o)]!) <= 10_000)).toEqual([true, true]);
    const churn = json.findings.find((f: { kind: string; host: string }) => f.kind === 'bridge-churn' && f.host === HOST);
    expect(churn?.verdict, churn?.reason).toBe('cause');
    expect(churn.hits.filter((h: { led: boolean }) => h.led)).toHaveLength(2);
    const causes = json.findings.filter((f: { verdict: string }) => f.verdict === 'cause');
    expect(causes.map((f: { kind: string }) => f.kind)).toEqual(['bridge-churn']);
  });
});
