/**
 * Property-based tests of the survey and the real ingest pipeline on generated capture files:
 * sections tile the file exactly, no input throws, and every line is accounted for
 * (lines = events + continuations + skipped per section, and the sections' lines add up to the file).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ALL_FORMATS } from '../../src/ingest/formats/index.js';
import { surveyFile } from '../../src/ingest/survey.js';
import { ingest } from '../../src/ingest/pipeline.js';
import { openStore } from '../../src/store/db.js';
import { tempDir } from '../helpers/cli.js';


/** A line of one format: a real sample (mostly), a damaged one, a blank, an indented continuation, noise. */
function formatLine(samples: string[]) {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...samples) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...samples), fc.nat(), fc.string({ unit: 'binary', maxLength: 8 })).map(([s, at, x]) => {
        const i = at % (s.length + 1);
        return s.slice(0, i) + x.replace(/[\r\n]/g, ' ') + s.slice(i + 1);
      }),
    },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((s) => '    ' + s.replace(/[\r\n]/g, ' ')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }).map((s) => s.replace(/[\r\n]/g, ' ')) },
  );
}

const HEADERS = ['===== dmesg =====', '--- journalctl -u k3s ---', '### auth.log', '===== date =====', '===== uptime -s =====', '===== ss -tlnp =====', '-- Boot abc --', '--- last message repeated 3 times ---'];

/** A section: maybe a header, then lines of one format (so that detection has something to find). */
const section = fc
  .tuple(fc.option(fc.constantFrom(...HEADERS), { nil: undefined }), fc.constantFrom(...ALL_FORMATS.map((f) => f.samples.map((x) => x.line))))
  .chain(([header, samples]) => fc.array(formatLine(samples), { maxLength: 25 }).map((lines) => (header ? [header, ...lines] : lines)));

const captureFile = fc.record({
  lines: fc.array(section, { minLength: 0, maxLength: 4 }).map((sections) => sections.flat()),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  gzip: fc.boolean(),
});

function write(dir: string, name: string, f: { lines: string[]; crlf: boolean; finalNewline: boolean; gzip: boolean }): { path: string; lineCount: number } {
  const eol = f.crlf ? '\r\n' : '\n';
  const text = f.lines.join(eol) + (f.finalNewline && f.lines.length ? eol : '');
  const path = join(dir, f.gzip ? `${name}.gz` : name);
  writeFileSync(path, f.gzip ? gzipSync(Buffer.from(text)) : text);
  // The reader's count: lines split at \n, a last line without newline still counted, none for ''.
  const lineCount = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  return { path, lineCount };
}

describe('survey on generated capture files', () => {
  it('never throws; its sections tile the file from line 1 to the last without gap or overlap', async () => {
    const dir = tempDir('corr-fuzz-survey-');
    let n = 0;
    let read = 0;
    await fc.assert(
      fc.asyncProperty(captureFile, async (f) => {
        const { path, lineCount } = write(dir, `f${n++}.txt`, f);
        const s = await surveyFile(path);
        if ('lookedLike' in s) return; // a generated file can look binary (many control characters): skipped, said so
        read++;
        expect(s.lines).toBe(lineCount);
        let next = 1;
        for (const sec of s.sections) {
          expect(sec.startLine).toBe(next);
          expect(sec.endLine).toBeGreaterThanOrEqual(sec.startLine);
          next = sec.endLine + 1;
        }
        expect(next - 1).toBe(lineCount);
      }),
      { numRuns: 150 },
    );
    expect(read, 'most generated files must be read, or the property tests little').toBeGreaterThan(100);
  });
});

describe('the ingest pipeline on generated capture files', () => {
  it('never throws and accounts for every line: per section and for the whole file', async () => {
    const dir = tempDir('corr-fuzz-ingest-');
    let n = 0;
    let events = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(captureFile, { minLength: 1, maxLength: 3 }), async (files) => {
        const round = n++;
        const written = files.map((f, i) => write(dir, `r${round}-${i}.txt`, f));
        const db = openStore(join(dir, `r${round}.db`), { create: true });
        try {
          const result = await ingest(db, written.map((w) => w.path), { tzFor: [], tz: 'America/Los_Angeles', replace: false });
          expect(result.errors).toEqual([]);
          for (const w of written) {
            const entries = result.files.filter((f) => f.path === w.path);
            expect(entries.length, w.path).toBeGreaterThan(0);
            for (const e of entries) expect(e.lines, `${w.path} [${e.section}]`).toBe(e.events + e.continuations + e.skipped);
            if (entries[0]!.status === 'skipped') continue; // looked binary: not read, said so
            expect(entries.reduce((sum, e) => sum + e.lines, 0), w.path).toBe(w.lineCount);
          }
          // Stored events never exceed the events counted, and the store is consistent.
          const stored = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
          events += stored;
          expect(stored).toBe(result.events_total);
          expect(stored).toBeLessThanOrEqual(result.files.reduce((sum, e) => sum + e.events, 0));
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
          // Ingesting the same files again adds nothing.
          const again = await ingest(db, written.map((w) => w.path), { tzFor: [], tz: 'America/Los_Angeles', replace: false });
          expect(again.events_added).toBe(0);
        } finally {
          db.close();
        }
      }),
      { numRuns: 40 },
    );
    expect(events, 'the generated files must yield events, or the property tests little').toBeGreaterThan(200);
  });
});
