/**
 * k3s / kube-apiserver / embedded etcd messages. A k3s journal message usually carries its own Go
 * header (klog `E0526 17:57:40.412233 1187 writers.go:118] ...`, logrus `time=... level=... msg=...`,
 * or zap JSON); the header gives the level, pid and source line, and the text after it gives the kind.
 *
 * Kinds name what an outage investigation looks for: apiserver handler timeouts and their
 * post-timeout companions, lost leases, deadlines, refused connections to the apiserver/etcd, slow
 * requests, and the xtables lock fight with kube-proxy. Patterns are literal-led with bounded
 * quantifiers (hostile lines must classify in linear time).
 */
import type { Fields, Severity } from '../types.js';
import type { Classification } from './classification.js';
import { parseGoLogRecord, type GoLogRecord } from '../formats/go-log-records.js';
import { severityFromWords } from './generic.js';

/**
 * Kubernetes and container-runtime programs whose Go-log records carry the `k3s` kinds (a handler
 * timeout, a lost lease, a refused dial to the apiserver mean the same in kubelet as in k3s):
 * k3s itself, the upstream control-plane and node components, etcd, and the runtimes they drive.
 */
const KUBE_PROGRAMS = new Set([
  'k3s', 'k3s-server', 'k3s-agent', 'rke2', 'rke2-server', 'rke2-agent', 'kube-apiserver', 'kube-controller-manager',
  'kube-scheduler', 'kubelet', 'kube-proxy', 'etcd', 'containerd', 'dockerd', 'cri-dockerd', 'crio', 'cri-o', 'flanneld',
]);

export function isK3sProgram(program: string): boolean {
  return KUBE_PROGRAMS.has(program);
}

interface K3sMatch {
  name: string;
  /** Used when the record has no level of its own. */
  severity: Severity;
  fields: Fields;
}

// `dial tcp 127.0.0.1:6443: connect: connection refused`, `dial tcp [::1]:2379: connect: connection refused`.
const DIAL_REFUSED = /dial tcp (\[[0-9A-Fa-f:.%\w]{1,64}\]|[^\s:[\]]{1,253}):(\d{1,5}): connect: connection refused/;
// `failed to renew lease kube-system/k3s: timed out waiting for the condition`.
const LEASE_NAME = /(?:renew lease|resource lock|lock) ([\w.-]{1,253}\/[\w.-]{1,253})/;
// `Failed to update lock: Put "https://127.0.0.1:6443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/k3s?timeout=5s"`.
const LEASE_URL = /\/namespaces\/([\w.-]{1,253})\/leases\/([\w.-]{1,253})/;
// klog trace header: `Trace[1418061176]: "Get" url:/api/v1/... (23-Feb-2021 20:13:49.846) (total time: 1610277ms):`.
const TRACE_HEADER = /^Trace\[(\d{1,20})\]: "([^"]{1,64})"/;
const TOTAL_TIME = /\(total time: ([\dhmnsµu.]{1,32})\)/;
const GO_DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|µs|us|ns)/g;

/** Go duration text (`5.2s`, `1610277ms`, `26m50.27s`) in milliseconds; null when unreadable. */
export function goDurationMs(text: string): number | null {
  if (text.length > 64) return null;
  if (!/^(?:\d+(?:\.\d+)?(?:h|ms|m|s|µs|us|ns)){1,6}$/.test(text)) return null;
  const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, µs: 0.001, us: 0.001, ns: 0.000001 };
  let total = 0;
  for (const part of text.matchAll(GO_DURATION_PART)) total += Number(part[1]) * unitMs[part[2]!]!;
  return Math.round(total * 1000) / 1000;
}

function handlerTimeout(body: string): K3sMatch | null {
  // `timeout.go:... post-timeout activity - time-elapsed: 3.2s, GET "/api" result: <nil>`
  if (body.includes('post-timeout activity')) {
    const elapsed = /time-elapsed: ([\dhmnsµu.]{1,32})/.exec(body);
    const ms = elapsed ? goDurationMs(elapsed[1]!) : null;
    return { name: 'post_timeout', severity: 'error', fields: ms === null ? {} : { elapsed_ms: ms } };
  }
  if (body.includes('Handler timeout')) {
    // One timed-out request writes up to three lines (writers.go, status.go, the fallback write);
    // `part` lets a counter take one line per request.
    const part = body.includes('fallback JSON response')
      ? 'fallback'
      : body.includes('not an metav1.Status')
        ? 'status'
        : body.includes('unable to write a JSON response')
          ? 'write'
          : 'other';
    return { name: 'handler_timeout', severity: 'error', fields: { part } };
  }
  return null;
}

function leaseFailure(body: string): K3sMatch | null {
  const lost =
    body.includes('failed to renew lease') ||
    body.includes('leaderelection lost') ||
    body.includes('leader election lost') ||
    body.includes('error retrieving resource lock') ||
    body.includes('Failed to update lock');
  if (!lost) return null;
  const named = LEASE_NAME.exec(body);
  const url = named ? null : LEASE_URL.exec(body);
  const lease = named ? named[1]! : url ? `${url[1]}/${url[2]}` : null;
  return { name: 'lease_failure', severity: 'error', fields: lease === null ? {} : { lease } };
}

