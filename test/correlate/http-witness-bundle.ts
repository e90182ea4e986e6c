/**
 * A seeded access-log generator for the http-witness tests: one host's nginx/traefik access log in
 * the combined format, with outside clients of random kinds and rates (Poisson crawlers, a jittered
 * uptime monitor, a bursty human loading pages), the node's own traffic (kube-probe checks, pods on
 * k3s's 10.42/10.43 networks, loopback), an outage of random length during which no outside request
 * arrives, and 408s logged inside it for the clients whose connections it cut.
 *
 * It returns the ground truth the tests judge corr against: the outage, and for each outside client
 * its last request before the onset and its first after the recovery.
 */
import { mulberry32 } from '../../src/correlate/prng.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

/** `26/May/2026:17:18:04 -0700` for a UTC instant written at a fixed offset (minutes east). */
export function clfStamp(ms: number, offsetMin: number): string {
  const d = new Date(ms + offsetMin * MINUTE);
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${sign}${two(Math.floor(a / 60))}${two(a % 60)}`;
}

export function clfLine(ip: string, ms: number, offsetMin: number, request: string, status: number, agent: string): string {
  return `${ip} - - [${clfStamp(ms, offsetMin)}] "${request}" ${status} ${200 + (ms % 5000)} "-" "${agent}"`;
}

export interface Client {
  ip: string;
  kind: 'poisson' | 'monitor' | 'human';
  /** Mean gap between its requests' distinct seconds, roughly (ms). */
  scaleMs: number;
  /** Its request instants (ms), sorted, none inside the outage. */
  times: number[];
}

export interface AccessBundle {
  lines: string[];
  startMs: number;
  endMs: number;
  onsetMs: number;
  recoveryMs: number;
  clients: Client[];
  /** Offset of the log's stamps, minutes east of UTC. */
  offsetMin: number;
}

const exp = (next: () => number, mean: number): number => -Math.log(1 - next()) * mean;
const pick = <T>(next: () => number, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
const between = (next: () => number, lo: number, hi: number): number => lo + next() * (hi - lo);

/** Instants of a Poisson stream of mean gap `mean` over [from, to). */
function poisson(next: () => number, from: number, to: number, mean: number): number[] {
  const out: number[] = [];
  for (let t = from + exp(next, mean); t < to; t += exp(next, mean)) out.push(Math.floor(t));
  return out;
}

/** Every `period` with ±`jitter`, as an uptime monitor polls. */
function regular(next: () => number, from: number, to: number, period: number, jitter: number): number[] {
  const out: number[] = [];
  for (let t = from + next() * period; t < to; t += period) out.push(Math.floor(t + between(next, -jitter, jitter)));
  return out;
}

/**
 * A person reading a site: sessions at random (Poisson, mean `mean`), each a few page views 10–90 s
 * apart, each page view a burst of 4–25 requests within two seconds (the page and its assets).
 */
function human(next: () => number, from: number, to: number, mean: number): number[] {
  const out: number[] = [];
  for (let s = from + exp(next, mean); s < to; s += exp(next, mean)) {
    let page = s;
    const views = 1 + Math.floor(next() * 6);
    for (let v = 0; v < views && page < to; v++) {
      const assets = 4 + Math.floor(next() * 22);
      for (let a = 0; a < assets; a++) out.push(Math.floor(page + next() * 2 * SECOND));
      page += between(next, 10 * SECOND, 90 * SECOND);
    }
  }
  return out.filter((t) => t < to).sort((a, b) => a - b);
}

const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Uptime-Kuma/1.23.11',
  'curl/8.5.0',
];
const PATHS = ['/', '/api/health', '/login', '/static/app.js', '/favicon.ico', '/blog/2026/05/post.html'];

/** The external address of the k-th outside client (documentation ranges: no real host). */
const outsideIp = (next: () => number, k: number): string => `${pick(next, ['192.0.2', '198.51.100', '203.0.113'])}.${10 + k * 20 + Math.floor(next() * 19)}`;

export interface BundleOptions {
  /** Leave out every outside client: only the node's own traffic and 408s remain. */
  insideOnly?: boolean;
}

export function accessBundle(seed: number, opts: BundleOptions = {}): AccessBundle {
  const next = mulberry32(seed);
  const startMs = Date.UTC(2026, 4, 26, 8, 0, 0) + Math.floor(next() * 86_400) * SECOND;
  const endMs = startMs + Math.floor(between(next, 4, 7) * 60) * MINUTE;
  const lengthMs = Math.floor(between(next, 6, 25) * 60) * SECOND;
  const onsetMs = Math.floor(between(next, startMs + 60 * MINUTE, endMs - 60 * MINUTE - lengthMs));
  const recoveryMs = onsetMs + lengthMs;
  const offsetMin = pick(next, [-420, 0, 60, 330, 600, -180]);
  const up = (t: number): boolean => t < onsetMs || t >= recoveryMs;

  const clients: Client[] = [];
  if (!opts.insideOnly) {
    const count = 2 + Math.floor(next() * 3);
    for (let k = 0; k < count; k++) {
      const kind = k === 0 ? 'poisson' : pick(next, ['poisson', 'monitor', 'human'] as const);
      const ip = outsideIp(next, k);
      let times: number[];
      let scaleMs: number;
      if (kind === 'poisson') {
        scaleMs = between(next, 3, 45) * SECOND;
        times = poisson(next, startMs, endMs, scaleMs);
      } else if (kind === 'monitor') {
        scaleMs = pick(next, [20, 30, 60]) * SECOND;
        times = regular(next, startMs, endMs, scaleMs, 2 * SECOND);
      } else {
        scaleMs = between(next, 4, 15) * MINUTE;
        times = human(next, startMs, endMs, scaleMs);
      }
      clients.push({ ip, kind, scaleMs, times: times.filter(up) });
    }
  }

  const entries: [number, string][] = [];
  // With no outside client, the node's own traffic pauses where the outage would be (a restart of
  // the proxy): a gap that would make a window, and flow that would refute one, were it a witness.
  const node = (times: number[]): number[] => (opts.insideOnly ? times.filter(up) : times);
  for (const c of clients) {
    const agent = c.kind === 'monitor' ? 'Uptime-Kuma/1.23.11' : c.kind === 'human' ? AGENTS[0]! : pick(next, AGENTS);
    for (const t of c.times) {
      // Mostly 200s; some 404s (scanners, typos) and 502s (a backend down): all arrived over the network.
      const r = next();
      const status = r < 0.8 ? 200 : r < 0.93 ? 404 : 502;
      entries.push([t, clfLine(c.ip, t, offsetMin, `GET ${pick(next, PATHS)} HTTP/1.1`, status, agent)]);
    }
  }
  // The node's own traffic, which goes on through the outage: kubelet checks from the cni0 gateway,
  // pods calling a service, the node's own health check on loopback.
  for (const t of node(regular(next, startMs, endMs, 10 * SECOND, 0.3 * SECOND))) entries.push([t, clfLine('10.42.0.1', t, offsetMin, 'GET /ping HTTP/1.1', 200, 'kube-probe/1.31')]);
  for (const t of node(poisson(next, startMs, endMs, 20 * SECOND))) entries.push([t, clfLine('10.42.1.17', t, offsetMin, 'POST /api/v1/events HTTP/1.1', 200, 'Go-http-client/1.1')]);
  for (const t of node(poisson(next, startMs, endMs, 40 * SECOND))) entries.push([t, clfLine('10.43.0.10', t, offsetMin, 'GET /metrics HTTP/1.1', 200, 'Prometheus/2.53.0')]);
  for (const t of node(regular(next, startMs, endMs, 30 * SECOND, 1 * SECOND))) entries.push([t, clfLine('127.0.0.1', t, offsetMin, 'GET /nginx_status HTTP/1.1', 200, 'curl/8.5.0')]);
  // A readiness check from the node's own address (not in the pod network): only its agent says so.
  for (const t of node(regular(next, startMs, endMs, 15 * SECOND, 0.5 * SECOND))) entries.push([t, clfLine('192.168.1.50', t, offsetMin, 'GET /ready HTTP/1.1', 200, 'kube-probe/1.31')]);
  // 408s: connections the outage cut, logged when the server gave up waiting (inside the outage),
  // and a few ordinary ones from slow clients. From outside addresses, but no request arrived.
  const cut = clients.length > 0 ? clients : [{ ip: '198.51.100.200' }];
  for (const c of cut) {
    for (let k = 0; k < 6; k++) {
      const t = Math.floor(between(next, onsetMs + 5 * SECOND, recoveryMs - 5 * SECOND));
      entries.push([t, clfLine(c.ip, t, offsetMin, '-', 408, '-')]);
    }
  }
  for (let t = startMs + exp(next, 20 * MINUTE); t < endMs; t += exp(next, 20 * MINUTE)) entries.push([Math.floor(t), clfLine('198.51.100.200', Math.floor(t), offsetMin, '-', 408, '-')]);
  entries.sort((a, b) => a[0] - b[0]);
  return { lines: entries.map(([, l]) => l), startMs, endMs, onsetMs, recoveryMs, clients, offsetMin };
}

/** The last instant of `times` before `t`, and the first at or after `u`. */
export function around(times: readonly number[], t: number, u: number): { before: number; after: number } {
  let before = -Infinity;
  let after = Infinity;
  for (const x of times) {
    if (x < t) before = x;
    else if (x >= u) {
      after = x;
      break;
    }
  }
  return { before, after };
}
