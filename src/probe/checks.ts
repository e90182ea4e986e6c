/**
 * The checks themselves. Each one asks for proof that the service answered as it should, not just
 * that something happened: an ssh check wants the `SSH-2.0-` banner (a port that accepts and says
 * nothing is not up), an http check wants a status below 400 and, with --expect, the body, and a
 * command check wants its expected output. A command whose output stops matching is a
 * `probe-error` — the tool changed, not the host (the seed incident's monitor logged a 4-minute
 * "outage" cycle for half an hour after its CLI started printing help text).
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ProbeTarget } from './targets.js';

export type Outcome = 'up' | 'down' | 'degraded' | 'probe-error';
export type ErrorClass = 'timeout' | 'refused' | 'reset' | 'dns' | 'tls' | 'unreachable' | 'banner' | 'status' | 'body' | 'output' | 'other';

export interface CheckResult {
  outcome: Outcome;
  latencyMs: number | null;
  error: ErrorClass | null;
  /** Why, in words, when not up. */
  detail: string | null;
  /** What the service said (banner, body, command output), raw; the record escapes and caps it. */
  seen: string | null;
  status?: number;
  exit?: number | null;
}

export interface CheckOptions {
  timeoutMs: number;
  /** http body / command output must match this to be `up`. */
  expect?: RegExp;
  /** command output that means the host is down (not that the tool broke). */
  expectDown: RegExp;
}

/** How much of a banner, body or output is read: enough to match and to digest, never unbounded. */
export const READ_CAP_BYTES = 64 * 1024;

/**
 * What a command prints when the network, not the tool, failed: the seed's `tcp dial kai-server:22:
 * i/o timeout`, ssh's `Connection refused` / `No route to host` / `Could not resolve hostname`.
 */
export const DEFAULT_DOWN_OUTPUT =
  /i\/o timeout|timed? ?out|connection (?:refused|reset|closed by remote)|no route to host|network is unreachable|host is unreachable|could not resolve|name or service not known|temporary failure in name resolution/i;

/** Node's error codes, as the classes a reader compares across records. */
export function classifyError(e: unknown): { error: ErrorClass; detail: string } {
  const err = e as { code?: string; message?: string };
  const code = err?.code ?? '';
  const detail = `${code ? code + ': ' : ''}${err?.message ?? String(e)}`;
  if (code === 'ECONNREFUSED') return { error: 'refused', detail };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { error: 'reset', detail };
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return { error: 'timeout', detail };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') return { error: 'dns', detail };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN' || code === 'ENETDOWN') return { error: 'unreachable', detail };
  if (/^ERR_TLS|^ERR_SSL|CERT|SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/.test(code)) return { error: 'tls', detail };
  return { error: 'other', detail };
}

function elapsed(start: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100; // ms, two decimals
}

function down(start: bigint, e: unknown): CheckResult {
  const c = classifyError(e);
  return { outcome: 'down', latencyMs: elapsed(start), error: c.error, detail: c.detail, seen: null };
}

export function tcpCheck(t: ProbeTarget, o: CheckOptions): Promise<CheckResult> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    const sock = connect({ host: t.host, port: t.port });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ outcome: 'down', latencyMs: elapsed(start), error: 'timeout', detail: `no connection within ${o.timeoutMs} ms`, seen: null });
    }, o.timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      const latencyMs = elapsed(start);
      sock.destroy();
      resolve({ outcome: 'up', latencyMs, error: null, detail: null, seen: null });
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      resolve(down(start, e));
    });
  });
}

/**
 * RFC 4253 §4.2: the server sends `SSH-protoversion-softwareversion`, and MAY send other lines
 * first. Up means a `SSH-2.0-` (or `SSH-1.99-`, which speaks 2.0) line arrived; anything else that
 * answers is `degraded` (something listens, but not an ssh server that we can use); silence is
 * `down`.
 */
export function sshCheck(t: ProbeTarget, o: CheckOptions): Promise<CheckResult> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    let settled = false;
    let received = '';
    const sock: Socket = connect({ host: t.host, port: t.port });
    const finish = (r: CheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const judge = (final: boolean) => {
      const lines = received.split('\n');
      const complete = final ? lines : lines.slice(0, -1);
      for (const raw of complete) {
        const line = raw.replace(/\r$/, '');
        if (line.startsWith('SSH-')) {
          const ok = /^SSH-(2\.0|1\.99)-\S/.test(line);
          finish({
            outcome: ok ? 'up' : 'degraded',
            latencyMs: elapsed(start),
            error: ok ? null : 'banner',
            detail: ok ? null : 'an SSH banner of a protocol version other than 2.0',
            seen: line,
          });
          return;
        }
      }
      if (final || received.length >= READ_CAP_BYTES) {
        finish(
          received.length === 0
            ? { outcome: 'down', latencyMs: elapsed(start), error: final ? 'reset' : 'timeout', detail: 'the connection closed before any banner', seen: null }
            : { outcome: 'degraded', latencyMs: elapsed(start), error: 'banner', detail: 'the port answered, but not with an SSH banner', seen: received },
        );
      }
    };
    const timer = setTimeout(() => {
      if (received.length === 0) {
        finish({ outcome: 'down', latencyMs: elapsed(start), error: 'timeout', detail: `the port accepted but sent no banner within ${o.timeoutMs} ms`, seen: null });
      } else {
        finish({ outcome: 'degraded', latencyMs: elapsed(start), error: 'banner', detail: 'the port answered, but not with an SSH banner', seen: received });
      }
    }, o.timeoutMs);
    sock.setEncoding('latin1');
    sock.on('data', (chunk: string) => {
      received += chunk;
      judge(false);
    });
    sock.once('end', () => judge(true));
    sock.once('error', (e) => finish(down(start, e)));
  });
}

