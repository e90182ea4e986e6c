import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseIsoStamp,
  parseSyslogHeader,
  syslogBsdFormat,
  syslogRfc3339Format,
  syslogRfc5424Format,
} from '../../src/ingest/formats/syslog.js';
import { SYSLOG_FAMILY_FORMATS } from '../../src/ingest/formats/syslog-family.js';
import type { FormatDescriptor, LineResult, ParsedEvent } from '../../src/ingest/types.js';

const CORPUS = '../shared/corpus';

function local(month: number, day: number, hour: number, minute: number, second: number, micro = 0, year: number | null = null) {
  return { kind: 'local', year, month, day, hour, minute, second, micro };
}

function event(result: LineResult | null): ParsedEvent {
  if (result?.type !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

/** Parse a whole file the way the pipeline does: each line with the last event as `prev`. */
function parseFile(format: FormatDescriptor, path: string) {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const events: ParsedEvent[] = [];
  let continuations = 0;
  const skips: string[] = [];
  let nulls = 0;
  for (const line of lines) {
    const r = format.parse(line, events[events.length - 1] ?? null);
    if (r === null) nulls++;
    else if (r.type === 'event') events.push(r.event);
    else if (r.type === 'continuation') continuations++;
    else skips.push(r.reason);
  }
  return { events, continuations, skips, nulls };
}

describe('parseSyslogHeader', () => {
  it('reads a BSD line: space-padded day, host, program, pid', () => {
    expect(parseSyslogHeader('May  6 19:44:01 kai-server sshd[123]: Failed password')).toEqual({
      time: local(5, 6, 19, 44, 1),
      host: 'kai-server',
      program: 'sshd',
      pid: 123,
      message: 'Failed password',
      tagged: true,
    });
  });

  it('keeps fractional seconds as microseconds (journalctl short-precise)', () => {
    expect(parseSyslogHeader('May 26 19:44:01.123456 h prog: m')?.time).toEqual(local(5, 26, 19, 44, 1, 123456));
    expect(parseSyslogHeader('Mar 23 23:01:18.123 h prog: m')?.time).toEqual(local(3, 23, 23, 1, 18, 123000));
  });

  it('accepts program names with dots, slashes and dashes, and no pid', () => {
    expect(parseSyslogHeader('Dec 31 17:54:32 h /sbin/anacron[1234]: x')).toMatchObject({ program: '/sbin/anacron', pid: 1234 });
    expect(parseSyslogHeader('Mar 11 22:58:58 h com.canonical.Unity.Scope.Music[1378]: x')).toMatchObject({
      program: 'com.canonical.Unity.Scope.Music',
    });
    expect(parseSyslogHeader('Oct  8 00:19:26 h sshd-session[3824]: x')).toMatchObject({ program: 'sshd-session', pid: 3824 });
    const noPid = parseSyslogHeader('Nov  3 09:47:02 veridian sudo: timstack : TTY=pts/6');
    expect(noPid).toMatchObject({ host: 'veridian', program: 'sudo', message: 'timstack : TTY=pts/6' });
    expect(noPid).not.toHaveProperty('pid');
  });

  it('tells a missing host from a host: `kernel:` and `[sshd]:` are tags, not hosts', () => {
    const kernel = parseSyslogHeader('Nov 18 08:30:20 kernel: [997.390602] sda2: rw=0');
    expect(kernel).toMatchObject({ program: 'kernel', message: '[997.390602] sda2: rw=0' });
    expect(kernel).not.toHaveProperty('host');
    expect(parseSyslogHeader('Mar  3 00:17:22 [sshd]: User root from 1.2.3.4')).toMatchObject({ program: 'sshd', tagged: true });
    expect(parseSyslogHeader('Jun 25 23:53:34 [sshd] User root from 1.2.3.4')).toMatchObject({ program: 'sshd' });
  });

  it('reads untagged lines as host + message, and `time: message` as a bare message', () => {
    expect(parseSyslogHeader('Nov  3 09:23:38 veridian lookup for opt failed')).toEqual({
      time: local(11, 3, 9, 23, 38),
      host: 'veridian',
      message: 'lookup for opt failed',
      tagged: false,
    });
    expect(parseSyslogHeader('Feb 29 01:15:43: --- testing leap year ---')).toEqual({
      time: local(2, 29, 1, 15, 43),
      message: '--- testing leap year ---',
      tagged: false,
    });
  });

  it('strips a CRLF remainder and the blank padding after the tag', () => {
    expect(parseSyslogHeader('Mar 11 00:00:00 ubuntu2015 sshd[3]:  Server listening on 0.0.0.0 port 22.\r')?.message).toBe(
      'Server listening on 0.0.0.0 port 22.',
    );
  });

  it('reads RFC 3339 stamps: exact with an offset, local with a year without one', () => {
    expect(parseSyslogHeader('2026-05-26T19:44:01.123456-07:00 kai-server sshd[1]: x')?.time).toEqual({
      kind: 'exact',
      utcUs: Date.UTC(2026, 4, 27, 2, 44, 1) * 1000 + 123456,
    });
    expect(parseSyslogHeader('2026-05-26T19:44:01+0000 kai-server prog: x')?.time).toEqual({
      kind: 'exact',
      utcUs: Date.UTC(2026, 4, 26, 19, 44, 1) * 1000,
    });
    expect(parseSyslogHeader('2026-05-26T19:44:01 kai-server prog: x')?.time).toEqual(local(5, 26, 19, 44, 1, 0, 2026));
  });

  it('rejects what is not a syslog header', () => {
    for (const line of [
      'E0517 15:04:22.619632 1952452992 logging_unittest.cc:253] Log every 3',
      '[   54.878462] docker0: port 1(veth1) entered blocking state',
      '[Mon Feb 11 19:22:56 2019] usb 1-1: new high-speed USB device',
      'INFO[2019-01-22T15:16:19.908493986-07:00] Starting k3s v0.1.0',
      'time="2022-10-09T21:33:15.541012931Z" level=info msg="x"',
      '6,1234,5678901,-;eth0: link up',
      'Header1: abc',
      'Feb 30 10:00:00 h prog: impossible date',
      'Foo 12 10:00:00 h prog: no such month',
    ]) {
      expect(parseSyslogHeader(line), line).toBeNull();
    }
  });

  it('rejects impossible RFC 3339 fields', () => {
    expect(parseIsoStamp('2026-13-01T00:00:00Z')).toBeNull();
    expect(parseIsoStamp('2026-02-01T24:00:00Z')).toBeNull();
  });
});

describe('syslog (BSD) descriptor', () => {
  it('strips the embedded kernel uptime stamp into uptimeUs', () => {
    const e = event(syslogBsdFormat.parse('May 26 17:18:04 kai-server kernel: [   54.878462] br-3f2a: port 2(veth1) entered blocking state', null));
    expect(e.uptimeUs).toBe(54_878_462);
    expect(e.message).toBe('br-3f2a: port 2(veth1) entered blocking state');
    expect(e.source).toBe('kernel');
  });

  it('classifies the message inside `message repeated N times: [ ... ]`', () => {
    const e = event(
      syslogBsdFormat.parse('Mar  7 18:53:34 bar sshd[1559]: message repeated 3 times: [ Failed password for root from 192.0.2.116 port 52100 ssh2]', null),
    );
    expect(e).toMatchObject({ kind: 'sshd.failed_password', repeated: 3, message: 'Failed password for root from 192.0.2.116 port 52100 ssh2' });
    expect(e.fields).toMatchObject({ repeated: 3, ip: '192.0.2.116' });
  });

  it('turns `--- last message repeated N times ---` into a repeat of the previous event', () => {
    const prev = event(syslogBsdFormat.parse('May 26 17:18:04 kai-server sshd[9]: Failed password for root from 60.163.139.198 port 5 ssh2', null));
    const e = event(syslogBsdFormat.parse('May 26 17:18:30 kai-server --- last message repeated 5 times ---', prev));
    expect(e).toMatchObject({ kind: 'sshd.failed_password', source: 'sshd', repeated: 5, host: 'kai-server', program: 'sshd', pid: 9 });
    expect(e.fields).toEqual({ ...prev.fields, repeated: 5 });
    expect(e.time).toEqual(local(5, 26, 17, 18, 30));
    const orphan = event(syslogBsdFormat.parse('Nov 18 01:15:43: --- last message repeated 5 times ---', null));
    expect(orphan).toMatchObject({ kind: 'syslog.repeated', source: 'syslog', repeated: 5, fields: { repeated: 5 } });
  });

  it('treats header-less lines after an event as continuations, and before any event as not ours', () => {
    const prev = event(syslogBsdFormat.parse('Aug 16 00:32:15 Tims-Air syslogd[314]: Configuration Notice:', null));
    expect(syslogBsdFormat.parse('\tASL Module "com.apple.cdscheduler" claims selected messages.', prev)).toEqual({ type: 'continuation' });
    expect(syslogBsdFormat.parse("signature=dbus.Signature('s')), dbus.Ar\r", prev)).toEqual({ type: 'continuation' });
    expect(syslogBsdFormat.parse('Header1: abc', null)).toBeNull();
  });

  it('reads a month named in another language when the word names one month only', () => {
    const r = event(syslogBsdFormat.parse('août 19 11:08:37 nlaptop symphorien[4961]: test', null));
    expect(r.time).toMatchObject({ kind: 'local', year: null, month: 8, day: 19, hour: 11, minute: 8, second: 37 });
    expect(r).toMatchObject({ host: 'nlaptop', program: 'symphorien', pid: 4961, message: 'test' });
    // glibc's and ICU's French forms, German, Spanish, Polish, Russian: each one month.
    for (const [word, month] of [['févr.', 2], ['avril', 4], ['avr.', 4], ['juil.', 7], ['déc.', 12], ['Mär', 3], ['Okt', 10], ['Dez', 12], ['ene', 1], ['dic', 12], ['paź', 10], ['мая', 5]] as const) {
      const e = event(syslogBsdFormat.parse(`${word}  6 09:01:02 h prog[1]: x`, null));
      expect(e.time, word).toMatchObject({ month, day: 6, hour: 9 });
    }
    expect(syslogBsdFormat.detect(['août 19 11:08:37 nlaptop symphorien[4961]: test'])).toBe(1);
    // An impossible date stays impossible, in English (`Feb` is German and Spanish too) or not.
    expect(syslogBsdFormat.parse('Feb 30 10:00:00 h sshd[1]: x', null)).toEqual({ type: 'skip', reason: 'impossible date or time in "Feb 30 10:00:00"' });
    expect(syslogBsdFormat.parse('août 32 11:08:37 h p[1]: x', null)).toEqual({ type: 'skip', reason: 'impossible date or time in "août 32 11:08:3"' });
  });

  it('skips, with a reason, a month word that names no month', () => {
    const r = syslogBsdFormat.parse('MMM 22 07:54:32 host prog[1]: msg', null);
    expect(r).toEqual({ type: 'skip', reason: 'month name "MMM" is not a month corr can read (English, or one month in another language)' });
  });

  it('parses a 100k-character hostile line in milliseconds', () => {
    const lines = [
      `May 26 17:18:04 kai-server sshd[1]: ${'a'.repeat(100_000)}`,
      `May 26 17:18:04 ${'x'.repeat(100_000)}`,
      `May 26 17:18:04 h kernel: [${' '.repeat(100_000)}`,
      `May 26 17:18:04 h prog: message repeated 3 times: [${'['.repeat(100_000)}`,
      `${'May '.repeat(25_000)}`,
    ];
    for (const line of lines) {
      const start = performance.now();
      syslogBsdFormat.parse(line, null);
      syslogBsdFormat.detect([line]);
      expect(performance.now() - start).toBeLessThan(100);
    }
  });

  it('reads plaso/syslog: leap day, fractions, a continuation, an invalid month, kernel lines with and without host', () => {
    const { events, continuations, skips, nulls } = parseFile(syslogBsdFormat, `${CORPUS}/plaso/syslog`);
    expect([events.length, continuations, skips.length, nulls]).toEqual([16, 1, 1, 0]);
    expect(skips[0]).toContain('"MMM"');
    expect(events[6]!.time).toEqual(local(2, 29, 1, 15, 43));
    expect(events[9]!.time).toEqual(local(3, 23, 23, 1, 18, 123000));
    expect(events[10]).toMatchObject({ program: '/sbin/anacron', kind: 'syslog.anacron' });
    const repeat = events[13]!;
    expect(repeat).toMatchObject({ kind: 'syslog.process', repeated: 5, host: 'victoria' });
    expect(events[14]).toMatchObject({ source: 'kernel', uptimeUs: 997_390_602, message: 'sda2: rw=0, want=65, limit=2' });
    expect(events[14]).not.toHaveProperty('host');
    expect(events[15]).toMatchObject({ host: 'victoria', uptimeUs: 998_390_602 });
  });

  it('reads plaso/syslog_rsyslog_traditional: unindented continuations, dotted program names', () => {
    const { events, continuations, skips, nulls } = parseFile(syslogBsdFormat, `${CORPUS}/plaso/syslog_rsyslog_traditional`);
    expect([events.length, continuations, skips.length, nulls]).toEqual([8, 3, 0, 0]);
    expect(events.map((e) => e.kind)).toEqual([
      'syslog.message',
      'syslog.dhclient',
      'syslog.dhclient',
      'syslog.cron',
      'syslog.aptdaemon',
      'syslog.com_canonical_unity_scope_music',
      'syslog.org_debian_apt',
      'syslog.aprocess',
    ]);
    expect(events[2]!.repeated).toBe(5);
  });

  it('reads plaso/syslog_ssh.log (CRLF, double blank after the tag, IPv6)', () => {
    const { events } = parseFile(syslogBsdFormat, `${CORPUS}/plaso/syslog_ssh.log`);
    expect(events.map((e) => e.kind)).toEqual([
      'sshd.listening',
      'sshd.accepted',
      'sshd.accepted',
      'sshd.failed_publickey',
      'sshd.connection_from',
      'sshd.failed_password',
      'sshd.accepted',
      'sshd.accepted',
      'sshd.accepted',
    ]);
    expect(events[2]!.fields).toMatchObject({ ip: '2001:0db8:0a0b:12f0:0000:0000:0000:0001', port: 42532, user: 'plaso' });
  });

  it('reads lnav logfile_syslog_with_access_log.0, ending in a repeat of the automount line', () => {
    const { events } = parseFile(syslogBsdFormat, `${CORPUS}/lnav/logfile_syslog_with_access_log.0`);
    expect(events).toHaveLength(5);
    expect(events[1]).toMatchObject({ program: 'tomcat.log', kind: 'syslog.tomcat_log', host: 'bigproduct-web1' });
    expect(events[4]).toMatchObject({ kind: 'syslog.automount', repeated: 2, time: local(3, 24, 14, 26, 1) });
  });
});

describe('syslog-rfc3339 descriptor', () => {
  it('reads plaso/syslog_sshd_connection_end.log (sshd-session, user with a space, IPv6 zone)', () => {
    const { events, nulls } = parseFile(syslogRfc3339Format, `${CORPUS}/plaso/syslog_sshd_connection_end.log`);
    expect([events.length, nulls]).toEqual([23, 0]);
    expect(events[8]).toMatchObject({ kind: 'sshd.invalid_user', program: 'sshd-session', pid: 3824, fields: { user: 'john doe' } });
    expect(events[10]!.fields.ip).toBe('fe80::621:e520:10d6:6621%ens36');
    expect(events[0]!.time).toEqual({ kind: 'exact', utcUs: Date.UTC(2026, 6, 28, 18, 57, 9) * 1000 + 958129 });
  });

  it('reads the rsyslog MARK repeat in plaso/syslog_rsyslog', () => {
    const { events } = parseFile(syslogRfc3339Format, `${CORPUS}/plaso/syslog_rsyslog`);
    expect(events[0]).toMatchObject({ kind: 'syslog.rsyslogd', repeated: 76, message: '-- MARK --', fields: { repeated: 76 } });
  });
});

describe('syslog-rfc5424 descriptor', () => {
  it('skips structured data with brackets inside quoted values and takes severity from PRI', () => {
    const e = event(
      syslogRfc5424Format.parse(
        '<38>1 2019-07-08T17:40:17.954167-04:00 hostname.example.com sshd 55555 - [timeQuality tzKnown="1" isSynced="0"][xxx@123 test="[brackets]"] Failed unknown for invalid user redmond from 192.0.2.2 port 55555 ssh2',
        null,
      ),
    );
    expect(e).toMatchObject({ kind: 'sshd.failed_other', host: 'hostname.example.com', program: 'sshd', pid: 55555 });
    expect(e.fields).toMatchObject({ ip: '192.0.2.2', user: 'redmond' });
    const generic = event(syslogRfc5424Format.parse('<11>1 2026-05-26T17:18:04Z kai-server app - - - it broke', null));
    expect(generic).toMatchObject({ kind: 'syslog.app', severity: 'error', time: { kind: 'exact', utcUs: Date.UTC(2026, 4, 26, 17, 18, 4) * 1000 } });
  });
});

describe('detection among the syslog family', () => {
  const rank = (lines: string[]) =>
    SYSLOG_FAMILY_FORMATS.map((f) => ({ name: f.name, score: f.detect(lines) })).sort((a, b) => b.score - a.score);

  it.each([
    ['plaso/syslog', 'syslog'],
    ['plaso/syslog_ssh.log', 'syslog'],
    ['lnav/logfile_syslog.3', 'syslog'],
    ['dmesg/sss_ubuntu18_kern.log.1', 'syslog'],
    ['plaso/syslog_rsyslog', 'syslog-rfc3339'],
    ['plaso/syslog_sshd_connection_end.log', 'syslog-rfc3339'],
    ['lnav/logfile_journald.json', 'journal-json'],
  ])('ranks %s as %s', (file, expected) => {
    const head = readFileSync(`${CORPUS}/${file}`, 'utf8').split('\n').slice(0, 50);
    const [first, second] = rank(head);
    expect(first!.name).toBe(expected);
    expect(first!.score).toBeGreaterThan(0.8);
    expect(second!.score).toBeLessThan(first!.score);
  });

  it.each(['lnav/logfile_glog.0', 'k3s/openshift-kube-apiserver-klog.log', 'dmesg/gpud_kmsg.1.log', 'k3s/rancheros-dockerd-logrus.log', 'dmesg/sss_synology-ds6_dmesg-T.txt', 'k3s/k3s-server-console-logrus.log'])(
    'claims none of %s',
    (file) => {
      const head = readFileSync(`${CORPUS}/${file}`, 'utf8').split('\n').slice(0, 50);
      for (const { name, score } of rank(head)) expect(score, name).toBeLessThan(0.1);
    },
  );
});

describe('journalctl text output', () => {
  it('skips journalctl boot and range markers with a reason instead of folding them into the previous event', () => {
    const prev = event(syslogBsdFormat.parse('May 26 17:18:04 kai-server systemd[1]: Started k3s.', null));
    expect(syslogBsdFormat.parse('-- Boot 0dc874d3fbd44bdbb6fbcfaa27481492 --', prev)).toEqual({
      type: 'skip',
      reason: 'journalctl marker: Boot 0dc874d3fbd44bdbb6fbcfaa27481492',
    });
    expect(syslogBsdFormat.parse('-- No entries --', null)).toMatchObject({ type: 'skip' });
  });
});

describe('generic classifier through syslog framing', () => {
  it('names kinds after the program in snake case and grades severity by the words', () => {
    const parse = (line: string) => event(syslogBsdFormat.parse(line, null));
    expect(parse('May 26 17:18:04 kai-server systemd-logind[812]: New session 12 of user kai.')).toMatchObject({
      kind: 'syslog.systemd_logind',
      source: 'syslog',
      severity: 'info',
    });
    expect(parse('Nov  3 09:23:38 veridian automount[7999]: lookup(file): lookup for opt failed').severity).toBe('warning');
    expect(parse('May 26 17:18:04 kai-server containerd[77]: level=error msg="failed to pull"').severity).toBe('error');
    expect(parse('May 26 17:18:04 kai-server veridian lookup').kind).toBe('syslog.message');
    const long = parse(`May 26 17:18:04 h ${'Ab-'.repeat(100)}[1]: x`);
    expect(long.kind.length).toBeLessThanOrEqual('syslog.'.length + 48);
  });
});
