/**
 * Bad input through the real CLI: every broken file is named in a one-line message, the exit code is
 * the contract's, the rest of the run is still done, and nothing already stored is lost.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { writeFileSync, mkdirSync, symlinkSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gunzipSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { join } from 'node:path';
import { corr, corrJson, tempDir } from '../helpers/cli.js';

interface FileEntry {
  path: string;
  section: string | null;
  format: string | null;
  lines: number;
  events: number;
  continuations: number;
  skipped: number;
  warnings: string[];
  status?: string;
}
interface IngestJson {
  files: FileEntry[];
  errors: { path: string; error: string }[];
  events_added: number;
  events_total: number;
}

const GOOD = 'Mar  1 10:00:00 kai-server sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2\n';

function ingest(db: string, paths: string[]) {
  return corrJson<IngestJson>(['--db', db, 'ingest', ...paths, '--tz', 'UTC', '--year', '2026']);
}

function messages(db: string, file: string): { line: number; message: string; raw: string }[] {
  const r = corrJson<{ rows: { line: number; message: string; raw: string }[] }>([
    '--db', db, 'sql', `SELECT e.line, e.message, e.raw FROM events e JOIN sections s ON s.id = e.section_id JOIN files f ON f.id = s.file_id WHERE f.path = '${file.replace(/'/g, "''")}' ORDER BY e.line`,
  ]);
  expect(r.code, r.stderr).toBe(0);
  return r.json.rows;
}

/** Every stderr line is one line that starts with `corr: ` — never a stack trace. */
function expectOneLineMessages(stderr: string): void {
  for (const line of stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^corr: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

function entry(j: IngestJson, path: string): FileEntry {
  const f = j.files.find((x) => x.path === path);
  if (!f) throw new Error(`${path} is not in the report: ${j.files.map((x) => x.path).join(', ')}`);
  return f;
}

describe('broken text', () => {
  const dir = tempDir('corr-bad-');
  const db = join(dir, 'c.db');
  const p = (name: string) => join(dir, name);
  let run: ReturnType<typeof ingest>;

  beforeAll(() => {
    writeFileSync(p('utf8.log'), Buffer.concat([Buffer.from('Mar  1 10:00:01 kai-server sshd[1]: Invalid user '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' from 1.2.3.5 port 22\n')]));
    writeFileSync(p('nul.log'), Buffer.from('Mar  1 10:00:02 kai-server sshd[1]: before\0after the nul\n'));
    writeFileSync(p('crlf.log'), 'Mar  1 10:00:03 kai-server sshd[1]: crlf one\r\nMar  1 10:00:04 kai-server sshd[1]: lf two\nMar  1 10:00:05 kai-server sshd[1]: crlf three\r\n');
    const huge = 'Mar  1 10:00:06 kai-server sshd[1]: huge ' + 'x'.repeat(10 * 1024 * 1024) + '\nMar  1 10:00:07 kai-server sshd[1]: after the huge line\n';
    writeFileSync(p('huge.log'), huge);
    writeFileSync(p('empty.log'), '');
    writeFileSync(p('midline.log'), 'Mar  1 10:00:08 kai-server sshd[1]: complete\nMar  1 10:00:09 kai-server sshd[1]: cut off mid-li');
    run = ingest(db, [dir]);
  });

  it('ingests all of them with exit 0 and one-line warnings that name each file', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.errors).toEqual([]);
    expectOneLineMessages(run.stderr);
    expect(run.stderr).toMatch(/utf8\.log: .*not UTF-8/);
    expect(run.stderr).toMatch(/nul\.log: .*NUL/);
    expect(run.stderr).toMatch(/huge\.log: .*cut at 64 KiB/);
    expect(run.stderr).toMatch(/empty\.log: .*empty/);
    for (const f of run.json.files) expect(f.lines, f.path).toBe(f.events + f.continuations + f.skipped);
  });

  it('keeps invalid UTF-8 as U+FFFD and a NUL as a visible symbol, with the text after it', () => {
    const [u] = messages(db, p('utf8.log'));
    expect(u!.message).toContain('\uFFFD');
    expect(u!.message).toMatch(/from 1\.2\.3\.5 port 22$/);
    const [n] = messages(db, p('nul.log'));
    expect(n!.message).toBe('before\u2400after the nul');
  });

  it('strips CR of CRLF endings, even mixed with LF, and keeps line numbers', () => {
    const rows = messages(db, p('crlf.log'));
    expect(rows.map((r) => [r.line, r.message])).toEqual([[1, 'crlf one'], [2, 'lf two'], [3, 'crlf three']]);
    for (const r of rows) expect(r.raw).not.toContain('\r');
  });

  it('cuts a 10 MB line at 64 KiB and parses the next line at its own line number', () => {
    const rows = messages(db, p('huge.log'));
    expect(rows).toHaveLength(2);
    expect(rows[0]!.raw.length).toBeLessThanOrEqual(64 * 1024);
    expect(rows[0]!.raw.length).toBeGreaterThan(60 * 1024);
    expect(rows[1]).toMatchObject({ line: 2, message: 'after the huge line' });
    expect(entry(run.json, p('huge.log'))).toMatchObject({ lines: 2, events: 2 });
  });

  it('records an empty file with zero lines and a warning', () => {
    expect(entry(run.json, p('empty.log'))).toMatchObject({ lines: 0, events: 0, format: null });
  });

  it('keeps the last line of a file that ends mid-line', () => {
    expect(messages(db, p('midline.log')).map((r) => r.message)).toEqual(['complete', 'cut off mid-li']);
  });
});

