import { describe, expect, it } from 'vitest';
import type { LineResult, ParsedEvent } from '../../src/ingest/types.js';
import { klog } from '../../src/ingest/formats/klog.js';
import { isGoContinuationLine, parseKlog } from '../../src/ingest/formats/go-log-records.js';

function event(result: LineResult | null): ParsedEvent {
  if (result?.type !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

const TIMEOUT = 'E0526 17:57:40.412233    1187 writers.go:118] apiserver was unable to write a JSON response: http: Handler timeout';

describe('klog format', () => {
  it('frames a klog line: local time without a year, pid, program k3s, message without the header', () => {
    const e = event(klog.parse(TIMEOUT, null));
    expect(e.time).toEqual({ kind: 'local', year: null, month: 5, day: 26, hour: 17, minute: 57, second: 40, micro: 412_233 });
    expect(e.pid).toBe(1187);
    expect(e.program).toBe('k3s');
    expect(e.source).toBe('k3s');
    expect(e.kind).toBe('k3s.handler_timeout');
    expect(e.message).toBe('apiserver was unable to write a JSON response: http: Handler timeout');
    expect(e.fields).toEqual({ level: 'error', pid: 1187, file_line: 'writers.go:118', klog_time: '05-26 17:57:40.412233', part: 'write' });
  });

  it('keeps Trace steps, panics and goroutine dumps with the record that opened them', () => {
    const prev = event(klog.parse(TIMEOUT, null));
    const dump = [
      'Trace[1418061176]: ---"Transformed response object" 1610268ms (20:40:00.123)',
      'Trace[1418061176]: [5.001s] [5.001s] END',
      'panic: runtime error: invalid memory address or nil pointer dereference',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x1234]',
      '',
      'goroutine 1 [running]:',
      'k8s.io/apiserver/pkg/server.(*Handler).ServeHTTP(0xc000123400, {0x5f1e2a0, 0xc0004e2000})',
      '\t/go/src/k8s.io/apiserver/pkg/server/handler.go:189 +0x2b4',
      'created by k8s.io/apiserver/pkg/server.(*Server).Run',
      'a second line of a message that contained a newline',
    ];
    const results = dump.map((line) => klog.parse(line, prev));
    expect(results.map((r) => r?.type)).toEqual([
      'continuation',
      'continuation',
      'continuation',
      'continuation',
      'skip',
      'continuation',
      'continuation',
      'continuation',
      'continuation',
      'continuation',
    ]);
    expect(results[4]).toEqual({ type: 'skip', reason: 'blank line' });
  });

  it('skips a headerless line when no record came before, with the reason', () => {
    expect(klog.parse('Trace[1]: [5.001s] [5.001s] END', null)).toEqual({
      type: 'skip',
      reason: 'line without a log header before the first record',
    });
  });

  it('refuses impossible clocks and syslog-framed klog', () => {
    expect(parseKlog('E1326 17:57:40.412233 1187 x.go:1] m')).toBeNull();
    expect(parseKlog('E0526 24:57:40.412233 1187 x.go:1] m')).toBeNull();
    expect(parseKlog('E0526 17:57:40.4122 1187 x.go:1] m')).toBeNull();
    expect(parseKlog('May 26 17:57:40 kai-server k3s[1187]: E0526 17:57:40.412233 1187 writers.go:118] m')).toBeNull();
  });

  it('detects klog heads, Trace lines counted as its own, and not syslog or logrus heads', () => {
    expect(klog.detect([TIMEOUT, 'Trace[1]: [5.001s] [5.001s] END', 'I0526 17:57:41.000000 1187 a.go:1] ok'])).toBe(1);
    expect(klog.detect(['Trace[1]: [5.001s] [5.001s] END'])).toBe(0);
    expect(klog.detect(['May 26 17:57:40 kai-server k3s[1187]: ' + TIMEOUT])).toBe(0);
    expect(klog.detect(['INFO[2019-01-22T15:16:19.908493986-07:00] Starting k3s'])).toBe(0);
  });

  it('tells Go continuation shapes from ordinary lines', () => {
    expect(isGoContinuationLine('goroutine 17 [chan receive, 5 minutes]:')).toBe(true);
    expect(isGoContinuationLine('main.main()')).toBe(true);
    expect(isGoContinuationLine('May 26 17:57:40 kai-server sshd[1]: x')).toBe(false);
    expect(isGoContinuationLine('Trace[abc]: x')).toBe(false);
  });

  it('parses 100k-character hostile lines in linear time', () => {
    // A backtracking pattern takes seconds on 100k characters; 250 ms leaves room for a loaded machine.
    const prev = event(klog.parse(TIMEOUT, null));
    const hostile = [
      'E0526 17:57:40.412233 ' + ' '.repeat(100_000),
      'E0526 17:57:40.412233 1187 ' + 'x'.repeat(100_000),
      'Trace[' + '1'.repeat(100_000),
      '('.repeat(100_000) + ')',
      'a.b('.repeat(25_000) + ')',
      'goroutine 1 [' + 'x'.repeat(100_000),
    ];
    for (const line of hostile) {
      const started = performance.now();
      klog.parse(line, prev);
      klog.detect([line]);
      expect(performance.now() - started, line.slice(0, 20)).toBeLessThan(250);
    }
  });
});
