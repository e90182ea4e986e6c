/** `corr timeline` and `corr sql` end to end: windows in PT across DST, collapsing, filters, hostile text. */
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corr, corrJson, tempDir } from '../helpers/cli.js';

interface TimelineJson {
  events: { ts: string; host: string; source: string; kind: string; message: string; count: number; first: string; last: string; file: string; line: number; fields: Record<string, unknown> }[];
}

let db: string;
let dir: string;

beforeAll(() => {
  dir = tempDir();
  // auth.log written in UTC so the instants are known exactly.
  const auth = [
    'May 27 00:14:59 kai-server sshd[10]: Connection closed by 192.0.2.1 port 1000 [preauth]',
    'May 27 00:15:00 kai-server sshd[11]: Connection closed by 192.0.2.1 port 1001 [preauth]',
    'May 27 00:29:59 kai-server sshd[12]: Connection closed by 192.0.2.1 port 1002 [preauth]',
    'May 27 00:30:00 kai-server sshd[13]: Connection closed by 192.0.2.1 port 1003 [preauth]',
    // A hostile user name: an OSC title sequence, a CSI colour, a carriage return and a bidi override.
    'May 27 00:20:00 kai-server sshd[14]: Invalid user \x1b]0;pwned\x07\x1b[31mroot\r\u202eevil from 203.0.113.9 port 4444',
    'May 27 00:21:00 kai-server sshd[15]: Invalid user =HYPERLINK("http://evil") from 203.0.113.9 port 4445',
    // Across the spring-forward change of 2026-03-08 in Los Angeles (10:00Z).
    'Mar  8 09:29:59 edge sshd[20]: Connection closed by 192.0.2.2 port 1 [preauth]',
    'Mar  8 09:30:00 edge sshd[21]: Connection closed by 192.0.2.2 port 2 [preauth]',
    'Mar  8 10:29:59 edge sshd[22]: Connection closed by 192.0.2.2 port 3 [preauth]',
    'Mar  8 10:30:00 edge sshd[23]: Connection closed by 192.0.2.2 port 4 [preauth]',
  ];
  writeFileSync(join(dir, 'auth.log'), auth.join('\n') + '\n');
  const dmesg = ['===== date =====', 'Wed May 27 00:30:00 UTC 2026', '===== uptime -s =====', '2026-05-27 00:00:00', '===== dmesg ====='];
  for (let i = 0; i < 12; i++) dmesg.push(`[${(1000 + i * 2).toFixed(6)}] br-33693122cf09: port ${i % 3}(veth${(0xabc000 + i).toString(16)}) entered ${['blocking', 'forwarding', 'disabled'][i % 3]} state`);
  dmesg.push('[ 1100.000000] nf_conntrack: nf_conntrack: table full, dropping packet');
  writeFileSync(join(dir, 'capture.txt'), dmesg.join('\n') + '\n');
  db = join(dir, 'c.db');
  const r = corr(['--db', db, 'ingest', dir, '--tz', 'UTC', '--year', '2026']);
  expect(r.code, r.stderr).toBe(0);
});

describe('timeline windows', () => {
  it('reads a PT window as the right UTC span, since inclusive and until exclusive', () => {
    const r = corrJson<TimelineJson>(['--db', db, 'timeline', '--since', '2026-05-26 17:15 PT', '--until', '17:30 PT', '--source', 'sshd', '--no-collapse']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.events.map((e) => e.ts)).toEqual(['2026-05-27T00:15:00.000Z', '2026-05-27T00:20:00.000Z', '2026-05-27T00:21:00.000Z', '2026-05-27T00:29:59.000Z']);
  });

  it('reads a window across the spring-forward change correctly (01:30 PST .. 03:30 PDT)', () => {
    const r = corrJson<TimelineJson>(['--db', db, 'timeline', '--since', '2026-03-08 01:30 PT', '--until', '03:30 PT', '--no-collapse']);
    expect(r.json.events.map((e) => e.ts)).toEqual(['2026-03-08T09:30:00.000Z', '2026-03-08T10:29:59.000Z']);
  });

  it('quotes an unreadable time in a usage error (exit 2), and a bad regex too', () => {
    const a = corr(['--db', db, 'timeline', '--since', 'not a date at all']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--since.*not a date at all/);
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    const b = corr(['--db', db, 'timeline', '--grep', '(']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--grep/);
    const c = corr(['--db', db, 'timeline', '--tz', 'Mars/Olympus']);
    expect(c.code).toBe(2);
  });
});

