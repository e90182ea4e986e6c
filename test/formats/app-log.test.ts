/** Application logs with a local ISO stamp and a level: the CLI on a Python log with a traceback, the zone machinery, what is not ours, hostile lines. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES } from '../helpers/cli.js';
import { appLogFormat, readAppRecord } from '../../src/ingest/formats/app-log.js';
import { detectFormat } from '../../src/ingest/detect.js';
import { expectFast, ingestFile } from './ingest-helper.js';

describe('app-log', () => {
  it('a Python log through the CLI: local times in the --tz zone (recorded), levels, a traceback kept with its record', () => {
    const { files, rows } = ingestFile(join(FIXTURES, 'formats', 'app.log'), ['--tz', 'America/Los_Angeles', '--host', 'kai-server']);
    expect(files.map((f) => [f.format, f.lines, f.events, f.continuations, f.skipped, f.tz])).toEqual([['app-log', 7, 3, 4, 0, 'America/Los_Angeles']]);
    expect(rows.map((r) => [r.line, r.ts, r.kind, r.severity])).toEqual([
      [1, '2026-05-27T00:18:04.123Z', 'app.message', 'info'],
      [2, '2026-05-27T00:18:09.456Z', 'app.message', 'error'],
      [7, '2026-05-27T00:18:10.000Z', 'app.message', 'warning'],
    ]);
    expect(rows[1].message).toMatch(/^Failed to connect to redis:\/\/10\.43\.12\.7:6379: Connection refused\nTraceback \(most recent call last\):\n.*ConnectionRefusedError/s);
    expect(rows[1].fields).toEqual({ level: 'error', level_text: 'ERROR' });
  });

  it('without --tz the zone is the same fallback every local-time format records', () => {
    const { files } = ingestFile(join(FIXTURES, 'formats', 'app.log'), ['--host', 'kai-server']);
    expect(files[0].assumptions.join(' ')).toContain("zone UTC is this machine's zone: a FALLBACK");
    expect(files[0].warnings.join(' ')).toContain('times without an offset were read in this machine');
  });

  it('leaves syslog lines (a tag before the level) and level-less stamped text to other formats', () => {
    expect(readAppRecord('2026-05-26T19:44:01.123456-07:00 kai-server app[123]: ERROR could not bind')).toBeNull();
    expect(detectFormat(['2026-05-26T19:44:01.123456-07:00 kai-server app[123]: ERROR could not bind']).format?.name).toBe('syslog-rfc3339');
    expect(readAppRecord('2026-05-26 17:18:04 the backup finished')).toBeNull();
    expect(readAppRecord('2026-05-26 17:18:04 a b c d INFO too far in')).toBeNull();
    expect(readAppRecord('2026-05-26 17:18:04 Info mixed-case is a word, not a level')).toBeNull();
    expect(appLogFormat.parse('2026-02-30 17:18:04,123 INFO x', null)).toEqual({ type: 'skip', reason: expect.stringContaining('day 30 does not exist in 2026-02') });
    expect(detectFormat(['2026-05-26T17:18:04,123456+00:00 kernel: Linux version 6.8.0']).format?.name).toBe('dmesg-iso');
    // RFC 3339 syslog would read `[ERROR]` as fail2ban's bracketed tag; app-log comes first and reads it as the level.
    expect(detectFormat(['2026-05-26T17:18:04.5+02:00 [ERROR] payment gateway timed out after 30s']).format?.name).toBe('app-log');
  });

  it('parses and detects a 100k-character hostile line in milliseconds', () => {
    expectFast((l) => appLogFormat.parse(l, null), (h) => appLogFormat.detect(h), [
      `2026-05-26 17:18:04,123 INFO ${'a'.repeat(100_000)}`,
      `2026-05-26 17:18:04,123 ${' '.repeat(100_000)}INFO`,
      `2026-05-26 17:18:04,123 ${'x'.repeat(100_000)}`,
      `${'A'.repeat(100_000)}Exception`,
      `2026-05-26 17:18:04,123 INFO ${' - '.repeat(33_000)}`,
    ]);
  });
});
