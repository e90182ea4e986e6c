import type { Finding, Outage } from '../../src/correlate/types.js';
import type { ReportInput } from '../../src/report/types.js';
import type { SectionSummary } from '../../src/store/types.js';
import type { TimelineRow } from '../../src/timeline/types.js';

/**
 * A small seed-like incident, built by hand: bridge churn (cause) with apiserver timeouts (its
 * symptom), a second independent cause, an ssh brute force (background) whose user names are
 * hostile, and a probe that turns into a metronome (artifact).
 */

export const HOSTILE_USER = '<script>window.pwned=1</script>';
export const HOSTILE_LINK = '[x](http://evil.example/)';
export const HOSTILE_TICKS = 'a``b```c|d';
export const HOSTILE_ESC = '\u001b[31mred\u001b]0;title\u0007';

const us = (iso: string) => Date.parse(iso) * 1000;

let nextId = 1;
function row(iso: string, source: string, kind: string, message: string, extra: Partial<TimelineRow> = {}): TimelineRow {
  const tsUs = us(iso);
  return {
    id: nextId++,
    tsUs,
    firstUs: tsUs,
    lastUs: tsUs,
    host: 'kai-server',
    source,
    kind,
    severity: 'info',
    message,
    file: source === 'probe' ? 'watch.log' : 'diag/output.txt',
    line: nextId * 7,
    fields: {},
    count: 1,
    rows: 1,
    ...extra,
  };
}

function burst(fromIso: string, toIso: string, source: string, kind: string, template: string, count: number, extra: Partial<TimelineRow> = {}): TimelineRow {
  return row(fromIso, source, kind, template, { lastUs: us(toIso), count, rows: count, template, ...extra });
}

export const outages: Outage[] = [
  { host: 'kai-server', start: '2026-05-27T00:18:00Z', end: '2026-05-27T00:27:00Z', status: 'confirmed', sources: ['reported', 'stream-silence'] },
  { host: 'kai-server', start: '2026-05-27T01:58:00Z', end: '2026-05-27T02:03:00Z', status: 'confirmed', sources: ['probe', 'stream-silence'] },
  { host: 'kai-server', start: '2026-05-27T02:16:00Z', end: '2026-05-27T02:17:30Z', status: 'unconfirmed', sources: ['reported'] },
  { host: 'kai-server', start: '2026-05-27T04:41:00Z', end: '2026-05-27T04:42:00Z', status: 'artifact', sources: ['probe'] },
  { host: 'kai-server', start: '2026-05-27T04:45:00Z', end: '2026-05-27T04:46:00Z', status: 'artifact', sources: ['probe'] },
];

function finding(f: Partial<Finding> & Pick<Finding, 'id' | 'kind' | 'verdict'>): Finding {
  return {
    host: 'kai-server',
    start: '2026-05-27T00:00:00Z',
    end: '2026-05-27T05:00:00Z',
    bursts: [],
    outages_hit: 0,
    outages_total: 3,
    chance: null,
    summary: '',
    evidence: [],
    ...f,
  };
}