export function httpCheck(t: ProbeTarget, o: CheckOptions): Promise<CheckResult> {
  const start = process.hrtime.bigint();
  const url = t.url!;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: CheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const req = request(url, { method: 'GET', headers: { 'user-agent': 'corr-probe', connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const judge = () => {
        const status = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString('utf8');
        const latencyMs = elapsed(start);
        if (status >= 400) {
          finish({ outcome: 'degraded', latencyMs, error: 'status', detail: `HTTP ${status}`, seen: body, status });
        } else if (o.expect && !o.expect.test(body)) {
          finish({ outcome: 'degraded', latencyMs, error: 'body', detail: `HTTP ${status}, but the body does not match --expect`, seen: body, status });
        } else {
          finish({ outcome: 'up', latencyMs, error: null, detail: null, seen: body, status });
        }
      };
      res.on('data', (c: Buffer) => {
        if (size < READ_CAP_BYTES) chunks.push(c.subarray(0, READ_CAP_BYTES - size));
        size += c.length;
        if (size >= READ_CAP_BYTES) judge();
      });
      res.once('end', judge);
      res.once('error', (e) => finish(down(start, e)));
    });
    const timer = setTimeout(() => finish({ outcome: 'down', latencyMs: elapsed(start), error: 'timeout', detail: `no answer within ${o.timeoutMs} ms`, seen: null }), o.timeoutMs);
    req.once('error', (e) => finish(down(start, e)));
    req.end();
  });
}

export interface CommandOutput {
  exit: number | null;
  output: string;
  timedOut: boolean;
  spawnError?: unknown;
}

/** Runs a shell command with a timeout; stdout and stderr together, capped. */
export function runCommand(command: string, timeoutMs: number): Promise<CommandOutput> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let timedOut = false;
    const take = (c: Buffer) => {
      if (output.length < READ_CAP_BYTES) output += c.toString('utf8').slice(0, READ_CAP_BYTES - output.length);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the whole process group: a hung ssh under sh too
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ exit: null, output, timedOut, spawnError: e });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ exit: code, output, timedOut });
    });
  });
}

/**
 * A command check: its output decides, not its exit code. Expected output → up; a timeout or an
 * output that says the network failed → down; anything else → probe-error, because a monitor that
 * cannot tell what it saw must not report the host.
 */
export async function commandCheck(t: ProbeTarget, o: CheckOptions): Promise<CheckResult> {
  const start = process.hrtime.bigint();
  const r = await runCommand(t.command!, o.timeoutMs);
  const latencyMs = elapsed(start);
  if (r.spawnError) return { outcome: 'probe-error', latencyMs, error: 'other', detail: classifyError(r.spawnError).detail, seen: null, exit: null };
  if (r.timedOut) return { outcome: 'down', latencyMs, error: 'timeout', detail: `the command ran past ${o.timeoutMs} ms and was killed`, seen: r.output, exit: null };
  // A trailing newline is how commands end their output, not part of the answer: `^alive$` matches `alive\n`.
  if (o.expect ? o.expect.test(r.output.replace(/\s+$/, '')) : r.exit === 0) return { outcome: 'up', latencyMs, error: null, detail: null, seen: r.output, exit: r.exit };
  const downMatch = o.expectDown.exec(r.output);
  if (downMatch) {
    const m = downMatch[0].toLowerCase();
    const error: ErrorClass = /refused/.test(m) ? 'refused' : /reset|closed/.test(m) ? 'reset' : /resolve|name/.test(m) ? 'dns' : /unreachable|no route/.test(m) ? 'unreachable' : 'timeout';
    return { outcome: 'down', latencyMs, error, detail: `exit ${r.exit}; the output says the network failed`, seen: r.output, exit: r.exit };
  }
  return {
    outcome: 'probe-error',
    latencyMs,
    error: 'output',
    detail: `exit ${r.exit}; the output matches neither ${o.expect ? '--expect' : 'success'} nor a network failure`,
    seen: r.output,
    exit: r.exit,
  };
}

export function runCheck(t: ProbeTarget, o: CheckOptions): Promise<CheckResult> {
  switch (t.check) {
    case 'tcp':
      return tcpCheck(t, o);
    case 'ssh':
      return sshCheck(t, o);
    case 'http':
      return httpCheck(t, o);
    case 'cmd':
      return commandCheck(t, o);
  }
}
