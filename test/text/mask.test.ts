import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskMessage, maskedParts } from '../../src/text/mask.js';

describe('maskMessage: kernel bridge churn', () => {
  it.each([
    ['br-33693122cf09: port 8(veth2cbbca2) entered blocking state', 'br-<hex>: port <n>(<veth>) entered <state> state'],
    ['br-33693122cf09: port 8(veth2cbbca2) entered forwarding state', 'br-<hex>: port <n>(<veth>) entered <state> state'],
    ['br-aabbccddeeff: port 12(vethf6) entered disabled state', 'br-<hex>: port <n>(<veth>) entered <state> state'],
    ['docker0: port 1(veth4b2c1d0) entered learning state', 'docker0: port <n>(<veth>) entered <state> state'],
    ['device veth2cbbca2 entered promiscuous mode', 'device <veth> entered promiscuous mode'],
    ['device veth2cbbca2 left promiscuous mode', 'device <veth> left promiscuous mode'],
    ['IPv6: ADDRCONF(NETDEV_CHANGE): calib317e2eeb40: link becomes ready', 'IPv6: ADDRCONF(NETDEV_CHANGE): <veth>: link becomes ready'],
    ['eth0: renamed from veth9a8b7c6', 'eth0: renamed from <veth>'],
  ])('%s', (input, expected) => {
    expect(maskMessage(input)).toBe(expected);
  });

  it('keeps bridge states that are not port states apart', () => {
    expect(maskMessage('br-33693122cf09: port 8(veth2cbbca2) entered promiscuous state')).toBe(
      'br-<hex>: port <n>(<veth>) entered promiscuous state',
    );
  });
});

describe('maskMessage: sshd user names', () => {
  it.each([
    ['Failed password for invalid user admin from 60.163.139.198 port 42422 ssh2', 'Failed password for invalid user <user> from <ip> port <n> ssh2'],
    ['Failed password for root from 60.163.139.198 port 42422 ssh2', 'Failed password for <user> from <ip> port <n> ssh2'],
    ['Invalid user oracle from 60.163.139.198 port 50000', 'Invalid user <user> from <ip> port <n>'],
    ['Invalid user  from 10.0.0.1 port 22', 'Invalid user <user> from <ip> port <n>'],
    ['Connection closed by invalid user ubnt 60.163.139.198 port 4242 [preauth]', 'Connection closed by invalid user <user> <ip> port <n> [preauth]'],
    ['Disconnected from authenticating user root 60.163.139.198 port 4242 [preauth]', 'Disconnected from authenticating user <user> <ip> port <n> [preauth]'],
    ['Accepted publickey for kai from 192.168.0.10 port 51234 ssh2: ED25519 SHA256:AbCdEf0123456789XyZ', 'Accepted publickey for <user> from <ip> port <n> ssh2: ED25519 SHA256:<id>'],
    ['input_userauth_request: invalid user test [preauth]', 'input_userauth_request: invalid user <user> [preauth]'],
    ['User root from 10.0.0.40 not allowed because not listed in AllowUsers', 'User <user> from <ip> not allowed because not listed in AllowUsers'],
    ['User root not allowed because account is locked', 'User <user> not allowed because account is locked'],
    ['pam_unix(sshd:session): session opened for user kai by (uid=0)', 'pam_unix(sshd:session): session opened for user <user> by (uid=<n>)'],
    ['pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root', 'pam_unix(sshd:auth): authentication failure; logname= uid=<n> euid=<n> tty=ssh ruser= rhost=<ip>  user=<user>'],
    ['[ID 800047 auth.info] Failed keyboard-interactive for james from 205.186.180.1 port 22 ssh2', '[ID <n> auth.info] Failed keyboard-interactive for <user> from <ip> port <n> ssh2'],
    ['Failed password for invalid user ROOT from aaaa:bbbb:cccc:1234::1 port 22 ssh2', 'Failed password for invalid user <user> from <ip> port <n> ssh2'],
  ])('%s', (input, expected) => {
    expect(maskMessage(input)).toBe(expected);
  });

  it('leaves non-sshd lines that merely say "Failed … for" alone', () => {
    expect(maskMessage('Failed sync for pod coredns')).toBe('Failed sync for pod coredns');
    expect(maskMessage('message repeated 3 times: [ Failed password for root from 1.2.3.4 port 22 ssh2]')).toBe(
      'message repeated <n> times: [ Failed password for <user> from <ip> port <n> ssh2]',
    );
  });

  it('cuts out hostile user names with spaces, "from", "port", markup and escapes', () => {
    const hostile = [
      'a b c',
      'x from 1.2.3.4 port 99',
      '<script>alert(1)</script>',
      '\x1b]0;pwned\x07',
      '[x](http://evil)',
      'entered blocking state',
      'user=root',
    ];
    for (const user of hostile) {
      expect(maskMessage(`Failed password for invalid user ${user} from 60.163.139.198 port 42422 ssh2`)).toBe(
        'Failed password for invalid user <user> from <ip> port <n> ssh2',
      );
      expect(maskMessage(`Connection closed by invalid user ${user} 60.163.139.198 port 4242 [preauth]`)).toBe(
        'Connection closed by invalid user <user> <ip> port <n> [preauth]',
      );
      expect(maskMessage(`input_userauth_request: invalid user ${user} [preauth]`)).toBe(
        'input_userauth_request: invalid user <user> [preauth]',
      );
    }
  });
});

