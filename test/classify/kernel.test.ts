import { describe, expect, it } from 'vitest';
import { classifyKernel, severityFromKernelPriority } from '../../src/ingest/classify/kernel.js';
import { classify } from '../../src/ingest/classify/index.js';

describe('classifyKernel', () => {
  it.each([
    ['br-33693122cf09: port 8(veth2cbbca2) entered blocking state', 'br-33693122cf09', 8, 'veth2cbbca2', 'blocking'],
    ['br-33693122cf09: port 8(veth2cbbca2) entered forwarding state', 'br-33693122cf09', 8, 'veth2cbbca2', 'forwarding'],
    ['docker0: port 2(veth9a1b) entered disabled state', 'docker0', 2, 'veth9a1b', 'disabled'],
    ['cni0: port 12(vethc0ffee1) entered learning state', 'cni0', 12, 'vethc0ffee1', 'learning'],
    ['br-0a1b2c3d4e5f: port 1(veth77) entered listening state', 'br-0a1b2c3d4e5f', 1, 'veth77', 'listening'],
  ])('bridge state: %s', (message, bridge, port, iface, state) => {
    const c = classifyKernel(message);
    expect(c.kind).toBe('kernel.bridge_state');
    expect(c.source).toBe('kernel');
    expect(c.severity).toBe('info');
    expect(c.fields).toEqual({ bridge, port, iface, state });
  });

  it('names veth renames in both directions', () => {
    expect(classifyKernel('eth0: renamed from veth5f2a1b3')).toMatchObject({
      kind: 'kernel.veth_rename',
      fields: { iface: 'eth0', from: 'veth5f2a1b3' },
    });
    expect(classifyKernel('veth5f2a1b3: renamed from eth0').fields).toEqual({ iface: 'veth5f2a1b3', from: 'eth0' });
  });

  it('reads promiscuous and allmulticast changes in the old and the 6.x wording', () => {
    expect(classifyKernel('device veth2cbbca2 entered promiscuous mode')).toMatchObject({
      kind: 'kernel.promiscuous',
      fields: { iface: 'veth2cbbca2', mode: 'promiscuous', action: 'entered' },
    });
    expect(classifyKernel('device veth2cbbca2 left promiscuous mode').fields['action']).toBe('left');
    expect(classifyKernel('br-33693122cf09: entered promiscuous mode').fields).toEqual({
      iface: 'br-33693122cf09',
      mode: 'promiscuous',
      action: 'entered',
    });
    expect(classifyKernel('veth1: entered allmulticast mode')).toMatchObject({
      kind: 'kernel.allmulticast',
      fields: { iface: 'veth1', mode: 'allmulticast', action: 'entered' },
    });
  });

  it.each([
    ['IPv6: ADDRCONF(NETDEV_CHANGE): vethab12: link becomes ready', 'vethab12', 'up'],
    ['IPv6: ADDRCONF(NETDEV_UP): eth0: link is not ready', 'eth0', 'down'],
    ['r8169 0000:02:00.0 enp2s0: Link is Up - 1Gbps/Full - flow control rx/tx', 'enp2s0', 'up'],
    ['e1000e: eth0 NIC Link is Down', 'eth0', 'down'],
    ['ixgbe 0000:01:00.0 eth2: NIC Link is Up 10 Gbps, Flow Control: RX/TX', 'eth2', 'up'],
  ])('link state: %s', (message, iface, state) => {
    const c = classifyKernel(message);
    expect(c.kind).toBe('kernel.link_state');
    expect(c.fields).toEqual({ iface, state });
  });

  it('names the outage-relevant kernel events with their fields', () => {
    expect(classifyKernel('nf_conntrack: nf_conntrack: table full, dropping packet')).toMatchObject({
      kind: 'kernel.conntrack_full',
      severity: 'error',
    });
    expect(classifyKernel('Out of memory: Killed process 1234 (java) total-vm:100kB, anon-rss:10kB')).toMatchObject({
      kind: 'kernel.oom_kill',
      severity: 'error',
      fields: { pid: 1234, process: 'java' },
    });
    expect(
      classifyKernel('oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=abc,mems_allowed=0,task=k3s-server,pid=987,uid=0')
        .fields,
    ).toEqual({ pid: 987, process: 'k3s-server' });
    expect(classifyKernel('java invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0').kind).toBe('kernel.oom_kill');
    expect(classifyKernel('java[1234]: segfault at 0 ip 00007f sp 00007ffd error 4 in libc.so.6')).toMatchObject({
      kind: 'kernel.segfault',
      fields: { process: 'java', pid: 1234, address: '0' },
    });
    expect(classifyKernel('TCP: request_sock_TCP: Possible SYN flooding on port 22. Sending cookies.  Check SNMP counters.')).toMatchObject({
      kind: 'kernel.syn_flood',
      fields: { port: 22 },
    });
    expect(classifyKernel('TCP: request_sock_TCP: Possible SYN flooding on port [::]:6443. Sending cookies.').fields).toEqual({ port: 6443 });
    expect(classifyKernel('Linux version 5.15.0-136-generic (buildd@lcy02) (gcc 11.4.0) #147-Ubuntu SMP')).toMatchObject({
      kind: 'kernel.boot',
      fields: { version: '5.15.0-136-generic' },
    });
    expect(classifyKernel('Kernel panic - not syncing: Fatal exception').severity).toBe('critical');
  });

  it('reads AppArmor denials but not AppArmor status lines', () => {
    const denied = classifyKernel(
      'audit: type=1400 audit(1753325024.836:58): apparmor="DENIED" operation="open" profile="/usr/sbin/ntpd" name="/etc/ssl/openssl.cnf" pid=1410 comm="ntpd" requested_mask="r" denied_mask="r" fsuid=0 ouid=0',
    );
    expect(denied.kind).toBe('kernel.apparmor_denied');
    expect(denied.fields).toEqual({
      operation: 'open',
      profile: '/usr/sbin/ntpd',
      name: '/etc/ssl/openssl.cnf',
      pid: 1410,
      comm: 'ntpd',
      requested_mask: 'r',
      denied_mask: 'r',
    });
    expect(
      classifyKernel('audit: type=1400 audit(1753325017.308:2): apparmor="STATUS" operation="profile_load" profile="unconfined"').kind,
    ).toBe('kernel.other');
  });

  it('keeps everything else as kernel.other, and does not mistake look-alikes', () => {
    expect(classifyKernel('ata3: SATA link down (SStatus 0 SControl 300)').kind).toBe('kernel.other');
    expect(classifyKernel('usb 1-2: New USB device found, idVendor=174c').kind).toBe('kernel.other');
    // A port number that is not a number is not a bridge state line.
    expect(classifyKernel('docker0: port x(veth1) entered blocking state').kind).toBe('kernel.other');
  });

  it('is what the classify dispatcher uses for program "kernel"', () => {
    expect(classify('kernel', 'docker0: port 6(veth02) entered blocking state').fields['bridge']).toBe('docker0');
  });

  it('maps kernel priorities, ignoring facility bits', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(severityFromKernelPriority)).toEqual([
      'critical',
      'critical',
      'critical',
      'error',
      'warning',
      'notice',
      'info',
      'debug',
    ]);
    expect(severityFromKernelPriority(30)).toBe('info'); // daemon.info from systemd in pstore dumps
    expect(severityFromKernelPriority(28)).toBe('warning');
  });

  it('classifies hostile 100k-character lines in linear time', () => {
    // A backtracking pattern takes seconds on 100k characters; 250 ms leaves room for a loaded machine.
    const hostile = [
      'a'.repeat(100_000),
      'br-1: port 1('.repeat(8_000),
      'Killed process 1 ('.repeat(6_000),
      'device ' + 'x'.repeat(100_000),
      'apparmor="DENIED" ' + 'k="'.repeat(30_000),
      'Possible SYN flooding on port '.repeat(3_000),
      'oom-kill:' + ',task='.repeat(16_000),
      ' Link is Up'.repeat(9_000),
      'x'.repeat(100_000) + ': renamed from eth0',
    ];
    for (const line of hostile) {
      const started = performance.now();
      classifyKernel(line);
      expect(performance.now() - started, line.slice(0, 30)).toBeLessThan(250);
    }
  });
});
