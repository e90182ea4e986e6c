/**
 * The real CLI on a generated bundle: a service's journal captured `--since "-1h"` beside four hours
 * of auth.log (cron's session lines). Both are syslog, but auth.log holds no line of the service:
 * the service was watched only in its journal's hour. Four outages, two of them in that hour, each
 * led by a burst of the service's `upstream … timeout` complaint 90 s before its onset; the other two
 * fall where the service was not captured. The complaint is a cause led 2 of the 2 outages its source
 * was captured through — judged over the union of both logs' hours it was "near 2 of 4" and not even
 * a candidate (the simulator's seed 1397: a service-template cause with no finding at all).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestAndCorrelate } from '../helpers/capture-bundle.js';
import { tempDir } from '../helpers/cli.js';
import { MIN, T0, serviceJournalBundle as bundle } from '../helpers/service-journal-bundle.js';

describe("corr correlate on a generated bundle: a service watched only in its journal's hour", () => {
  it('judges the complaint before both onsets its journal covers a cause, the other two left out as unwatched', () => {
    const dir = tempDir();
    const { onsets } = bundle(join(dir, 'bundle'));
    const { ingest, code, json } = ingestAndCorrelate(dir, join(dir, 'bundle'));
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(code).toBe(0);
    const confirmed = json.outages.filter((o: { status: string }) => o.status === 'confirmed');
    expect(confirmed.map((o: { start: string }) => Math.round((Date.parse(o.start) - T0) / MIN))).toEqual(onsets.map((o) => Math.round((o - T0) / MIN)));
    const complaint = json.findings.find((f: { kind: string; template?: string }) => f.kind === 'template-burst' && f.template?.startsWith('upstream'));
    expect(complaint?.verdict, JSON.stringify(json.findings.map((f: { kind: string; template?: string; verdict: string }) => [f.kind, f.template, f.verdict]))).toBe('cause');
    const watched = complaint.rules.find((r: { rule: string }) => r.rule === 'outages its source was captured through');
    expect(watched.detail).toMatch(/^2 of 4; 2 fall where its source was not captured/);
    expect(complaint.onsets_led).toBe(2);
    // The routine line of the same journal starts where the journal does: no start, no lead.
    const routine = json.findings.find((f: { template?: string }) => f.template?.startsWith('request served'));
    expect(routine?.verdict ?? 'none').not.toBe('cause');
  });
});
