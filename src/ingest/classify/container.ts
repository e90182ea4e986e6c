/**
 * A container's own output (a line of a CRI or docker json-file log), classified without a program:
 * the runtime's log names no program, only the stream (`stdout`, `stderr`), and detection never reads
 * the file name that would give the container's.
 *
 * - A Go header inside (klog, logrus, zap: kube-apiserver, coredns, traefik, metrics-server) is read
 *   as in a k3s stream, so a handler timeout, a lost lease or a refused dial to the apiserver has the
 *   same `k3s.*` kind as from the journal; a Go record of no known kind stays the container's
 *   (`container.stderr`) with the header's `level`, `file_line`, `klog_time` and its level as severity.
 * - An access-log line (traefik, nginx, apache in a pod) is an `http.*` event, as in an access log.
 * - An application line with a stamp and a level (Python, log4j) is `container.<stream>` with that
 *   level as its severity (and `level`); the stamp stays in the message (the runtime's is the instant).
 * - Anything else is `container.stdout` / `container.stderr`, graded by its words.
 */
import type { Fields } from '../types.js';
import type { Classification } from './classification.js';
import { parseGoLogRecord } from '../formats/go-log-records.js';
import { classifyK3sRecord, goHeaderOf } from './k3s.js';
import { severityFromWords } from './generic.js';
import { classifyAccessRecord, parseAccessRecord } from './http.js';
import { readAppRecord } from '../formats/app-log.js';

export function classifyContainerMessage(message: string, stream: string): Classification {
  const own: Fields = { stream };
  const record = message.length > 2 ? parseGoLogRecord(message) : null;
  if (record) {
    const k3s = classifyK3sRecord(record, true);
    if (k3s.kind !== 'k3s.other') return { ...k3s, fields: { ...k3s.fields, ...own } };
    const header = goHeaderOf(message)!;
    return { source: 'container', kind: `container.${stream}`, severity: header.severity, fields: { ...header.fields, ...own }, message: header.body };
  }
  const access = message.length > 20 ? parseAccessRecord(message) : null;
  if (access) {
    const c = classifyAccessRecord(access);
    return { ...c, fields: { ...c.fields, ...own, record_time: access.timeText } };
  }
  const app = message.length > 20 ? readAppRecord(message) : null;
  if (app) return { source: 'container', kind: `container.${stream}`, severity: app.severity, fields: { ...own, level: app.severity } };
  return { source: 'container', kind: `container.${stream}`, severity: severityFromWords(message), fields: own };
}
