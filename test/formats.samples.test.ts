/**
 * lnav's rule, applied to every format descriptor: each carries sample lines, each sample parses
 * with its own format and meets its stated expectations, and detection on the sample picks the
 * owning format over every other one.
 */
import { describe, expect, it } from 'vitest';
import { ALL_FORMATS } from '../src/ingest/formats/index.js';
import { detectFormat } from '../src/ingest/detect.js';
import type { ParsedEvent, RawTime } from '../src/ingest/types.js';

function timeText(t: RawTime): string | undefined {
  const p = (n: number) => String(n).padStart(2, '0');
  switch (t.kind) {
    case 'exact':
      return new Date(Math.floor(t.utcUs / 1000)).toISOString();
    case 'local':
      return `${t.year !== null ? `${t.year}-` : ''}${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}:${p(t.second)}`;
    case 'uptime':
      return (t.us / 1e6).toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
    case 'none':
      return undefined;
  }
}

describe('format registry', () => {
  it('has unique names and at least one sample per format', () => {
    const names = ALL_FORMATS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of ALL_FORMATS) expect(f.samples.length, f.name).toBeGreaterThan(0);
  });
});

for (const format of ALL_FORMATS) {
  describe(`format ${format.name}`, () => {
    format.samples.forEach((sample, i) => {
      it(`sample ${i + 1} parses as stated: ${sample.line.slice(0, 70)}`, () => {
        let prev: ParsedEvent | null = null;
        if (sample.expect.continuation) {
          const before = format.samples[i - 1];
          expect(before, 'a continuation sample follows the sample it continues').toBeDefined();
          const r0 = format.parse(before!.line, null);
          expect(r0?.type).toBe('event');
          prev = r0 && r0.type === 'event' ? r0.event : null;
        }
        const r = format.parse(sample.line, prev);
        expect(r, 'the format claims its own sample').not.toBeNull();
        if (sample.expect.continuation) {
          expect(r!.type).toBe('continuation');
          return;
        }
        expect(r!.type).toBe('event');
        const e = (r as { type: 'event'; event: ParsedEvent }).event;
        const x = sample.expect;
        if (x.kind !== undefined) expect(e.kind).toBe(x.kind);
        if (x.source !== undefined) expect(e.source).toBe(x.source);
        if (x.severity !== undefined) expect(e.severity).toBe(x.severity);
        if (x.host !== undefined) expect(e.host).toBe(x.host);
        if (x.time !== undefined) {
          const got = timeText(e.time);
          if (e.time.kind === 'uptime') expect(Number(got)).toBeCloseTo(Number(x.time), 6);
          else expect(got).toBe(x.time);
        }
        if (x.fields) for (const [k, v] of Object.entries(x.fields)) expect(e.fields[k], `field ${k}`).toEqual(v);
        expect(e.kind.startsWith(`${e.source}.`), `kind ${e.kind} is <source>.<name>`).toBe(true);
      });
      if (!sample.expect.continuation && !format.declared) {
        it(`sample ${i + 1} is detected as ${format.name}`, () => {
          expect(detectFormat([sample.line]).format?.name).toBe(format.name);
        });
      }
      if (format.declared) {
        // Bare messages: content never reveals these formats, only a section header that names them.
        it(`sample ${i + 1} is never detected as ${format.name} from its content`, () => {
          expect(detectFormat([sample.line]).format?.name).not.toBe(format.name);
        });
      }
    });
  });
}
