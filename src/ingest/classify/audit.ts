/**
 * Linux audit records (`/var/log/audit/audit.log`, or `audit[pid]: USER_AUTH pid=… msg='…'` in the
 * journal) → kinds. sshd's records become sshd events, so that a host whose only trace of a brute
 * force is its audit log (RHEL, Fedora, CentOS with auditd) still shows the campaign and the
 * network-witness stream; everything else is `audit.<type>`.
 *
 * Which sshd records are attempts follows fail2ban's own `selinux-ssh` filter and its annotated test
 * log (../shared/corpus/fail2ban/selinux-ssh, test/corpus/audit.test.ts):
 *  - `USER_AUTH … op=password|pubkey|… res=failed`: sshd's own record of a failed authentication:
 *    one attempt, `sshd.failed_password` / `sshd.failed_publickey` / `sshd.failed_other`;
 *  - `USER_AUTH … op=PAM:authentication res=failed`: PAM's record of the same attempt (written in
 *    sshd's process, so `exe` is sshd too), as `pam_unix(sshd:auth): authentication failure` is in
 *    auth.log: `sshd.pam_auth_failure`, which never counts as a second attempt (bruteforce.ts);
 *  - `USER_ERR … op=PAM:bad_ident`: PAM ended a session whose user it did not know: `sshd.invalid_user`;
 *  - `USER_LOGIN … res=failed`: sshd's summary that the login did not happen, which follows the
 *    failures above (fail2ban: `match: false`): `sshd.login_failed`, not an attempt;
 *    `USER_LOGIN … res=success` is `sshd.accepted`.
 *
 * Record bodies are `key=value` words; `msg='…'` holds a second list written by user space. Strings
 * that might hold blanks or quotes are written by auditd as hex (`acct=28756E6B6E6F776E207573657229`
 * is `(unknown user)`); they are decoded, since the user name an attacker tried is evidence. The
 * scan is one linear pass over the text whatever it holds (user names are attacker-controlled).
 */
import type { Fields, Severity } from '../types.js';
import type { Classification } from './classification.js';
import { normalizeAddress } from './sshd.js';

/** Record types by number, as the kernel writes them when auditd is not running (`type=1100`). */
const TYPE_NAMES: Record<string, string> = {
  '1006': 'LOGIN', '1100': 'USER_AUTH', '1101': 'USER_ACCT', '1103': 'CRED_ACQ', '1104': 'CRED_DISP',
  '1105': 'USER_START', '1106': 'USER_END', '1109': 'USER_ERR', '1112': 'USER_LOGIN', '1300': 'SYSCALL',
  '1400': 'AVC', '1107': 'USER_AVC', '1130': 'SERVICE_START', '1131': 'SERVICE_STOP',
};

/** The fields auditd hex-encodes when their text holds a blank, a quote or a control character. */
const ENCODED_STRINGS = new Set(['acct', 'exe', 'comm', 'hostname', 'terminal', 'name', 'cwd', 'proctitle', 'cmd']);

export interface AuditPairs {
  [key: string]: string;
}

/**
 * `key=value` words of a record body, with `msg='…'`'s inner list merged over the outer one (the
 * inner is user space's account of the event: its `res`, `acct`, `addr` are the ones that matter).
 */
export function auditPairs(body: string): AuditPairs {
  const out: AuditPairs = Object.create(null) as AuditPairs;
  let inner: string | null = null;
  scanPairs(body, (key, value, quoted) => {
    if (key === 'msg' && quoted) inner = value;
    else out[key] = quoted || !ENCODED_STRINGS.has(key) ? value : decodeHex(value);
  });
  if (inner !== null) {
    scanPairs(inner, (key, value, quoted) => {
      out[key] = quoted || !ENCODED_STRINGS.has(key) ? value : decodeHex(value);
    });
  }
  return out;
}

