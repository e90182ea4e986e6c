#!/usr/bin/env node
/**
 * The `pretest` step for the fleet tests (test/fleet/): they start their own ClickHouse server.
 * When none is found and this user may install packages (root with apt-get), install Debian's
 * `clickhouse-server` (the tests run the binary with their own config; the system service, if the
 * package starts one, is never used); otherwise say in one line how to get
 * it and carry on — the fleet tests then fail with that same line (never a skip).
 */
import { spawnSync } from 'node:child_process';
import { findClickHouse, HOW_TO_GET } from './clickhouse-server.mjs';

if (findClickHouse().path) process.exit(0);

const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (process.env.CLICKHOUSE_SERVER || !isRoot || !hasAptGet) {
  process.stderr.write(`pretest: ${HOW_TO_GET}\n`);
  process.exit(0);
}
const started = Date.now();
process.stderr.write("pretest: no ClickHouse server found; installing Debian's clickhouse-server for the fleet tests (apt-get, about 10 MB)\n");
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
const install = update.status === 0
  ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'clickhouse-server'], { stdio: ['ignore', 'ignore', 'inherit'], env })
  : update;
if (install.status !== 0 || !findClickHouse().path) process.stderr.write(`pretest: installing clickhouse-server failed; ${HOW_TO_GET}\n`);
else process.stderr.write(`pretest: clickhouse-server installed in ${Math.round((Date.now() - started) / 1000)} s\n`);
