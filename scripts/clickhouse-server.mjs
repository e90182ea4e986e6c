/**
 * A private ClickHouse server for corr's tests and the fleet bench: Debian's `clickhouse-server`
 * (18.16 or newer) started with a generated config — loopback only, free ports, data and logs under
 * a temp directory, a `corr` user with a password — and stopped after. Never the system service.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HOW_TO_GET = 'ClickHouse server not found: install it (Debian/Ubuntu: `sudo apt-get install clickhouse-server`; `npm test` as root installs it), or set CLICKHOUSE_SERVER to its binary';

/** The server binary: $CLICKHOUSE_SERVER, Debian's path, or one on PATH. */
export function findClickHouse() {
  const candidates = [process.env.CLICKHOUSE_SERVER, '/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'].filter(Boolean);
  for (const c of candidates) if (existsSync(c)) return { path: c, args: [] };
  const onPath = spawnSync('sh', ['-c', 'command -v clickhouse-server || command -v clickhouse'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  if (onPath) return { path: onPath, args: onPath.endsWith('/clickhouse') ? ['server'] : [] };
  return { path: null, reason: HOW_TO_GET };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export const USER = 'corr';
export const PASSWORD = 'corr-test-secret';

/**
 * Start a server. `shards`: optional list of {host, port} (native TCP ports; 'self' for this
 * server's own) making the cluster `corr_shards`, one shard each, whose tables default to database
 * `shardDatabase`.
 */
export async function startClickHouse({ shards = [], shardDatabase = 'corr_local' } = {}) {
  const bin = findClickHouse();
  if (!bin.path) throw new Error(bin.reason);
  const dir = mkdtempSync(join(tmpdir(), 'corr-clickhouse-'));
  for (const d of ['data', 'tmp', 'log', 'user_files', 'format_schemas']) mkdirSync(join(dir, d));
  const http = await freePort();
  const tcp = await freePort();
  const interserver = await freePort();
  const cluster = shards.length
    ? `<remote_servers><corr_shards>${shards.map((s) => `<shard><replica><host>${s.host}</host><port>${s.port === 'self' ? tcp : s.port}</port><user>${USER}</user><password>${PASSWORD}</password><default_database>${shardDatabase}</default_database></replica></shard>`).join('')}</corr_shards></remote_servers>`
    : '';
  writeFileSync(join(dir, 'config.xml'), `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <interserver_http_port>${interserver}</interserver_http_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
    <${USER}><password>${PASSWORD}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></${USER}>
  </users>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <quotas><default></default></quotas>
  ${cluster}
</yandex>
`);
  const child = spawn(bin.path, [...bin.args, `--config-file=${join(dir, 'config.xml')}`], { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`clickhouse-server exited (${child.exitCode}) at start: ${stderr.trim().split('\n').pop()}`);
    try {
      const r = await fetch(`http://127.0.0.1:${http}/ping`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`clickhouse-server did not answer on port ${http} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const server = {
    dir, http, tcp, pid: child.pid,
    /** A corr --db URL for a database on this server. */
    url: (database) => `clickhouse://${USER}:${PASSWORD}@127.0.0.1:${http}/${database}`,
    /** Run one statement as the corr user (tests' set-up, the bench's figures). */
    async query(sql) {
      const r = await fetch(`http://127.0.0.1:${http}/`, { method: 'POST', body: sql, headers: { 'X-ClickHouse-User': USER, 'X-ClickHouse-Key': PASSWORD } });
      const text = await r.text();
      if (!r.ok) throw new Error(text.trim());
      return text;
    },
    async stop() {
      // A test server holds nothing to keep: SIGKILL at once (stopping one with SIGTERM after the
      // parallel tests outlasted a 60 s hook on a loaded machine).
      const exited = (ms) => child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve(true)
        : Promise.race([new Promise((r) => child.once('exit', () => r(true))), new Promise((r) => setTimeout(() => r(false), ms))]);
      child.kill('SIGKILL');
      await exited(10_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
