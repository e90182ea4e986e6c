/**
 * Detection by region (src/ingest/detect.ts RegionScanner): a window slides through a section, a
 * change of format starts a region, and a long stretch no format explains is a region of its own.
 * Inputs are generated from the descriptors' own record samples, in random lengths and orders.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RegionScanner, lineVerdict, HEAD_LINES, type Region } from '../../src/ingest/detect.js';
import { ALL_FORMATS, formatByName } from '../../src/ingest/formats/index.js';

/** A format's record samples (not its continuations), cycled. */
function recordsOf(name: string): string[] {
  const f = formatByName(name)!;
  return f.samples.filter((s) => !s.expect.continuation && lineVerdict(f, s.line) === 'record').map((s) => s.line);
}

function scan(lines: string[]): Region[] {
  const s = new RegionScanner();
  lines.forEach((l, i) => s.push(i + 1, l));
  return s.finish(lines.length);
}

function block(name: string, n: number, offset = 0): string[] {
  const recs = recordsOf(name);
  return Array.from({ length: n }, (_, i) => recs[(i + offset) % recs.length]!);
}

const shellTrace = (n: number) => Array.from({ length: n }, (_, i) => (i % 4 === 0 ? `++ id -u` : `+ echo 'step ${i}'`));

// Formats whose samples no other format claims as a record or a companion (checked below).
const DISTINCT = ['klog', 'dmesg-raw', 'kmsg', 'journal-json', 'syslog', 'syslog-rfc5424', 'logrus', 'zap-json', 'dmesg-human'];

describe('lineVerdict', () => {
  it('calls a record, a companion and a foreign line what the descriptor says they are', () => {
    const klog = formatByName('klog')!;
    expect(lineVerdict(klog, 'E0526 17:57:40.412233    1187 writers.go:118] boom')).toBe('record');
    expect(lineVerdict(klog, 'Trace[1418061176]: [5.001s] [5.001s] END')).toBe('companion');
    expect(lineVerdict(klog, '+ echo hello')).toBe('foreign');
  });

  it('the formats used below have samples no sibling format claims', () => {
    for (const name of DISTINCT) {
      for (const line of recordsOf(name)) {
        for (const other of ALL_FORMATS) {
          if (other.name === name) continue;
          expect(lineVerdict(other, line), `${other.name} on a ${name} sample`).not.toBe('record');
        }
      }
    }
  });
});

describe('RegionScanner', () => {
  it('600 lines of shell trace then 1,600 klog lines: an unexplained region, then klog from line 601', () => {
    const regions = scan([...shellTrace(600), ...block('klog', 1600)]);
    expect(regions.map((r) => [r.startLine, r.endLine, r.format?.name ?? null])).toEqual([
      [1, 600, null],
      [601, 2200, 'klog'],
    ]);
    expect(regions[0]!.lookedLike).toBe('a shell trace (set -x output)');
    expect(regions[1]!.head.length).toBe(HEAD_LINES);
    expect(regions[1]!.head[0]).toBe(recordsOf('klog')[0]);
  });

  it('a short preamble stays in the region of the log that follows (its lines are skipped there)', () => {
    const regions = scan([...shellTrace(20), ...block('klog', 200)]);
    expect(regions.map((r) => [r.startLine, r.endLine, r.format?.name ?? null])).toEqual([[1, 220, 'klog']]);
  });

  it('a file shorter than one window is one region decided on all of it', () => {
    const regions = scan(block('syslog', 5));
    expect(regions.map((r) => [r.startLine, r.endLine, r.format?.name])).toEqual([[1, 5, 'syslog']]);
    expect(scan(['hello', 'world']).map((r) => r.format)).toEqual([null]);
    expect(scan(['', '  ']).map((r) => [r.startLine, r.endLine, r.lookedLike])).toEqual([[1, 2, 'nothing (empty)']]);
  });

  it('blank lines belong to the region they fall in and do not move a boundary', () => {
    const lines = [...block('kmsg', 100), '', '', ...block('syslog', 100)];
    expect(scan(lines).map((r) => [r.startLine, r.endLine, r.format?.name])).toEqual([
      [1, 102, 'kmsg'],
      [103, 202, 'syslog'],
    ]);
  });

  it('a log, then a long stretch no format explains, then the log again: three regions', () => {
    const lines = [...block('dmesg-raw', 100), ...shellTrace(150), ...block('dmesg-raw', 100)];
    expect(scan(lines).map((r) => [r.startLine, r.endLine, r.format?.name ?? null])).toEqual([
      [1, 100, 'dmesg-raw'],
      [101, 250, null],
      [251, 350, 'dmesg-raw'],
    ]);
  });

  it('finds the boundary of any two formats joined with cat, at any lengths', () => {
    const pair = fc
      .tuple(fc.constantFrom(...DISTINCT), fc.constantFrom(...DISTINCT))
      .filter(([a, b]) => a !== b);
    fc.assert(
      fc.property(pair, fc.integer({ min: HEAD_LINES, max: 400 }), fc.integer({ min: HEAD_LINES, max: 400 }), fc.nat(7), ([a, b], na, nb, off) => {
        const regions = scan([...block(a, na, off), ...block(b, nb, off)]);
        expect(regions.map((r) => [r.startLine, r.endLine, r.format?.name])).toEqual([
          [1, na, a],
          [na + 1, na + nb, b],
        ]);
      }),
      { numRuns: 60 },
    );
  });

  it('lines of two formats interleaved stay one region (the pipeline reads whole foreign records on their own)', () => {
    const lines: string[] = [];
    const syslog = block('syslog', 300);
    const rfc = block('syslog-rfc5424', 100);
    for (let i = 0; i < 300; i++) {
      lines.push(syslog[i]!);
      if (i % 3 === 0) lines.push(rfc[i / 3]!);
    }
    expect(scan(lines).map((r) => r.format?.name)).toEqual(['syslog']);
  });

  it('keeps each region its own tail: the last non-blank lines before the change', () => {
    const a = block('kmsg', 90);
    const regions = scan([...a, ...block('klog', 90)]);
    expect(regions[0]!.tail).toEqual(a.slice(-8));
  });
});