describe('maskMessage: values', () => {
  it.each([
    ['connect to 10.42.0.1:6443 failed', 'connect to <ip>:<n> failed'],
    ['route 10.42.0.0/16 added', 'route <ip>/<n> added'],
    ['peer fe80::1%eth0 lost', 'peer <ip> lost'],
    ['peer ::ffff:192.168.0.1 lost', 'peer <ip> lost'],
    ['took 5.2s', 'took <dur>'],
    ['took 160s then 12ms then 1m30s', 'took <dur> then <dur> then <dur>'],
    ['pod 3f2a9c1e-0b7d-4e5f-8a9b-1c2d3e4f5a6b deleted', 'pod <uuid> deleted'],
    ['container 4c7864a12361c942 exited', 'container <hex> exited'],
    ['reg 0x1f set', 'reg <hex> set'],
    ['mac 00:1a:2b:3c:4d:5e up', 'mac <mac> up'],
    ['at 2026-05-26T21:00:00.000Z ok', 'at <ts> ok'],
    ['at 2026-05-26 17:15:03 ok', 'at <ts> ok'],
    ['since 04:37:13 ok', 'since <ts> ok'],
    ['wrote 512MB and 4K', 'wrote <n>MB and <n>K'],
    ['url "/api/v1/namespaces/default/pods/3f2a9c1e-0b7d-4e5f-8a9b-1c2d3e4f5a6b"', 'url "/api/v1/namespaces/default/pods/<uuid>"'],
    ['usb 1-1.2: new device', 'usb <n>-<n>.<n>: new device'],
    ['SRC=1.2.3.4 DST=5.6.7.8 LEN=60 TTL=49 DPT=22', 'SRC=<ip> DST=<ip> LEN=<n> TTL=<n> DPT=<n>'],
  ])('%s', (input, expected) => {
    expect(maskMessage(input)).toBe(expected);
  });

  it('keeps words without digits, including opposite probe states', () => {
    expect(maskMessage('kai-server alive -> dead')).toBe('kai-server alive -> dead');
    expect(maskMessage('kai-server dead -> alive')).toBe('kai-server dead -> alive');
    expect(maskMessage('decade facade deadbeef')).toBe('decade facade deadbeef');
    expect(maskMessage('eth0 k3s v1 cni0')).toBe('eth0 k3s v1 cni0');
  });

  it('makes messages that differ only in values equal, and messages of different shape different', () => {
    expect(maskMessage('br-111111aaaaaa: port 1(veth1111111) entered blocking state')).toBe(
      maskMessage('br-222222bbbbbb: port 9(veth2222222) entered forwarding state'),
    );
    expect(maskMessage('apiserver was unable to write a JSON response: http: Handler timeout')).not.toBe(
      maskMessage('apiserver was unable to write a fallback JSON response: http: Handler timeout'),
    );
  });
});

