/**
 * Bundles written for CLI tests of the correlator: one host's `output.txt` capture in UTC (date,
 * hostname, timedatectl, uptime -s, dmesg, then the sections a test names) and a plain probe log.
 * The lines are the formats corr reads from real captures; each test draws its own events.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corr, corrJson } from './cli.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** n random hex digits from a seeded generator: the tokens a miner must mask. */
export const hexDigits = (next: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');

/** A syslog stamp (`Nov  8 06:00:07`) of a UTC instant: year-less, as auth.log writes it. */
export const syslogStamp = (ms: number): string => {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
};

/** ISO-8601 to the second, as the probe writes it. */
export const isoSecond = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface UtcCapture {
  readonly host: string;
  readonly captureMs: number;
  readonly bootMs: number;
  /** Kernel lines at their UTC instants, written as dmesg's seconds since boot. */
  readonly kernel: readonly (readonly [number, string])[];
  /** Sections after dmesg: their `=====` title and lines. */
  readonly sections: readonly (readonly [string, readonly string[]])[];
}

/** Writes `<dir>/<host>/output.txt`. */
export function writeUtcCapture(dir: string, c: UtcCapture): void {
  const boot = new Date(c.bootMs).toISOString();
  const dmesg = c.kernel.map(([t, m]) => `[${((t - c.bootMs) / 1000).toFixed(6).padStart(12, ' ')}] ${m}`);
  const output = [
    '===== date =====',
    new Date(c.captureMs).toUTCString().replace(/GMT$/, 'UTC'),
    '===== hostname =====',
    c.host,
    '===== timedatectl =====',
    '                Time zone: UTC (UTC, +0000)',
    '===== uptime -s =====',
    `${boot.slice(0, 10)} ${boot.slice(11, 19)}`,
    '===== dmesg =====',
    ...dmesg,
    ...c.sections.flatMap(([title, lines]) => [`===== ${title} =====`, ...lines]),
  ];
  mkdirSync(join(dir, c.host), { recursive: true });
  writeFileSync(join(dir, c.host, 'output.txt'), output.join('\n') + '\n');
}

/** Writes `<dir>/probe/<host>.log`: a plain probe line each poll, down while `down(t)`. */
export function writePlainProbe(dir: string, host: string, polls: Iterable<number>, down: (t: number) => boolean): void {
  const probe: string[] = [];
  for (const t of polls) probe.push(down(t) ? `${isoSecond(t)} ${host} down exit=255 err="i/o timeout"` : `${isoSecond(t)} ${host} up ${(t / 1000) % 40}ms`);
  mkdirSync(join(dir, 'probe'), { recursive: true });
  writeFileSync(join(dir, 'probe', `${host}.log`), probe.join('\n') + '\n');
}

/** `corr ingest` of the bundle into a store beside it, then `corr correlate --json`; both must exit 0. */
export function ingestAndCorrelate(dir: string, bundle: string): { ingest: ReturnType<typeof corr>; code: number; json: any } {
  const db = join(dir, 'corr.db');
  const ingest = corr(['--db', db, 'ingest', bundle]);
  const { code, json } = ingest.code === 0 ? corrJson(['--db', db, 'correlate']) : { code: -1, json: null };
  return { ingest, code, json };
}

/** Poll instants from `from` (inclusive) to `to` (exclusive), every `stepMs`. */
export function* polls(from: number, to: number, stepMs: number): Generator<number> {
  for (let t = from; t < to; t += stepMs) yield t;
}

/**
 * One burst of docker bridge churn as the kernel logs it: three ports of a new bridge set up
 * `portStepMs` apart (blocking, disabled, promiscuous, forwarding), each torn down 210 s later.
 * Appended to `kernel` at UTC instants; the caller sorts.
 */
export function pushBridgeChurn(kernel: [number, string][], next: () => number, start: number, portStepMs: number): void {
  const bridge = `br-${hexDigits(next, 12)}`;
  for (let port = 1; port <= 3; port++) {
    const veth = `veth${hexDigits(next, 7)}`;
    const t = start + (port - 1) * portStepMs;
    kernel.push([t, `${bridge}: port ${port}(${veth}) entered blocking state`]);
    kernel.push([t + 5, `${bridge}: port ${port}(${veth}) entered disabled state`]);
    kernel.push([t + 10, `device ${veth} entered promiscuous mode`]);
    kernel.push([t + 200, `${bridge}: port ${port}(${veth}) entered forwarding state`]);
    kernel.push([t + 210 * 1000, `${bridge}: port ${port}(${veth}) entered disabled state`]);
    kernel.push([t + 210 * 1000 + 5, `device ${veth} left promiscuous mode`]);
  }
}
