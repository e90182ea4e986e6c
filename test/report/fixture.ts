import type { Finding, JudgedFigures } from '../../src/model/finding.js';
import type { OutageSpan } from '../../src/model/outage.js';
import type { ReportInput } from '../../src/report/types.js';
import type { SectionSummary } from '../../src/model/source.js';
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

const span = (start: string, end: string, status: OutageSpan['status'], sources: OutageSpan['sources']): OutageSpan => ({
  host: 'kai-server',
  startUs: us(start),
  endUs: us(end),
  status,
  sources,
  onsetEarliestUs: us(start),
  onsetLatestUs: us(start),
});

export const outages: OutageSpan[] = [
  span('2026-05-27T00:18:00Z', '2026-05-27T00:27:00Z', 'confirmed', ['stream-silence', 'reported']),
  span('2026-05-27T01:58:00Z', '2026-05-27T02:03:00Z', 'confirmed', ['probe', 'stream-silence']),
  span('2026-05-27T02:16:00Z', '2026-05-27T02:17:30Z', 'unconfirmed', ['reported']),
  span('2026-05-27T04:41:00Z', '2026-05-27T04:42:00Z', 'artifact', ['probe']),
  span('2026-05-27T04:45:00Z', '2026-05-27T04:46:00Z', 'artifact', ['probe']),
];

const bursts = (...b: [string, string, number][]) => b.map(([s, e, count]) => ({ startUs: us(s), endUs: us(e), count }));
const lines = (...l: [string, string, number, string][]) => l.map(([ts, file, line, text]) => ({ tsUs: us(ts), file, line, text }));
/** A hit as the judge counts it: the window's index in `outages`, and seconds the signal led its onset by. */
const hit = (outage: number, leadS: number) => ({ outage, firstUs: outages[outage]!.startUs - leadS * 1_000_000, leadS, led: leadS >= -60 });

function figures(leadS: number | null): JudgedFigures {
  return { eventsTotal: 0, eventsInside: 0, eventsLead: 0, eventsOutside: 0, leadS, onsetsLed: 0, burstsTotal: 0, burstsOutside: 0, outagesSilent: 0, likelihoodRatio: null, likelihoodLow: null, likelihoodHigh: null, rules: [] };
}

const base = {
  host: 'kai-server',
  startUs: us('2026-05-27T00:00:00Z'),
  endUs: us('2026-05-27T05:00:00Z'),
  bursts: [],
  outagesHit: 0,
  outagesTotal: 2,
  chance: null,
  evidence: [],
  hits: [],
  reason: '',
};

export const findings: Finding[] = [
  {
    ...base,
    id: 'F1',
    kind: 'bridge-churn',
    verdict: 'cause',
    startUs: us('2026-05-27T00:17:40Z'),
    endUs: us('2026-05-27T02:16:10Z'),
    bursts: bursts(['2026-05-27T00:17:40Z', '2026-05-27T00:18:30Z', 12], ['2026-05-27T01:57:30Z', '2026-05-27T01:58:05Z', 20], ['2026-05-27T02:16:05Z', '2026-05-27T02:16:10Z', 8]),
    outagesHit: 2,
    chance: 0.004,
    summary: 'Docker bridges br-* flap right before each outage onset.',
    reason: 'its bursts lead or coincide with most onsets and rarely occur elsewhere',
    hits: [hit(0, 20), hit(1, 30)],
    figures: figures(25),
    evidence: lines(['2026-05-27T00:17:40Z', 'diag/output.txt', 233, 'br-3f2a1b entered blocking state'], ['2026-05-27T00:17:41Z', 'diag/output.txt', 234, 'br-3f2a1b entered forwarding state']),
  },
  {
    ...base,
    id: 'F2',
    kind: 'apiserver-timeout',
    verdict: 'symptom',
    bursts: bursts(['2026-05-27T00:21:00Z', '2026-05-27T00:21:00Z', 1], ['2026-05-27T02:00:10Z', '2026-05-27T02:00:10Z', 1]),
    outagesHit: 2,
    summary: 'The apiserver times out handlers only inside outages.',
    reason: 'it appears only after onsets, inside outages',
    hits: [hit(0, -180), hit(1, -130)],
    figures: figures(-155),
    evidence: lines(['2026-05-27T00:21:00Z', 'k3s.log', 88, 'apiserver was unable to write a JSON response: http: Handler timeout']),
  },
  {
    ...base,
    id: 'F3',
    kind: 'ssh-bruteforce',
    verdict: 'background',
    startUs: us('2026-05-26T22:00:00Z'),
    endUs: us('2026-05-27T04:50:00Z'),
    outagesHit: 1,
    chance: 0.62,
    summary: 'A steady brute force that runs straight through quiet hours.',
    reason: 'it runs through long stretches without outages and does not rise before onsets',
    hits: [hit(1, 240)],
    figures: figures(240),
    sourceIp: '60.163.139.198',
    attempts: 3075,
    usernames: 57,
    ratePerMin: 7.5,
    peakPer10min: 80,
    acceptedLogins: 0,
    evidence: lines(
      ['2026-05-27T00:05:00Z', 'auth.log', 10, `Failed password for invalid user ${HOSTILE_USER} from 60.163.139.198 port 4242 ssh2`],
      ['2026-05-27T00:05:08Z', 'auth.log', 11, `Failed password for invalid user ${HOSTILE_LINK} from 60.163.139.198 port 4243 ssh2`],
      ['2026-05-27T00:05:16Z', 'auth.log', 12, `Failed password for invalid user ${HOSTILE_ESC} from 60.163.139.198 port 4244 ssh2`],
    ),
  },
  {
    ...base,
    id: 'F4',
    kind: 'probe-artifact',
    verdict: 'artifact',
    startUs: us('2026-05-27T04:37:13Z'),
    endUs: us('2026-05-27T04:50:00Z'),
    summary: 'After 04:37 the probe flips every 240 s while every other source carries on.',
    reason: '2 independent reasons show the probe lies',
    periodS: 240,
    reasons: ['transitions are periodic (240 s ± 2 s)', 'kernel and sshd keep logging through every "down" window'],
    windows: 2,
    trustedWindows: 1,
    evidence: lines(['2026-05-27T04:41:00Z', 'watch.log', 51, '2026-05-27T04:41:00Z DOWN exit=1']),
  },
  {
    ...base,
    id: 'F5',
    kind: 'template-burst',
    verdict: 'cause',
    bursts: bursts(['2026-05-27T01:57:50Z', '2026-05-27T01:58:10Z', 6]),
    outagesHit: 1,
    chance: 0.09,
    template: 'iptables-restore: line <n> failed',
    eventKind: 'kernel.other',
    summary: 'iptables-restore fails just before the second outage.',
    hits: [hit(1, 10)],
    figures: figures(10),
  },
  {
    ...base,
    id: 'F6',
    kind: 'template-burst',
    verdict: 'inconclusive',
    template: 'Out of memory: Killed process <n>',
    eventKind: 'kernel.other',
    summary: 'A handful of OOM-killer lines, too few to judge.',
    figures: figures(null),
  },
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
