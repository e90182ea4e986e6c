import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { journalJsonFormat } from '../../src/ingest/formats/journal-json.js';
import type { LineResult, ParsedEvent } from '../../src/ingest/types.js';

function event(result: LineResult | null): ParsedEvent {
  if (result?.type !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

const record = (fields: Record<string, unknown>) => JSON.stringify({ __REALTIME_TIMESTAMP: '1779851884123456', _HOSTNAME: 'kai-server', ...fields });

describe('journal-json descriptor', () => {
  it('reads lnav logfile_journald.json: exact µs time, host, program, pid, PRIORITY', () => {
    const lines = readFileSync('../shared/corpus/lnav/logfile_journald.json', 'utf8').trim().split('\n');
    expect(journalJsonFormat.detect(lines)).toBe(1);
    const [first, second] = lines.map((l) => event(journalJsonFormat.parse(l, null)));
    expect(first).toMatchObject({
      time: { kind: 'exact', utcUs: 1534860261221373 },
      host: 'imx6ul-medusa',
      program: 'python',
      pid: 184,
      kind: 'syslog.python',
      severity: 'critical',
      message: 'GPS Reference longitude: 7.358143333',
    });
    expect(second!.severity).toBe('info');
  });

  it('classifies sshd records and keeps the classifier severity over PRIORITY=6', () => {
    const e = event(journalJsonFormat.parse(record({ SYSLOG_IDENTIFIER: 'sshd', _PID: '4242', PRIORITY: '6', MESSAGE: 'Invalid user john doe from 60.163.139.198 port 40022' }), null));
    expect(e).toMatchObject({ kind: 'sshd.invalid_user', severity: 'warning', pid: 4242, fields: { user: 'john doe', ip: '60.163.139.198' } });
  });

  it('falls back to _COMM and decodes a MESSAGE given as bytes', () => {
    const bytes = [...Buffer.from('Started k3s \u2713', 'utf8')];
    const e = event(journalJsonFormat.parse(record({ _COMM: 'systemd', MESSAGE: bytes }), null));
    expect(e).toMatchObject({ program: 'systemd', kind: 'syslog.systemd', message: 'Started k3s \u2713' });
  });

  it('puts a kernel record\'s monotonic stamp in uptimeUs', () => {
    const e = event(
      journalJsonFormat.parse(
        record({ _TRANSPORT: 'kernel', SYSLOG_IDENTIFIER: 'kernel', _SOURCE_MONOTONIC_TIMESTAMP: '54878462', MESSAGE: 'br-3f2a: port 2(veth1) entered blocking state' }),
        null,
      ),
    );
    expect(e).toMatchObject({ source: 'kernel', uptimeUs: 54_878_462, time: { kind: 'exact', utcUs: 1779851884123456 } });
  });

  it('skips records it cannot place and refuses lines that are not journal records', () => {
    expect(journalJsonFormat.parse('{"__REALTIME_TIMESTAMP":"soon","MESSAGE":"x"}', null)).toMatchObject({ type: 'skip' });
    expect(journalJsonFormat.parse('{"__REALTIME_TIMESTAMP":"1779851884123456","MESSAGE":null}', null)).toMatchObject({ type: 'skip' });
    expect(journalJsonFormat.parse('{"ts":"2026-05-27T04:41:12Z","state":"dead"}', null)).toBeNull();
    expect(journalJsonFormat.parse('May 26 17:18:04 kai-server sshd[1]: x', null)).toBeNull();
    expect(journalJsonFormat.parse('{"__REALTIME_TIMESTAMP": broken', null)).toBeNull();
    expect(journalJsonFormat.detect(['-- No entries --', '{"level":"info","msg":"x"}'])).toBe(0);
  });
});
