/** RFC 3164 syslog with its `<PRI>`: the CLI on a small receiver log, the PRI's meaning, RFC 5424 untouched, hostile lines. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES } from '../helpers/cli.js';
import { syslogPriFormat } from '../../src/ingest/formats/syslog-pri.js';
import { syslogRfc5424Format } from '../../src/ingest/formats/syslog.js';
import { detectFormat } from '../../src/ingest/detect.js';
import { expectFast, ingestFile } from './ingest-helper.js';

describe('syslog-pri', () => {
  it('a receiver log through the CLI: facility and severity from the PRI, year inferred, zone assumed, a 5424 line read as 5424', () => {
    const { files, rows } = ingestFile(join(FIXTURES, 'formats', 'syslog-pri.log'), ['--year', '2026', '--tz', 'America/Los_Angeles']);
    expect(files.map((f) => [f.format, f.lines, f.events, f.continuations, f.skipped])).toEqual([['syslog-pri', 6, 4, 1, 1]]);
    expect(files[0].assumptions.join(' ')).toContain('1 line read as syslog-rfc5424 inside this syslog-pri section');
    expect(files[0].warnings.join(' ')).toContain('a <PRI> line with no readable timestamp after it');
    expect(rows.map((r) => [r.line, r.ts, r.host, r.kind, r.severity])).toEqual([
      [1, '2026-10-12T05:14:15.000Z', 'mymachine', 'syslog.su', 'critical'],
      [2, '2026-10-12T05:14:16.000Z', 'mymachine', 'sshd.failed_password', 'warning'],
      [3, '2026-10-12T05:14:17.000Z', 'mymachine', 'syslog.app', 'notice'],
      [5, '2026-10-11T22:14:18.000Z', 'mymachine', 'syslog.app', 'notice'],
    ]);
    expect(rows[0].fields).toEqual({ facility: 'auth', pri: 34 });
    expect(rows[1].fields).toMatchObject({ ip: '60.163.139.198', user: 'admin', facility: 'auth', pri: 38 });
    expect(rows[2].message).toBe('first line of a message\nthat goes on indented');
  });

  it('leaves RFC 5424 (`<13>1 …`) to its own format and refuses lines without a PRI', () => {
    const line = '<13>1 2026-05-26T17:18:04.000Z host app 77 - - message';
    expect(syslogPriFormat.parse(line, null)).toBeNull();
    expect(syslogPriFormat.detect([line])).toBe(0);
    expect(detectFormat([line]).format?.name).toBe(syslogRfc5424Format.name);
    expect(syslogPriFormat.parse('May 26 17:18:04 host app: message', null)).toBeNull();
    expect(syslogPriFormat.parse('<192>May 26 17:18:04 host app: message', null)).toBeNull();
  });

  it('parses and detects a 100k-character hostile line in milliseconds', () => {
    expectFast((l) => syslogPriFormat.parse(l, null), (h) => syslogPriFormat.detect(h), [
      `<34>Oct 11 22:14:15 h su: ${'a'.repeat(100_000)}`,
      `<34>Oct 11 22:14:15 ${'x'.repeat(100_000)}`,
      `<34>${'<34>'.repeat(25_000)}`,
      `<34>Oct 11 22:14:15 h kernel: [${' '.repeat(100_000)}`,
    ]);
  });
});
