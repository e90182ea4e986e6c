/**
 * Detectors: every signal the correlator reads, one record each, kept as data (as Sigma keeps a rule
 * and its correlation together). A record says which events belong to the signal (event kinds or
 * whole sources, and an `accepts` test on fields), which fields it reads, and its roles. Everything
 * else that used to restate kinds by hand is derived from these records: the named signals judged,
 * the symptom kinds that strengthen windows, and which events the store loads with their fields
 * (event-table.ts). A detector that reads fields but whose kinds were left off the loader's list would
 * see `{}` and accept every event; deriving the list makes that impossible.
 *
 * Only membership comes from kinds; every verdict comes from timing (judge.ts).
 */
import type { Fields } from '../model/event.js';
import type { SignalKind } from '../model/finding.js';

/**
 * - `signal`: judged as one finding per host (its id is the finding kind);
 * - `window-symptom`: happens only while the host network is down, so it strengthens a window (never makes one);
 * - `campaign`: read by the brute-force search, which judges one finding per source address;
 * - `window-source`: read to build outage windows (probes);
 * - `witness`: read to build network-witness streams (streams.ts): their silences are outage
 *   evidence, and one that keeps its pace through a window refutes it.
 */
export type DetectorRole = 'signal' | 'window-symptom' | 'campaign' | 'window-source' | 'witness';

export interface Detector {
  id: string;
  /** How summaries name it. */
  label: string;
  /** Event kinds that belong to it. */
  kinds: readonly string[];
  /** Sources all of whose events it reads (sshd for campaigns, probe for windows). */
  sources: readonly string[];
  /** Fields it reads; the store loads fields for its kinds and sources only when this is non-empty. */
  fields: readonly string[];
  /** Further filter on the event's fields (only container bridges), or none. Needs `fields`. */
  accepts?: (fields: Fields) => boolean;
  roles: readonly DetectorRole[];
}

export interface SignalDetector extends Detector {
  id: SignalKind;
}

/** Interfaces container runtimes create: docker user bridges, docker0, veth pairs, CNI bridges. */
const CONTAINER_INTERFACE = /^(?:br-|docker|veth|cni|virbr|cali|flannel|lxc|vxlan|kube-)/i;
const INTERFACE_FIELDS = ['bridge', 'iface', 'port', 'from', 'to', 'device'] as const;

/**
 * Bridge churn is container networking coming and going. A promiscuous-mode line for `eth0` is
 * someone running tcpdump, not churn, so events naming an interface must name a container one.
 */
export function isContainerNetworkEvent(fields: Fields): boolean {
  let named = false;
  for (const key of INTERFACE_FIELDS) {
    const value = fields[key];
    if (typeof value !== 'string') continue;
    named = true;
    if (CONTAINER_INTERFACE.test(value)) return true;
  }
  return !named;
}

export const BRIDGE_CHURN: SignalDetector = {
  id: 'bridge-churn',
  label: 'Bridge churn',
  kinds: ['kernel.bridge_state', 'kernel.veth_rename', 'kernel.promiscuous'],
  sources: [],
  fields: INTERFACE_FIELDS,
  accepts: isContainerNetworkEvent,
  roles: ['signal'],
};

export const APISERVER_TIMEOUT: SignalDetector = {
  id: 'apiserver-timeout',
  label: 'Apiserver handler timeouts',
  kinds: ['k3s.handler_timeout', 'k3s.post_timeout'],
  sources: [],
  fields: [],
  roles: ['signal', 'window-symptom'],
};

/**
 * Kept apart from handler timeouts: a lease renewal failing is the apiserver's own client giving up
 * (it cannot reach itself or the datastore over the host network), a handler timeout is a server-side
 * write to a client stalling. They can follow an outage by different delays, and grouping them would
 * blur both timings.
 */
export const LEASE_FAILURE: SignalDetector = {
  id: 'lease-failure',
  label: 'Lease renewal failures',
  kinds: ['k3s.lease_failure', 'k3s.deadline_exceeded'],
  sources: [],
  fields: [],
  roles: ['signal', 'window-symptom'],
};

/**
 * sshd authentication failures per source address (bruteforce.ts); sshd streams are also network
 * witnesses. `audit_type` marks a record of the audit log, which copies attempts auth.log has too.
 */
export const SSH_BRUTEFORCE: Detector = {
  id: 'ssh-bruteforce',
  label: 'SSH brute force',
  kinds: [],
  sources: ['sshd'],
  fields: ['ip', 'user', 'port', 'audit_type'],
  roles: ['campaign', 'witness'],
};

/**
 * Access-log requests (nginx, apache, traefik): one network-witness stream per client address
 * (streams.ts). `status` and `agent` are read to leave out what is no evidence of reachability from
 * outside: 408s and the kubelet's `kube-probe/` checks (`httpWitness`).
 */
export const HTTP_WITNESS: Detector = {
  id: 'http-witness',
  label: 'HTTP requests',
  kinds: [],
  sources: ['http'],
  fields: ['ip', 'status', 'agent'],
  roles: ['witness'],
};

/** Probe lines: down periods of a target (probe.ts), judged before they are trusted. */
export const PROBE: Detector = {
  id: 'probe',
  label: 'Probe',
  kinds: [],
  sources: ['probe'],
  fields: ['state', 'to', 'target', 'exit', 'err', 'snapshot', 'down_for_s', 'interval_s', 'latency_ms'],
  roles: ['window-source'],
};

export const DETECTORS: readonly Detector[] = [BRIDGE_CHURN, APISERVER_TIMEOUT, LEASE_FAILURE, SSH_BRUTEFORCE, HTTP_WITNESS, PROBE];

/** A detector that filters on fields must read them, else it would be handed `{}` and accept everything. */
export function checkDetector(d: Detector): void {
  if (d.accepts !== undefined && d.fields.length === 0) {
    throw new Error(`detector ${d.id} has an accepts test but reads no fields`);
  }
  if (d.kinds.length === 0 && d.sources.length === 0) throw new Error(`detector ${d.id} names no events`);
}
for (const d of DETECTORS) checkDetector(d);

function hasRole(d: Detector, role: DetectorRole): boolean {
  return d.roles.includes(role);
}

/** The named signals judged one finding per host. */
export const SIGNAL_DETECTORS: readonly SignalDetector[] = DETECTORS.filter((d): d is SignalDetector => hasRole(d, 'signal'));

/** Kinds that happen only while the host network is down: they strengthen a window, never make one. */
export const SYMPTOM_KINDS: ReadonlySet<string> = new Set(DETECTORS.filter((d) => hasRole(d, 'window-symptom')).flatMap((d) => d.kinds));

/** Kinds some named signal speaks for (left out of template discovery). */
export const NAMED_KINDS: ReadonlySet<string> = new Set(SIGNAL_DETECTORS.flatMap((d) => d.kinds));

/** Which events the store must load with their fields: the kinds and sources of detectors that read fields. */
export interface FieldSpec {
  sources: readonly string[];
  kinds: readonly string[];
}

export function fieldSpecOf(detectors: readonly Detector[]): FieldSpec {
  const reading = detectors.filter((d) => d.fields.length > 0);
  return {
    sources: [...new Set(reading.flatMap((d) => d.sources))].sort(),
    kinds: [...new Set(reading.flatMap((d) => d.kinds))].sort(),
  };
}

export const FIELD_SPEC: FieldSpec = fieldSpecOf(DETECTORS);

/** Whether a detector speaks for an event of this source and kind. */
export function detectorCovers(d: Detector, source: string, kind: string): boolean {
  return d.sources.includes(source) || d.kinds.includes(kind);
}
