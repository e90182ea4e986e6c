/**
 * `corr probe` against listeners this test starts on 127.0.0.1 only. The CLI runs as a real child
 * process (asynchronously: the listeners live in this process and must keep answering).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/cli.js';

const BIN = join(ROOT, 'dist', 'cli', 'main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function corrAsync(args: string[], onStdout?: (child: ReturnType<typeof spawn>, text: string) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(child, stdout);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function records(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function listen(handler: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((s) => {
      s.on('error', () => {}); // the probe closing or being killed resets the connection
      handler(s);
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

let sshLike: { server: Server; port: number };
let silent: { server: Server; port: number };
let otherBanner: { server: Server; port: number };
let hostile: { server: Server; port: number };
let closedPort: number;
let http: HttpServer;
let httpPort: number;
let body = 'status: ok';
const held: Socket[] = [];

beforeAll(async () => {
  sshLike = await listen((s) => s.end('SSH-2.0-OpenSSH_9.6p1 Debian-3\r\n'));
  silent = await listen((s) => held.push(s)); // accepts, says nothing, keeps the connection
  otherBanner = await listen((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  hostile = await listen((s) => s.end(`\x1b]0;pwned\x07<script>${'A'.repeat(500)}\r\n`));
  const gone = await listen(() => {});
  closedPort = gone.port;
  await new Promise<void>((r) => gone.server.close(() => r()));
  http = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(body);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  httpPort = (http.address() as { port: number }).port;
});

afterAll(async () => {
  for (const s of held) s.destroy();
  for (const s of [sshLike, silent, otherBanner, hostile]) s.server.close();
  http.close();
});

describe('corr probe: network checks', () => {
  it('an ssh server that sends its banner is up; the banner is what was seen', async () => {
    const r = await corrAsync(['probe', `ssh://127.0.0.1:${sshLike.port}`, '--once']);
    expect(r.code).toBe(0);
    const [rec, ...rest] = records(r.stdout);
    expect(rest).toEqual([]);
    expect(rec).toMatchObject({
      target: `ssh://127.0.0.1:${sshLike.port}`,
      check: 'ssh',
      outcome: 'up',
      error: null,
      seen: 'SSH-2.0-OpenSSH_9.6p1 Debian-3',
      digest: expect.stringMatching(/^sha256:[0-9a-f]{16}$/),
      version: expect.stringMatching(/^corr \d+\.\d+\.\d+/),
    });
    expect(String(rec!.ts)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(typeof rec!.latency_ms).toBe('number');
    expect(r.stderr).toContain(`ssh://127.0.0.1:${sshLike.port} up`);
  });

  it('a port that accepts and stays silent is down: no banner arrived', async () => {
    const r = await corrAsync(['probe', `ssh://127.0.0.1:${silent.port}`, '--once', '--timeout', '400ms']);
    expect(r.code).toBe(0);
    const recs = records(r.stdout);
    expect(recs[0]).toMatchObject({ outcome: 'down', error: 'timeout', seen: null, digest: null });
    expect(String(recs[0]!.detail)).toContain('sent no banner within 400 ms');
    expect(recs[1]).toMatchObject({ record: 'change', what: 'new-failure', to: 'down/timeout/-' });
    expect(recs).toHaveLength(2);
  });

  it('a port that answers something other than ssh is degraded, with what it said', async () => {
    const r = await corrAsync(['probe', `ssh://127.0.0.1:${otherBanner.port}`, '--once', '--timeout', '1s']);
    const [rec] = records(r.stdout);
    expect(rec).toMatchObject({ outcome: 'degraded', error: 'banner', seen: 'HTTP/1.1 400 Bad Request\\r\\n' });
    expect(String(rec!.detail)).toBe('the port answered, but not with an SSH banner');
  });

  it('a closed port is down, refused, for both tcp and ssh checks', async () => {
    const r = await corrAsync(['probe', `tcp://127.0.0.1:${closedPort}`, `ssh://127.0.0.1:${closedPort}`, '--once']);
    const checks = records(r.stdout).filter((x) => !x.record);
    expect(checks.map((c) => [c.check, c.outcome, c.error])).toEqual([
      ['tcp', 'down', 'refused'],
      ['ssh', 'down', 'refused'],
    ]);
  });

  it('a hostile banner is stored escaped and capped', async () => {
    const r = await corrAsync(['probe', `ssh://127.0.0.1:${hostile.port}`, '--once', '--timeout', '1s']);
    const [rec] = records(r.stdout);
    const seen = String(rec!.seen);
    expect(seen.startsWith('\\x1b]0;pwned\\x07<script>AAA')).toBe(true);
    expect(seen).not.toMatch(/[\x00-\x1f\x7f]/);
    expect(seen.length).toBeLessThanOrEqual(160);
    expect(r.stderr).not.toMatch(/\x1b/);
  });

  it('an http check sees the body change: up, then degraded when it stops matching --expect', async () => {
    const url = `http://127.0.0.1:${httpPort}/health`;
    body = 'status: ok';
    const first = records((await corrAsync(['probe', url, '--expect', 'status: ok', '--once'])).stdout);
    expect(first[0]).toMatchObject({ check: 'http', outcome: 'up', status: 200, seen: 'status: ok' });
    body = 'status: maintenance';
    const second = records((await corrAsync(['probe', url, '--expect', 'status: ok', '--once'])).stdout);
    expect(second[0]).toMatchObject({ outcome: 'degraded', error: 'body', status: 200, seen: 'status: maintenance' });
    expect(second[0]!.digest).not.toBe(first[0]!.digest);
  });
});

describe('corr probe: a wrapped command that starts printing help text', () => {
  it('is a probe-error, not down, and the tool version change is recorded', async () => {
    const dir = tempDir();
    const tool = join(dir, 'tool');
    // Like the seed's coily: after an upgrade (2.42.0 → 2.43.0, on its 2nd use) it prints help and exits 1.
    writeFileSync(
      tool,
      `#!/bin/sh
d="${dir}"
if [ "$1" = "--version" ]; then
  if [ -f "$d/upgraded" ]; then echo "tool 2.43.0"; else echo "tool 2.42.0"; fi
  exit 0
fi
n=$(cat "$d/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$d/count"
[ $n -ge 2 ] && touch "$d/upgraded"
if [ -f "$d/upgraded" ]; then
  printf 'Usage: tool [command]\\n\\nAvailable Commands:\\n  ssh   open a shell\\n'
  exit 1
fi
echo alive
`,
    );
    chmodSync(tool, 0o755);
    const out = join(dir, 'watch.jsonl');
    const r = await corrAsync(['probe', `cmd:${tool} ssh host -- echo alive`, '--expect', '^alive$', '--every', '150ms', '--count', '3', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const recs = records(readFileSync(out, 'utf8'));
    const shape = recs.map((x) => (x.record ? `change:${x.what}` : `check:${x.outcome}`));
    expect(shape).toEqual(['change:tool-version', 'check:up', 'check:probe-error', 'change:new-failure', 'change:tool-version', 'check:probe-error']);
    expect(recs[0]).toMatchObject({ from: null, to: 'tool 2.42.0' });
    expect(recs[1]).toMatchObject({ seen: 'alive', exit: 0 });
    expect(recs[2]).toMatchObject({ error: 'output', exit: 1 });
    expect(String(recs[2]!.seen)).toContain('Usage: tool [command]');
    expect(recs[4]).toMatchObject({ from: 'tool 2.42.0', to: 'tool 2.43.0' });
    expect(recs[5]!.digest).toBe(recs[2]!.digest);
    expect(r.stderr).toContain('up -> probe-error');
    expect(r.stderr).toMatch(/1 up, 2 probe-error/);
  });

  it('a command that says the network failed is down, with the class of the failure', async () => {
    const r = await corrAsync(['probe', `cmd:echo "tcp dial kai-server:22: i/o timeout" >&2; exit 255`, '--expect', '^alive$', '--once']);
    const [rec] = records(r.stdout).filter((x) => !x.record);
    expect(rec).toMatchObject({ outcome: 'down', error: 'timeout', exit: 255, seen: 'tcp dial kai-server:22: i/o timeout' });
  });
});

describe('corr probe: ends cleanly and refuses bad input', () => {
  it('SIGINT ends the loop between writes: whole lines only, and a summary', async () => {
    const dir = tempDir();
    const r = await corrAsync(['probe', `tcp://127.0.0.1:${sshLike.port}`, '--every', '100ms', '--out', '-'], (child, text) => {
      if (text.split('\n').length > 3) child.kill('SIGINT');
    });
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(records(r.stdout).length).toBeGreaterThanOrEqual(3);
    expect(r.stderr).toMatch(/corr probe: tcp:\/\/127\.0\.0\.1:\d+: \d+ up/);
    expect(dir).toBeTruthy();
  });

  it.each([
    [['probe', 'gopher://x:70', '--once'], 'unknown check kind "gopher"'],
    [['probe', 'ssh://no-such-host.invalid', '--once'], 'cannot resolve host "no-such-host.invalid"'],
    [['probe', 'ssh://127.0.0.1', '--every', 'often'], '--every: expected a duration'],
    [['probe', 'tcp://127.0.0.1', '--once'], 'needs a port'],
    [['probe', 'ssh://127.0.0.1', '--once', '--out', '/nonexistent-dir/watch.jsonl'], '--out /nonexistent-dir/watch.jsonl: cannot write there'],
  ])('%j is one line and exit 2', async (args, message) => {
    const r = await corrAsync(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});
