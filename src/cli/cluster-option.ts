/**
 * `--cluster`, checked against the store's hosts (correlate, report). Apart from options.ts because it
 * needs the cross-host correlator, and options.ts is loaded by every command: `corr timeline` must not
 * load the correlator (test/cli/startup.test.ts).
 */
import { type ClusterOption, unknownClusterHosts } from '../correlate/cross-host.js';
import { UsageError } from '../errors.js';
import { asList } from './options.js';
import { didYouMean } from './suggest.js';

/**
 * `--cluster` as the correlator's option, checked against the store's hosts: an unknown host name is
 * a usage error naming it (with the nearest host), as is a group of fewer than two hosts.
 */
export function clusterOption(values: unknown, storeHosts: () => string[]): ClusterOption {
  const list = asList(values);
  if (list === undefined) return { mode: 'auto' };
  if (list.length === 1 && list[0]!.trim().toLowerCase() === 'none') return { mode: 'none' };
  const groups = list.map((v) => v.split(',').map((n) => n.trim()).filter((n) => n.length > 0));
  for (const [k, g] of groups.entries()) {
    if (g.some((n) => n.toLowerCase() === 'none')) throw new UsageError(`--cluster: "none" cannot be combined with host names (got ${JSON.stringify(list[k])})`);
    if (new Set(g.map((n) => n.toLowerCase())).size < 2) throw new UsageError(`--cluster: a cluster needs at least two hosts, comma-separated (got ${JSON.stringify(list[k])})`);
  }
  const hosts = storeHosts();
  const unknown = unknownClusterHosts(groups, hosts);
  if (unknown.length > 0) {
    throw new UsageError(`--cluster: no host ${JSON.stringify(unknown[0])} in the store${didYouMean(unknown[0]!, hosts)}`);
  }
  return { mode: 'hosts', groups };
}
