/**
 * zap JSON lines, as etcd (and the etcd embedded in k3s) writes them:
 * `{"level":"warn","ts":"2023-11-27T11:44:06.069-0800","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"1.2s"}`.
 * `ts` is ISO-8601 with an offset (etcd) or epoch seconds as a float (zap's production default).
 */
import type { FormatDescriptor } from '../types.js';
import { isGoContinuationLine, parseZapJson } from './go-log-records.js';
import { parseGoStreamLine } from './klog.js';
import { shareOfLines } from './line-share.js';

export const zapJson: FormatDescriptor = {
  name: 'zap-json',
  title: 'zap JSON lines (etcd, k3s embedded etcd): {"level":"warn","ts":"...","msg":"..."}',
  detect: (head) =>
    shareOfLines(head, (line) => (parseZapJson(line) ? 'record' : isGoContinuationLine(line) ? 'companion' : 'foreign')),
  parse: (line, prev) => parseGoStreamLine(line, prev, parseZapJson),
  samples: [
    {
      line: '{"level":"warn","ts":"2023-11-27T11:44:06.069-0800","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"1.203s","expected-duration":"100ms","prefix":"read-only range ","request":"key:\\"/registry/leases/kube-system/k3s\\" ","response":"range_response_count:1 size:500"}',
      expect: {
        kind: 'k3s.slow_request',
        source: 'k3s',
        severity: 'warning',
        time: '2023-11-27T19:44:06.069Z',
        fields: { level: 'warning', file_line: 'etcdserver/util.go:170', took_ms: 1203, took: '1.203s' },
      },
    },
    {
      line: '{"level":"error","ts":1779843460.5,"caller":"v3rpc/interceptor.go:197","msg":"request stats","error":"context deadline exceeded"}',
      expect: { kind: 'k3s.deadline_exceeded', severity: 'error', time: '2026-05-27T00:57:40.500Z', fields: { error: 'context deadline exceeded' } },
    },
  ],
};
