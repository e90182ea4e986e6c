/**
 * The CLI's conventions through the real binary: times read as meant (with a fixed --ref, and
 * against the store's span without one), the resolved window on stderr, empty results that say
 * what the store holds, inverted or empty windows refused, a linear-time --grep, completion,
 * "did you mean" for options and values, --quiet, and `ingest -`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corr, corrJson, tempDir } from '../helpers/cli.js';

interface TimelineJson {
  events: { ts: string; source: string; message: string; file: string; line: number }[];
}

let dir: string;
let db: string;

// One sshd line a minute, 2026-05-26 23:00Z .. 2026-05-27 00:59Z (16:00 .. 17:59 PDT on May 26).
beforeAll(() => {
  dir = tempDir();
  const lines: string[] = [];
  for (let m = 0; m < 120; m++) {
    const h = m < 60 ? '23' : '00';
    const day = m < 60 ? '26' : '27';
    lines.push(`May ${day} ${h}:${String(m % 60).padStart(2, '0')}:00 kai-server sshd[${m}]: Connection closed by 192.0.2.1 port ${1000 + m} [preauth]`);
  }
  writeFileSync(join(dir, 'auth.log'), lines.join('\n') + '\n');
  db = join(dir, 'c.db');
  const r = corr(['--db', db, 'ingest', join(dir, 'auth.log'), '--tz', 'UTC', '--year', '2026']);
  expect(r.code, r.stderr).toBe(0);
});

function window(args: string[]): { first?: string; last?: string; n: number; stderr: string; code: number } {
  const r = corrJson<TimelineJson>(['--db', db, 'timeline', '--no-collapse', ...args]);
  return { first: r.json.events[0]?.ts, last: r.json.events.at(-1)?.ts, n: r.json.events.length, stderr: r.stderr, code: r.code };
}

describe('times read as meant', () => {
  const REF = ['--ref', '2026-05-27T00:30:00Z'];

  it('a clock time alone is the latest one at or before the reference (not later today)', () => {
    // 17:15 PT on May 26 is 00:15Z on May 27, before the reference; 17:45 PT would be after it, so it is the day before's.
    expect(window(['--since', '17:15 PT', '--until', '17:20 PT', ...REF])).toMatchObject({ first: '2026-05-27T00:15:00.000Z', last: '2026-05-27T00:19:00.000Z', n: 5 });
    const later = window(['--since', '17:45 PT', ...REF]);
    expect(later.stderr).toContain('window 2026-05-26T00:45:00.000Z');
    expect(later.n).toBe(120);
  });

  it('a month and day without a year is in the past of the reference, not next year', () => {
    expect(window(['--since', 'May 26 5:15pm PDT', '--until', 'May 26 5:17pm PDT', ...REF])).toMatchObject({ first: '2026-05-27T00:15:00.000Z', n: 2 });
  });

  it('relative times count from --ref', () => {
    expect(window(['--since', '10 minutes ago', ...REF])).toMatchObject({ first: '2026-05-27T00:20:00.000Z', n: 40 });
  });

  it('without --ref, relative and clock-only times count from the store\'s last event, and say so', () => {
    const w = window(['--since', '5 minutes ago']);
    expect(w).toMatchObject({ first: '2026-05-27T00:54:00.000Z', last: '2026-05-27T00:59:00.000Z', n: 6 });
    expect(w.stderr).toMatch(/count back from the store's last event, 2026-05-27T00:59:00.000Z/);
  });

  it('+15m in --until is fifteen minutes after --since; -2h in --since is two hours before --until', () => {
    expect(window(['--since', '2026-05-26T23:30:00Z', '--until', '+15m'])).toMatchObject({ first: '2026-05-26T23:30:00.000Z', last: '2026-05-26T23:44:00.000Z', n: 15 });
    // A value that starts with `-` is written with `=`, or the shell's option parser takes it for flags.
    expect(window(['--since=-90s', '--until', '2026-05-27T00:10:00Z'])).toMatchObject({ first: '2026-05-27T00:09:00.000Z', n: 1 });
    expect(window(['--since=-2h', '--until', '2026-05-27T00:10:00Z']).n).toBe(70);
  });

  it('prints the resolved window on stderr in UTC and the display zone', () => {
    const r = corr(['--db', db, 'timeline', '--since', '2026-05-26 17:15 PT', '--until', '+5m', '--tz', 'America/Los_Angeles']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('window 2026-05-27T00:15:00.000Z (2026-05-26 17:15:00 PDT) .. 2026-05-27T00:20:00.000Z (2026-05-26 17:20:00 PDT)');
    expect(corr(['--db', db, 'timeline', '--quiet', '--limit', '1']).stderr).toBe('');
  });

  it('an empty result names the store\'s first and last instant', () => {
    const r = corr(['--db', db, 'timeline', '--since', '2026-06-01T00:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No events in that window; the store holds events from 2026-05-26T23:00:00.000Z to 2026-05-27T00:59:00.000Z.');
  });

  it('an inverted or empty window is bad usage: exit 2, one line', () => {
    for (const args of [
      ['--since', '2026-05-26 17:27 PT', '--until', '17:18 PT'],
      ['--since', '2026-05-27T00:10:00Z', '--until', '2026-05-27T00:10:00Z'],
      ['--since', '2026-05-27T00:10:00Z', '--until', '2026-05-27T00:00:00Z'],
      ['--since', '2026-05-27T00:10:00Z', '--until=-5m'],
      ['--until', '+5m'],
    ]) {
      const r = corr(['--db', db, 'timeline', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
    const c = corr(['--db', db, 'correlate', '--window', '17:27..17:18 PT', '--ref', '2026-05-27T01:00:00Z']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--window.*ends .* before it starts/);
    // Across midnight is still a window (20 minutes), not an inversion.
    expect(window(['--since', '2026-05-26 23:50', '--until', '00:10']).n).toBe(20);
  });
});

describe('--grep', () => {
  it('runs in linear time: (a+)+$ on a long line takes no time, and a backreference is refused with a reason', () => {
    const long = join(dir, 'long.log');
    writeFileSync(long, `May 27 00:30:30 kai-server sshd[9]: Invalid user ${'a'.repeat(30_000)}! from 192.0.2.9 port 1\n`);
    const ldb = join(dir, 'long.db');
    expect(corr(['--db', ldb, 'ingest', long, '--tz', 'UTC', '--year', '2026']).code).toBe(0);
    const t0 = Date.now();
    const r = corrJson<TimelineJson>(['--db', ldb, 'timeline', '--grep', '(a+)+$']);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.json.events).toHaveLength(0);
    expect(corrJson<TimelineJson>(['--db', ldb, 'timeline', '--grep', '(a+)+!']).json.events).toHaveLength(1);
    const b = corr(['--db', db, 'timeline', '--grep', '(a)\\1']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--grep: .*linear time.*no backreferences/);
  });
});

describe('suggestions', () => {
  it('an unknown option names the closest real one (exit 2, one line)', () => {
    const r = corr(['--db', db, 'timeline', '--sinc', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('corr: unknown option --sinc; did you mean --since?');
    expect(corr(['--db', db, 'timeline', '--histgram']).stderr).toMatch(/did you mean --histogram\?/);
  });

  it('an unknown --source, --host or --kind value gets the store\'s own values', () => {
    const r = corr(['--db', db, 'timeline', '--source', 'sshdd']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--source sshdd: the store has no such source; did you mean sshd\? \(sources: sshd\)/);
    expect(corr(['--db', db, 'timeline', '--host', 'kai-sever']).stderr).toMatch(/did you mean kai-server\?/);
    expect(corr(['--db', db, 'timeline', '--kind', 'sshd.conection']).stderr).toMatch(/did you mean sshd\.connection\?/);
    // A value the store has, outside the window: said as such, with no suggestion.
    expect(corr(['--db', db, 'timeline', '--source', 'sshd', '--since', '2026-06-01T00:00:00Z']).stderr).toMatch(/--source sshd: no events in this window/);
  });
});

describe('corr completion', () => {
  it('prints a bash script by default and a zsh one for zsh, both calling corr back for completions', () => {
    const bash = corr(['completion'], { env: { SHELL: '/bin/bash', ZSH_NAME: '' } });
    expect(bash.code).toBe(0);
    expect(bash.stdout).toMatch(/complete -o bashdefault -o default -F _corr_yargs_completions corr/);
    const zsh = corr(['completion', 'zsh'], { env: { SHELL: '/bin/bash' } });
    expect(zsh.stdout).toMatch(/^#compdef corr/);
    expect(zsh.stdout).toMatch(/compdef _corr_yargs_completions corr/);
    const words = corr(['--get-yargs-completions', 'corr', 'timeline', '--'], { env: { SHELL: '/bin/bash', ZSH_NAME: '' } }).stdout.split('\n');
    for (const o of ['--since', '--format', '--histogram', '--source']) expect(words).toContain(o);
    const commands = corr(['--get-yargs-completions', 'corr', ''], { env: { SHELL: '/bin/bash', ZSH_NAME: '' } }).stdout.split('\n');
    for (const c of ['ingest', 'timeline', 'correlate', 'report', 'completion']) expect(commands).toContain(c);
  });

  it('every command has examples in its --help', () => {
    for (const c of ['ingest', 'sources', 'timeline', 'correlate', 'report', 'sql', 'formats', 'demo']) {
      const r = corr([c, '--help']);
      expect(r.stdout, c).toMatch(/Examples:\n\s+corr /);
    }
  });
});

describe('corr ingest -', () => {
  it('reads standard input, keeps a copy beside the store for file:line, and adds nothing the second time', () => {
    const sdb = join(tempDir(), 's.db');
    const input = 'May 27 00:14:59 kai-server sshd[10]: Connection closed by 192.0.2.1 port 1000 [preauth]\nMay 27 00:15:00 kai-server sshd[11]: Connection closed by 192.0.2.1 port 1001 [preauth]\n';
    const a = corrJson<{ events_added: number }>(['--db', sdb, 'ingest', '-', '--tz', 'UTC', '--year', '2026'], { input });
    expect(a.code, a.stderr).toBe(0);
    expect(a.json.events_added).toBe(2);
    const b = corrJson<{ events_added: number }>(['--db', sdb, 'ingest', '-', '--tz', 'UTC', '--year', '2026'], { input });
    expect(b.json.events_added).toBe(0);
    const saved = readdirSync(`${sdb}.stdin`);
    expect(saved).toHaveLength(1);
    const t = corrJson<TimelineJson>(['--db', sdb, 'timeline', '--no-collapse']);
    expect(t.json.events[1]!.file).toContain(`s.db.stdin/${saved[0]}`);
    expect(t.json.events[1]!.line).toBe(2);
    expect(existsSync(t.json.events[1]!.file)).toBe(true);
    const empty = corr(['--db', sdb, 'ingest', '-'], { input: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/standard input was empty/);
  });
});