describe('broken and hostile gzip', () => {
  it('keeps the lines before the break of a truncated .gz, names a corrupt .gz (exit 2), and still ingests the rest', () => {
    const dir = tempDir('corr-gz-');
    const db = join(tempDir(), 'c.db');
    const lines = Array.from({ length: 4000 }, (_, i) => `Mar  1 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} kai-server sshd[${i}]: Failed password for u${i} from 1.2.3.4 port 22 ssh2`).join('\n') + '\n';
    const gz = gzipSync(lines);
    writeFileSync(join(dir, 'truncated.log.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    // A gzip header, then a deflate block of the reserved type 3: corrupt from its first byte.
    writeFileSync(join(dir, 'corrupt.log.gz'), Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3]), Buffer.alloc(200, 0xff)]));
    writeFileSync(join(dir, 'good.log'), GOOD);
    const r = ingest(db, [dir]);
    expect(r.code, r.stderr).toBe(2);
    expectOneLineMessages(r.stderr);
    expect(r.json.errors).toEqual([{ path: join(dir, 'corrupt.log.gz'), error: expect.stringMatching(/corrupt gzip|cannot be read/) }]);
    expect(r.stderr).toMatch(/corrupt\.log\.gz: /);
    const t = entry(r.json, join(dir, 'truncated.log.gz'));
    // Every line the half file holds is read, as far as zlib itself can decode it (the last one cut).
    const decodable = gunzipSync(gz.subarray(0, Math.floor(gz.length / 2)), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString().split('\n');
    expect(t.lines).toBe(decodable.length);
    expect(t.events).toBeGreaterThanOrEqual(decodable.length - 1);
    expect(t.warnings.join(' ')).toMatch(/gzip stream is truncated/);
    expect(r.stderr).toMatch(/truncated\.log\.gz: .*gzip stream is truncated/);
    expect(entry(r.json, join(dir, 'good.log')).events).toBe(1);
  });

  it('stops a gzip bomb at 400x its compressed size, quickly, and says so', () => {
    const dir = tempDir('corr-bomb-');
    const db = join(tempDir(), 'c.db');
    // 200 MB of one letter (text, so it is read, not skipped as binary): deflate reaches ~1030:1 on
    // it, past the reader's 400x bound. The same of zeros is binary and never decompressed past its head.
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 'a'), { level: 9 });
    expect(bomb.length).toBeLessThan(250_000);
    writeFileSync(join(dir, 'bomb.gz'), bomb);
    writeFileSync(join(dir, 'zeros.gz'), gzipSync(Buffer.alloc(50 * 1024 * 1024), { level: 9 }));
    writeFileSync(join(dir, 'good.log'), GOOD);
    const started = Date.now();
    const r = ingest(db, [dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    const b = entry(r.json, join(dir, 'bomb.gz'));
    expect(b.warnings.join(' ')).toMatch(/gzip bomb/);
    expect(r.stderr).toMatch(/bomb\.gz: .*gzip bomb/);
    expect(b.lines).toBe(1); // one 200 MB line, cut at 64 KiB
    expect(entry(r.json, join(dir, 'zeros.gz')).warnings.join(' ')).toMatch(/not read: gzip-compressed binary/);
    expect(entry(r.json, join(dir, 'good.log')).events).toBe(1);
  });
});

