/**
 * Host names as a bundle states them, and which host a record that names none belongs to.
 *
 * Attribution, in this order (docs/time.md, "Hosts"), each recorded as an assumption with its reason:
 *   1. the line names a host (syslog host field, journal `_HOSTNAME`, a probe's target);
 *   2. the section's capture names exactly one host (`hostname`, `uname -a`, `hostnamectl`, the host
 *      fields of its other sections);
 *   3. the directory's evidence names exactly one (the nearest directory whose files name any host;
 *      a directory named after one of the hosts they name picks that one);
 *   4. identical lines already stored from a source of a known host (same-lines.ts: distinctive
 *      stamps only, and a count chance cannot reach; decided in the section's transaction);
 *   5. `--host`;
 *   6. otherwise a host of its own, `unknown:<path>`, with a warning naming `--host`: two captures
 *      that name no host are never merged into one machine.
 * A host is never carried from one host's capture to another's: step 3 only looks at directories
 * whose captures agree on one host.
 */
import ipaddr from 'ipaddr.js';

/** How a host was named. */
export type HostHow = 'hostname' | 'uname -a' | 'hostnamectl' | 'syslog' | 'journal' | 'directory' | 'probe' | string;

export interface HostClaim {
  name: string;
  how: HostHow;
  /** Where: a file path, with the section when there is one. */
  where: string;
}

/** Lower case, no trailing dot. */
export function hostKey(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase();
}

/** An IP address rather than a name (remembered: ipaddr.js's check is costly and the same few names are asked about again and again). */
export function isAddressName(name: string): boolean {
  // Addresses are written in hex digits, x (0x…), dots and colons, then maybe a %zone: anything
  // else is a name, known without asking ipaddr.js.
  const zone = name.indexOf('%');
  if (/[^0-9a-fx.:]/i.test(zone === -1 ? name : name.slice(0, zone))) return false;
  let known = addressCache.get(name);
  if (known === undefined) {
    known = ipaddr.isValid(name);
    if (addressCache.size >= 10_000) addressCache.clear();
    addressCache.set(name, known);
  }
  return known;
}
const addressCache = new Map<string, boolean>();
const isAddress = isAddressName;

/** The first label of a DNS name (`kai-server.example.com` → `kai-server`); an address is its own. */
export function shortName(name: string): string {
  const k = hostKey(name);
  if (isAddress(k)) return k;
  const dot = k.indexOf('.');
  return dot === -1 ? k : k.slice(0, dot);
}

/**
 * The host part of a probe target or an address someone typed: without a scheme, `user@`, `:port`
 * or a path; `[2001:db8::1]:22` → `2001:db8::1`. Null when nothing host-like is left.
 */
