/**
 * Runs one child process and measures it from outside: wall time (parent's monotonic clock, process
 * start included), CPU time and peak RSS. Peak RSS comes from GNU time (`/usr/bin/time -f %M`, the
 * child's ru_maxrss) when it is installed, else from polling /proc/<pid>/status VmHWM (a high-water
 * mark, so the last poll before exit is close to the peak).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME);
let seq = 0;

/**
 * With `discardStdout`, the child's stdout is /dev/null and `stdout` comes back empty.
 * @returns {Promise<{code: number, wallMs: number, cpuMs: number|null, peakRssMb: number|null, stdout: string, stderr: string}>}
 */
export function measure(cmd, args, { env, cwd, discardStdout = false } = {}) {
  const statsFile = join(tmpdir(), `corr-bench-${process.pid}-${seq++}.time`);
  const argv = hasGnuTime ? [GNU_TIME, '-o', statsFile, '-f', '%M %U %S', cmd, ...args] : [cmd, ...args];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // discardStdout: the output goes to /dev/null (a file, as far as the child can tell), not through a pipe to us.
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, cwd, stdio: ['ignore', discardStdout ? 'ignore' : 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout?.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    let polledKb = 0;
    const poll = hasGnuTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) polledKb = Math.max(polledKb, Number(m[1]));
          } catch {
            /* exited between polls */
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (poll) clearInterval(poll);
      let peakRssMb = polledKb ? polledKb / 1024 : null;
      let cpuMs = null;
      if (hasGnuTime && existsSync(statsFile)) {
        const last = readFileSync(statsFile, 'utf8').trim().split('\n').pop() ?? '';
        const [kb, user, sys] = last.split(/\s+/).map(Number);
        if (Number.isFinite(kb)) peakRssMb = kb / 1024;
        if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user + sys) * 1000;
        rmSync(statsFile, { force: true });
      }
      resolve({ code: code ?? -1, wallMs, cpuMs, peakRssMb, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
}