function scanPairs(text: string, visit: (key: string, value: string, quoted: boolean) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) <= 32) i++;
    const start = i;
    while (i < n && text.charCodeAt(i) > 32 && text.charCodeAt(i) !== 0x3d) i++;
    if (i >= n || text.charCodeAt(i) !== 0x3d) {
      // A bare word (`user` before pid=, old kernels): nothing to keep.
      while (i < n && text.charCodeAt(i) > 32) i++;
      continue;
    }
    const key = text.slice(start, i);
    i++;
    const q = text.charCodeAt(i);
    if (q === 0x27 || q === 0x22) {
      const close = text.indexOf(q === 0x27 ? "'" : '"', i + 1);
      const end = close < 0 ? n : close;
      visit(key, text.slice(i + 1, end), true);
      i = end + 1;
    } else {
      const vs = i;
      while (i < n && text.charCodeAt(i) > 32) i++;
      visit(key, text.slice(vs, i), false);
    }
  }
}

/** auditd's hex for an untrusted string; anything that is not whole hex bytes is kept as written. */
function decodeHex(value: string): string {
  if (value.length < 2 || value.length % 2 !== 0 || !/^[0-9A-F]+$/.test(value)) return value;
  return Buffer.from(value, 'hex').toString('utf8');
}

/** `USER_AUTH` for `USER_AUTH` and for `1100`. */
export function auditTypeName(type: string): string {
  return TYPE_NAMES[type] ?? type;
}

function isSshd(p: AuditPairs): boolean {
  const exe = p.exe ?? '';
  return exe === 'sshd' || exe.endsWith('/sshd') || exe.endsWith('/sshd-session') || p.comm === 'sshd';
}

function present(v: string | undefined): v is string {
  return v !== undefined && v !== '' && v !== '?' && v !== '(null)';
}

/** Classify one audit record of type `type` (name or number) with body `body`. */
export function classifyAudit(type: string, body: string): Classification {
  const name = auditTypeName(type);
  const p = auditPairs(body);
  const failed = p.res === 'failed' || p.res === 'no' || p.success === 'no';
  if (!isSshd(p)) {
    const denied = name === 'AVC' || name === 'USER_AVC' ? / denied /.test(` ${body} `) : false;
    const severity: Severity = failed || denied || name === 'ANOM_ABEND' ? 'warning' : 'info';
    const fields: Fields = {};
    if (p.comm !== undefined) fields.process = p.comm;
    if (p.pid !== undefined && /^\d{1,10}$/.test(p.pid)) fields.pid = Number(p.pid);
    if (p.res !== undefined) fields.res = p.res;
    return { source: 'audit', kind: `audit.${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`, severity, fields };
  }
  const fields: Fields = { audit_type: name };
  const address = present(p.addr) ? normalizeAddress(p.addr, false) : null;
  const host = address === null && present(p.hostname) ? normalizeAddress(p.hostname) : null;
  if (address !== null || host !== null) fields.ip = (address ?? host)!;
  if (present(p.acct)) fields.user = p.acct.slice(0, 256);
  const op = p.op ?? '';
  if (op !== '') fields.op = op.slice(0, 64);
  let kind = 'sshd.other';
  let severity: Severity = 'info';
  if (name === 'USER_AUTH' && failed) {
    severity = 'warning';
    if (op.startsWith('PAM:')) kind = 'sshd.pam_auth_failure';
    else {
      kind = op === 'password' ? 'sshd.failed_password' : op === 'pubkey' ? 'sshd.failed_publickey' : 'sshd.failed_other';
      fields.method = op === 'pubkey' ? 'publickey' : op || 'unknown';
    }
  } else if (name === 'USER_ERR' && op === 'PAM:bad_ident') {
    kind = 'sshd.invalid_user';
    severity = 'warning';
    fields.invalid_user = true;
  } else if (name === 'USER_LOGIN') {
    kind = failed ? 'sshd.login_failed' : 'sshd.accepted';
    severity = failed ? 'warning' : 'notice';
  } else if (failed) severity = 'warning';
  return { source: 'sshd', kind, severity, fields };
}
