/**
 * The Linux audit log against fail2ban's ground truth (../shared/corpus/fail2ban/selinux-ssh): every
 * `# failJSON` annotation describes the record after it — whether fail2ban's selinux-ssh filter
 * counts it as a failure (`match`), the offending `host`, and the local time in fail2ban's test zone
 * (Europe/Zurich). corr must read each failure as an authentication failure from that address at
 * that instant, and must not read a non-failure as one. Then the real CLI on the real file, and the
 * brute-force count when the audit log repeats what auth.log already says.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { auditFormat } from '../../src/ingest/formats/audit.js';
import { syslogBsdFormat } from '../../src/ingest/formats/syslog.js';
import { isAuthFailure, findCampaigns } from '../../src/correlate/bruteforce.js';
import type { EventRow } from '../../src/model/event.js';
import { CORPUS, corr, corrJson, tempDir } from '../helpers/cli.js';

const FILE = `${CORPUS}/fail2ban/selinux-ssh`;

interface Annotated {
  match: boolean;
  host: string;
  time: string;
  line: string;
}

function annotated(): Annotated[] {
  const lines = readFileSync(FILE, 'utf8').split('\n');
  const out: Annotated[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^# failJSON: (\{.*\})\s*$/.exec(lines[i]!);
    if (!m) continue;
    const note = JSON.parse(m[1]!) as { match: boolean; host: string; time: string };
    out.push({ ...note, line: lines[i + 1]! });
  }
  return out;
}

describe('audit log: fail2ban selinux-ssh ground truth', () => {
  const cases = annotated();

  it('reads every failure as an authentication failure from the annotated address at the annotated time', () => {
    expect(cases.filter((c) => c.match)).toHaveLength(5);
    for (const c of cases.filter((x) => x.match)) {
      const r = auditFormat.parse(c.line, null);
      expect(r?.type, c.line).toBe('event');
      if (r?.type !== 'event' || r.event.time.kind !== 'exact') throw new Error(`not an exact event: ${c.line}`);
      expect(isAuthFailure(r.event.kind), `${r.event.kind}: ${c.line}`).toBe(true);
      expect(r.event.source).toBe('sshd');
      expect(r.event.fields.ip).toBe(c.host);
      const zurich = DateTime.fromMillis(r.event.time.utcUs / 1000, { zone: 'Europe/Zurich' }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
      expect(zurich).toBe(c.time);
    }
  });

  it('does not read a non-failure as a failure, and keeps its address as network evidence', () => {
    const negatives = cases.filter((c) => !c.match);
    expect(negatives).toHaveLength(6);
    for (const c of negatives) {
      const r = auditFormat.parse(c.line, null);
      if (r?.type !== 'event') throw new Error(`not an event: ${c.line}`);
      expect(isAuthFailure(r.event.kind), `${r.event.kind}: ${c.line}`).toBe(false);
      expect(r.event.kind).toBe('sshd.login_failed');
      expect(r.event.fields.ip).toBe(c.host);
    }
  });

  it('decodes hex-encoded account names (the user name an attacker tried is evidence)', () => {
    const hex = cases.find((c) => c.line.includes('acct=28756E6B6E6F776E207573657229'))!;
    const r = auditFormat.parse(hex.line, null);
    if (r?.type !== 'event') throw new Error('not an event');
    expect(r.event.fields.user).toBe('(unknown user)');
  });

  it('is detected and read whole by the real CLI, every other line skipped with its reason', () => {
    const dir = tempDir();
    const { code, json } = corrJson(['ingest', FILE, '--db', `${dir}/a.db`, '--host', 'selinux-box', '--json']);
    expect(code).toBe(0);
    const f = json.files[0];
    expect(f.format).toBe('audit');
    expect(f.events).toBe(11);
    expect(f.lines).toBe(32);
    expect(f.skipped).toBe(21);
    expect(f.warnings).toContain('11 lines skipped: not an audit line (first at line 1)');
    const kinds = corrJson(['--db', `${dir}/a.db`, 'sql', 'SELECT kind, count(*) AS n FROM events GROUP BY kind ORDER BY kind']);
    expect(kinds.json.rows).toEqual([
      { kind: 'sshd.failed_password', n: 1 },
      { kind: 'sshd.failed_publickey', n: 1 },
      { kind: 'sshd.invalid_user', n: 2 },
      { kind: 'sshd.login_failed', n: 6 },
      { kind: 'sshd.pam_auth_failure', n: 1 },
    ]);
    // The annotated Zurich clock 2013-07-06T18:48:00 is 16:48 UTC: the window finds it there.
    const t = corr(['--db', `${dir}/a.db`, 'timeline', '--since', '2013-07-06T16:47:59Z', '--until', '2013-07-06T16:48:01Z', '--json']);
    expect(t.code).toBe(0);
    expect(JSON.parse(t.stdout).events.map((e: { kind: string }) => e.kind)).toEqual(['sshd.failed_publickey']);
  });

  it("reads journald's copy of an audit record in a syslog line the same way", () => {
    const line = `Oct 30 07:57:43 web-01 audit[12887]: USER_AUTH pid=12887 uid=0 auid=4294967295 ses=4294967295 msg='op=password acct="dan" exe="/usr/sbin/sshd" hostname=? addr=192.168.3.100 terminal=ssh res=failed'`;
    const r = syslogBsdFormat.parse(line, null);
    if (r?.type !== 'event') throw new Error('not an event');
    expect(r.event.kind).toBe('sshd.failed_password');
    expect(r.event.fields).toMatchObject({ ip: '192.168.3.100', user: 'dan', audit_type: 'USER_AUTH' });
    const other = syslogBsdFormat.parse('Oct 30 07:57:43 web-01 audit[1]: SERVICE_START pid=1 uid=0 msg=\'unit=cron comm="systemd" exe="/usr/lib/systemd/systemd" res=success\'', null);
    if (other?.type !== 'event') throw new Error('not an event');
    expect(other.event.kind).toBe('audit.service_start');
    expect(other.event.source).toBe('audit');
  });

  it('groups the records of one event (same stamp and serial) into one event', () => {
    const syscall = 'type=SYSCALL msg=audit(1779851884.123:812): arch=c000003e syscall=257 success=no exit=-13 comm="nginx" exe="/usr/sbin/nginx"';
    const path = 'type=PATH msg=audit(1779851884.123:812): item=0 name="/srv/www/index.html"';
    const other = 'type=PATH msg=audit(1779851884.123:813): item=0 name="/srv/www/other.html"';
    const first = auditFormat.parse(syscall, null);
    if (first?.type !== 'event') throw new Error('not an event');
    expect(first.event.kind).toBe('audit.syscall');
    expect(first.event.severity).toBe('warning');
    expect(auditFormat.parse(path, first.event)?.type).toBe('continuation');
    expect(auditFormat.parse(other, first.event)?.type).toBe('event');
  });
});

describe('brute force from the audit log', () => {
  function row(id: number, tsUs: number, kind: string, fields: Record<string, string | number>): EventRow {
    return { id, tsUs, host: 'h', source: 'sshd', kind, severity: 'warning', message: kind, count: 1, fields } as unknown as EventRow;
  }
  /** 25 attempts from one address, one every 10 s: in auth.log, in the audit log, or in both. */
  function attempts(withText: boolean, withAudit: boolean): EventRow[] {
    const rows: EventRow[] = [];
    for (let k = 0; k < 25; k++) {
      const t = 1_700_000_000_000_000 + k * 10_000_000;
      if (withText) rows.push(row(rows.length + 1, t, 'sshd.failed_password', { ip: '192.0.2.7', user: 'root', port: 40000 + k }));
      if (withAudit) rows.push(row(rows.length + 1, t + 3_000, 'sshd.failed_password', { ip: '192.0.2.7', user: 'root', audit_type: 'USER_AUTH' }));
    }
    return rows;
  }

  it('counts each attempt once when auth.log and the audit log both hold it', () => {
    const both = attempts(true, true);
    const r = findCampaigns(both, 'h', both.map((_, i) => i));
    expect(r.campaigns).toHaveLength(1);
    expect(r.campaigns[0]!.attempts).toBe(25);
  });

  it('counts the audit log attempts when they are all there is', () => {
    const audit = attempts(false, true);
    const r = findCampaigns(audit, 'h', audit.map((_, i) => i));
    expect(r.campaigns).toHaveLength(1);
    expect(r.campaigns[0]!.attempts).toBe(25);
  });
});

describe('syslog lines with their time cut off (fail2ban/sshd-journal)', () => {
  it('are skipped with a reason that says what is missing and what to capture, through the real CLI', () => {
    const dir = tempDir();
    const { code, json } = corrJson(['ingest', `${CORPUS}/fail2ban/sshd-journal`, '--db', `${dir}/j.db`]);
    expect(code).toBe(0);
    const f = json.files[0];
    expect(f.events).toBe(0);
    expect(f.skipped).toBe(f.lines);
    const notALog = f.warnings.find((w: string) => w.startsWith('not a log: looked like'));
    expect(notALog).toMatch(/^not a log: looked like syslog lines with no time to place them at \(first line: "srv sshd\[13709\]: error: PAM: Authentication failure/);
    expect(notALog).toContain('journalctl -o short-iso');
  });

  it('are not mistaken for a prose paragraph or a table', () => {
    const dir = tempDir();
    const prose = `${dir}/notes.txt`;
    writeFileSync(prose, 'The host went down at night.\nWe rebooted it: twice.\nNothing helped.\n');
    const { json } = corrJson(['ingest', prose, '--db', `${dir}/p.db`]);
    expect(json.files[0].warnings.join('\n')).toContain('text that no log format explains');
  });
});
