import { describe, expect, it } from 'vitest';
import { classifySshd, isSshdProgram, normalizeAddress } from '../../src/ingest/classify/sshd.js';
import type { Fields } from '../../src/ingest/types.js';

interface Row {
  message: string;
  kind: string;
  fields: Fields;
}

/** Each row: a real (corpus) or OpenSSH-shaped message and everything the classifier must extract. */
const ROWS: Row[] = [
  {
    message: 'Failed password for root from 1.2.3.4 port 22 ssh2',
    kind: 'sshd.failed_password',
    fields: { method: 'password', user: 'root', ip: '1.2.3.4', port: 22 },
  },
  {
    message: 'Failed password for invalid user admin from 60.163.139.198 port 40022 ssh2',
    kind: 'sshd.failed_password',
    fields: { method: 'password', user: 'admin', ip: '60.163.139.198', port: 40022, invalid_user: true },
  },
  {
    message: 'Failed publickey for plaso from 001:db8:a0b:12f0::1 port 8759',
    kind: 'sshd.failed_publickey',
    fields: { method: 'publickey', user: 'plaso', ip: '001:db8:a0b:12f0::1', port: 8759 },
  },
  {
    message: 'Failed none for invalid user guest from 10.0.0.9 port 4242 ssh2',
    kind: 'sshd.failed_other',
    fields: { method: 'none', user: 'guest', ip: '10.0.0.9', port: 4242, invalid_user: true },
  },
  {
    message: 'Failed keyboard-interactive/pam for invalid user oracle from 192.0.2.100 port 48856 ssh2',
    kind: 'sshd.failed_other',
    fields: { method: 'keyboard-interactive/pam', user: 'oracle', ip: '192.0.2.100', port: 48856, invalid_user: true },
  },
  {
    message: 'Invalid user john doe from 192.168.248.1 port 54928',
    kind: 'sshd.invalid_user',
    fields: { user: 'john doe', ip: '192.168.248.1', port: 54928 },
  },
  {
    message: 'Invalid user  from 192.0.2.68 port 34916',
    kind: 'sshd.invalid_user',
    fields: { user: '', ip: '192.0.2.68', port: 34916 },
  },
  {
    message: 'Invalid user ftp from 192.0.2.1',
    kind: 'sshd.invalid_user',
    fields: { user: 'ftp', ip: '192.0.2.1' },
  },
  {
    message: 'Accepted publickey for kai from 100.64.0.7 port 50522 ssh2: ED25519 SHA256:a79QfkCiaM8pEpw',
    kind: 'sshd.accepted',
    fields: { method: 'publickey', user: 'kai', ip: '100.64.0.7', port: 50522, key: 'ED25519 SHA256:a79QfkCiaM8pEpw' },
  },
  {
    message: 'Accepted password for plaso from 2001:0db8:0a0b:12f0:0000:0000:0000:0001 port 42532  ssh2',
    kind: 'sshd.accepted',
    fields: { method: 'password', user: 'plaso', ip: '2001:0db8:0a0b:12f0:0000:0000:0000:0001', port: 42532 },
  },
  {
    message: 'Accepted publickey for ubuntu from fe80::621:e520:10d6:6621%ens36 port 54931 ssh2: ED25519 SHA256:x',
    kind: 'sshd.accepted',
    fields: { method: 'publickey', user: 'ubuntu', ip: 'fe80::621:e520:10d6:6621%ens36', port: 54931, key: 'ED25519 SHA256:x' },
  },
  {
    message: 'Disconnected from invalid user x 1.2.3.4 port 5 [preauth]',
    kind: 'sshd.disconnect',
    fields: { user: 'x', ip: '1.2.3.4', port: 5, invalid_user: true, preauth: true },
  },
  {
    message: 'Received disconnect from 1.2.3.4 port 5:11: Bye Bye [preauth]',
    kind: 'sshd.disconnect',
    fields: { ip: '1.2.3.4', port: 5, code: 11, reason: 'Bye Bye', preauth: true },
  },
  {
    message: 'error: Received disconnect from 127.0.0.1: 14: No supported authentication methods available [preauth]',
    kind: 'sshd.disconnect',
    fields: { ip: '127.0.0.1', code: 14, reason: 'No supported authentication methods available', preauth: true },
  },
  {
    message: 'Disconnected from authenticating user root 192.0.2.6 port 33553 [preauth]',
    kind: 'sshd.disconnect',
    fields: { user: 'root', ip: '192.0.2.6', port: 33553, preauth: true },
  },
  {
    message: 'Connection closed by 1.2.3.4 port 5 [preauth]',
    kind: 'sshd.connection_closed',
    fields: { ip: '1.2.3.4', port: 5, preauth: true },
  },
  {
    message: 'Connection closed by authenticating user root 1.2.3.4 port 5 [preauth]',
    kind: 'sshd.connection_closed',
    fields: { user: 'root', ip: '1.2.3.4', port: 5, preauth: true },
  },
  {
    message: 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root',
    kind: 'sshd.pam_auth_failure',
    fields: { ip: '1.2.3.4', user: 'root' },
  },
  {
    message: 'Did not receive identification string from 1.2.3.4 port 5',
    kind: 'sshd.no_identification',
    fields: { ip: '1.2.3.4', port: 5 },
  },
  {
    message: 'Connection reset by 1.2.3.4 port 5 [preauth]',
    kind: 'sshd.connection_reset',
    fields: { ip: '1.2.3.4', port: 5, preauth: true },
  },
  {
    message: 'Read error from remote host 192.168.248.1 port 54939: Connection reset by peer',
    kind: 'sshd.connection_reset',
    fields: { ip: '192.168.248.1', port: 54939 },
  },
  {
    message: 'Unable to negotiate with 1.2.3.4 port 5: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1',
    kind: 'sshd.unable_to_negotiate',
    fields: { ip: '1.2.3.4', port: 5, reason: 'no matching key exchange method found. Their offer: diffie-hellman-group1-sha1' },
  },
  {
    message: 'error: maximum authentication attempts exceeded for root from 61.0.0.1 port 49940 ssh2 [preauth]',
    kind: 'sshd.max_auth_attempts',
    fields: { user: 'root', ip: '61.0.0.1', port: 49940, preauth: true },
  },
  {
    message: 'Disconnecting authenticating user root 1.2.3.4 port 5: Too many authentication failures [preauth]',
    kind: 'sshd.max_auth_attempts',
    fields: { user: 'root', ip: '1.2.3.4', port: 5, reason: 'Too many authentication failures', preauth: true },
  },
  {
    message: 'Connection from 1.2.3.4 port 5 on 10.0.0.2 port 22',
    kind: 'sshd.connection_from',
    fields: { ip: '1.2.3.4', port: 5, local_ip: '10.0.0.2', local_port: 22 },
  },
  {
    message: 'pam_unix(sshd:session): session opened for user kai(uid=1000) by (uid=0)',
    kind: 'sshd.session_opened',
    fields: { user: 'kai(uid=1000)' },
  },
  {
    message: 'pam_unix(sshd:session): session closed for user kai',
    kind: 'sshd.session_closed',
    fields: { user: 'kai' },
  },
  {
    message: 'Server listening on :: port 22.',
    kind: 'sshd.listening',
    fields: { ip: '::', port: 22 },
  },
  {
    message: 'ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4',
    kind: 'sshd.user_not_allowed',
    fields: { user: 'root', ip: '1.2.3.4' },
  },
  {
    message: 'User allena from example.com not allowed because not in any group',
    kind: 'sshd.user_not_allowed',
    fields: { user: 'allena', ip: 'example.com', reason: 'not allowed because not in any group' },
  },
  {
    message: 'drop connection #0 from [203.0.113.7]:52012 on [192.168.0.194]:22 penalty: failed authentication',
    kind: 'sshd.penalty_drop',
    fields: { ip: '203.0.113.7', port: 52012, reason: 'failed authentication' },
  },
  {
    message: 'Postponed publickey for git from 192.0.2.1 port 57904 ssh2 [preauth]',
    kind: 'sshd.other',
    fields: { ip: '192.0.2.1', preauth: true },
  },
];

