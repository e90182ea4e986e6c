/**
 * Timestamps that cannot be, that go backwards, that lie in the far future, that repeat, and an
 * uptime clock that resets: each is kept or refused on purpose, counted, and said in a warning that
 * names the file (and the first line, for refusals).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corrJson, tempDir } from '../helpers/cli.js';

interface Entry {
  path: string;
  lines: number;
  events: number;
  continuations: number;
  skipped: number;
  assumptions: string[];
  warnings: string[];
}

let dir: string;
let db: string;
let files: Entry[];
let stderr: string;

function rows<T>(query: string): T[] {
  const r = corrJson<{ rows: T[] }>(['--db', db, 'sql', query]);
  expect(r.code, r.stderr).toBe(0);
  return r.json.rows;
}
const file = (name: string) => files.find((f) => f.path === join(dir, name))!;

beforeAll(() => {
  dir = tempDir('corr-ts-');
  db = join(tempDir(), 'c.db');
  writeFileSync(
    join(dir, 'auth.log'),
    [
      'Feb 30 10:00:00 kai-server sshd[1]: on a day that does not exist',
      'Mar  1 25:61:00 kai-server sshd[1]: at an hour that does not exist',
      'Mar  1 10:00:00 kai-server sshd[1]: Accepted publickey for kai from 10.0.0.1 port 1 ssh2',
      'Mar  1 09:00:00 kai-server sshd[1]: an hour back in time',
      'Mar  1 10:00:00 kai-server sshd[1]: Accepted publickey for kai from 10.0.0.1 port 1 ssh2',
    ].join('\n') + '\n',
  );
  writeFileSync(
    join(dir, 'watch.log'),
    ['2026-03-01T10:00:00Z target=kai-server state=alive exit=0', '2099-01-01T00:00:00Z target=kai-server state=alive exit=0'].join('\n') + '\n',
  );
  writeFileSync(
    join(dir, 'dmesg.txt'),
    ['[  100.000000] eth0: link up', '[  200.000000] eth0: link down', '[    1.000000] Linux version 6.1.0', '[    2.000000] eth0: link up'].join('\n') + '\n',
  );
  const r = corrJson<{ files: Entry[] }>(['--db', db, 'ingest', dir, '--tz', 'UTC', '--year', '2026', '--host', 'kai-server', '--boot-time', '2026-03-01T08:00:00Z']);
  expect(r.code, r.stderr).toBe(0);
  files = r.json.files;
  stderr = r.stderr;
  for (const f of files) expect(f.lines).toBe(f.events + f.continuations + f.skipped);
});

describe('impossible, disordered, future and repeated timestamps', () => {
  it('refuses Feb 30 and 25:61 with a reason naming the first line, and stores nothing for them', () => {
    const auth = file('auth.log');
    expect(auth).toMatchObject({ lines: 5, events: 3, skipped: 2 });
    expect(auth.warnings).toContain('1 line skipped: impossible date or time in "Feb 30 10:00:00" (first at line 1)');
    expect(auth.warnings).toContain('1 line skipped: impossible date or time in "Mar  1 25:61:00" (first at line 2)');
    expect(stderr).toMatch(/auth\.log: 1 line skipped: impossible date or time in "Feb 30 10:00:00" \(first at line 1\)/);
    expect(rows<{ line: number }>(`SELECT line FROM events WHERE message LIKE '%does not exist%'`)).toEqual([]);
  });

  it('keeps an out-of-order line where its stamp puts it, and says the file goes back in time', () => {
    expect(file('auth.log').warnings.join(' ')).toMatch(/1 lines go back in time/);
    const [back] = rows<{ ts_us: number }>(`SELECT ts_us FROM events WHERE message = 'an hour back in time'`);
    expect(back!.ts_us).toBe(Date.UTC(2026, 2, 1, 9) * 1000);
  });

  it('keeps a genuinely repeated line twice (same instant, same text, two lines), and a second ingest adds none', () => {
    const repeats = rows<{ line: number; ts_us: number }>(`SELECT line, ts_us FROM events WHERE message LIKE 'Accepted publickey%' ORDER BY line`);
    expect(repeats).toEqual([
      { line: 3, ts_us: Date.UTC(2026, 2, 1, 10) * 1000 },
      { line: 5, ts_us: Date.UTC(2026, 2, 1, 10) * 1000 },
    ]);
    const again = corrJson<{ events_added: number }>(['--db', db, 'ingest', dir, '--tz', 'UTC', '--year', '2026', '--host', 'kai-server', '--boot-time', '2026-03-01T08:00:00Z']);
    expect(again.json.events_added).toBe(0);
  });

  it('keeps a far-future line and flags it', () => {
    const watch = file('watch.log');
    expect(watch.events).toBe(2);
    expect(watch.warnings).toContain('1 lines are dated more than a day in the future');
    expect(stderr).toMatch(/watch\.log: 1 lines are dated more than a day in the future/);
  });

  it('splits an uptime clock that resets into two boots and says so', () => {
    const d = file('dmesg.txt');
    expect(d.events).toBe(4);
    expect(d.assumptions.join(' ')).toMatch(/the uptime clock resets 1 time\(s\): 2 boots/);
    const boots = rows<{ segment: number; min_uptime_us: number; max_uptime_us: number }>('SELECT segment, min_uptime_us, max_uptime_us FROM boots ORDER BY segment');
    expect(boots).toEqual([
      { segment: 0, min_uptime_us: 100_000_000, max_uptime_us: 200_000_000 },
      { segment: 1, min_uptime_us: 1_000_000, max_uptime_us: 2_000_000 },
    ]);
    // --boot-time anchors the boot running at capture time (the last one): 08:00 + 1 s.
    const [linux] = rows<{ ts_us: number | null }>(`SELECT ts_us FROM events WHERE message LIKE 'Linux version%'`);
    expect(linux!.ts_us).toBe(Date.UTC(2026, 2, 1, 8, 0, 1) * 1000);
  });
});
