/**
 * Each question for what logs cannot show appears exactly when its condition holds in the data, and
 * not otherwise: a cause that stops for good, a fix whose effect came late, a public attacker.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/render/markdown.js';
import { delayAfterWatch, isPublicAddress, stoppedCauses } from '../../src/report/sections/questions.js';
import { viewOf } from '../../src/report/view.js';
import type { ReportInput } from '../../src/report/types.js';
import { seedLikeInput } from './fixture.js';

const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.parse('2026-05-27T00:00:00Z');
const MIN = 60_000;

/** A cause with a burst every `everyMin` minutes, `n` of them, and the host observed until `observedMin`. */
function withCause(opts: { n: number; everyMin: number; observedMin: number; probeFromMin?: number }): ReportInput {
  const input = seedLikeInput();
  const bursts = Array.from({ length: opts.n }, (_, i) => ({ startUs: (T0 + i * opts.everyMin * MIN) * 1000, endUs: (T0 + i * opts.everyMin * MIN + 30_000) * 1000, count: 10 }));
  const cause = input.result.findings.find((f) => f.id === 'F1')!;
  cause.bursts = bursts;
  cause.startUs = bursts[0]!.startUs;
  cause.endUs = bursts[bursts.length - 1]!.endUs;
  input.sources = [
    { ...input.sources[1]!, host: 'kai-server', first: iso(T0 - 60 * MIN), last: iso(T0 + opts.observedMin * MIN) },
    ...(opts.probeFromMin === undefined ? [] : [{ ...input.sources[3]!, host: 'kai-server', format: 'probe', first: iso(T0 + opts.probeFromMin * MIN), last: iso(T0 + opts.observedMin * MIN) }]),
  ];
  return input;
}

describe('a cause that stops for good', () => {
  it('is asked about when the quiet after its last burst is too long for its rate (p <= 0.05)', () => {
    // 10 bursts 10 min apart (6 an hour); the host seen 40 min after the last: exp(-6 × 0.66) = 0.02.
    const input = withCause({ n: 10, everyMin: 10, observedMin: 90 + 40 });
    const stops = stoppedCauses(input, viewOf(input));
    expect(stops.map((s) => s.cause.id)).toEqual(['F1']);
    expect(stops[0]!.chance).toBeLessThan(0.05);
    const md = renderMarkdown(input, null);
    expect(md).toContain('## Story 2 — what stopped F1 bridge-churn?');
    expect(md).toContain('**What changed then?**');
    expect(md).toContain('**Draft:** **What stopped bridge-churn?**');
  });

  it('is not asked when the quiet is within what its rate allows, or the bursts are too few for a rate', () => {
    // The same rhythm, seen only 15 min after the last burst: exp(-6 × 0.25) = 0.22.
    for (const input of [withCause({ n: 10, everyMin: 10, observedMin: 90 + 15 }), withCause({ n: 2, everyMin: 10, observedMin: 600 })]) {
      expect(stoppedCauses(input, viewOf(input))).toEqual([]);
      const md = renderMarkdown(input, null);
      expect(md).not.toContain('what stopped');
      expect(md).not.toContain('What changed then?');
    }
  });

  it("does not count a lying probe's lines after the lie as observation of the host", () => {
    const input = withCause({ n: 10, everyMin: 10, observedMin: 90 + 15 });
    // The probe runs for hours more, but it lies from 04:37 (the fixture's artifact finding): its word is not the host's.
    input.sources.push({ ...input.sources[0]!, format: 'probe', first: iso(T0), last: iso(T0 + 600 * MIN) });
    const artifact = input.result.findings.find((f) => f.verdict === 'artifact')!;
    artifact.startUs = (T0 + 100 * MIN) * 1000;
    expect(stoppedCauses(input, viewOf(input))).toEqual([]);
  });
});

describe("a fix's delayed effect", () => {
  it('says by how long the cause went on after monitoring began', () => {
    const input = withCause({ n: 10, everyMin: 10, observedMin: 130, probeFromMin: 30 });
    const [stop] = stoppedCauses(input, viewOf(input));
    // The last burst ends at 90 min 30 s; monitoring began at 30 min.
    expect(delayAfterWatch(stop!)).toBe(60 * 60 + 30);
    expect(renderMarkdown(input, null)).toContain('bridge-churn went on for 1 h after that');
  });

  it('is not asked without a monitor, or when the cause had stopped before monitoring began', () => {
    for (const probeFromMin of [undefined, 95]) {
      const input = withCause({ n: 10, everyMin: 10, observedMin: 130, probeFromMin });
      const [stop] = stoppedCauses(input, viewOf(input));
      expect(delayAfterWatch(stop!)).toBeNull();
      expect(renderMarkdown(input, null)).not.toContain('A delayed effect?');
    }
  });
});

describe('an attacker with a public address', () => {
  it('judges addresses by their range, not by their look', () => {
    expect(isPublicAddress('60.163.139.198')).toBe(true);
    expect(isPublicAddress('2001:4860::8888')).toBe(true);
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
    for (const ip of ['192.168.0.194', '10.1.2.3', '172.16.5.4', '100.101.102.103', '127.0.0.1', '169.254.1.1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', 'not an address', '']) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
  });

  it('says sshd was reachable from the internet exactly when the brute force came from a public address', () => {
    const publicMd = renderMarkdown(seedLikeInput(), null);
    expect(publicMd).toContain('is a public address, so sshd on kai-server was reachable from the internet');
    expect(publicMd).toContain('The public allowlist must live in the repo');
    const input = seedLikeInput();
    const attack = input.result.findings.find((f) => f.kind === 'ssh-bruteforce');
    if (attack?.kind !== 'ssh-bruteforce') throw new Error('fixture: F3 is a brute force');
    attack.sourceIp = '192.168.0.23';
    const privateMd = renderMarkdown(input, null);
    expect(privateMd).not.toContain('reachable from the internet');
    expect(privateMd).not.toContain('public allowlist');
  });
});

describe('a lying probe', () => {
  it('pre-fills the lesson only when a probe was judged an artifact', () => {
    expect(renderMarkdown(seedLikeInput(), null)).toContain('**Probes must validate output, not just exit codes.**');
    const input = seedLikeInput();
    input.result.findings = input.result.findings.filter((f) => f.kind !== 'probe-artifact');
    expect(renderMarkdown(input, null)).not.toContain('Probes must validate output');
  });
});
