/**
 * #17, many small files: `corr ingest --json` writes its document a file at a time. The streamed
 * text must be exactly what printJson writes for the same document (the contract's shape, byte for
 * byte), for any entries, hostile text included, and through the real CLI.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkedWriter, writeJsonStreamed } from '../../src/cli/ingest.js';
import { inertJson } from '../../src/text/escape.js';
import { corr, tempDir } from '../helpers/cli.js';

function streamed(first: string, items: unknown[], rest: Record<string, unknown>, chunk = false): string {
  let text = '';
  const out = chunk ? new ChunkedWriter((t) => (text += t)) : { write: (t: string) => void (text += t), end: () => {} };
  writeJsonStreamed(out, first, items, rest);
  out.end();
  return text;
}

describe('the streamed --json document', () => {
  it('is byte-identical to the whole document, for any entries', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }));
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), value, { maxKeys: 5 }), { maxLength: 6 }), fc.dictionary(fc.string().map((k) => 'k' + k), value, { maxKeys: 4 }), fc.boolean(), (items, rest, chunk) => {
        fc.pre(!('files' in rest));
        expect(streamed('files', items, rest, chunk)).toBe(inertJson({ files: items, ...rest }, 2) + '\n');
      }),
      { numRuns: 300 },
    );
  });

  it('holds line breaks, escapes and U+2028 inside entries as the whole document does', () => {
    const items = [{ path: 'a\nb', w: ['\u2028\u001b[31m', '"q"'] }, {}];
    expect(streamed('files', items, { errors: [], n: 1 })).toBe(inertJson({ files: items, errors: [], n: 1 }, 2) + '\n');
    expect(streamed('files', [], {})).toBe(inertJson({ files: [] }, 2) + '\n');
  });

  it('is what corr ingest --json prints: the contract keys in order, every file once', () => {
    const dir = tempDir();
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, `f${i}.log`), `Mar  1 10:00:${String(i).padStart(2, '0')} host-${i % 3} cron[1]: job ${i}\n`);
    writeFileSync(join(dir, 'empty.log'), '');
    const r = corr(['--db', join(tempDir(), 's.db'), '--json', 'ingest', dir, '--tz', 'UTC', '--year', '2026']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['files', 'errors', 'events_added', 'events_total', 'warnings']);
    expect(r.stdout).toBe(inertJson(doc, 2) + '\n');
    expect(doc.files.map((f: { path: string }) => f.path)).toEqual([join(dir, 'empty.log'), ...[...Array(30).keys()].map((i) => join(dir, `f${i}.log`)).sort()]);
    expect(doc.events_added).toBe(30);
  });
});
