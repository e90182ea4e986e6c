import { describe, expect, it } from 'vitest';
import type { LineResult, ParsedEvent } from '../../src/ingest/types.js';
import { logrusKeyValue, logrusTty } from '../../src/ingest/formats/logrus.js';
import { parseIsoInstantUs } from '../../src/ingest/formats/go-log-records.js';

function event(result: LineResult | null): ParsedEvent {
  if (result?.type !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

describe('parseIsoInstantUs', () => {
  const base = Date.UTC(2026, 4, 27, 0, 18, 4) * 1000;
  it.each([
    ['2026-05-26T17:18:04,123456-07:00', base + 123_456],
    ['2026-05-26T17:18:04.123-0700', base + 123_000],
    ['2026-05-26T17:18:04.123456789-07:00', base + 123_456],
    ['2026-05-27T00:18:04Z', base],
    ['2026-05-27T05:48:04+05:30', base],
    ['2026-05-27T02:18:04+02', base],
  ])('%s', (text, expected) => {
    expect(parseIsoInstantUs(text)).toBe(expected);
  });

  it('refuses times without an offset and impossible dates', () => {
    expect(parseIsoInstantUs('2026-05-26T17:18:04')).toBeNull();
    expect(parseIsoInstantUs('2026-02-30T17:18:04Z')).toBeNull();
    expect(parseIsoInstantUs('2026-13-01T17:18:04Z')).toBeNull();
    expect(parseIsoInstantUs('2026-05-26T17:18:04Z trailing')).toBeNull();
  });
});

describe('logrus key=value', () => {
  it('reads time, level and the quoted message with escapes', () => {
    const e = event(
      logrusKeyValue.parse('time="2026-05-26T17:57:40.5-07:00" level=warning msg="said \\"hi\\" twice" error="dial tcp 127.0.0.1:6443: connect: connection refused"', null),
    );
    expect(e.time).toEqual({ kind: 'exact', utcUs: Date.UTC(2026, 4, 27, 0, 57, 40, 500) * 1000 });
    expect(e.severity).toBe('warning');
    expect(e.message).toBe('said "hi" twice');
    expect(e.kind).toBe('k3s.connection_refused');
    expect(e.fields).toMatchObject({ level: 'warning', port: 6443, error: 'dial tcp 127.0.0.1:6443: connect: connection refused' });
  });

  it('reads the klog lines k3s interleaves with its logrus ones', () => {
    const e = event(logrusKeyValue.parse('E0526 17:57:40.412233 1187 writers.go:118] http: Handler timeout', null));
    expect(e.kind).toBe('k3s.handler_timeout');
    expect(e.time.kind).toBe('local');
  });

  it('is not a logrus line without a level it knows', () => {
    expect(logrusKeyValue.parse('time="2026-05-26T17:57:40Z" level=loud msg="x"', null)).toEqual({
      type: 'skip',
      reason: 'line without a log header before the first record',
    });
  });

  it('bounds the extra fields', () => {
    const many = Array.from({ length: 40 }, (_v, i) => `k${i}=${'v'.repeat(1000)}`).join(' ');
    const e = event(logrusKeyValue.parse(`time="2026-05-26T17:57:40Z" level=info msg="m" ${many}`, null));
    const extra = Object.keys(e.fields).filter((k) => k.startsWith('k'));
    expect(extra).toHaveLength(16);
    expect(String(e.fields['k0']).length).toBe(256);
  });

  it('detects key=value heads and not terminal or klog heads', () => {
    const kv = 'time="2022-10-09T21:33:15.541012931Z" level=info msg="Starting up"';
    expect(logrusKeyValue.detect(['crypto/rand: blocked for 60 seconds', kv, kv])).toBeCloseTo(2 / 3);
    expect(logrusKeyValue.detect(['INFO[2019-01-22T15:16:19.908493986-07:00] Starting k3s dev'])).toBe(0);
    expect(logrusKeyValue.detect(['E0526 17:57:40.412233 1187 writers.go:118] x'])).toBe(0);
  });
});

describe('logrus terminal form', () => {
  it('reads the offset stamp and trims the column padding', () => {
    const e = event(logrusTty.parse('WARN[2019-01-22T15:16:20.273441984-07:00] Unable to watch for tunnel endpoints      ', null));
    expect(e.severity).toBe('warning');
    expect(e.message).toBe('Unable to watch for tunnel endpoints');
    expect(e.time).toEqual({ kind: 'exact', utcUs: Date.UTC(2019, 0, 22, 22, 16, 20) * 1000 + 273_441 });
  });

  it('gives no time to `INFO[0000]` (seconds since the process started)', () => {
    expect(event(logrusTty.parse('INFO[0005] Starting k3s v1.29', null)).time).toEqual({ kind: 'none' });
    expect(logrusTty.parse('INFO[soon] x', null)).toEqual({ type: 'skip', reason: 'line without a log header before the first record' });
  });

  it('maps the four-letter levels', () => {
    const levels = ['PANI', 'FATA', 'ERRO', 'WARN', 'INFO', 'DEBU', 'TRAC'].map(
      (l) => event(logrusTty.parse(`${l}[2019-01-22T15:16:20Z] m`, null)).severity,
    );
    expect(levels).toEqual(['critical', 'critical', 'error', 'warning', 'info', 'debug', 'debug']);
  });

  it('parses 100k-character hostile lines in linear time', () => {
    // A backtracking pattern takes seconds on 100k characters; 250 ms leaves room for a loaded machine.
    const hostile = [
      'time=' + '"'.repeat(100_000),
      'time="' + '\\"'.repeat(50_000),
      'time=x ' + 'a=b '.repeat(25_000),
      'time=x ' + 'a '.repeat(50_000),
      'time=' + 'a'.repeat(100_000),
      'INFO[' + ']'.repeat(100_000),
    ];
    for (const format of [logrusKeyValue, logrusTty]) {
      for (const line of hostile) {
        const started = performance.now();
        format.parse(line, null);
        format.detect([line]);
        expect(performance.now() - started, `${format.name}: ${line.slice(0, 20)}`).toBeLessThan(250);
      }
    }
  });
});
