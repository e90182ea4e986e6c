/**
 * Access-log records (nginx, apache, traefik) as `http` events. A line is a request that reached
 * the server from `ip`, so it is network evidence like an sshd attempt: the correlator reads each
 * client's requests as a network-witness stream (src/correlate/streams.ts, `httpWitness`, which
 * leaves out 408s — logged because nothing arrived — and the node's own traffic). `status` and
 * `agent` are kept as fields for that.
 *
 * Kinds: `http.request` (1xx–3xx), `http.client_error` (4xx, notice: scanners and typos are routine),
 * `http.server_error` (5xx, error: a 502/503/504 from traefik is a backend that did not answer).
 */
import type { Fields } from '../types.js';
import type { Classification } from './classification.js';
import type { AccessRecord } from '../formats/access-log-record.js';

export { parseAccessRecord, type AccessRecord } from '../formats/access-log-record.js';

/** Longest path or agent kept in a field (the whole line stays in the message). */
const MAX_FIELD = 1024;

export function classifyAccessRecord(r: AccessRecord): Classification {
  const name = r.status >= 500 ? 'server_error' : r.status >= 400 ? 'client_error' : 'request';
  const severity = r.status >= 500 ? 'error' : r.status >= 400 ? 'notice' : 'info';
  const fields: Fields = { ip: r.client, status: r.status };
  if (r.method !== undefined) fields.method = r.method;
  if (r.path !== undefined) fields.path = r.path.slice(0, MAX_FIELD);
  if (r.protocol !== undefined) fields.protocol = r.protocol;
  if (r.bytes !== undefined) fields.bytes = r.bytes;
  if (r.user !== '-' && r.user !== '') fields.user = r.user;
  if (r.vhost !== undefined) fields.vhost = r.vhost;
  if (r.agent !== undefined) fields.agent = r.agent.slice(0, MAX_FIELD);
  if (r.method === undefined) fields.request = r.request.slice(0, MAX_FIELD);
  return { source: 'http', kind: `http.${name}`, severity, fields };
}
