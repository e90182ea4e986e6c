/**
 * Linux audit log (`/var/log/audit/audit.log`, auditd's RAW format):
 * `type=USER_AUTH msg=audit(1373129280.000:9): pid=1277 uid=0 … msg='op=pubkey acct="root" … res=failed'`,
 * with `node=<host> ` in front when auditd's `name_format` is set. The stamp is seconds since the
 * epoch with milliseconds, so the instant is exact (UTC) to the millisecond; the number after the
 * colon is the event's serial. The records of one event (SYSCALL, EXECVE, CWD, PATH, PROCTITLE …)
 * share the stamp and serial: the first is the event, the others continue it, as ausearch groups them.
 */
import type { FormatDescriptor, LineResult, ParsedEvent } from '../types.js';
import { classifyAudit } from '../classify/audit.js';
import { shareOfLines, stripCarriageReturn } from './line-share.js';

const AUDIT_RECORD = /^(?:node=(\S{1,253}) )?type=([A-Z0-9_]{1,32}) msg=audit\((\d{1,12})\.(\d{3}):(\d{1,20})\): ?/;

export function parseAuditLine(raw: string, prev: ParsedEvent | null): LineResult | null {
  const line = stripCarriageReturn(raw);
  const m = AUDIT_RECORD.exec(line);
  if (!m) return line.trim() === '' ? { type: 'skip', reason: 'blank line' } : null;
  const utcUs = Number(m[3]) * 1_000_000 + Number(m[4]) * 1_000;
  const serial = Number(m[5]);
  if (prev !== null && prev.time.kind === 'exact' && prev.time.utcUs === utcUs && prev.fields.audit_serial === serial && prev.host === (m[1] ?? prev.host)) {
    return { type: 'continuation' };
  }
  const body = line.slice(m[0].length);
  const c = classifyAudit(m[2]!, body);
  const event: ParsedEvent = {
    time: { kind: 'exact', utcUs },
    source: c.source,
    kind: c.kind,
    severity: c.severity,
    message: `${m[2]} ${body}`,
    fields: { ...c.fields, audit_serial: serial, time_precision_s: 0.001 },
  };
  if (m[1] !== undefined) event.host = m[1];
  return { type: 'event', event };
}

export const auditFormat: FormatDescriptor = {
  name: 'audit',
  title: 'Linux audit log (`type=USER_AUTH msg=audit(1373129280.000:9): …`, epoch seconds, exact)',
  detect: (head) => shareOfLines(head, (line) => (AUDIT_RECORD.test(stripCarriageReturn(line)) ? 'record' : 'foreign')),
  parse: parseAuditLine,
  samples: [
    {
      line: `type=USER_AUTH msg=audit(1373129280.000:9): user pid=1277 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=pubkey acct="root" exe="/usr/sbin/sshd" hostname=? addr=194.228.20.113 terminal=ssh res=failed'`,
      expect: {
        kind: 'sshd.failed_publickey',
        source: 'sshd',
        severity: 'warning',
        time: '2013-07-06T16:48:00.000Z',
        fields: { ip: '194.228.20.113', user: 'root', method: 'publickey', op: 'pubkey', audit_type: 'USER_AUTH', audit_serial: 9 },
      },
    },
    {
      line: `type=USER_LOGIN msg=audit(1373330717.000:4073): user pid=12000 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=login acct=28696E76616C6964207573657229 exe="/usr/sbin/sshd" hostname=? addr=173.242.116.187 terminal=ssh res=failed'`,
      expect: { kind: 'sshd.login_failed', source: 'sshd', severity: 'warning', fields: { ip: '173.242.116.187', user: '(invalid user)' } },
    },
    {
      line: 'node=web-01 type=AVC msg=audit(1779851884.123:812): avc:  denied  { read } for  pid=4242 comm="nginx" name="index.html" dev="sda1" ino=1234 scontext=system_u:system_r:httpd_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 tclass=file permissive=0',
      expect: { kind: 'audit.avc', source: 'audit', severity: 'warning', host: 'web-01', time: '2026-05-27T03:18:04.123Z', fields: { process: 'nginx', pid: 4242 } },
    },
    {
      line: 'node=web-01 type=PATH msg=audit(1779851884.123:812): item=0 name="/srv/www/index.html" inode=1234 dev=08:01 mode=0100644',
      expect: { continuation: true },
    },
  ],
};