describe('a log of any length after a stretch no format explains (#13)', () => {
  const prose = (n: number) => Array.from({ length: n }, (_, i) => `paragraph ${i}: the operator wrote down what they saw, in words and numbers ${i * 7}`);

  it('600 unexplained lines then 5 syslog lines: the 5 lines are a syslog region of their own', () => {
    const regions = scan([...prose(600), ...block('syslog', 5)]);
    expect(regions.map((r) => [r.startLine, r.endLine, r.format?.name ?? null])).toEqual([
      [1, 600, null],
      [601, 605, 'syslog'],
    ]);
  });

  it('one strong record is enough; it is found in a section shorter than a window too', () => {
    const line = recordsOf('syslog')[0]!;
    expect(scan([...prose(100), line]).map((r) => [r.startLine, r.endLine, r.format?.name ?? null])).toEqual([[1, 100, null], [101, 101, 'syslog']]);
    expect(scan([...prose(30), line, ...prose(3)]).map((r) => [r.startLine, r.endLine, r.format?.name ?? null])).toEqual([[1, 30, null], [31, 34, 'syslog']]);
    expect(scan([line, ...prose(100)]).map((r) => [r.startLine, r.format?.name ?? null])).toEqual([[1, 'syslog'], [2, null]]);
  });

  it('prose that merely holds or starts with a date stays unexplained', () => {
    const dated = [
      'May 26 17:18:04 the server went down and we rebooted it',
      'Tue May 26 17:18:04 UTC 2026',
      'On 2026-05-26T17:18:04Z we deployed the fix',
      '2026-05-26 10:00:00 we deployed the fix',
      'Last login: Tue May 26 17:18:04 2026 from 10.0.0.1',
    ];
    for (const d of dated) {
      const regions = scan([...prose(80), d, ...prose(80)]);
      expect(regions.map((r) => r.format?.name ?? null), d).toEqual([null]);
    }
  });

  it('two untagged syslog lines in a row are a log (a hand-kept one)', () => {
    const notes = ['May 26 17:18:04 the server went down', 'May 26 17:20:11 rebooted it by hand'];
    expect(scan([...prose(80), ...notes]).map((r) => [r.startLine, r.format?.name ?? null])).toEqual([[1, null], [81, 'syslog']]);
  });

  it('a single record opens a region when its line carries a wall-clock time; an uptime stamp needs a second', () => {
    const found = DISTINCT.filter((name) => scan([...prose(80), ...block(name, 1)]).length === 2);
    expect(found.sort()).toEqual(['dmesg-human', 'journal-json', 'klog', 'logrus', 'syslog', 'syslog-rfc5424', 'zap-json']);
  });

  it('any distinct format, at any length from 2 to 20 lines, after 60 to 200 unexplained lines', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DISTINCT), fc.integer({ min: 2, max: 20 }), fc.integer({ min: 60, max: 200 }), (name, n, before) => {
        const regions = scan([...prose(before), ...block(name, n)]);
        expect(regions.map((r) => [r.startLine, r.endLine, r.format?.name ?? null])).toEqual([[1, before, null], [before + 1, before + n, name]]);
      }),
      { numRuns: 60 },
    );
  });
});