describe('classifySshd', () => {
  it.each(ROWS)('$message → $kind', ({ message, kind, fields }) => {
    const c = classifySshd(message);
    expect(c.source).toBe('sshd');
    expect(c.kind).toBe(kind);
    expect(c.fields).toEqual(fields);
  });

  it('grades severity: attacker failures warn, a success is notice, plumbing is info', () => {
    expect(classifySshd('Failed password for root from 1.2.3.4 port 22 ssh2').severity).toBe('warning');
    expect(classifySshd('Invalid user bob from 1.2.3.4 port 22').severity).toBe('warning');
    expect(classifySshd('error: maximum authentication attempts exceeded for root from 1.2.3.4 port 2 ssh2 [preauth]').severity).toBe('warning');
    expect(classifySshd('Accepted publickey for kai from 1.2.3.4 port 22 ssh2').severity).toBe('notice');
    expect(classifySshd('Connection closed by 1.2.3.4 port 5 [preauth]').severity).toBe('info');
  });

  it('classifies the inside of `message repeated N times` and carries the count', () => {
    const c = classifySshd('message repeated 3 times: [ Failed password for root from 192.0.2.116 port 52100 ssh2]');
    expect(c.kind).toBe('sshd.failed_password');
    expect(c.repeated).toBe(3);
    expect(c.fields).toMatchObject({ repeated: 3, ip: '192.0.2.116', user: 'root', port: 52100 });
    expect(c.message).toBe('Failed password for root from 192.0.2.116 port 52100 ssh2');
  });

  it('does not let an injected user name or auth info move the address (fail2ban cases)', () => {
    const userInjection = classifySshd('Failed password for invalid user test from 10.10.1.2 port 55555 ssh2 from 127.0.0.1 port 58946 ssh2');
    expect(userInjection.fields).toMatchObject({ ip: '127.0.0.1', port: 58946, user: 'test from 10.10.1.2 port 55555 ssh2' });
    const infoInjection = classifySshd('Failed password for invalid user test from 127.0.0.1 port 58946 ssh2: from 10.10.1.2 port 55555 ssh2');
    expect(infoInjection.fields).toMatchObject({ ip: '127.0.0.1', port: 58946, user: 'test' });
    const closedInjection = classifySshd('Connection closed by authenticating user test 127.0.0.1 port 12345 192.0.2.11 port 46039 [preauth]');
    expect(closedInjection.fields).toMatchObject({ ip: '192.0.2.11', port: 46039, user: 'test 127.0.0.1 port 12345' });
  });

  it('keeps hostile user names verbatim (escaping is the output layer\'s job)', () => {
    const user = '<script>alert(1)</script> **bold** `x` \\e[31m | ; DROP';
    const c = classifySshd(`Invalid user ${user} from 203.0.113.9 port 2222`);
    expect(c.fields).toEqual({ user, ip: '203.0.113.9', port: 2222 });
  });

  it('answers at once for a 100k-character hostile message, and keeps it unparsed', () => {
    const hostile = [
      `Failed password for invalid user ${'from 1.1.1.1 port 2 '.repeat(5000)} from 9.9.9.9 port 1 ssh2`,
      `Invalid user ${'a'.repeat(100_000)} from 1.2.3.4`,
      `Connection closed by authenticating user ${'x '.repeat(50_000)}1.2.3.4 port 5`,
      `Received disconnect from ${':'.repeat(100_000)}`,
    ];
    for (const message of hostile) {
      const start = performance.now();
      const c = classifySshd(message);
      expect(performance.now() - start).toBeLessThan(50);
      expect(c).toMatchObject({ kind: 'sshd.other', fields: { oversized: true } });
    }
  });

  it('takes apart a hostile message up to the size sshd can write', () => {
    // Just under the cap: many fake `from` clauses in the user name, the real address last.
    const fake = 'from 1.1.1.1 port 2 '.repeat(190);
    const c = classifySshd(`Failed password for invalid user ${fake}from 9.9.9.9 port 1 ssh2`);
    expect(c.fields).toMatchObject({ ip: '9.9.9.9', port: 1, user: fake.trimEnd(), invalid_user: true });
    const spaces = classifySshd(`Connection closed by authenticating user ${'x '.repeat(1900)}1.2.3.4 port 5`);
    expect(spaces.fields).toMatchObject({ ip: '1.2.3.4', port: 5 });
  });

  it('recognises both the classic and the OpenSSH 9.8+ program names', () => {
    expect(isSshdProgram('sshd')).toBe(true);
    expect(isSshdProgram('sshd-session')).toBe(true);
    expect(isSshdProgram('ssh')).toBe(false);
  });
});

describe('normalizeAddress', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '0:0:0:0:0:0:0:1'],
    ['fe80::1%ens36', 'fe80::1%ens36'],
    ['::ffff:218.249.210.161', '218.249.210.161'],
    ['example.com', 'example.com'],
    ['port', null],
    ['12345', null],
    ['<script>', null],
  ])('%s → %s', (token, expected) => {
    expect(normalizeAddress(token)).toBe(expected);
  });
});