export const findings: Finding[] = [
  finding({
    id: 'F1',
    kind: 'bridge-churn',
    verdict: 'cause',
    start: '2026-05-27T00:17:40Z',
    end: '2026-05-27T02:16:10Z',
    bursts: [
      { start: '2026-05-27T00:17:40Z', end: '2026-05-27T00:18:30Z', count: 12 },
      { start: '2026-05-27T01:57:30Z', end: '2026-05-27T01:58:05Z', count: 20 },
      { start: '2026-05-27T02:16:05Z', end: '2026-05-27T02:16:10Z', count: 8 },
    ],
    outages_hit: 3,
    chance: 0.004,
    summary: 'Docker bridges br-* flap right before each outage onset.',
    lead_s: 20,
    evidence: [
      { ts: '2026-05-27T00:17:40Z', file: 'diag/output.txt', line: 233, text: 'br-3f2a1b entered blocking state' },
      { ts: '2026-05-27T00:17:41Z', file: 'diag/output.txt', line: 234, text: 'br-3f2a1b entered forwarding state' },
    ],
  }),
  finding({
    id: 'F2',
    kind: 'apiserver-timeout',
    verdict: 'symptom',
    bursts: [
      { start: '2026-05-27T00:21:00Z', end: '2026-05-27T00:21:00Z', count: 1 },
      { start: '2026-05-27T02:00:10Z', end: '2026-05-27T02:00:10Z', count: 1 },
    ],
    outages_hit: 2,
    summary: 'The apiserver times out handlers only inside outages.',
    evidence: [
      { ts: '2026-05-27T00:21:00Z', file: 'k3s.log', line: 88, text: 'apiserver was unable to write a JSON response: http: Handler timeout' },
    ],
  }),
  finding({
    id: 'F3',
    kind: 'ssh-bruteforce',
    verdict: 'background',
    start: '2026-05-26T22:00:00Z',
    end: '2026-05-27T04:50:00Z',
    outages_hit: 1,
    chance: 0.62,
    summary: 'A steady brute force that runs straight through quiet hours.',
    source_ip: '60.163.139.198',
    attempts: 3075,
    usernames: 57,
    rate_per_min: 7.5,
    evidence: [
      { ts: '2026-05-27T00:05:00Z', file: 'auth.log', line: 10, text: `Failed password for invalid user ${HOSTILE_USER} from 60.163.139.198 port 4242 ssh2` },
      { ts: '2026-05-27T00:05:08Z', file: 'auth.log', line: 11, text: `Failed password for invalid user ${HOSTILE_LINK} from 60.163.139.198 port 4243 ssh2` },
      { ts: '2026-05-27T00:05:16Z', file: 'auth.log', line: 12, text: `Failed password for invalid user ${HOSTILE_ESC} from 60.163.139.198 port 4244 ssh2` },
    ],
  }),
  finding({
    id: 'F4',
    kind: 'probe-artifact',
    verdict: 'artifact',
    start: '2026-05-27T04:37:13Z',
    end: '2026-05-27T04:50:00Z',
    summary: 'After 04:37 the probe flips every 240 s while every other source carries on.',
    period_s: 240,
    target: 'kai-server',
    reasons: ['transitions are periodic (240 s ± 2 s)', 'kernel and sshd keep logging through every "down" window'],
    evidence: [{ ts: '2026-05-27T04:41:00Z', file: 'watch.log', line: 51, text: '2026-05-27T04:41:00Z DOWN exit=1' }],
  }),
  finding({
    id: 'F5',
    kind: 'template-burst',
    verdict: 'cause',
    bursts: [{ start: '2026-05-27T01:57:50Z', end: '2026-05-27T01:58:10Z', count: 6 }],
    outages_hit: 1,
    chance: 0.09,
    template: 'iptables-restore: line <n> failed',
    summary: 'iptables-restore fails just before the second outage.',
  }),
  finding({
    id: 'F6',
    kind: 'template-burst',
    verdict: 'inconclusive',
    summary: 'A handful of OOM-killer lines, too few to judge.',
  }),
];

