/**
 * Detector records are the one list of which events belong to which signal and which fields each
 * reads. The store's loader takes its field list from them, so a detector's kinds reach the loader
 * with no second list; a detector filtering on fields it never declared is refused.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETECTORS, type Detector, FIELD_SPEC, SIGNAL_DETECTORS, SYMPTOM_KINDS, checkDetector, fieldSpecOf } from '../../src/correlate/detectors.js';
import { FIELD_KINDS, FIELD_SOURCES, needsFields } from '../../src/correlate/event-table.js';
import { corr, corrJson, tempDir } from '../helpers/cli.js';

describe('detector records', () => {
  it('give the loader every kind and source of a detector that reads fields', () => {
    for (const d of DETECTORS.filter((x) => x.fields.length > 0)) {
      for (const kind of d.kinds) expect(needsFields('any-source', kind), `${d.id} ${kind}`).toBe(true);
      for (const source of d.sources) expect(needsFields(source, 'any.kind'), `${d.id} ${source}`).toBe(true);
    }
    expect(FIELD_KINDS).toEqual(FIELD_SPEC.kinds);
    expect(FIELD_SOURCES).toEqual(FIELD_SPEC.sources);
    // Kinds of detectors that read no fields are not loaded with fields (memory stays flat).
    expect(needsFields('k3s', 'k3s.handler_timeout')).toBe(false);
  });

  it('derive the field list from a new record alone', () => {
    const added: Detector = { id: 'oom-kill', label: 'OOM kills', kinds: ['kernel.oom_kill'], sources: [], fields: ['process'], accepts: () => true, roles: ['signal'] };
    const spec = fieldSpecOf([...DETECTORS, added]);
    expect(spec.kinds).toContain('kernel.oom_kill');
    expect(fieldSpecOf(DETECTORS).kinds).not.toContain('kernel.oom_kill');
  });

  it('refuse an accepts test on fields the detector does not read', () => {
    const bad: Detector = { id: 'x', label: 'x', kinds: ['kernel.x'], sources: [], fields: [], accepts: () => false, roles: ['signal'] };
    expect(() => checkDetector(bad)).toThrow(/accepts test but reads no fields/);
  });

  it('derive the symptom kinds and the judged signals from roles', () => {
    const symptomDetectors = DETECTORS.filter((d) => d.roles.includes('window-symptom'));
    expect([...SYMPTOM_KINDS].sort()).toEqual(symptomDetectors.flatMap((d) => d.kinds).sort());
    expect(SIGNAL_DETECTORS.map((d) => d.id)).toEqual(['bridge-churn', 'apiserver-timeout', 'lease-failure']);
  });
});

describe('fields reach the accepts test through the real store', () => {
  it('counts container bridge lines as churn and leaves eth0 going promiscuous out', () => {
    const dir = tempDir();
    const lines: string[] = [];
    // Ten tcpdump sessions on eth0 and ten docker bridge bursts, an hour apart each.
    for (let k = 0; k < 10; k++) {
      const hh = String(k).padStart(2, '0');
      lines.push(`May 26 ${hh}:10:00 kai-server kernel: device eth0 entered promiscuous mode`);
      lines.push(`May 26 ${hh}:40:00 kai-server kernel: br-33693122cf0${k}: port 1(veth2cbbca${k}) entered blocking state`);
      lines.push(`May 26 ${hh}:40:01 kai-server kernel: device veth2cbbca${k} entered promiscuous mode`);
    }
    writeFileSync(join(dir, 'kern.log'), lines.join('\n') + '\n');
    const db = join(dir, 'corr.db');
    expect(corr(['--db', db, 'ingest', join(dir, 'kern.log'), '--tz', 'UTC', '--year', '2026']).code).toBe(0);
    const { json } = corrJson(['--db', db, 'correlate']);
    const churn = json.findings.filter((f: { kind: string }) => f.kind === 'bridge-churn');
    expect(churn).toHaveLength(1);
    // 20 container lines; had the fields not been loaded, accepts({}) would have let the 10 eth0 lines in.
    expect(churn[0].events_total).toBe(20);
  });
});
