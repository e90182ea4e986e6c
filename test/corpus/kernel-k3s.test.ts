/**
 * The kernel and k3s formats against real public logs (../shared/corpus, see its README). Every line
 * must be accounted for: an event, a continuation, or a skip with a stated reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FormatDescriptor, LineResult, ParsedEvent } from '../../src/ingest/types.js';
import { KERNEL_K3S_FORMATS } from '../../src/ingest/formats/kernel-k3s-family.js';
import { ALL_FORMATS } from '../../src/ingest/formats/index.js';
import { classifyKernel } from '../../src/ingest/classify/kernel.js';

const CORPUS = '../shared/corpus';

/** The file's lines; a final newline does not open another line (matches `awk 'END{print NR}'`). */
function corpusLines(path: string): string[] {
  const text = readFileSync(`${CORPUS}/${path}`, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Ranked among every format corr knows (the syslog family included), as detection ranks them. */
function bestFormat(lines: string[]): { format: FormatDescriptor; score: number; runnerUp: number } {
  const head = lines.filter((l) => l.trim() !== '').slice(0, 60);
  const scored = ALL_FORMATS.map((format) => ({ format, score: format.detect(head) })).sort((a, b) => b.score - a.score);
  return { format: scored[0]!.format, score: scored[0]!.score, runnerUp: scored[1]!.score };
}

interface Ingested {
  events: ParsedEvent[];
  /** 1-based line number of each event. */
  eventLines: number[];
  continuations: number[];
  skips: { line: number; reason: string }[];
  unparsed: number[];
}

function ingest(format: FormatDescriptor, lines: string[]): Ingested {
  const out: Ingested = { events: [], eventLines: [], continuations: [], skips: [], unparsed: [] };
  let prev: ParsedEvent | null = null;
  lines.forEach((line, index) => {
    const result: LineResult | null = format.parse(line, prev);
    if (result === null) out.unparsed.push(index + 1);
    else if (result.type === 'event') {
      out.events.push(result.event);
      out.eventLines.push(index + 1);
      prev = result.event;
    } else if (result.type === 'continuation') out.continuations.push(index + 1);
    else out.skips.push({ line: index + 1, reason: result.reason });
  });
  return out;
}

function countKinds(events: ParsedEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return counts;
}

function loadAs(path: string, expectedFormat: string): { lines: string[]; result: Ingested } {
  const lines = corpusLines(path);
  const { format, score, runnerUp } = bestFormat(lines);
  expect(format.name).toBe(expectedFormat);
  expect(score).toBeGreaterThan(runnerUp);
  const result = ingest(format, lines);
  const accounted = result.events.length + result.continuations.length + result.skips.length + result.unparsed.length;
  expect(accounted).toBe(lines.length);
  return { lines, result };
}

describe('dmesg/gpud_kmsg.1.log (raw /dev/kmsg records)', () => {
  const { lines, result } = loadAs('dmesg/gpud_kmsg.1.log', 'kmsg');

  it('makes one event per record, with microseconds since boot', () => {
    expect(lines).toHaveLength(47);
    expect(result.events).toHaveLength(47);
    expect(result.unparsed).toEqual([]);
    expect(result.events[0]!.time).toEqual({ kind: 'uptime', us: 206_764_307 });
    expect(result.events[46]!.time).toEqual({ kind: 'uptime', us: 57_631_398_464 });
    expect(result.events[46]!.fields['seq']).toBe(4010);
    expect(result.events.every((e) => e.severity === 'info' && e.source === 'kernel')).toBe(true);
  });

  it('reads the Calico/eth0 ADDRCONF churn as link_state up', () => {
    const links = result.events.filter((e) => e.kind === 'kernel.link_state');
    expect(links).toHaveLength(lines.filter((l) => l.includes('link becomes ready')).length);
    expect(links).toHaveLength(27);
    expect(links.every((e) => e.fields['state'] === 'up')).toBe(true);
    expect(links[1]!.fields['iface']).toBe('calib317e2eeb40');
  });
});

describe('dmesg/gpud_pstore_dmesg.txt (pstore/ERST panic dump, <prio>[uptime] lines)', () => {
  const { lines, result } = loadAs('dmesg/gpud_pstore_dmesg.txt', 'dmesg-raw');

  it('skips the dump headers and the one empty record, with reasons', () => {
    expect(result.unparsed).toEqual([]);
    expect(result.continuations).toEqual([]);
    expect(result.skips).toEqual([
      { line: 1, reason: 'pstore dump file header' },
      { line: 2, reason: 'pstore dump part header' },
      { line: 229, reason: 'pstore dump file header' },
      { line: 230, reason: 'pstore dump part header' },
      { line: lines.indexOf('<3>[ 1126.627862] ') + 1, reason: 'kernel record with an empty message' },
    ]);
    expect(result.events).toHaveLength(lines.length - 5);
  });

  it('takes severity from the priority prefix, ignoring facility bits', () => {
    const bySeverity = (prefix: string) => result.events.filter((_e, i) => lines[result.eventLines[i]! - 1]!.startsWith(prefix));
    expect(bySeverity('<30>').every((e) => e.severity === 'info')).toBe(true);
    expect(bySeverity('<28>').every((e) => e.severity === 'warning')).toBe(true);
    expect(bySeverity('<7>').every((e) => e.severity === 'debug')).toBe(true);
    expect(bySeverity('<30>').length).toBeGreaterThan(50);
  });

  it('finds the panic and the AppArmor denials', () => {
    const kinds = countKinds(result.events);
    expect(kinds['kernel.panic']).toBe(1);
    const panic = result.events.find((e) => e.kind === 'kernel.panic')!;
    expect(panic.time).toEqual({ kind: 'uptime', us: 3_098_275_469 });
    expect(panic.severity).toBe('critical');
    expect(kinds['kernel.apparmor_denied']).toBe(4);
    const denied = result.events.find((e) => e.kind === 'kernel.apparmor_denied')!;
    expect(denied.fields).toMatchObject({ operation: 'open', profile: '/usr/sbin/ntpd', name: '/snap/bin/', pid: 1368 });
  });
});

describe('dmesg -T files', () => {
  it('reads the Synology boot log, year included, and its boot line', () => {
    const { result } = loadAs('dmesg/sss_synology-ds6_dmesg-T.txt', 'dmesg-human');
    expect(result.events).toHaveLength(19);
    expect(result.events[0]!.time).toEqual({
      kind: 'local',
      year: 2019,
      month: 2,
      day: 11,
      hour: 19,
      minute: 22,
      second: 56,
      micro: 0,
    });
    const boots = result.events.filter((e) => e.kind === 'kernel.boot');
    expect(boots).toHaveLength(1);
    expect(boots[0]!.fields['version']).toBe('3.10.105');
    // The indented message is the message, not a continuation: it carries its own stamp.
    expect(result.events[11]!.message).toBe('  Normal zone: 1024 pages used for memmap');
  });

  it('reads the NVIDIA Xid dump as one event per stamped line', () => {
    const { lines, result } = loadAs('dmesg/gpud_dmesg-with-xid-119.log', 'dmesg-human');
    expect(result.events).toHaveLength(lines.length);
    expect(result.events.every((e) => e.time.kind === 'local' && e.time.year === 2025 && e.time.month === 2)).toBe(true);
  });
});

/** kern.log lines are syslog-framed (the syslog family frames them); here only the kernel message is classified. */
function kernLogMessages(path: string): string[] {
  return corpusLines(path).map((line) => {
    const at = line.indexOf('kernel: ');
    expect(at).toBeGreaterThan(0);
    return line.slice(at + 'kernel: '.length).replace(/^\[ *\d+\.\d+\] ?/, '');
  });
}

describe('syslog-framed kern.log (classifier only)', () => {
  it('is not claimed by any kernel/k3s format', () => {
    for (const path of ['dmesg/sss_ubuntu18_kern.log.1', 'dmesg/sss_ubuntu16_kern.log']) {
      const head = corpusLines(path).slice(0, 60);
      for (const format of KERNEL_K3S_FORMATS) expect(format.detect(head), `${format.name} on ${path}`).toBe(0);
    }
  });

  it('reads the Ubuntu 18 docker churn: bridge states, renames, promiscuous mode, links', () => {
    const classified = kernLogMessages('dmesg/sss_ubuntu18_kern.log.1').map(classifyKernel);
    expect(countKinds(classified.map((c) => ({ kind: c.kind }) as ParsedEvent))).toEqual({
      'kernel.bridge_state': 10,
      'kernel.promiscuous': 2,
      'kernel.veth_rename': 3,
      'kernel.link_state': 4,
    });
    const bridges = classified.filter((c) => c.kind === 'kernel.bridge_state').map((c) => c.fields);
    expect(bridges[0]).toEqual({ bridge: 'docker0', port: 6, iface: 'veth02', state: 'blocking' });
    expect(bridges.map((f) => `${f['port']}:${f['state']}`)).toEqual([
      '6:blocking',
      '6:disabled',
      '6:blocking',
      '6:forwarding',
      '7:blocking',
      '7:disabled',
      '7:blocking',
      '7:forwarding',
      '7:disabled',
      '7:disabled',
    ]);
    expect(new Set(bridges.map((f) => f['bridge']))).toEqual(new Set(['docker0']));
    const renames = classified.filter((c) => c.kind === 'kernel.veth_rename').map((c) => c.fields);
    expect(renames[2]).toEqual({ iface: 'veth5cc4f7b', from: 'eth0' });
  });

  it('finds both boots of the Ubuntu 16 kern.log', () => {
    const boots = kernLogMessages('dmesg/sss_ubuntu16_kern.log')
      .map(classifyKernel)
      .filter((c) => c.kind === 'kernel.boot');
    expect(boots.map((c) => c.fields['version'])).toEqual(['4.4.0-142-generic', '4.4.0-142-generic']);
  });
});

describe('k3s/openshift-kube-apiserver-klog.log (klog, Trace continuations)', () => {
  const { lines, result } = loadAs('k3s/openshift-kube-apiserver-klog.log', 'klog');

  it('makes an event per klog header and keeps the Trace steps with their record', () => {
    expect(result.events).toHaveLength(lines.filter((l) => /^[IWEF]\d{4} /.test(l)).length);
    expect(result.events).toHaveLength(101);
    expect(result.continuations).toEqual([102, 103]);
    expect(result.skips).toEqual([]);
    expect(result.unparsed).toEqual([]);
    expect(result.events.every((e) => e.pid === 17 && e.fields['pid'] === 17 && e.program === 'k3s')).toBe(true);
  });

  it('counts the 9 Handler timeout lines, in three bursts of writers.go/status.go', () => {
    const timeouts = result.events.filter((e) => e.kind === 'k3s.handler_timeout');
    expect(timeouts).toHaveLength(9);
    expect(timeouts.map((e) => e.fields['file_line'])).toEqual(
      Array.from({ length: 3 }, () => ['writers.go:107', 'status.go:71', 'writers.go:120']).flat(),
    );
    expect(new Set(timeouts.map((e) => String(e.fields['klog_time']).slice(0, 14)))).toEqual(
      new Set(['02-23 20:39:50', '02-23 20:40:02', '02-23 20:40:31']),
    );
    expect(timeouts.every((e) => e.severity === 'error' && e.fields['level'] === 'error')).toBe(true);
    expect(timeouts.filter((e) => e.fields['part'] === 'write')).toHaveLength(3);
    expect(timeouts[0]!.time).toEqual({ kind: 'local', year: null, month: 2, day: 23, hour: 20, minute: 39, second: 50, micro: 321232 });
    expect(timeouts[0]!.message).toBe('apiserver was unable to write a JSON response: http: Handler timeout');
  });

  it('reads the 26-minute trace as a slow request and the rest as other', () => {
    const kinds = countKinds(result.events);
    expect(kinds).toEqual({ 'k3s.handler_timeout': 9, 'k3s.slow_request': 1, 'k3s.other': 91 });
    const slow = result.events.find((e) => e.kind === 'k3s.slow_request')!;
    expect(slow.fields).toMatchObject({ trace_id: '1418061176', operation: 'Get', total_ms: 1_610_277 });
  });
});

describe('lnav/logfile_glog.0 (glog, thread ids of any width)', () => {
  it('reads every line', () => {
    const { result } = loadAs('lnav/logfile_glog.0', 'klog');
    expect(result.events.map((e) => e.pid)).toEqual([1952452992, 952452992, 52452992, 2452992, 452992, 52992, 2992]);
    expect(result.events.map((e) => e.severity)).toEqual(['error', 'info', 'info', 'warning', 'info', 'info', 'error']);
    expect(result.events[6]!.message).toBe('foo 1000 0000001000 3e8');
  });
});

describe('k3s/k3s-server-console-logrus.log (logrus terminal form)', () => {
  const { lines, result } = loadAs('k3s/k3s-server-console-logrus.log', 'logrus-tty');

  it('reads the offset times exactly, nanoseconds cut to microseconds', () => {
    expect(result.events).toHaveLength(10);
    const utcUs = Date.UTC(2019, 0, 22, 22, 16, 19) * 1000 + 908_493;
    expect(result.events[0]!.time).toEqual({ kind: 'exact', utcUs });
    expect(result.events[0]!.message).toBe('Starting k3s dev');
    expect(result.events.every((e) => e.source === 'k3s' && e.severity === 'info')).toBe(true);
  });

  it('keeps the untimed `Flag --... has been deprecated` lines with the record they follow', () => {
    const flagLines = lines.flatMap((l, i) => (l.startsWith('Flag --') ? [i + 1] : []));
    expect(flagLines).toEqual([3, 6]);
    expect(result.continuations).toEqual(flagLines);
    expect(result.unparsed).toEqual([]);
  });
});

describe('k3s/rancheros-dockerd-logrus.log (logrus key=value, one bare line first, no final newline)', () => {
  const { lines, result } = loadAs('k3s/rancheros-dockerd-logrus.log', 'logrus');

  it('skips the bare first line with a reason and reads every record', () => {
    expect(lines).toHaveLength(67);
    expect(result.skips).toEqual([{ line: 1, reason: 'line without a log header before the first record' }]);
    expect(result.events).toHaveLength(66);
    expect(result.unparsed).toEqual([]);
    expect(countKinds(result.events)).toEqual({ 'k3s.other': 66 });
    expect(result.events.filter((e) => e.severity === 'warning')).toHaveLength(2);
  });

  it('unescapes quoted values and keeps odd keys', () => {
    expect(result.events[2]!.message).toBe('parsed scheme: "unix"');
    expect(result.events[2]!.fields).toMatchObject({ module: 'grpc', level: 'info' });
    const last = result.events[65]!;
    expect(last.message).toBe('API listen on /var/run/docker.sock');
    const daemon = result.events.find((e) => e.message === 'Docker daemon')!;
    expect(daemon.fields).toMatchObject({ commit: '99e3ed8', 'graphdriver(s)': 'overlay2', version: '19.03.15' });
    const aufs = result.events.find((e) => e.message === 'skip loading plugin "io.containerd.snapshotter.v1.aufs"...')!;
    expect(aufs.fields['error']).toBe('modprobe aufs failed: "modprobe: module aufs not found in modules.dep\\n": exit status 1: skip plugin');
  });
});
