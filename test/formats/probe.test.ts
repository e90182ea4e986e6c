import { describe, expect, it } from 'vitest';
import { durationSeconds, hostOfTarget, normalizeState, parseProbeLine, probeFormat } from '../../src/ingest/formats/probe.js';
import type { LineResult, ParsedEvent } from '../../src/ingest/types.js';

const at = (iso: string) => ({ kind: 'exact', utcUs: Date.parse(iso) * 1000 });

function event(result: LineResult | null): ParsedEvent {
  if (result?.type !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

describe('probe descriptor', () => {
  it('reads a transition with parenthesised key=value pairs and a quoted error', () => {
    const e = event(probeFormat.parse('2026-05-27T04:41:12Z kai-server alive -> dead (exit=1, err="tcp dial kai-server:22: i/o timeout")', null));
    expect(e).toMatchObject({ kind: 'probe.transition', source: 'probe', severity: 'warning', time: at('2026-05-27T04:41:12Z') });
    expect(e.fields).toEqual({ from: 'alive', to: 'dead', state: 'down', exit: 1, err: 'tcp dial kai-server:22: i/o timeout' });
  });

  it('reads glued and upper-case transitions, recovery is info', () => {
    const glued = event(probeFormat.parse('2026-05-27T04:43:52+00:00 target=kai-server DEAD->ALIVE down_for=160s snapshot=/tmp/recover-0441.txt', null));
    expect(glued).toMatchObject({ kind: 'probe.transition', severity: 'info', host: 'kai-server' });
    expect(glued.fields).toEqual({
      from: 'dead',
      to: 'alive',
      state: 'up',
      target: 'kai-server',
      down_for_s: 160,
      snapshot: '/tmp/recover-0441.txt',
    });
  });

  it('reads logfmt state reports and keeps the raw state word', () => {
    const e = event(probeFormat.parse('ts=2026-05-27T04:41:12Z host=kai-server state=dead exit=1', null));
    expect(e).toMatchObject({ kind: 'probe.state', severity: 'warning', host: 'kai-server', time: at('2026-05-27T04:41:12Z') });
    expect(e.fields).toEqual({ host: 'kai-server', target: 'kai-server', state: 'down', state_raw: 'dead', exit: 1 });
  });

  it('reads the ISO form with a bare state word and an offset', () => {
    const e = event(probeFormat.parse('2026-05-26T21:41:12-07:00 host=kai-server state=dead exit=1', null));
    expect(e.time).toEqual(at('2026-05-27T04:41:12Z'));
    const bare = event(probeFormat.parse('2026-05-27T04:50:00Z kai-server ok', null));
    expect(bare).toMatchObject({ kind: 'probe.state', fields: { state: 'up' } });
  });

  it('reads one JSON object per line', () => {
    const e = event(probeFormat.parse('{"ts":"2026-05-27T04:45:12.500Z","target":"kai-server","from":"ALIVE","to":"DEAD","exit":1}', null));
    expect(e).toMatchObject({ kind: 'probe.transition', host: 'kai-server', time: { kind: 'exact', utcUs: Date.parse('2026-05-27T04:45:12.500Z') * 1000 } });
    expect(e.fields).toEqual({ target: 'kai-server', from: 'alive', to: 'dead', state: 'down', exit: 1 });
    const state = event(probeFormat.parse('{"ts":"2026-05-27T04:45:12Z","state":"unreachable"}', null));
    expect(state).toMatchObject({ kind: 'probe.state', severity: 'warning', fields: { state: 'down' } });
  });

  it('keeps a timestamped line that is neither as probe.other', () => {
    const e = event(probeFormat.parse('2026-05-27T04:30:00Z watcher started interval=10s', null));
    expect(e).toMatchObject({ kind: 'probe.other', severity: 'info', fields: { interval: '10s' } });
  });

  it('refuses lines without a zone, syslog lines, and journal JSON', () => {
    expect(probeFormat.parse('2026-05-27T04:41:12 kai-server alive -> dead', null)).toBeNull();
    expect(probeFormat.parse('2026-05-27T04:41:12Z kai-server kernel: eth0: link up', null)).toBeNull();
    expect(probeFormat.parse('May 26 17:18:04 kai-server sshd[1]: Connection closed by 1.2.3.4', null)).toBeNull();
    expect(probeFormat.parse('{"__REALTIME_TIMESTAMP":"1779851884000000","MESSAGE":"up","ts":"2026-05-27T04:41:12Z"}', null)).toBeNull();
    expect(probeFormat.parse('', null)).toEqual({ type: 'skip', reason: 'blank line' });
  });

  it('detects a probe log but not RFC 3339 syslog or logrus', () => {
    const probe = [
      '2026-05-27T04:37:00Z kai-server alive -> dead (exit=1)',
      '2026-05-27T04:39:40Z kai-server dead -> alive (down_for=160s)',
      '2026-05-27T04:41:12Z kai-server alive -> dead (exit=1)',
    ];
    expect(probeFormat.detect(probe)).toBe(1);
    expect(
      probeFormat.detect([
        '2020-05-31T00:00:45.738158+00:00 localhost systemd[1]: Reloaded System Logging Service.',
        '2026-10-07T11:26:40.250152+00:00 ubuntu sshd-session[2617]: Connection reset by 192.168.248.1 port 60274',
      ]),
    ).toBe(0);
    expect(probeFormat.detect(['time="2022-10-09T21:33:15.541012931Z" level=info msg="API listen on /var/run/docker.sock"'])).toBe(0);
  });

  it('stays fast on a 100k-character hostile line', () => {
    for (const line of [
      `2026-05-27T04:41:12Z ${'k="'.repeat(33_000)}`,
      `2026-05-27T04:41:12Z ${'alive -> '.repeat(11_000)}`,
      `ts=2026-05-27T04:41:12Z ${'a=b '.repeat(25_000)}`,
    ]) {
      const start = performance.now();
      probeFormat.parse(line, null);
      expect(performance.now() - start).toBeLessThan(200);
    }
  });
});

describe('probe helpers', () => {
  it.each([
    ['160s', 160],
    ['2m40s', 160],
    ['1h', 3600],
    ['90', 90],
    ['soon', null],
  ])('durationSeconds(%s) = %s', (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });

  it('normalises state words', () => {
    expect(['alive', 'UP', 'ok', 'healthy'].map(normalizeState)).toEqual(['up', 'up', 'up', 'up']);
    expect(['dead', 'DOWN', 'timeout', 'unreachable', 'fail'].map(normalizeState)).toEqual(['down', 'down', 'down', 'down', 'down']);
    expect(normalizeState('maybe')).toBeNull();
  });

  it('exposes parseProbeLine for the same result as parse()', () => {
    const line = '2026-05-27T04:41:12Z kai-server alive->dead';
    expect(parseProbeLine(line)).toEqual(event(probeFormat.parse(line, null)));
  });
});

describe('probe records read by what their fields mean', () => {
  const read = (lines: string[]) => {
    const parse = probeFormat.reader!();
    let prev: ParsedEvent | null = null;
    return lines.map((l) => {
      const r = parse(l, prev);
      if (r?.type === 'event') prev = r.event;
      return r;
    });
  };

  it.each([
    ['JSON with its own names', '{"timestamp":"2026-05-27T04:41:10Z","hostname":"kai-server","success":true,"exit_code":0,"latency":"12ms"}', 'up', 0, 12],
    ['JSON with epoch seconds', '{"ts":1779856870,"node":"kai-server","status":"FAIL","rc":2,"elapsed_ms":"5000"}', 'down', 2, 5000],
    ['logfmt', 'ts=2026-05-27T04:41:10Z host=kai-server result=timeout rc=124 took=3.0s err="dial tcp: i/o timeout"', 'down', 124, 3000],
    ['plain text', '2026-05-27T04:41:10.250Z kai-server down 3001ms exit=1', 'down', 1, 3001],
  ])('%s', (_, line, state, exit, latency) => {
    const e = event(probeFormat.parse(line, null));
    expect(e.kind).toBe('probe.state');
    expect(e.host).toBe('kai-server');
    expect(e.fields).toMatchObject({ state, exit, latency_ms: latency, target: 'kai-server' });
  });

  it('a numeric status is a code, not a state; rc alone decides when nothing else does', () => {
    expect(event(probeFormat.parse('{"ts":"2026-05-27T04:41:10Z","url":"https://kai-server/health","status":200,"ms":40}', null)).fields).toMatchObject({ status: 200, latency_ms: 40 });
    expect(event(probeFormat.parse('{"ts":"2026-05-27T04:41:10Z","target":"kai-server","rc":7}', null)).fields.state).toBe('down');
  });

  it('polls become transitions where the state changes, with the poll interval as the edge uncertainty', () => {
    const rs = read([
      'ts=2026-05-27T04:40:00Z target=a state=up',
      'ts=2026-05-27T04:40:00Z target=b state=up',
      'ts=2026-05-27T04:40:30Z target=a state=up',
      'ts=2026-05-27T04:41:00Z target=a state=down',
      'ts=2026-05-27T04:41:05Z target=b state=up',
      'ts=2026-05-27T04:41:30Z target=a state=down',
      'ts=2026-05-27T04:42:00Z target=a state=up',
    ]).map((r) => event(r));
    expect(rs.map((e) => [e.fields.target, e.kind, e.fields.from ?? null, e.fields.interval_s ?? null])).toEqual([
      ['a', 'probe.state', null, null],
      ['b', 'probe.state', null, null],
      ['a', 'probe.state', null, 30],
      ['a', 'probe.transition', 'up', 30],
      ['b', 'probe.state', null, 65],
      ['a', 'probe.state', null, 30],
      ['a', 'probe.transition', 'down', 30],
    ]);
    expect(rs[3]!.fields).toMatchObject({ from: 'up', to: 'down', state: 'down' });
  });

  it('a CSV header names the columns of the rows after it', () => {
    const rs = read(['timestamp,target,result,ms', '2026-05-27T04:40:00Z,kai-server,ok,12', '2026-05-27T04:41:00Z,kai-server,fail,3000']);
    expect(rs[0]).toEqual({ type: 'skip', reason: 'CSV header (the column names)' });
    const [up, down] = [event(rs[1]!), event(rs[2]!)];
    expect(up.fields).toMatchObject({ target: 'kai-server', state: 'up', latency_ms: 12 });
    expect(down).toMatchObject({ kind: 'probe.transition', host: 'kai-server', fields: { from: 'up', to: 'down', state: 'down', latency_ms: 3000, interval_s: 60 } });
  });

  it('probe-error is evidence about the probe, never a down state of the host', () => {
    const e = event(probeFormat.parse('{"ts":"2026-05-27T04:41:10Z","target":"ssh://kai-server:22","check":"ssh","outcome":"probe-error","error":"other"}', null));
    expect(e.kind).toBe('probe.error');
    expect(e.fields.state).toBeUndefined();
    const rs = read([
      '{"ts":"2026-05-27T04:40:00Z","target":"ssh://kai-server:22","check":"ssh","outcome":"up","latency_ms":8}',
      '{"ts":"2026-05-27T04:41:00Z","target":"ssh://kai-server:22","check":"ssh","outcome":"probe-error","error":"other"}',
      '{"ts":"2026-05-27T04:42:00Z","target":"ssh://kai-server:22","check":"ssh","outcome":"up","latency_ms":8}',
      '{"ts":"2026-05-27T04:42:00Z","record":"change","target":"ssh://kai-server:22","check":"ssh","what":"new-failure","from":null,"to":"down/timeout/-","detail":"first failure: down (timeout)","version":"corr 0.1.0"}',
    ]).map((r) => event(r));
    expect(rs.map((e) => e.kind)).toEqual(['probe.state', 'probe.error', 'probe.state', 'probe.change']);
    expect(rs[3]!.fields).toMatchObject({ what: 'new-failure', change_to: 'down/timeout/-' });
    expect(rs[3]!.fields.to).toBeUndefined();
  });

  it('degraded answered, but not as expected: its own kind, no up/down state', () => {
    const e = event(probeFormat.parse('{"ts":"2026-05-27T04:41:10Z","target":"ssh://kai-server:22","outcome":"degraded","error":"banner"}', null));
    expect(e).toMatchObject({ kind: 'probe.degraded', fields: { outcome: 'degraded', err: 'banner' } });
    expect(e.fields.state).toBeUndefined();
  });

  it('names the host of a target', () => {
    expect(['ssh://kai-server:22', 'https://u@kai-server/health', 'kai-server:6443', '[fe80::1]:22', 'cmd:coily ssh kai-server'].map(hostOfTarget)).toEqual([
      'kai-server', 'kai-server', 'kai-server', 'fe80::1', null,
    ]);
  });
});