describe('burst collapsing', () => {
  it('folds the bridge churn into one row with its count and masked template, and keeps other lines apart', () => {
    const r = corrJson<TimelineJson>(['--db', db, 'timeline', '--source', 'kernel']);
    expect(r.json.events).toHaveLength(2);
    const churn = r.json.events[0]!;
    expect(churn.count).toBe(12);
    expect(churn.message).toBe('br-<hex>: port <n>(<veth>) entered <state> state');
    expect(churn.first).toBe('2026-05-27T00:16:40.000Z');
    expect(churn.last).toBe('2026-05-27T00:17:02.000Z');
    expect(r.json.events[1]!.count).toBe(1);
    const flat = corrJson<TimelineJson>(['--db', db, 'timeline', '--source', 'kernel', '--no-collapse']);
    expect(flat.json.events).toHaveLength(13);
  });
});

describe('filters', () => {
  it('matches --kind by prefix and binds user text (no SQL injection, no LIKE wildcards)', () => {
    const k = corrJson<TimelineJson>(['--db', db, 'timeline', '--kind', 'sshd.invalid', '--no-collapse']);
    expect(k.json.events).toHaveLength(2);
    for (const v of ["' OR 1=1 --", '%', '_']) {
      expect(corrJson<TimelineJson>(['--db', db, 'timeline', '--host', v]).json.events, v).toHaveLength(0);
      expect(corrJson<TimelineJson>(['--db', db, 'timeline', '--kind', v]).json.events, v).toHaveLength(0);
    }
    const g = corrJson<TimelineJson>(['--db', db, 'timeline', '--grep', 'port 100[12]', '--no-collapse']);
    expect(g.json.events.map((e) => e.fields.port)).toEqual([1001, 1002]);
  });
});

describe('hostile text', () => {
  it('reaches the terminal table with escapes made visible and inert', () => {
    // Wide enough that the escaped sequence is not wrapped in the middle.
    const r = corr(['--db', db, 'timeline', '--kind', 'sshd.invalid_user', '--no-collapse'], { env: { COLUMNS: '300' } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
    expect(r.stdout).toContain('\\x1b]0;pwned\\x07');
    expect(r.stdout).toContain('\\u202e');
  });

  it('cannot inject a spreadsheet formula through --csv', () => {
    const r = corr(['--db', db, 'timeline', '--kind', 'sshd.invalid_user', '--no-collapse', '--csv']);
    expect(r.stdout).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(r.stdout).not.toMatch(/\x1b/);
  });
});

describe('display zone and sql', () => {
  it('shows the --tz zone beside UTC, DST-correct', () => {
    const r = corr(['--db', db, 'timeline', '--since', '2026-05-27T00:15:00Z', '--until', '2026-05-27T00:16:00Z', '--tz', 'America/Los_Angeles']);
    expect(r.stdout).toContain('2026-05-27 00:15:00');
    expect(r.stdout).toContain('05-26 17:15:00 PDT');
  });

  it('answers read-only SQL and refuses writes', () => {
    const q = corrJson<{ rows: { n: number }[] }>(['--db', db, 'sql', "SELECT count(*) AS n FROM events WHERE source = 'kernel'"]);
    expect(q.json.rows).toEqual([{ n: 13 }]);
    const w = corr(['--db', db, 'sql', 'DELETE FROM events']);
    expect(w.code).toBe(2);
    expect(corrJson<{ rows: { n: number }[] }>(['--db', db, 'sql', 'SELECT count(*) AS n FROM events']).json.rows[0]!.n).toBe(23);
  });
});