function connectionRefused(body: string): K3sMatch | null {
  if (!body.includes('connection refused')) return null;
  const dial = body.includes('dial tcp ') ? DIAL_REFUSED.exec(body) : null;
  if (!dial) return { name: 'connection_refused', severity: 'error', fields: {} };
  return { name: 'connection_refused', severity: 'error', fields: { address: dial[1]!, port: Number(dial[2]) } };
}

function deadlineExceeded(body: string): K3sMatch | null {
  if (!body.includes('context deadline exceeded')) return null;
  return { name: 'deadline_exceeded', severity: 'error', fields: {} };
}

function slowRequest(body: string, record: GoLogRecord | null): K3sMatch | null {
  if (body.startsWith('Trace[')) {
    const trace = TRACE_HEADER.exec(body);
    const total = TOTAL_TIME.exec(body);
    if (trace && total) {
      const ms = goDurationMs(total[1]!);
      const fields: Fields = { trace_id: trace[1]!, operation: trace[2]! };
      if (ms !== null) fields['total_ms'] = ms;
      return { name: 'slow_request', severity: 'warning', fields };
    }
  }
  const lower = body.length <= 4096 ? body.toLowerCase() : body.slice(0, 4096).toLowerCase();
  if (lower.includes('took too long') || lower.includes('slow sql') || lower.includes('slow query')) {
    const fields: Fields = {};
    // etcd/zap: `"took":"1.2s"`; kine: `Slow SQL (total time: 1.5s)`.
    const took = record?.extra['took'];
    const tookText = typeof took === 'string' ? took : (TOTAL_TIME.exec(body)?.[1] ?? null);
    const ms = tookText === null ? null : goDurationMs(tookText);
    if (ms !== null) fields['took_ms'] = ms;
    return { name: 'slow_request', severity: 'warning', fields };
  }
  return null;
}

function xtablesLock(body: string): K3sMatch | null {
  if (!body.includes('holding the xtables lock')) return null;
  return { name: 'xtables_lock', severity: 'warning', fields: {} };
}

function classifyBody(body: string, record: GoLogRecord | null): K3sMatch {
  return (
    handlerTimeout(body) ??
    leaseFailure(body) ??
    connectionRefused(body) ??
    deadlineExceeded(body) ??
    slowRequest(body, record) ??
    xtablesLock(body) ?? { name: 'other', severity: 'info', fields: {} }
  );
}

/** The fields a Go header contributes: `level` always; klog adds `pid`, `file_line`, `klog_time`; logrus and zap inside a framing `record_time`. */
function headerFields(record: GoLogRecord, framed = false): Fields {
  const fields: Fields = { ...record.extra, level: record.severity };
  if (record.pid !== undefined) fields['pid'] = record.pid;
  if (record.fileLine !== undefined) fields['file_line'] = record.fileLine;
  if (record.clockText !== undefined) fields['klog_time'] = record.clockText;
  // Inside a journal or syslog line the framing's time is the instant; the record's own is kept to refine it.
  if (framed && record.timeText !== undefined) fields['record_time'] = record.timeText;
  return fields;
}

/** Classify a record whose Go header is already read (the klog/logrus/zap format descriptors use this). */
export function classifyK3sRecord(record: GoLogRecord, framed = false): Classification {
  // logrus/zap put the underlying error in its own key (`error="context deadline exceeded"`): it names the kind as much as msg does.
  const error = record.extra['error'];
  const text = typeof error === 'string' && error !== '' ? `${record.body} ${error}` : record.body;
  const found = classifyBody(text, record);
  return {
    source: 'k3s',
    kind: `k3s.${found.name}`,
    severity: record.severity,
    fields: { ...headerFields(record, framed), ...found.fields },
    message: record.body,
  };
}

/**
 * The fields and severity a Go log header gives any program's message (a klog line from coredns, a
 * logrus line from a home-made daemon): the message stays that program's, but gains `level`, `pid`,
 * `file_line`, `klog_time`. Null when the message carries no Go header.
 */
export function goHeaderOf(message: string): { severity: Severity; fields: Fields; body: string } | null {
  const record = parseGoLogRecord(message);
  return record ? { severity: record.severity, fields: headerFields(record, true), body: record.body } : null;
}

/** Classify one k3s message; a klog, logrus or zap header inside it is read and removed from `message`. */
export function classifyK3s(message: string): Classification {
  const record = parseGoLogRecord(message);
  if (record) return classifyK3sRecord(record, true);
  const found = classifyBody(message, null);
  // No header, no known kind: the words are all there is to grade it by (`level=error msg=…`).
  const severity = found.name === 'other' ? severityFromWords(message) : found.severity;
  return { source: 'k3s', kind: `k3s.${found.name}`, severity, fields: found.fields };
}
