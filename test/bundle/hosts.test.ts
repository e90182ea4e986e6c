import { describe, expect, it } from 'vitest';
import { captureHost, decideHost, directoryHost, matchHost, sameHost, targetHost } from '../../src/ingest/context/hosts.js';

describe('host names', () => {
  it('a probe target loses user@ and :port and matches case-insensitively, short name against FQDN', () => {
    expect(targetHost('root@EDGE-07:22')).toBe('edge-07');
    expect(targetHost('ssh://ops@[2001:db8::7]:2222/')).toBe('2001:db8::7');
    expect(targetHost('2001:db8::7')).toBe('2001:db8::7');
    expect(matchHost('root@EDGE-07:22', ['kai-server', 'edge-07.lab.example'])).toBe('edge-07.lab.example');
    expect(matchHost('edge-07.other.example', ['edge-07.lab.example'])).toBeNull();
    expect(matchHost('edge-07', ['edge-07.a', 'edge-07.b'])).toBeNull(); // ambiguous
    expect(sameHost('10.0.0.1', '10.0.0.1')).toBe(true);
    expect(sameHost('10.0.0.1', '10')).toBe(false);
  });

  it('a capture with no hostname section takes the one host its syslog lines name', () => {
    const c = captureHost('a.txt', [], [{ name: 'node-a', how: 'syslog', where: 'a.txt [journalctl]' }]);
    expect(c.host).toBe('node-a');
    expect(c.why).toContain('syslog');
  });

  it('two hostnames in one capture: the first kept, the other rejected in a warning', () => {
    const c = captureHost('a.txt', [
      { name: 'node-a', how: 'hostname', where: 'a.txt' },
      { name: 'node-b', how: 'uname -a', where: 'a.txt' },
    ], []);
    expect(c.host).toBe('node-a');
    expect(c.conflict?.rejected).toEqual(['node-b']);
    expect(c.conflict?.warning).toContain('node-b');
  });

  it('a directory decides only when it names exactly one host, or is named after one', () => {
    expect(directoryHost([{ dir: 'b/x', hosts: [] }, { dir: 'b', hosts: ['node-a'] }]).host).toBe('node-a');
    expect(directoryHost([{ dir: 'b', hosts: ['node-a', 'node-b'] }]).host).toBeNull();
    expect(directoryHost([{ dir: 'b/node-b', hosts: ['node-a.lab', 'node-b.lab'] }]).host).toBe('node-b.lab');
  });

  it('nothing names a host: a machine of its own per file, and a warning naming --host', () => {
    const none = { host: null, why: 'names no host' };
    const a = decideHost('x/a.log', none, none, undefined);
    const b = decideHost('y/b.log', none, none, undefined);
    expect(a.host).not.toBe(b.host);
    expect(a.warnings.join(' ')).toContain('--host');
    expect(decideHost('x/a.log', none, none, 'web1').host).toBe('web1');
    // Evidence comes before --host.
    expect(decideHost('x/a.log', { host: 'node-a', why: 'w' }, none, 'web1').host).toBe('node-a');
  });
});
