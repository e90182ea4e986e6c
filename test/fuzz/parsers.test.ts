/**
 * Property-based tests of every format's parser and of the section header rule: no input throws,
 * every result has the promised shape, and every timestamp a parser reports is either a valid
 * instant once aligned or refused by the aligner with a reason (flagged, counted as skipped).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ALL_FORMATS } from '../../src/ingest/formats/index.js';
import { headerTitle, factCommand } from '../../src/ingest/sections.js';
import { SectionAligner } from '../../src/time/align.js';
import { SEVERITIES, type LineResult, type FormatDescriptor } from '../../src/ingest/types.js';

const RUNS = 300;
const SAMPLES = ALL_FORMATS.flatMap((f) => f.samples.map((s) => s.line));
/** The instants a JavaScript Date can hold (±100 million days), in µs: outside, no output can show them. */
const DATE_LIMIT_US = 8.64e15 * 1000;

/** Any text, control characters and lone surrogates included. */
const anyText = fc.string({ unit: 'binary', maxLength: 300 });

/** A real line of some format with a random slice replaced by random text. */
const mutatedSample = fc
  .tuple(fc.constantFrom(...SAMPLES), fc.nat(), fc.nat({ max: 12 }), fc.string({ unit: 'binary', maxLength: 16 }))
  .map(([s, at, cut, insert]) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + insert + s.slice(i + cut);
  });

/** A real line with its digits replaced at random: month 13, day 31 of February, hour 25, second 61. */
const redatedSample = fc
  .tuple(fc.constantFrom(...SAMPLES), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 40, maxLength: 40 }))
  .map(([s, digits]) => {
    let k = 0;
    return s.replace(/\d/g, () => String(digits[k++ % digits.length]));
  });

const lines = fc.oneof(anyText, mutatedSample, redatedSample);

function checkResult(format: FormatDescriptor, line: string, r: LineResult | null, aligner: SectionAligner): void {
  if (r === null) return;
  expect(['event', 'continuation', 'skip']).toContain(r.type);
  if (r.type === 'skip') {
    expect(typeof r.reason).toBe('string');
    expect(r.reason.length).toBeGreaterThan(0);
    return;
  }
  if (r.type !== 'event') return;
  const e = r.event;
  expect(typeof e.message, format.name).toBe('string');
  expect(SEVERITIES).toContain(e.severity);
  expect(e.kind.startsWith(`${e.source}.`), `${format.name}: kind ${e.kind} of source ${e.source}`).toBe(true);
  for (const v of Object.values(e.fields)) expect(['string', 'number', 'boolean']).toContain(typeof v);
  if (e.uptimeUs !== undefined) expect(Number.isFinite(e.uptimeUs) && e.uptimeUs >= 0, `${format.name}: uptime ${e.uptimeUs} from ${JSON.stringify(line)}`).toBe(true);
  const t = e.time;
  if (t.kind === 'uptime') {
    expect(Number.isFinite(t.us) && t.us >= 0, `${format.name}: uptime ${t.us} from ${JSON.stringify(line)}`).toBe(true);
    return;
  }
  const a = aligner.align(t);
  if (!a.ok) {
    expect(a.reason.length).toBeGreaterThan(0); // flagged: the pipeline counts the line as skipped with this reason
    return;
  }
  if (a.tsUs === null) return; // no time on the line: stored as untimed, never in time queries
  // Valid: a whole number of µs that a Date can show. (A far-future instant is kept and flagged by
  // the pipeline's "dated more than a day in the future" warning; see test/reliability/timestamps.)
  expect(Number.isInteger(a.tsUs), `${format.name}: instant ${a.tsUs} from ${JSON.stringify(line)}`).toBe(true);
  expect(Math.abs(a.tsUs), `${format.name}: ${JSON.stringify(line)}`).toBeLessThanOrEqual(DATE_LIMIT_US);
  expect(new Date(a.tsUs / 1000).toISOString()).toMatch(/^[+-]?\d{4,6}-\d\d-\d\dT/);
}

describe('every format parser on generated lines', () => {
  for (const format of ALL_FORMATS) {
    it(`${format.name}: never throws, returns a well-formed result, and every instant is valid or flagged`, () => {
      fc.assert(
        fc.property(lines, fc.boolean(), (line, withPrev) => {
          const aligner = new SectionAligner({ zone: 'America/Los_Angeles', year: null, refUs: Date.UTC(2026, 4, 27) * 1000 });
          const prevResult = withPrev ? format.parse(format.samples[0]!.line, null) : null;
          const prev = prevResult && prevResult.type === 'event' ? prevResult.event : null;
          const r = format.parse(line, prev);
          checkResult(format, line, r, aligner);
          const score = format.detect([line, format.samples[0]!.line]);
          expect(score >= 0 && score <= 1).toBe(true);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('impossible dates never become instants (Feb 30, 25:61)', () => {
    const aligner = new SectionAligner({ zone: 'UTC', year: 2026, refUs: null });
    for (const [month, day, hour, minute] of [[2, 30, 10, 0], [3, 1, 25, 61], [13, 1, 0, 0], [4, 31, 0, 0], [2, 29, 0, 0]] as const) {
      const r = aligner.align({ kind: 'local', year: null, month, day, hour, minute, second: 0, micro: 0 });
      expect(r.ok, `${month}-${day} ${hour}:${minute}`).toBe(false);
    }
  });
});

describe('the section header rule', () => {
  it('never throws; a title is non-empty, trimmed and short', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.tuple(fc.constantFrom('===', '---', '###', '=====', '-- ', '#'), anyText).map(([a, b]) => a + b)), (line) => {
        const title = headerTitle(line);
        if (title !== null) {
          expect(title.length).toBeGreaterThan(0);
          expect(title).toBe(title.trim());
          expect(title.length).toBeLessThanOrEqual(400);
          expect(() => factCommand(title)).not.toThrow();
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the title of every well-formed header, whatever the run and closing run', () => {
    const title = fc
      .string({ minLength: 1, maxLength: 60 })
      .map((s) => s.replace(/[\x00-\x1f\x7f]/g, 'x').trim())
      .filter((s) => s.length > 0 && !/^last message repeated/i.test(s) && !/^[=#-]/.test(s) && !/[=#-]$/.test(s));
    fc.assert(
      fc.property(fc.constantFrom('=', '-', '#'), fc.integer({ min: 3, max: 12 }), fc.integer({ min: 3, max: 12 }), fc.boolean(), title, (ch, open, close, closed, t) => {
        const line = `${ch.repeat(open)} ${t}${closed ? ' ' + ch.repeat(close) : ''}`;
        expect(headerTitle(line)).toBe(t);
      }),
      { numRuns: 1000 },
    );
  });

  it('two-character runs and syslog repeat markers are not headers', () => {
    expect(headerTitle('-- Boot 0123456789abcdef --')).toBeNull();
    expect(headerTitle('-- No entries --')).toBeNull();
    expect(headerTitle('--- last message repeated 5 times ---')).toBeNull();
  });
});
