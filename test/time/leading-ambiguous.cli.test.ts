/**
 * The real CLI on files that start inside a repeated autumn hour (docs/time.md "DST"): the leading
 * lines are read by the section's next unambiguous line, so they land at the second pass of the
 * hour when that is what keeps the section in order. The instants are computed by hand from the
 * zones' rules; the old rule (first pass for every leading line) put each of them an hour early,
 * which left an hour-long hole in the stream's coverage (simulator seeds 61, 84, 103, 183, 190).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corrJson, tempDir } from '../helpers/cli.js';

interface IngestJson {
  files: { path: string; section: string | null; format: string | null; events: number; warnings: string[]; first: string | null; last: string | null }[];
  events_added: number;
}

function rows(db: string): { line: number; ts_us: number; note: string | null }[] {
  const r = corrJson<{ rows: { line: number; ts_us: number; note: string | null }[] }>(['--db', db, 'sql', 'SELECT line, ts_us, time_note AS note FROM events ORDER BY line']);
  expect(r.code, r.stderr).toBe(0);
  return r.json.rows;
}
const us = (iso: string): number => Date.parse(iso) * 1000;

describe('corr ingest: a section that starts inside the repeated autumn hour', () => {
  it('syslog auth.log in Los Angeles (2026-11-01 01:00–02:00 twice): 01:30 and 01:59:30 before 02:00:10 PST are PST', () => {
    const dir = tempDir();
    const f = join(dir, 'auth.log');
    writeFileSync(
      f,
      [
        'Nov  1 01:30:00 edge sshd[7]: Invalid user oracle from 192.0.2.9 port 4001',
        'Nov  1 01:59:30 edge sshd[7]: Connection closed by invalid user oracle 192.0.2.9 port 4001 [preauth]',
        'Nov  1 02:00:10 edge sshd[8]: Invalid user pi from 192.0.2.9 port 4002',
        'Nov  1 02:10:00 edge CRON[9]: pam_unix(cron:session): session opened for user root by (uid=0)',
      ].join('\n') + '\n',
    );
    const db = join(dir, 'c.db');
    const r = corrJson<IngestJson>(['--db', db, 'ingest', f, '--tz', 'America/Los_Angeles', '--year', '2026']);
    expect(r.code, r.stderr).toBe(0);
    const got = rows(db);
    expect(got.map((x) => x.ts_us)).toEqual([us('2026-11-01T09:30:00Z'), us('2026-11-01T09:59:30Z'), us('2026-11-01T10:00:10Z'), us('2026-11-01T10:10:00Z')]);
    expect(got[0]!.note).toMatch(/second occurrence chosen: the section starts inside the repeated hour.*\(line 3\)/);
    expect(got[2]!.note).toBeNull();
    expect(r.json.files[0]!.first).toBe('2026-11-01T09:30:00.000Z');
    expect(r.json.files[0]!.warnings.join(' ')).toMatch(/2 lines fall in the repeated autumn hour of America\/Los_Angeles.*the 2 at the section's start \(from line 1\).*second occurrence/);
    // The same file again adds nothing: the dedup keys are the moved instants.
    expect(corrJson<IngestJson>(['--db', db, 'ingest', f, '--tz', 'America/Los_Angeles', '--year', '2026']).json.events_added).toBe(0);
  });

  it('klog in Sydney (2026-04-05 02:00–03:00 twice, southern): microseconds kept, a continuation line waits with its record', () => {
    const dir = tempDir();
    const f = join(dir, 'k3s.log');
    writeFileSync(
      f,
      [
        'I0405 02:40:00.123456    2281 job_controller.go:566] "enqueueing job" key="ci/cleanup-1"',
        'I0405 02:59:59.500000    2281 trace.go:236] Trace[1]: "List" (05-Apr-2026 02:59:58.000) (total time: 1500ms):',
        'Trace[1]: [1.5s] [1.5s] END',
        'I0405 03:00:01.000001    2281 controller.go:624] quota admission added evaluator for: leases.coordination.k8s.io',
      ].join('\n') + '\n',
    );
    const db = join(dir, 'c.db');
    const r = corrJson<IngestJson>(['--db', db, 'ingest', f, '--tz', 'Australia/Sydney', '--year', '2026', '--host', 'node-a']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.files[0]!.format).toBe('klog');
    // Second pass: AEST, +10:00.
    expect(rows(db).map((x) => [x.line, x.ts_us])).toEqual([
      [1, us('2026-04-04T16:40:00Z') + 123_456],
      [2, us('2026-04-04T16:59:59Z') + 500_000],
      [4, us('2026-04-04T17:00:01Z') + 1],
    ]);
  });

  it('a capture in Santiago whose auth.log tail starts at 23:24:25 of the repeated 23:00–24:00 of 4 April: -04, year from its date section', () => {
    const dir = tempDir();
    const f = join(dir, 'output.txt');
    writeFileSync(
      f,
      [
        '===== date =====',
        'Sun Apr  5 00:16:58 -04 2026',
        '===== hostname =====',
        'gw-01',
        '===== tail -n 4 /var/log/auth.log =====',
        'Apr  4 23:24:25 gw-01 sshd[27945]: Invalid user oracle from 202.78.41.191 port 38840',
        'Apr  4 23:59:58 gw-01 sshd[27946]: Invalid user admin from 202.78.41.191 port 38841',
        'Apr  5 00:00:03 gw-01 sshd[27947]: Invalid user pi from 202.78.41.191 port 38842',
        'Apr  5 00:16:28 gw-01 sshd[28040]: Connection closed by invalid user pi 202.78.41.191 port 41542 [preauth]',
      ].join('\n') + '\n',
    );
    const db = join(dir, 'c.db');
    const r = corrJson<IngestJson>(['--db', db, 'ingest', f, '--tz', 'America/Santiago']);
    expect(r.code, r.stderr).toBe(0);
    expect(rows(db).map((x) => x.ts_us)).toEqual([us('2026-04-05T03:24:25Z'), us('2026-04-05T03:59:58Z'), us('2026-04-05T04:00:03Z'), us('2026-04-05T04:16:28Z')]);
  });

  /** A capture in Santiago taken at `local` (its `date`) and `utc` (timedatectl), its auth.log tail wholly inside the repeated hour. */
  function santiagoCapture(dir: string, local: string, offset: string, utc: string, lines: string[]): string {
    const f = join(dir, 'output.txt');
    writeFileSync(
      f,
      [
        '===== date =====',
        `Sat Apr  4 ${local} ${offset} 2026`,
        '===== hostname =====',
        'kai-server',
        '===== timedatectl =====',
        `               Local time: Sat 2026-04-04 ${local} ${offset}`,
        `           Universal time: Sun 2026-04-05 ${utc} UTC`,
        `                Time zone: America/Santiago (${offset}, ${offset}00)`,
        `===== tail -n ${lines.length} /var/log/auth.log =====`,
        ...lines,
      ].join('\n') + '\n',
    );
    return f;
  }
  const tail = ['Apr  4 23:17:22 kai-server sshd[5001]: Invalid user git from 117.3.163.123 port 5001', 'Apr  4 23:51:28 kai-server sshd[5002]: Invalid user git from 117.3.163.123 port 5002'];

  it('a capture section wholly inside the hour, taken in its second pass (23:52 -04): the second pass, which still precedes the capture', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    const r = corrJson<IngestJson>(['--db', db, 'ingest', santiagoCapture(dir, '23:52:00', '-04', '03:52:00', tail)]);
    expect(r.code, r.stderr).toBe(0);
    const got = rows(db);
    expect(got.map((x) => x.ts_us)).toEqual([us('2026-04-05T03:17:22Z'), us('2026-04-05T03:51:28Z')]);
    expect(got[0]!.note).toMatch(/second occurrence chosen: no unambiguous line follows .* before the capture ran \(2026-04-05T03:52:00.000Z\)/);
  });

  it('the same lines in a capture taken in the first pass (23:52 -03): the second pass would follow the capture, so the first', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    const r = corrJson<IngestJson>(['--db', db, 'ingest', santiagoCapture(dir, '23:52:00', '-03', '02:52:00', tail)]);
    expect(r.code, r.stderr).toBe(0);
    expect(rows(db).map((x) => x.ts_us)).toEqual([us('2026-04-05T02:17:22Z'), us('2026-04-05T02:51:28Z')]);
  });

  it('a plain file wholly inside the hour states no capture instant: the first pass, said to be undecided', () => {
    const dir = tempDir();
    const f = join(dir, 'auth.log');
    writeFileSync(f, tail.join('\n') + '\n');
    const db = join(dir, 'c.db');
    const r = corrJson<IngestJson>(['--db', db, 'ingest', f, '--tz', 'America/Santiago', '--year', '2026']);
    expect(r.code, r.stderr).toBe(0);
    const got = rows(db);
    expect(got.map((x) => x.ts_us)).toEqual([us('2026-04-05T02:17:22Z'), us('2026-04-05T02:51:28Z')]);
    expect(got[1]!.note).toMatch(/first occurrence assumed: no unambiguous line follows it in the section, so it may be an hour later/);
  });

  it('a section that folds back into the hour keeps the file order: 01:40, 01:55 PDT, then 01:05 PST', () => {
    const dir = tempDir();
    const f = join(dir, 'auth.log');
    writeFileSync(
      f,
      ['Nov  1 01:40:00 edge sshd[1]: a', 'Nov  1 01:55:00 edge sshd[1]: b', 'Nov  1 01:05:00 edge sshd[1]: c', 'Nov  1 02:00:00 edge sshd[1]: d'].join('\n') + '\n',
    );
    const db = join(dir, 'c.db');
    expect(corrJson<IngestJson>(['--db', db, 'ingest', f, '--tz', 'America/Los_Angeles', '--year', '2026']).code).toBe(0);
    expect(rows(db).map((x) => x.ts_us)).toEqual([us('2026-11-01T08:40:00Z'), us('2026-11-01T08:55:00Z'), us('2026-11-01T09:05:00Z'), us('2026-11-01T10:00:00Z')]);
  });
});
