import { describe, expect, it } from 'vitest';
import { classifyK3s, goDurationMs, isK3sProgram } from '../../src/ingest/classify/k3s.js';
import { classify } from '../../src/ingest/classify/index.js';

describe('classifyK3s on a klog message (the journal path: k3s[1187]: E0526 ...)', () => {
  const line = 'E0526 17:57:40.412233    1187 writers.go:118] apiserver was unable to write a JSON response: http: Handler timeout';

  it('reads the klog header into level, pid, file_line and klog_time and strips it from the message', () => {
    const c = classifyK3s(line);
    expect(c).toEqual({
      source: 'k3s',
      kind: 'k3s.handler_timeout',
      severity: 'error',
      fields: { level: 'error', pid: 1187, file_line: 'writers.go:118', klog_time: '05-26 17:57:40.412233', part: 'write' },
      message: 'apiserver was unable to write a JSON response: http: Handler timeout',
    });
  });

  it('maps the level letters I/W/E/F', () => {
    const levels = ['I', 'W', 'E', 'F'].map((letter) => classifyK3s(`${letter}0526 17:57:40.412233 1 x.go:1] hello`));
    expect(levels.map((c) => c.severity)).toEqual(['info', 'warning', 'error', 'critical']);
    expect(levels.map((c) => c.fields['level'])).toEqual(['info', 'warning', 'error', 'critical']);
  });

  it('is what the classify dispatcher uses for k3s programs', () => {
    expect(classify('k3s', line).kind).toBe('k3s.handler_timeout');
    expect(classify('k3s-server', line).fields['pid']).toBe(1187);
    expect(isK3sProgram('kube-apiserver')).toBe(true);
    expect(isK3sProgram('sshd')).toBe(false);
  });

  it('leaves a message without a header alone', () => {
    const c = classifyK3s('Handler timeout somewhere');
    expect(c.kind).toBe('k3s.handler_timeout');
    expect(c.message).toBeUndefined();
    expect(c.fields).toEqual({ part: 'other' });
  });
});

