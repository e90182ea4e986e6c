import { describe, expect, it } from 'vitest';
import type { LineResult, ParsedEvent } from '../../src/ingest/types.js';
import { dmesgRaw, uptimeMicros } from '../../src/ingest/formats/dmesg.js';
import { dmesgHuman } from '../../src/ingest/formats/dmesg-human.js';
import { dmesgIso } from '../../src/ingest/formats/dmesg-iso.js';
import { kmsg } from '../../src/ingest/formats/kmsg.js';

function event(result: LineResult | null): ParsedEvent {
  if (result?.type !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

describe('dmesg-raw', () => {
  it('reads the uptime stamp into microseconds and classifies the message', () => {
    const e = event(dmesgRaw.parse('[ 7137.102298] br-33693122cf09: port 8(veth2cbbca2) entered disabled state', null));
    expect(e.time).toEqual({ kind: 'uptime', us: 7_137_102_298 });
    expect(e.program).toBe('kernel');
    expect(e.message).toBe('br-33693122cf09: port 8(veth2cbbca2) entered disabled state');
    expect(e.fields).toEqual({ bridge: 'br-33693122cf09', port: 8, iface: 'veth2cbbca2', state: 'disabled' });
  });

  it('pads short fractions (anonymised logs) and keeps whole microseconds', () => {
    expect(uptimeMicros('5209', '5209')).toBe(5_209_520_900);
    expect(uptimeMicros('0', '000001')).toBe(1);
    expect(event(dmesgRaw.parse('[    0.000000] Linux version 6.8.0 (x@y)', null)).time).toEqual({ kind: 'uptime', us: 0 });
  });

  it('takes severity from the <N> priority, over the classifier guess', () => {
    expect(event(dmesgRaw.parse('<3>[ 10.5] Out of memory: Killed process 9 (k3s) total-vm:1kB', null)).severity).toBe('error');
    expect(event(dmesgRaw.parse('<6>[ 10.5] Out of memory: Killed process 9 (k3s) total-vm:1kB', null)).severity).toBe('info');
    expect(event(dmesgRaw.parse('[ 10.5] Out of memory: Killed process 9 (k3s) total-vm:1kB', null)).severity).toBe('error');
  });

  it('reads dmesg -x decoded prefixes and strips printk caller ids', () => {
    const decoded = event(dmesgRaw.parse('kern  :warn  : [   12.000001] nf_conntrack: table full, dropping packet', null));
    expect(decoded.severity).toBe('warning');
    expect(decoded.kind).toBe('kernel.conntrack_full');
    const caller = event(dmesgRaw.parse('[    0.000000] [    T0] Linux version 6.8.0-31-generic (buildd@lcy02)', null));
    expect(caller.kind).toBe('kernel.boot');
    expect(caller.message).toBe('Linux version 6.8.0-31-generic (buildd@lcy02)');
  });

  it('skips pstore headers and empty records with a reason; indented lines continue a record', () => {
    expect(dmesgRaw.parse('dmesg-erst-7530486857247752194:', null)).toEqual({ type: 'skip', reason: 'pstore dump file header' });
    expect(dmesgRaw.parse('Panic#1 Part2', null)).toEqual({ type: 'skip', reason: 'pstore dump part header' });
    expect(dmesgRaw.parse('<3>[ 1126.627862] ', null)).toEqual({ type: 'skip', reason: 'kernel record with an empty message' });
    const prev = event(dmesgRaw.parse('[ 1.0] a record', null));
    expect(dmesgRaw.parse('    with a second line', prev)).toEqual({ type: 'continuation' });
    expect(dmesgRaw.parse('    with a second line', null)).toBeNull();
  });

  it('refuses other formats', () => {
    expect(dmesgRaw.parse('Mar  9 08:10:29 host7 kernel: [5209.5209] docker0: port 6(veth02) entered blocking state', null)).toBeNull();
    expect(dmesgRaw.parse('[Tue May 26 17:18:04 2026] x', null)).toBeNull();
    expect(dmesgRaw.parse('[12a.5] x', null)).toBeNull();
  });

  it('strips a trailing carriage return', () => {
    expect(event(dmesgRaw.parse('[ 1.000000] eth0: renamed from veth1\r', null)).fields).toEqual({ iface: 'eth0', from: 'veth1' });
  });

  it('detects raw dmesg but not kern.log or dmesg -T', () => {
    expect(dmesgRaw.detect(['[    1.000000] a', '[    2.000000] b', '', 'junk'])).toBeCloseTo(2 / 3);
    expect(dmesgRaw.detect(['dmesg-erst-1:', 'Panic#1 Part1'])).toBe(0);
    expect(dmesgRaw.detect(['Mar  9 08:10:29 host7 kernel: [5209.5209] docker0: x'])).toBe(0);
    expect(dmesgRaw.detect(['[Tue May 26 17:18:04 2026] x'])).toBe(0);
  });
});

describe('dmesg-human (dmesg -T)', () => {
  it('reads local time with a year and a space-padded day', () => {
    const e = event(dmesgHuman.parse('[Mon Feb  4 09:05:01 2019] docker0: port 1(veth1) entered blocking state', null));
    expect(e.time).toEqual({ kind: 'local', year: 2019, month: 2, day: 4, hour: 9, minute: 5, second: 1, micro: 0 });
    expect(e.kind).toBe('kernel.bridge_state');
  });

  it('refuses impossible clocks and other formats', () => {
    expect(dmesgHuman.parse('[Mon Feb 11 25:22:56 2019] x', null)).toBeNull();
    expect(dmesgHuman.parse('[ 7137.102298] x', null)).toBeNull();
    expect(dmesgHuman.detect(['[ 7137.102298] x'])).toBe(0);
  });
});

describe('dmesg-iso (dmesg --time-format iso)', () => {
  it('reads the comma fraction and the offset into an exact instant', () => {
    const e = event(dmesgIso.parse('2026-05-26T17:18:04,123456-07:00 eth0: renamed from veth5f2a1b3', null));
    expect(e.time).toEqual({ kind: 'exact', utcUs: Date.UTC(2026, 4, 27, 0, 18, 4) * 1000 + 123_456 });
    expect(e.kind).toBe('kernel.veth_rename');
  });

  it('does not claim RFC 3339 syslog lines (dot fraction, host and program)', () => {
    const syslog = '2026-05-26T17:18:04.123456-07:00 kai-server kernel: [ 54.8] eth0: renamed from veth1';
    expect(dmesgIso.parse(syslog, null)).toBeNull();
    expect(dmesgIso.detect([syslog])).toBe(0);
  });
});

describe('kmsg', () => {
  it('reads priority (facility bits ignored), sequence and microseconds since boot', () => {
    const e = event(kmsg.parse('12,4100,7137102298,-;docker0: port 2(veth9a1b) entered disabled state', null));
    expect(e.time).toEqual({ kind: 'uptime', us: 7_137_102_298 });
    expect(e.severity).toBe('warning');
    expect(e.fields).toEqual({ bridge: 'docker0', port: 2, iface: 'veth9a1b', state: 'disabled', seq: 4100 });
  });

  it('accepts newer flag fields and keeps dictionary lines with their record', () => {
    const prev = event(kmsg.parse('6,339,5140900,-,caller=T1;usb 1-1: new device', null));
    expect(prev.message).toBe('usb 1-1: new device');
    expect(kmsg.parse(' SUBSYSTEM=usb', prev)).toEqual({ type: 'continuation' });
    expect(kmsg.parse(' SUBSYSTEM=usb', null)).toEqual({ type: 'skip', reason: 'kmsg dictionary line before any record' });
    expect(kmsg.parse('[ 1.0] not kmsg', null)).toBeNull();
  });
});

describe('kernel formats on hostile lines', () => {
  it('parse 100k-character lines in linear time', () => {
    // A backtracking pattern takes seconds on 100k characters; 250 ms leaves room for a loaded machine.
    const hostile = [
      '[' + ' '.repeat(100_000),
      '<6>[ 1.0] ' + 'br-1: port 1('.repeat(8_000),
      'kern  :' + ' '.repeat(100_000),
      '[Mon Feb  4 09:05:01 2019] ' + 'x'.repeat(100_000),
      '2026-05-26T17:18:04,123456-07:00 ' + ':'.repeat(100_000),
      '6,1,1,' + '-'.repeat(100_000),
      'dmesg-' + 'a'.repeat(100_000),
    ];
    for (const format of [dmesgRaw, dmesgHuman, dmesgIso, kmsg]) {
      for (const line of hostile) {
        const started = performance.now();
        format.parse(line, null);
        format.detect([line]);
        expect(performance.now() - started, `${format.name}: ${line.slice(0, 20)}`).toBeLessThan(250);
      }
    }
  });
});
