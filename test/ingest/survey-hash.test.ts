/**
 * The survey hashes a file's bytes in the same read that splits its lines: the hash must still be
 * the SHA-256 of the bytes on disk (compressed ones for a .gz), whole, including when the line
 * read stops early.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { surveyFile } from '../../src/ingest/survey.js';

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function lines(n: number): string {
  const out: string[] = [];
  // Long enough to span several 1 MiB read chunks.
  for (let i = 0; i < n; i++) out.push(`[ ${String(i).padStart(6, ' ')}.000000] line ${i} ${'x'.repeat(i % 97)}`);
  return out.join('\n') + '\n';
}

describe('survey hash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corr-hash-'));

  it('is the SHA-256 of a plain file spanning several chunks', async () => {
    const path = join(dir, 'dmesg.txt');
    writeFileSync(path, lines(40_000));
    const s = await surveyFile(path);
    expect('sha256' in s && s.sha256).toBe(sha(path));
    expect('lines' in s && s.lines).toBe(40_000);
  });

  it('is the SHA-256 of the compressed bytes of a .gz', async () => {
    const path = join(dir, 'dmesg.txt.gz');
    writeFileSync(path, gzipSync(lines(30_000)));
    const s = await surveyFile(path);
    expect('sha256' in s && s.sha256).toBe(sha(path));
  });

  it('is still the whole file\'s hash when the .gz is cut short (the line read stops early)', async () => {
    const path = join(dir, 'cut.txt.gz');
    const whole = gzipSync(lines(30_000));
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const s = await surveyFile(path);
    expect('read' in s && s.read.stoppedEarly).toBeTruthy();
    expect('sha256' in s && s.sha256).toBe(sha(path));
  });

  it('is the hash of an empty file', async () => {
    const path = join(dir, 'empty.log');
    writeFileSync(path, '');
    const s = await surveyFile(path);
    expect('sha256' in s && s.sha256).toBe(sha(path));
  });
});
