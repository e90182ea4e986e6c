/**
 * The named signals: event kinds the classifiers name, grouped into the signals the seed incident
 * was argued from. Only which events belong to a signal comes from kinds; every verdict comes from
 * timing (judge.ts).
 */
import type { Fields } from '../ingest/types.js';

export interface NamedSignal {
  /** The finding kind. */
  kind: string;
  /** How summaries name it. */
  label: string;
  kinds: readonly string[];
  /** Further filter on the event's fields (e.g. only container bridges), or none. */
  accepts?: (fields: Fields) => boolean;
}

/** Interfaces container runtimes create: docker user bridges, docker0, veth pairs, CNI bridges. */
const CONTAINER_INTERFACE = /^(?:br-|docker|veth|cni|virbr|cali|flannel|lxc|vxlan|kube-)/i;
const INTERFACE_FIELDS = ['bridge', 'iface', 'port', 'from', 'to', 'device'];

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

export const NAMED_SIGNALS: readonly NamedSignal[] = [
  {
    kind: 'bridge-churn',
    label: 'Bridge churn',
    kinds: ['kernel.bridge_state', 'kernel.veth_rename', 'kernel.promiscuous'],
    accepts: isContainerNetworkEvent,
  },
  {
    kind: 'apiserver-timeout',
    label: 'Apiserver handler timeouts',
    kinds: ['k3s.handler_timeout', 'k3s.post_timeout'],
  },
  {
    // Kept apart from handler timeouts: a lease renewal failing is the apiserver's own client giving
    // up (it cannot reach itself or the datastore over the host network), a handler timeout is a
    // server-side write to a client stalling. They can follow an outage by different delays, and
    // grouping them would blur both timings.
    kind: 'lease-failure',
    label: 'Lease renewal failures',
    kinds: ['k3s.lease_failure', 'k3s.deadline_exceeded'],
  },
];

/** Kinds that happen only while the host network is down: they strengthen a window, never make one. */
export const SYMPTOM_KINDS: ReadonlySet<string> = new Set([
  'k3s.lease_failure',
  'k3s.deadline_exceeded',
  'k3s.handler_timeout',
  'k3s.post_timeout',
]);

export const NAMED_KINDS: ReadonlySet<string> = new Set(NAMED_SIGNALS.flatMap((s) => s.kinds));
