/**
 * Files as they arrive from other machines, through the real CLI: gzip read like `gzip -d` does
 * (every member, trailing garbage ignored, a half-copied file read up to its cut), UTF-16 with a
 * byte-order mark, a UTF-8 byte-order mark, and CR-only line ends. Each asserts the exact events
 * stored and the notice that says how the file was read.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { corrJson, tempDir } from '../helpers/cli.js';

interface Entry {
  path: string;
  format: string | null;
  lines: number;
  events: number;
  skipped: number;
  warnings: string[];
}

function syslog(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + from;
    return `Mar  1 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} kai-server sshd[${1000 + i}]: Failed password for u${i} from 203.0.113.${i % 250} port ${40000 + i} ssh2`;
  });
}

function ingestOne(name: string, bytes: Buffer): { entry: Entry; messages: string[]; stderr: string } {
  const dir = tempDir('corr-enc-');
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const db = join(dir, 'c.db');
  const r = corrJson<{ files: Entry[] }>(['--db', db, 'ingest', path, '--tz', 'UTC', '--year', '2026']);
  expect(r.code, r.stderr).toBe(0);
  const t = corrJson<{ events: { message: string }[] }>(['--db', db, 'timeline', '--no-collapse']);
  return { entry: r.json.files[0]!, messages: t.json.events.map((e) => e.message), stderr: r.stderr };
}

describe('gzip as gzip -d reads it', () => {
  it('reads every member of concatenated .gz files (what cat a.gz b.gz makes)', () => {
    const a = syslog(3000);
    const b = syslog(2000, 3000);
    const { entry } = ingestOne('auth.log.gz', Buffer.concat([gzipSync(a.join('\n') + '\n'), gzipSync(b.join('\n') + '\n')]));
    expect(entry.lines).toBe(5000);
    expect(entry.events).toBe(5000);
    expect(entry.warnings).toContain('2 gzip members, read one after another (as gzip -d does)');
  });

  it('ignores trailing garbage after the last member, keeping every line before it', () => {
    const lines = syslog(3000);
    const { entry, messages } = ingestOne('auth.log.gz', Buffer.concat([gzipSync(lines.join('\n') + '\n'), Buffer.from('JUNK AFTER THE STREAM\n')]));
    expect(entry.events).toBe(3000);
    expect(messages.at(-1)).toBe('Failed password for u2999 from 203.0.113.249 port 42999 ssh2');
    expect(entry.warnings).toContain('22 bytes of trailing garbage after the gzip data were ignored (as gzip -d does)');
  });
});

describe('text encodings and line ends', () => {
  const lines = syslog(3);

  it('decodes UTF-16LE and UTF-16BE with a byte-order mark', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\n') + '\n', 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [bytes, name] of [[le, 'UTF-16LE'], [be, 'UTF-16BE']] as const) {
      const { entry, messages } = ingestOne('win.log', bytes);
      expect(entry.format).toBe('syslog');
      expect(entry.events).toBe(3);
      expect(messages[0]).toBe('Failed password for u0 from 203.0.113.0 port 40000 ssh2');
      expect(entry.warnings).toContain(`decoded from ${name} (byte-order mark)`);
    }
  });

  it('removes a UTF-8 byte-order mark, so the first line keeps its format', () => {
    const { entry, messages } = ingestOne('bom.log', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\n') + '\n')]));
    expect(entry.events).toBe(3);
    expect(entry.skipped).toBe(0);
    expect(messages[0]).toBe('Failed password for u0 from 203.0.113.0 port 40000 ssh2');
    expect(entry.warnings).toContain('a UTF-8 byte-order mark at the start was removed');
  });

  it('reads carriage returns alone as line ends instead of one line cut at 64 KiB', () => {
    const many = syslog(2000);
    const { entry, messages } = ingestOne('mac.log', Buffer.from(many.join('\r') + '\r'));
    expect(entry.lines).toBe(2000);
    expect(entry.events).toBe(2000);
    expect(messages[1999]).toBe('Failed password for u1999 from 203.0.113.249 port 41999 ssh2');
    expect(entry.warnings).toContain('lines end in a carriage return alone (CR, classic Mac): read as line ends');
  });
});
