#!/usr/bin/env node
/**
 * The `pretest` step: the HTML report's browser test needs a Chromium. When none is found and this
 * user may install packages (root on a Debian-like system with apt-get), install Debian's
 * `chromium`; otherwise say in one line how to get it and carry on — the browser test then fails
 * with that same line (never a skip), and every other test still runs.
 */
import { spawnSync } from 'node:child_process';
import { findChromium, HOW_TO_GET } from './chromium.mjs';

const found = findChromium();
if (found.path) process.exit(0);

const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (process.env.CHROMIUM_PATH || !isRoot || !hasAptGet) {
  process.stderr.write(`pretest: ${found.reason}\n`);
  process.exit(0);
}
process.stderr.write('pretest: no Chromium found; installing Debian\'s chromium package for the HTML report\'s browser test (apt-get, about a minute)\n');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env }) : update;
if (install.status !== 0 || !findChromium().path) process.stderr.write(`pretest: installing chromium failed; ${HOW_TO_GET}\n`);
