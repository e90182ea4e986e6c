/** Builds synthetic EventRow arrays for the correlator tests: small, explicit, sorted like the store returns them. */
import type { Fields, Severity } from '../../src/ingest/types.js';
import type { EventRow } from '../../src/store/types.js';

export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;

export interface EventSpec {
  tsUs: number;
  kind: string;
  message: string;
  host?: string;
  fields?: Fields;
  count?: number;
  severity?: Severity;
  file?: string;
}

export class EventBuilder {
  private readonly specs: EventSpec[] = [];

  add(spec: EventSpec): this {
    this.specs.push(spec);
    return this;
  }

  /** Events sorted by time (ties by insertion), ids and line numbers assigned in that order per file. */
  build(): EventRow[] {
    const order = this.specs.map((s, i) => ({ s, i })).sort((a, b) => a.s.tsUs - b.s.tsUs || a.i - b.i);
    const lines = new Map<string, number>();
    return order.map(({ s }, k) => {
      const source = s.kind.slice(0, s.kind.indexOf('.'));
      const file = s.file ?? `${source}.log`;
      const line = (lines.get(file) ?? 0) + 1;
      lines.set(file, line);
      return {
        id: k + 1,
        tsUs: s.tsUs,
        host: s.host ?? 'kai-server',
        source,
        kind: s.kind,
        severity: s.severity ?? 'info',
        message: s.message,
        file,
        line,
        fields: s.fields ?? {},
        count: s.count ?? 1,
      };
    });
  }
}

export const at = (iso: string): number => Date.parse(iso) * 1000;

/** A deterministic jitter in [-spread, +spread] seconds from an integer. */
export function jitter(k: number, spread: number): number {
  return (((k * 7919) % (2 * spread + 1)) - spread) * SECOND;
}

export interface Outage {
  onsetUs: number;
  durationUs: number;
}

export function inside(t: number, outages: readonly Outage[]): boolean {
  return outages.some((o) => t >= o.onsetUs && t <= o.onsetUs + o.durationUs);
}

/** One burst of docker bridge churn: a user bridge's port cycling through its states. */
export function bridgeBurst(b: EventBuilder, startUs: number, n: number, bridge = 'br-33693122cf09'): void {
  const states = ['blocking', 'disabled', 'blocking', 'forwarding'];
  for (let k = 0; k < n; k++) {
    const state = states[k % states.length]!;
    b.add({
      tsUs: startUs + k * 2 * SECOND,
      kind: 'kernel.bridge_state',
      message: `${bridge}: port ${k + 1}(veth2cbbca${k}) entered ${state} state`,
      fields: { bridge, port: String(k + 1), iface: `veth2cbbca${k}`, state },
      file: 'diag/output.txt',
    });
  }
}

export interface BruteForceSpec {
  ip: string;
  fromUs: number;
  toUs: number;
  everyS: number;
  users: readonly string[];
  skip: (t: number) => boolean;
}

/**
 * An 8-second scanner: each attempt is `Invalid user` + `Failed password for invalid user` (odd) or
 * `pam_unix authentication failure` + `Failed password for root` (even). Returns what was generated.
 */
export function bruteForce(b: EventBuilder, spec: BruteForceSpec): { attempts: number; users: Set<string> } {
  let attempts = 0;
  const users = new Set<string>();
  let port = 40000;
  for (let k = 0, t = spec.fromUs; t < spec.toUs; k++, t += spec.everyS * SECOND + jitter(k, 2)) {
    if (spec.skip(t)) continue;
    port++;
    attempts++;
    const invalid = k % 2 === 1;
    const user = invalid ? spec.users[k % spec.users.length]! : 'root';
    users.add(user);
    const file = 'auth.log';
    if (invalid) {
      b.add({ tsUs: t, kind: 'sshd.invalid_user', file, message: `Invalid user ${user} from ${spec.ip} port ${port}`, fields: { ip: spec.ip, user, port, invalid_user: true } });
    } else {
      b.add({ tsUs: t, kind: 'sshd.pam_auth_failure', file, message: `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${spec.ip}  user=${user}`, fields: { ip: spec.ip, user } });
    }
    b.add({
      tsUs: t + 2 * SECOND,
      kind: 'sshd.failed_password',
      file,
      message: `Failed password for ${invalid ? 'invalid user ' : ''}${user} from ${spec.ip} port ${port} ssh2`,
      fields: { ip: spec.ip, user, port, method: 'password', invalid_user: invalid },
    });
  }
  return { attempts, users };
}

export function probeTransition(b: EventBuilder, tsUs: number, to: 'up' | 'down', extra: Fields = {}): void {
  b.add({
    tsUs,
    kind: 'probe.transition',
    message: to === 'down' ? `kai-server: alive -> dead (${String(extra.err ?? '')})` : 'kai-server: dead -> alive',
    fields: { from: to === 'down' ? 'up' : 'down', to, state: to, target: 'kai-server', ...extra },
    file: 'watch.log',
  });
}

/** 2–6 outages 3–8 min long, at least 20 min apart, away from the span's edges, in time order. */
export function randomOutages(rng: () => number, startUs: number, spanUs: number): { startUs: number; endUs: number }[] {
  const n = 2 + Math.floor(rng() * 5);
  const outages: { startUs: number; endUs: number }[] = [];
  while (outages.length < n) {
    const t = startUs + 20 * MINUTE + Math.floor(rng() * (spanUs - 50 * MINUTE));
    if (outages.some((o) => Math.abs(o.startUs - t) < 20 * MINUTE)) continue;
    outages.push({ startUs: t, endUs: t + (3 + Math.floor(rng() * 6)) * MINUTE });
  }
  return outages.sort((a, b) => a.startUs - b.startUs);
}