describe('maskMessage: properties', () => {
  it('is idempotent on a case fast-check found: an empty PAM user= after a not-allowed line', () => {
    const once = maskMessage('User not allowed port user=');
    expect(maskMessage(once)).toBe(once);
  });

  it('is idempotent', () => {
    const samples = [
      'br-33693122cf09: port 8(veth2cbbca2) entered blocking state',
      'Failed password for invalid user a from b from 1.2.3.4 port 22 ssh2',
      'at 2026-05-26 17:15:03 ok 10.0.0.1:22',
    ];
    for (const s of samples) expect(maskMessage(maskMessage(s))).toBe(maskMessage(s));
    fc.assert(fc.property(fc.string(), (s) => maskMessage(maskMessage(s)) === maskMessage(s)));
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => maskMessage(maskMessage(s)) === maskMessage(s)));
    const logish = fc
      .array(
        fc.constantFrom(
          ...['port', '22', '1.2.3.4', 'from', 'invalid user', ' ', ':', '(', ')', 'veth1a', 'br-abcdef12', '5s', 'x'],
          ...['2026-05-26', '17:15:03', 'fe80::1%eth0', 'user=', 'Failed password for', '[preauth]', 'not allowed'],
          ...['by', 'ED25519', '0x1f', '1m30s', '512MB', 'a1B2c3D4e5F6g7H8i9', 'entered', 'blocking', 'state', 'User'],
        ),
        { maxLength: 20 },
      )
      .map((parts) => parts.join(' '));
    fc.assert(fc.property(logish, (s) => maskMessage(maskMessage(s)) === maskMessage(s)), { numRuns: 1000 });
  });

  it('runs in linear time on 100k-character hostile lines', () => {
    const hostile = [
      '1'.repeat(100_000) + 'x',
      '1m'.repeat(50_000) + 'x',
      'a'.repeat(100_000),
      'f1'.repeat(50_000) + 'g',
      '1.'.repeat(50_000) + 'x',
      ':'.repeat(100_000),
      'Failed password for invalid user ' + ' from port'.repeat(10_000),
      'invalid user '.repeat(8_000),
      '1-'.repeat(50_000),
    ];
    for (const line of hostile) {
      // CPU time, not wall time: the test machine may be busy. A quadratic pass would take minutes.
      const start = process.cpuUsage();
      maskMessage(line);
      expect(process.cpuUsage(start).user / 1000, line.slice(0, 20)).toBeLessThan(1000);
    }
  });

  it('collapses the real sshd corpus into far fewer templates than lines', () => {
    const lines = readFileSync('../shared/corpus/fail2ban/sshd-ddos', 'utf8')
      .split('\n')
      .map((line) => line.replace(/^.*?sshd\[\d+\]: /, ''))
      .filter((line) => line !== '' && !line.startsWith('#'));
    const templates = new Set(lines.map(maskMessage));
    expect(lines.length).toBeGreaterThan(5);
    expect(templates.size).toBeLessThan(lines.length);
    for (const t of templates) expect(t).not.toMatch(/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/);
  });
});

describe('maskedParts', () => {
  it('splits the masked message on whitespace', () => {
    expect(maskedParts('  Invalid user a b  from 1.2.3.4 port 5 ')).toEqual(['Invalid', 'user', '<user>', 'from', '<ip>', 'port', '<n>']);
  });
});