export function targetHost(target: string): string | null {
  let t = target.trim();
  t = t.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  t = t.replace(/[/?#].*$/, '');
  const at = t.lastIndexOf('@');
  if (at !== -1) t = t.slice(at + 1);
  const v6 = /^\[([0-9a-f:.]+)\](?::\d+)?$/i.exec(t);
  if (v6) return v6[1]!.toLowerCase();
  // A bare IPv6 address has several colons; a host:port has one.
  if ((t.match(/:/g) ?? []).length === 1) t = t.replace(/:\d*$/, '');
  t = hostKey(t);
  return /^[a-z0-9][a-z0-9._:-]*$/i.test(t) ? t : null;
}

/**
 * The same machine? Case-insensitive; a short name matches an FQDN whose first label it is
 * (`edge-07` ~ `EDGE-07.lab.example`), but two FQDNs must be equal (`a.x.com` is not `a.y.com`).
 */
export function sameHost(a: string, b: string): boolean {
  const ka = hostKey(a);
  const kb = hostKey(b);
  if (ka === kb) return true;
  if (isAddress(ka) || isAddress(kb)) return false;
  const aShort = !ka.includes('.');
  const bShort = !kb.includes('.');
  if (aShort === bShort) return false;
  return shortName(ka) === shortName(kb);
}

/**
 * The bundle host a probe target (or any name) stands for: `root@EDGE-07:22` → `edge-07.lab` when
 * that is a host of the bundle. Null when no host matches, or when several do (ambiguous).
 */
export function matchHost(target: string, hosts: Iterable<string>): string | null {
  const h = targetHost(target);
  if (h === null) return null;
  const matches = [...new Set(hosts)].filter((x) => sameHost(h, x));
  return matches.length === 1 ? matches[0]! : null;
}

/**
 * Distinct hosts among claims, merging names that are the same machine (short vs FQDN): the
 * longest spelling is kept (it says most), the first seen among equals.
 */
export function distinctHosts(claims: readonly HostClaim[]): string[] {
  return distinctNames(claims.map((c) => c.name));
}

/** The same, of bare names. */
export function distinctNames(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const i = out.findIndex((h) => sameHost(h, name));
    if (i === -1) out.push(name);
    else if (name.length > out[i]!.length) out[i] = name;
  }
  // Allocated at its length: an array grown by push holds 17 slots, and a file's line hosts are
  // kept for the whole run (#17, 100,000 tiny files: ~130 B a file).
  const exact = new Array<string>(out.length);
  for (let i = 0; i < out.length; i++) exact[i] = out[i]!;
  return exact;
}

/** What a capture file says about its own host. */
export interface CaptureHost {
  /** The one host the capture names, or null (none, or several that cannot be told apart). */
  host: string | null;
  why: string;
  /** Set when the capture contradicts itself: said in a warning, the rejected names listed. */
  conflict?: { chosen: string; rejected: string[]; warning: string };
}

/**
 * A capture's host from its fact sections (`hostname`, `uname -a`, `hostnamectl`) first — they name
 * the machine the commands ran on — and only then from the host fields of its log sections (which
 * a central syslog fills with other machines' names). Two different names among the facts are a
 * contradiction: the first (in that order) is kept and the others are named in a warning.
 */
export function captureHost(path: string, facts: HostClaim[], lineHosts: HostClaim[]): CaptureHost {
  const named = distinctHosts(facts);
  if (named.length >= 1) {
    const chosen = named[0]!;
    const by = facts.find((f) => sameHost(f.name, chosen))!;
    const why = `host ${chosen} from the ${by.how} section of ${path}`;
    if (named.length === 1) return { host: chosen, why };
    const rejected = named.slice(1);
    const rejectedBy = rejected.map((r) => `${r} (${facts.find((f) => sameHost(f.name, r))!.how})`).join(', ');
    return {
      host: chosen,
      why: `${why}; rejected ${rejectedBy}`,
      conflict: { chosen, rejected, warning: `${path} names several hosts: kept ${chosen} (${by.how}), rejected ${rejectedBy}; check which machine the capture came from` },
    };
  }
  const fromLines = distinctHosts(lineHosts);
  if (fromLines.length === 1) {
    const by = lineHosts.find((f) => sameHost(f.name, fromLines[0]!))!;
    return new NamedByLines(fromLines[0]!, by.how, path, by.where);
  }
  if (fromLines.length > 1) return new NamesSeveralHosts(path, fromLines.length > 5 ? fromLines.slice(0, 5) : fromLines);
  return new NamesNoHost(path);
}

/*
 * The two answers nearly every small file gets, each kept for the whole run: their sentences are
 * written when asked for, not held (#17, 100,000 tiny files: ~100 B a file). Getters, so the
 * objects read as any CaptureHost does.
 */
class NamedByLines implements CaptureHost {
  constructor(readonly host: string, private readonly how: string, private readonly path: string, private readonly where: string) {}
  get why(): string {
    return `host ${this.host} named by the ${this.how} host field of every line that names one in ${this.path} (${this.where})`;
  }
}

class NamesSeveralHosts implements CaptureHost {
  readonly host = null;
  /** `names`: the first five (an array allocated at its length, see distinctNames). */
  constructor(private readonly path: string, private readonly names: readonly string[]) {}
  get why(): string {
    return `${this.path} names several hosts in its lines (${this.names.join(', ')}): no single host for the lines that name none`;
  }
}

class NamesNoHost implements CaptureHost {
  readonly host = null;
  constructor(private readonly path: string) {}
  get why(): string {
    return `${this.path} names no host`;
  }
}

/** Directory evidence: the hosts named by the files under one directory (recursively). */
export interface DirectoryHosts {
  dir: string;
  hosts: string[];
}

/**
 * The host a directory's evidence names for a file in it: the nearest ancestor directory whose files
 * name any host decides; it names exactly one, or its own name is one of those it names. Returns
 * null (with the reason) when the nearest such directory names several.
 */
export function directoryHost(ancestors: DirectoryHosts[]): { host: string | null; why: string } {
  for (const a of ancestors) {
    if (a.hosts.length === 0) continue;
    if (a.hosts.length === 1) return { host: a.hosts[0]!, why: `host ${a.hosts[0]} is the only host the files of ${a.dir} name` };
    const base = a.dir.replace(/\/+$/, '').split('/').pop() ?? '';
    const named = a.hosts.filter((h) => sameHost(base, h) || hostKey(base) === hostKey(h));
    if (named.length === 1) return { host: named[0]!, why: `host ${named[0]}: the directory ${a.dir} is named after it` };
    return { host: null, why: `the files of ${a.dir} name several hosts (${a.hosts.slice(0, 5).join(', ')})` };
  }
  return { host: null, why: 'no file beside it names a host' };
}

/** The host given to records that name none, in the order at the top of this file. */
export interface HostDecision {
  host: string;
  why: string;
  /** True when no evidence named the host (`--host` or the per-capture unknown). */
  fallback: boolean;
  warnings: string[];
}

export function decideHost(path: string, capture: CaptureHost, directory: { host: string | null; why: string }, userHost: string | undefined): HostDecision {
  const warnings = capture.conflict ? [capture.conflict.warning] : [];
  if (capture.host) return { host: capture.host, why: `${capture.why}, for records that name none`, fallback: false, warnings };
  if (directory.host) return { host: directory.host, why: `${directory.why}, for records of ${path} that name none (${capture.why})`, fallback: false, warnings };
  if (userHost) return { host: userHost, why: `host ${userHost} from --host for records that name none (${capture.why}; ${directory.why})`, fallback: true, warnings };
  const own = unknownHost(path);
  warnings.push(`no host is named for the records of ${path} that name none: they are under "${own}", a machine of their own (give --host NAME)`);
  return { host: own, why: `host "${own}": nothing names the machine (${capture.why}; ${directory.why}); kept apart from every other source`, fallback: true, warnings };
}

/** The host of a source nothing names: one per file, so two unnamed machines are never one. */
export function unknownHost(path: string): string {
  return `unknown:${path}`;
}

export function isUnknownHost(host: string): boolean {
  return host === 'unknown' || host.startsWith('unknown:');
}