describe('k3s kinds', () => {
  it.each([
    ['E0223 20:39:50.321441 17 status.go:71] apiserver received an error that is not an metav1.Status: &errors.errorString{s:"http: Handler timeout"}', 'k3s.handler_timeout'],
    ['E0223 20:39:50.322557 17 writers.go:120] apiserver was unable to write a fallback JSON response: http: Handler timeout', 'k3s.handler_timeout'],
    ['E0526 17:57:44.000001 1187 timeout.go:135] post-timeout activity - time-elapsed: 3.05s, GET "/api/v1/nodes" result: <nil>', 'k3s.post_timeout'],
    ['E0526 17:57:40.000001 1187 leaderelection.go:330] error retrieving resource lock kube-system/kube-controller-manager: Get "https://127.0.0.1:6444/apis": context deadline exceeded', 'k3s.lease_failure'],
    ['E0526 17:57:40.000001 1187 leaderelection.go:367] Failed to update lock: Put "https://127.0.0.1:6443/x": context deadline exceeded', 'k3s.lease_failure'],
    ['I0526 17:57:40.000001 1187 leaderelection.go:283] failed to renew lease kube-system/k3s: timed out waiting for the condition', 'k3s.lease_failure'],
    ['F0526 17:57:40.000001 1187 server.go:123] leaderelection lost', 'k3s.lease_failure'],
    ['E0526 17:57:40.000001 1187 controller.go:187] failed to update node lease, error: context deadline exceeded', 'k3s.deadline_exceeded'],
    ['W0526 17:57:40.000001 1187 clientconn.go:1223] grpc: addrConn.createTransport failed to connect to {https://127.0.0.1:2379 <nil> 0 <nil>}. Err: connection error: desc = "transport: Error while dialing dial tcp 127.0.0.1:2379: connect: connection refused"', 'k3s.connection_refused'],
    ['I0526 17:57:40.000001 1187 proxier.go:800] Another app is currently holding the xtables lock; waiting (5s) for it to exit...', 'k3s.xtables_lock'],
    ['I0526 17:57:40.000001 1187 client.go:360] parsed scheme: "passthrough"', 'k3s.other'],
  ])('%s', (message, kind) => {
    expect(classifyK3s(message).kind).toBe(kind);
  });

  it('tells the three lines of one handler timeout apart', () => {
    const parts = [
      'apiserver was unable to write a JSON response: http: Handler timeout',
      'apiserver received an error that is not an metav1.Status: &errors.errorString{s:"http: Handler timeout"}: http: Handler timeout',
      'apiserver was unable to write a fallback JSON response: http: Handler timeout',
    ].map((m) => classifyK3s(m).fields['part']);
    expect(parts).toEqual(['write', 'status', 'fallback']);
  });

  it('extracts the lease, the refused port and the post-timeout elapsed time', () => {
    expect(
      classifyK3s('Failed to update lock: Put "https://127.0.0.1:6443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/k3s?timeout=5s": context deadline exceeded').fields,
    ).toEqual({ lease: 'kube-system/k3s' });
    expect(classifyK3s('failed to renew lease kube-system/k3s: timed out waiting for the condition').fields).toEqual({
      lease: 'kube-system/k3s',
    });
    expect(classifyK3s('dial tcp 127.0.0.1:6443: connect: connection refused').fields).toEqual({ address: '127.0.0.1', port: 6443 });
    expect(classifyK3s('dial tcp [::1]:2379: connect: connection refused').fields).toEqual({ address: '[::1]', port: 2379 });
    expect(classifyK3s('post-timeout activity - time-elapsed: 1m2.5s, GET "/x" result: <nil>').fields).toEqual({ elapsed_ms: 62_500 });
  });

  it('reads slow requests from klog traces, etcd and kine', () => {
    expect(
      classifyK3s('I0526 17:57:40.000001 1187 trace.go:205] Trace[12]: "List" url:/api/v1/pods,user-agent:k (26-May-2026 17:57:35.000) (total time: 5.2s):'),
    ).toMatchObject({ kind: 'k3s.slow_request', severity: 'info', fields: { trace_id: '12', operation: 'List', total_ms: 5200 } });
    expect(
      classifyK3s('{"level":"warn","ts":"2026-05-26T17:57:40.069-0700","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"215.3ms"}'),
    ).toMatchObject({ kind: 'k3s.slow_request', severity: 'warning', fields: { took_ms: 215.3, file_line: 'etcdserver/util.go:170' } });
    expect(classifyK3s('time="2026-05-26T17:57:40-07:00" level=info msg="Slow SQL (started: 2026-05-26 17:57:38) (total time: 1.5s): SELECT 1"')).toMatchObject({
      kind: 'k3s.slow_request',
      fields: { took_ms: 1500, level: 'info' },
      message: 'Slow SQL (started: 2026-05-26 17:57:38) (total time: 1.5s): SELECT 1',
    });
  });

  it('takes the severity from the logrus level and the kind from the error key too', () => {
    const c = classifyK3s('time="2026-05-26T17:57:40-07:00" level=warning msg="Failed to sync" error="context deadline exceeded"');
    expect(c.severity).toBe('warning');
    expect(c.kind).toBe('k3s.deadline_exceeded');
    expect(c.fields).toMatchObject({ level: 'warning', error: 'context deadline exceeded' });
  });

  it('reads Go durations', () => {
    expect(goDurationMs('5.2s')).toBe(5200);
    expect(goDurationMs('1610277ms')).toBe(1610277);
    expect(goDurationMs('26m50.277491693s')).toBeCloseTo(1610277.492, 3);
    expect(goDurationMs('1h')).toBe(3_600_000);
    expect(goDurationMs('250µs')).toBe(0.25);
    expect(goDurationMs('soon')).toBeNull();
  });

  it('classifies hostile 100k-character lines in linear time', () => {
    // A backtracking pattern takes seconds on 100k characters; 250 ms leaves room for a loaded machine.
    const hostile = [
      'E0526 17:57:40.412233 1 ' + 'x'.repeat(100_000),
      'dial tcp '.repeat(11_000) + 'connection refused',
      'time=' + '"\\'.repeat(50_000),
      'time="2026-05-26T17:57:40Z" level=info msg="' + 'a\\"'.repeat(33_000),
      'INFO[' + '['.repeat(100_000),
      '{"level":"warn","ts":' + '['.repeat(50_000),
      'Trace[1]: "' + '"'.repeat(100_000) + ' (total time: ',
      'renew lease ' + 'a/'.repeat(50_000),
    ];
    for (const line of hostile) {
      const started = performance.now();
      classifyK3s(line);
      expect(performance.now() - started, line.slice(0, 30)).toBeLessThan(250);
    }
  });
});
