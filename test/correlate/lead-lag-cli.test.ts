/**
 * The real CLI on a generated bundle: a host whose only outage evidence is a scanner's silence (an
 * attempt every 10 s in auth.log), and Docker bridge churn that starts 3 s after the scanner's last
 * line before each of three outages — 4 s before the onset, which came 7 s after that line. The
 * window starts at the last line, so the churn's lead measured from the window's start is −3 s;
 * measured by where in the onset's spread it falls (the next attempt was due 10 s after the last),
 * the onset came after it with chance about 0.7. The churn is the cause, not a symptom.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/correlate/prng.js';
import { ingestAndCorrelate, syslogStamp, writeUtcCapture, pushBridgeChurn } from '../helpers/capture-bundle.js';
import { tempDir } from '../helpers/cli.js';

const HOST = 'build-01';
const MIN = 60_000;
const BOOT = Date.UTC(2026, 10, 1, 0, 0, 0);
const T0 = Date.UTC(2026, 10, 8, 6, 0, 0);
const CAPTURE = T0 + 240 * MIN;


function bundle(dir: string): { onsets: number[] } {
  const next = mulberry32(1169);
  // Onsets 7 s after a scanner line (lines fall on whole 10 s), 6 minutes each.
  const onsets = [60, 130, 200].map((m) => T0 + m * MIN + 7000);
  const outages = onsets.map((o) => [o, o + 6 * MIN] as const);
  const down = (t: number): boolean => outages.some(([a, b]) => t >= a && t < b);

  const kernel: [number, string][] = [[T0 + 20_000, 'audit: type=1400 audit(0.0:1): apparmor="DENIED" operation="ptrace" profile="cri-containerd.apparmor.d" comm="pidof"']];
  // Churn 4 s before each onset (3 s after the scanner's last line), and once with no outage after it.
  const churnAt = [...onsets.map((o) => o - 4000), T0 + 170 * MIN];
  for (const start of churnAt) pushBridgeChurn(kernel, next, start, 2000);
  kernel.sort((a, b) => a[0] - b[0]);

  const auth: string[] = [];
  let port = 40000;
  for (let t = T0; t < CAPTURE - MIN; t += 10_000) {
    if (down(t)) continue;
    auth.push(`${syslogStamp(t)} ${HOST} sshd[${2000 + (port % 500)}]: Failed password for invalid user admin from 203.0.113.7 port ${port++} ssh2`);
  }

  writeUtcCapture(dir, { host: HOST, captureMs: CAPTURE, bootMs: BOOT, kernel, sections: [[`tail -n ${auth.length} /var/log/auth.log`, auth]] });
  return { onsets };
}

describe('corr correlate on a generated bundle: lead and lag inside a silence\'s onset spread', () => {
  it('judges churn a few seconds into each spread a cause, by the chance the onset came after it', () => {
    const dir = tempDir();
    const { onsets } = bundle(join(dir, 'bundle'));
    const { ingest, code, json } = ingestAndCorrelate(dir, join(dir, 'bundle'));
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(code).toBe(0);
    const confirmed = json.outages.filter((o: { status: string; host: string }) => o.status === 'confirmed' && o.host === HOST);
    // Each window starts at the scanner's last line, 7 s before the onset.
    expect(confirmed.map((o: { start: string }) => Date.parse(o.start))).toEqual(onsets.map((o) => o - 7000));
    const churn = json.findings.find((f: { kind: string; host: string }) => f.kind === 'bridge-churn' && f.host === HOST);
    expect(churn?.verdict, churn?.reason).toBe('cause');
    const before = churn.rules.find((r: { rule: string }) => r.rule === 'cause: leads rather than follows');
    expect(before.met).toBe(true);
    expect(before.detail).toMatch(/^median lead -3 s; the onset came after its first event with chance 0\.\d+ \(median over windows\)$/);
    const after = churn.rules.find((r: { rule: string }) => r.rule === 'symptom: after the onset, not before');
    expect(after.met).toBe(false);
  });
});
