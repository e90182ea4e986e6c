/**
 * readLines (src/ingest/reader.ts) splits a file into lines through two paths: the lines of a chunk
 * that is plain ASCII without NUL are decoded in one piece and sliced; any other chunk is read line
 * by line as bytes. Both must give exactly what a plain byte splitter gives — the same lines, the
 * same counts of cut, non-UTF-8 and NUL lines — however the file falls into read chunks (a read is
 * 4 KiB when the size hint is 0, so the files below span many chunks and lines cross them).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyReadReport, MAX_LINE_BYTES, NUL_SYMBOL, readLines } from '../../src/ingest/reader.js';

interface Split {
  lines: string[];
  truncated: number;
  invalid: number;
  nul: number;
}

/** The reference: split the bytes on LF, drop one CR before it, cut at MAX_LINE_BYTES, decode. */
function reference(bytes: Buffer): Split {
  const out: Split = { lines: [], truncated: 0, invalid: 0, nul: 0 };
  let start = 0;
  const take = (end: number): void => {
    let piece = bytes.subarray(start, end);
    if (piece.length > 0 && piece[piece.length - 1] === 0x0d) piece = piece.subarray(0, piece.length - 1);
    if (piece.length > MAX_LINE_BYTES) {
      out.truncated++;
      piece = piece.subarray(0, MAX_LINE_BYTES);
    }
    if (!isUtf8(piece)) out.invalid++;
    let text = piece.toString('utf8');
    if (piece.includes(0)) {
      out.nul++;
      text = text.replaceAll('\0', NUL_SYMBOL);
    }
    out.lines.push(text);
  };
  for (let nl = bytes.indexOf(0x0a); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
    take(nl);
    start = nl + 1;
  }
  if (start < bytes.length) take(bytes.length);
  return out;
}

async function read(path: string): Promise<Split & { firstLines: number[] }> {
  const report = emptyReadReport();
  const lines: string[] = [];
  const firstLines: number[] = [];
  for await (const b of readLines(path, false, report, 0)) {
    firstLines.push(b.firstLine);
    lines.push(...b.lines);
  }
  return { lines, truncated: report.truncatedLines, invalid: report.invalidUtf8Lines, nul: report.nulLines, firstLines };
}

const dir = mkdtempSync(join(tmpdir(), 'corr-read-lines-'));
let seq = 0;
function file(bytes: Buffer): string {
  const path = join(dir, `f${seq++}.log`);
  writeFileSync(path, bytes);
  return path;
}

/** Pieces a line is made of: ASCII words, CRs, NUL, multi-byte UTF-8, bytes that are not UTF-8. */
const piece = fc.oneof(
  { weight: 12, arbitrary: fc.stringMatching(/^[ -~]{0,120}$/).map((s) => Buffer.from(s, 'latin1')) },
  { weight: 1, arbitrary: fc.constantFrom(Buffer.from('\r'), Buffer.from([0]), Buffer.from('é€😀', 'utf8'), Buffer.from([0xff, 0xc3]), Buffer.from('\t')) },
);
const line = fc.array(piece, { maxLength: 6 }).map((ps) => Buffer.concat(ps));

describe('readLines', () => {
  it('gives what a byte splitter gives, on any mix of lines, line ends and chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 400 }), fc.boolean(), fc.boolean(), async (ls, crlf, finalNewline) => {
        const body = Buffer.concat(ls.flatMap((l, i) => (i < ls.length - 1 || finalNewline ? [l, Buffer.from(crlf ? '\r\n' : '\n')] : [l])));
        const got = await read(file(body));
        const want = reference(body);
        expect({ lines: got.lines, truncated: got.truncated, invalid: got.invalid, nul: got.nul }).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });

  it('cuts ASCII lines longer than the bound inside one chunk and across chunks alike', async () => {
    const long = 'a'.repeat(MAX_LINE_BYTES + 10);
    const body = Buffer.from(`short\n${long}\nmiddle\n${long}${long}\nend\n`, 'latin1');
    const got = await read(file(body));
    expect(got.lines).toEqual(['short', 'a'.repeat(MAX_LINE_BYTES), 'middle', 'a'.repeat(MAX_LINE_BYTES), 'end']);
    expect(got.truncated).toBe(2);
  });

  it('numbers batches by their first line and keeps every line of a large ASCII file', async () => {
    const n = 20_000;
    const body = Buffer.from(Array.from({ length: n }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`).join('\n') + '\n', 'latin1');
    const got = await read(file(body));
    expect(got.lines.length).toBe(n);
    expect(got.lines[12_345]).toBe(`line 12345 ${'x'.repeat(12_345 % 50)}`);
    // Batches of 4096 lines: each starts one past the last line of the batch before.
    expect(got.firstLines).toEqual([1, 4097, 8193, 12289, 16385]);
  });
});