export const timeline: TimelineRow[] = [
  row('2026-05-27T00:05:00Z', 'sshd', 'sshd.failed_password', `Failed password for invalid user ${HOSTILE_USER} from 60.163.139.198 port 4242 ssh2`, { file: 'auth.log', line: 10, fields: { user: HOSTILE_USER } }),
  row('2026-05-27T00:05:08Z', 'sshd', 'sshd.failed_password', `Failed password for invalid user ${HOSTILE_LINK} from 60.163.139.198 port 4243 ssh2`, { file: 'auth.log', line: 11 }),
  row('2026-05-27T00:05:16Z', 'sshd', 'sshd.failed_password', `Failed password for invalid user ${HOSTILE_TICKS} from 60.163.139.198 port 4244 ssh2`, { file: 'auth.log', line: 12 }),
  row('2026-05-27T00:05:24Z', 'sshd', 'sshd.failed_password', `Failed password for invalid user ${HOSTILE_ESC} from 60.163.139.198 port 4245 ssh2`, { file: 'auth.log', line: 13 }),
  burst('2026-05-27T00:10:00Z', '2026-05-27T01:50:00Z', 'sshd', 'sshd.failed_password', 'Failed password for invalid user <*> from 60.163.139.198 port <n> ssh2', 750, { file: 'auth.log', line: 14 }),
  burst('2026-05-27T00:17:40Z', '2026-05-27T00:18:30Z', 'kernel', 'kernel.bridge_state', 'br-<hex>: port <n>(veth<hex>) entered <state> state', 12, { line: 233 }),
  row('2026-05-27T00:21:00Z', 'k3s', 'k3s.handler_timeout', 'apiserver was unable to write a JSON response: http: Handler timeout', { file: 'k3s.log', line: 88, severity: 'error' }),
  row('2026-05-27T00:30:00Z', 'probe', 'probe.transition', 'kai-server UP', { line: 3, fields: { target: 'kai-server', state: 'up' } }),
  burst('2026-05-27T01:57:30Z', '2026-05-27T01:58:05Z', 'kernel', 'kernel.bridge_state', 'br-<hex>: port <n>(veth<hex>) entered <state> state', 20, { line: 410 }),
  row('2026-05-27T01:58:00Z', 'probe', 'probe.transition', 'kai-server DOWN', { line: 9, fields: { target: 'kai-server', state: 'down' } }),
  row('2026-05-27T02:00:10Z', 'k3s', 'k3s.handler_timeout', 'apiserver was unable to write a JSON response: http: Handler timeout', { file: 'k3s.log', line: 140, severity: 'error' }),
  row('2026-05-27T02:03:00Z', 'probe', 'probe.transition', 'kai-server UP', { line: 12, fields: { target: 'kai-server', state: 'up' } }),
  burst('2026-05-27T02:16:05Z', '2026-05-27T02:16:10Z', 'kernel', 'kernel.bridge_state', 'br-<hex>: port <n>(veth<hex>) entered <state> state', 8, { line: 611 }),
  row('2026-05-27T03:10:00Z', 'syslog', 'syslog.message', 'systemd[1]: Started Session 42 of user kai.', { file: 'syslog', line: 2001 }),
  row('2026-05-27T04:41:00Z', 'probe', 'probe.transition', 'kai-server DOWN', { line: 51, fields: { target: 'kai-server', state: 'down' } }),
  row('2026-05-27T04:42:00Z', 'probe', 'probe.transition', 'kai-server UP', { line: 52, fields: { target: 'kai-server', state: 'up' } }),
  row('2026-05-27T04:45:00Z', 'probe', 'probe.transition', 'kai-server DOWN', { line: 53, fields: { target: 'kai-server', state: 'down' } }),
  row('2026-05-27T04:46:00Z', 'probe', 'probe.transition', 'kai-server UP', { line: 54, fields: { target: 'kai-server', state: 'up' } }),
];

function source(path: string, format: string | null, extra: Partial<SectionSummary> = {}): SectionSummary {
  return {
    path,
    section: null,
    format,
    host: 'kai-server',
    lines: 100,
    events: 96,
    continuations: 0,
    skipped: 4,
    first: '2026-05-27T00:00:00.000Z',
    last: '2026-05-27T05:00:00.000Z',
    tz: 'America/Los_Angeles',
    assumptions: [],
    warnings: [],
    ...extra,
  };
}

export const sources: SectionSummary[] = [
  source('diag/output.txt', 'dmesg-raw', { section: 'dmesg', assumptions: ['boot time from the `uptime -s` section'] }),
  source('auth.log', 'syslog', { assumptions: ['year 2026 from the file modification time', 'zone America/Los_Angeles from --tz'] }),
  source('k3s.log', 'klog'),
  source('watch.log', 'probe', { tz: 'UTC' }),
  source(`evil-${HOSTILE_LINK}.txt`, null, { lines: 3, events: 0, skipped: 3, warnings: ['looks like a table, not a log'] }),
];

/** A fresh copy each call, so a test that edits its input cannot leak into another. */
export function seedLikeInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return structuredClone({
    title: 'kai-server outage on 2026-05-26',
    tz: 'America/Los_Angeles',
    result: {
      outages,
      findings,
      stories: [
        { id: 'S1', findings: ['F1', 'F2'], summary: 'DinD bridge churn on the control plane drops host-network listeners.' },
        { id: 'S2', findings: ['F5'], summary: 'iptables-restore failures.' },
      ],
    },
    timeline,
    sources,
    options: { since: '2026-05-26 17:00 PT', until: '19:50', windows: ['2026-05-26 17:18..17:27 PT', HOSTILE_USER] },
    ...overrides,
  });
}