describe('things that are not log files', () => {
  it('skips a binary file, a FIFO, a device and a symlink loop without hanging, names them, and ingests the rest', () => {
    const dir = tempDir('corr-odd-');
    const db = join(dir, 'c.db');
    const inputs = join(dir, 'in');
    mkdirSync(inputs);
    const binary = Buffer.alloc(4096);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 131 + 7) % 256;
    writeFileSync(join(inputs, 'blob.bin'), binary);
    writeFileSync(join(inputs, 'blob.bin.gz'), gzipSync(binary));
    execFileSync('mkfifo', [join(inputs, 'pipe')]);
    symlinkSync('loop-b', join(inputs, 'loop-a'));
    symlinkSync('loop-a', join(inputs, 'loop-b'));
    symlinkSync(inputs, join(inputs, 'self')); // a directory loop
    writeFileSync(join(inputs, 'good.log'), GOOD);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const r = ingest(db, [inputs, '/dev/null']);
    // The loops are inputs that cannot be read: exit 2, the rest ingested.
    expect(r.code, r.stderr).toBe(2);
    expectOneLineMessages(r.stderr);
    expect(r.json.errors.map((e) => e.path).sort()).toEqual([join(inputs, 'loop-a'), join(inputs, 'loop-b')]);
    for (const e of r.json.errors) expect(e.error).toMatch(/symbolic link loop/);
    expect(entry(r.json, join(inputs, 'blob.bin'))).toMatchObject({ format: null, lines: 0 });
    expect(entry(r.json, join(inputs, 'blob.bin')).warnings.join(' ')).toMatch(/binary/);
    expect(entry(r.json, join(inputs, 'blob.bin.gz'))).toMatchObject({ format: null, lines: 0 });
    expect(entry(r.json, join(inputs, 'blob.bin.gz')).warnings.join(' ')).toMatch(/gzip-compressed binary/);
    expect(entry(r.json, join(inputs, 'pipe')).warnings.join(' ')).toMatch(/FIFO/);
    expect(entry(r.json, '/dev/null').warnings.join(' ')).toMatch(/device/);
    expect(r.stderr).toMatch(/blob\.bin: .*binary/);
    expect(entry(r.json, join(inputs, 'good.log')).events).toBe(1);
    expect(r.json.events_total).toBe(1);
  });

  it('names a path that does not exist (exit 2), ingests the others, and keeps what was stored before', () => {
    const dir = tempDir('corr-missing-');
    const db = join(dir, 'c.db');
    writeFileSync(join(dir, 'first.log'), GOOD);
    const first = ingest(db, [join(dir, 'first.log')]);
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(dir, 'second.log'), GOOD.replace('10:00:00', '10:00:01'));
    const missing = join(dir, 'no-such-file.log');
    const r = ingest(db, [missing, join(dir, 'second.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').filter((l) => l.includes('no-such-file'))).toEqual([`corr: ${missing}: no such file or directory`]);
    expect(r.json.errors).toEqual([{ path: missing, error: 'no such file or directory' }]);
    expect(r.json.events_added).toBe(1);
    expect(r.json.events_total).toBe(2);
  });

  it('a bad input in the middle of a run never rolls back the files before it', () => {
    const dir = tempDir('corr-order-');
    const db = join(dir, 'c.db');
    writeFileSync(join(dir, 'a.log'), GOOD);
    writeFileSync(join(dir, 'b.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]));
    writeFileSync(join(dir, 'c.log'), GOOD.replace('10:00:00', '10:00:09'));
    const r = ingest(db, [join(dir, 'a.log'), join(dir, 'b.gz'), join(dir, 'c.log')]);
    expect(r.code).toBe(2);
    expect(r.json.events_total).toBe(2);
    const timeline = corrJson<{ events: { message: string }[] }>(['--db', db, 'timeline', '--no-collapse']);
    expect(timeline.json.events).toHaveLength(2);
  });

  it('refuses an unknown option with exit 2 and nothing on stdout', () => {
    const r = corr(['--db', join(tempDir(), 'c.db'), 'ingest', '/dev/null', '--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
