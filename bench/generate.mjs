/**
 * Writes a deterministic, mixed diagnostic bundle of N lines for the benchmark (never used by tests):
 *
 *   diag/output.txt  capture file: date, hostname, timedatectl, uptime -s, raw dmesg (uptime stamps),
 *                    and the k3s journal (syslog-framed klog and logrus lines, local time, no year)
 *   diag/auth.log    sshd with a brute force (syslog, local time, no year)
 *   diag/watch.log   the probe (UTC)
 *
 * Shares: kernel 30 %, k3s 35 %, sshd 30 %, probe 5 %, spread over the 6½ days between the boot and
 * the capture, so the density (and the size of a 15-minute window) grows with N. The probe sees
 * eight six-minute outages (as many as the seed incident), whatever N. Files are written
 * in bounded chunks (memory stays flat at any N). The same N always gives the same bytes (a seeded
 * PRNG, no clock); auth.log and watch.log get the capture instant as mtime so year inference for
 * the year-less auth.log is deterministic too.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// The project's one PRNG (src/correlate/prng.ts; run npm run build first).
import { mulberry32 as prng } from '../dist/correlate/prng.js';

export const GENERATOR_VERSION = 2;
export const ZONE = 'America/Los_Angeles';
/** PDT throughout the span (no DST change inside it). */
const OFFSET_MS = -7 * 3600_000;
export const BOOT_UTC_MS = Date.UTC(2026, 4, 20, 15, 12, 33); // 2026-05-20 08:12:33 PDT
export const CAPTURE_UTC_MS = Date.UTC(2026, 4, 27, 2, 53, 9); // 2026-05-26 19:53:09 PDT
const START_UTC_MS = BOOT_UTC_MS + 120_000;
const END_UTC_MS = CAPTURE_UTC_MS - 60_000;
const HOST = 'kai-server';
const SHARES = { kernel: 0.3, k3s: 0.35, sshd: 0.3 }; // probe: the rest


const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => (n < 10 ? '0' + n : String(n));
const p6 = (n) => String(n).padStart(6, '0');

/** Local wall-clock pieces of a UTC instant (fixed PDT offset: the span has no DST change). */
function wall(utcMs) {
  const d = new Date(utcMs + OFFSET_MS);
  return { mon: d.getUTCMonth(), day: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(), year: d.getUTCFullYear() };
}

function syslogStamp(utcMs) {
  const w = wall(utcMs);
  return `${MONTHS[w.mon]} ${w.day < 10 ? ' ' + w.day : w.day} ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}`;
}

/** Buffered line writer: one writeSync per ~1 MB. */
class LineSink {
  constructor(path) {
    this.fd = openSync(path, 'w');
    this.parts = [];
    this.size = 0;
    this.lines = 0;
    this.bytes = 0;
  }
  line(s) {
    this.parts.push(s);
    this.size += s.length + 1;
    this.lines++;
    if (this.size > 1 << 20) this.flush();
  }
  flush() {
    if (!this.parts.length) return;
    const buf = Buffer.from(this.parts.join('\n') + '\n', 'utf8');
    writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.parts = [];
    this.size = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

const hex = (rnd, n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[(rnd() * 16) | 0];
  return s;
};
const ip = (rnd) => `${1 + ((rnd() * 222) | 0)}.${(rnd() * 256) | 0}.${(rnd() * 256) | 0}.${1 + ((rnd() * 254) | 0)}`;
const USERS = ['root', 'admin', 'ubuntu', 'test', 'oracle', 'postgres', 'git', 'user', 'ftpuser', 'deploy', 'pi', 'guest', 'support', 'hadoop', 'minecraft'];

/** Instants for n lines of one source, in order, evenly spread with jitter. */
function* instants(n, rnd) {
  const step = (END_UTC_MS - START_UTC_MS) / Math.max(n, 1);
  for (let i = 0; i < n; i++) yield Math.floor(START_UTC_MS + i * step + rnd() * step * 0.9);
}

function kernelLine(rnd, utcMs, state) {
  const up = (utcMs - BOOT_UTC_MS) * 1000 + ((rnd() * 1000) | 0);
  const stamp = `[${String(Math.floor(up / 1e6)).padStart(5, ' ')}.${p6(up % 1e6)}]`;
  const r = rnd();
  if (r < 0.55) {
    // Bridge churn: a veth pair joining and leaving the CNI bridge.
    if (state.step === 0) state.veth = 'veth' + hex(rnd, 7);
    const msgs = ['entered blocking state', 'entered disabled state', 'entered forwarding state'];
    const m = `${stamp} br-3c513aec860c: port ${1 + ((rnd() * 4) | 0)}(${state.veth}) ${msgs[state.step]}`;
    state.step = (state.step + 1) % 3;
    return m;
  }
  if (r < 0.7) return `${stamp} device veth${hex(rnd, 7)} entered promiscuous mode`;
  if (r < 0.8) return `${stamp} IPv6: ADDRCONF(NETDEV_CHANGE): veth${hex(rnd, 7)}: link becomes ready`;
  if (r < 0.9) return `${stamp} eth0: renamed from veth${hex(rnd, 7)}`;
  const pid = 2_000_000 + ((rnd() * 400_000) | 0);
  return `${stamp} audit: type=1400 audit(${Math.floor(utcMs / 1000)}.${String(utcMs % 1000).padStart(3, '0')}:${(rnd() * 9999) | 0}): apparmor="DENIED" operation="ptrace" class="ptrace" profile="cri-containerd.apparmor.d" pid=${pid} comm="pidof" requested_mask="read" denied_mask="read" peer="unconfined"`;
}

function k3sLine(rnd, utcMs) {
  const w = wall(utcMs);
  const frac = p6((utcMs % 1000) * 1000 + ((rnd() * 1000) | 0));
  const head = `${syslogStamp(utcMs)} ${HOST} k3s[1187]: `;
  const klogTime = `${p2(w.mon + 1)}${p2(w.day)} ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}.${frac}`;
  const r = rnd();
  if (r < 0.12) return `${head}E${klogTime}    1187 writers.go:118] "Unhandled Error" err="apiserver was unable to write a JSON response: http: Handler timeout" logger="UnhandledError"`;
  if (r < 0.2) return `${head}E${klogTime}    1187 leaderelection.go:429] Failed to update lock optimitically: Put "https://127.0.0.1:6443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/k3s": context deadline exceeded, falling back to slow path`;
  if (r < 0.45) return `${head}I${klogTime}    1187 scope.go:117] "RemoveContainer" containerID="${hex(rnd, 64)}"`;
  if (r < 0.7) return `${head}I${klogTime}    1187 event.go:389] "Event occurred" object="forgejo/forgejo-runner-${hex(rnd, 5)}" fieldPath="" kind="Pod" apiVersion="v1" type="Normal" reason="Started" message="Started container"`;
  if (r < 0.85) return `${head}I${klogTime}    1187 job_controller.go:566] "enqueueing job" key="forgejo/forgejo-runner-cleanup-${29_000_000 + ((rnd() * 999_999) | 0)}"`;
  if (r < 0.93) return `${head}W${klogTime}    1187 reflector.go:561] k8s.io/client-go/informers/factory.go:160: failed to list *v1.Pod: the server was unable to return a response in the time allotted`;
  const ms = (rnd() * 3) + 1;
  return `${head}time="${w.year}-${p2(w.mon + 1)}-${p2(w.day)}T${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}-07:00" level=info msg="Slow SQL (started: ${w.year}-${p2(w.mon + 1)}-${p2(w.day)} ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}.${frac} -0700 PDT m=+${((utcMs - BOOT_UTC_MS) / 1000).toFixed(6)}) (total time: ${ms.toFixed(6)}s): SELECT MAX(rkv.id) AS id FROM kine AS rkv : []"`;
}

function sshdLine(rnd, utcMs, state) {
  const head = `${syslogStamp(utcMs)} ${HOST} sshd[`;
  if (state.left === 0) {
    // A new attempt: a brute-forcing address tries one user over a few lines.
    state.left = 3;
    state.pid = 50_000 + ((rnd() * 900_000) | 0);
    state.port = 1024 + ((rnd() * 64_000) | 0);
    state.user = rnd() < 0.3 ? 'root' : USERS[(rnd() * USERS.length) | 0] + (rnd() < 0.5 ? String((rnd() * 100) | 0) : '');
    if (rnd() < 0.02 || !state.ip) state.ip = rnd() < 0.8 ? '60.163.139.198' : ip(rnd);
  }
  const step = 3 - state.left;
  state.left--;
  const pre = `${head}${state.pid}]: `;
  if (rnd() < 0.01) return `${pre}Accepted publickey for kai from 192.168.1.${10 + ((rnd() * 20) | 0)} port ${state.port} ssh2: ED25519 SHA256:${hex(rnd, 43)}`;
  if (state.user === 'root') {
    if (step === 0) return `${pre}pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${state.ip}  user=root`;
    if (step === 1) return `${pre}Failed password for root from ${state.ip} port ${state.port} ssh2`;
    return `${pre}Connection closed by authenticating user root ${state.ip} port ${state.port} [preauth]`;
  }
  if (step === 0) return `${pre}Invalid user ${state.user} from ${state.ip} port ${state.port}`;
  if (step === 1) return `${pre}Failed password for invalid user ${state.user} from ${state.ip} port ${state.port} ssh2`;
  return `${pre}Disconnected from invalid user ${state.user} ${state.ip} port ${state.port} [preauth]`;
}

/** Eight outages of six minutes, evenly spaced, as in the seed incident: the probe sees them. */
const OUTAGES = Array.from({ length: 8 }, (_, k) => {
  const start = Math.floor(START_UTC_MS + ((k + 1) * (END_UTC_MS - START_UTC_MS)) / 9);
  return [start, start + 6 * 60_000];
});
const inOutage = (utcMs) => OUTAGES.some(([a, b]) => utcMs >= a && utcMs < b);

function probeLine(rnd, utcMs, state) {
  const ts = new Date(Math.floor(utcMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  if (inOutage(utcMs) === state.alive) {
    state.alive = !state.alive;
    return state.alive
      ? `${ts} target=${HOST} dead -> alive down_for=${60 + ((rnd() * 400) | 0)}s snapshot=/tmp/host-diag/recover-${ts.slice(11, 19).replace(/:/g, '')}.txt`
      : `${ts} target=${HOST} alive -> dead exit=255 err="tcp dial ${HOST}:22: i/o timeout"`;
  }
  return `${ts} target=${HOST} state=${state.alive ? 'alive' : 'dead'} exit=${state.alive ? 0 : 255}`;
}

function localIso(utcMs) {
  const w = wall(utcMs);
  return `${w.year}-${p2(w.mon + 1)}-${p2(w.day)} ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}`;
}

/** Generate (or reuse, when the manifest matches) the bundle of `total` lines under `dir`. */
export function generateBundle(dir, total) {
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (m.version === GENERATOR_VERSION && m.total === total) return m;
  }
  rmSync(dir, { recursive: true, force: true });
  const diag = join(dir, 'diag');
  mkdirSync(diag, { recursive: true });
  const nKernel = Math.round(total * SHARES.kernel);
  const nK3s = Math.round(total * SHARES.k3s);
  const nSshd = Math.round(total * SHARES.sshd);
  const facts = [
    '===== date =====', 'Tue May 26 19:53:09 PDT 2026',
    '===== hostname =====', HOST,
    '===== timedatectl =====',
    '               Local time: Tue 2026-05-26 19:53:09 PDT',
    '           Universal time: Wed 2026-05-27 02:53:09 UTC',
    '                Time zone: America/Los_Angeles (PDT, -0700)',
    '===== uptime -s =====', localIso(BOOT_UTC_MS),
    '===== dmesg =====',
  ];
  const headerLines = facts.length + 1; // + the journal header
  const nProbe = Math.max(total - nKernel - nK3s - nSshd - headerLines, 1);

  const out = new LineSink(join(diag, 'output.txt'));
  for (const f of facts) out.line(f);
  let rnd = prng(1);
  const kstate = { step: 0, veth: '' };
  for (const t of instants(nKernel, rnd)) out.line(kernelLine(rnd, t, kstate));
  out.line('===== journalctl -u k3s --no-pager =====');
  rnd = prng(2);
  for (const t of instants(nK3s, rnd)) out.line(k3sLine(rnd, t));
  out.close();

  const auth = new LineSink(join(diag, 'auth.log'));
  rnd = prng(3);
  const sstate = { left: 0 };
  for (const t of instants(nSshd, rnd)) auth.line(sshdLine(rnd, t, sstate));
  auth.close();

  const watch = new LineSink(join(diag, 'watch.log'));
  rnd = prng(4);
  const pstate = { alive: true };
  for (const t of instants(nProbe, rnd)) watch.line(probeLine(rnd, t, pstate));
  watch.close();

  const capture = new Date(CAPTURE_UTC_MS);
  utimesSync(join(diag, 'auth.log'), capture, capture);
  utimesSync(join(diag, 'watch.log'), capture, capture);
  const files = [out, auth, watch];
  const manifest = {
    version: GENERATOR_VERSION,
    total,
    lines: files.reduce((n, f) => n + f.lines, 0),
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    perSource: { kernel: nKernel, k3s: nK3s, sshd: nSshd, probe: nProbe, headers: headerLines },
    span: { start: new Date(START_UTC_MS).toISOString(), end: new Date(END_UTC_MS).toISOString() },
  };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return manifest;
}

const USAGE = `node bench/generate.mjs DIR LINES

Writes a deterministic diagnostic bundle of about LINES lines to DIR/diag (output.txt with dmesg and
the k3s journal, auth.log, watch.log) for the benchmark; the same LINES always gives the same bytes.
npm run bench calls it itself; run it alone to get a large bundle for trying corr by hand:

  node bench/generate.mjs /tmp/big 1000000 && npx corr --db /tmp/big/corr.db ingest /tmp/big/diag
`;

// Run as a script (not imported by bench/run.mjs): DIR LINES, or --help.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    process.exit(args.length === 0 ? 2 : 0);
  }
  const [dir, n] = args;
  const lines = Number(String(n ?? '').replace(/_/g, ''));
  if (!dir || !Number.isInteger(lines) || lines < 1000) {
    process.stderr.write('generate: expected DIR and a whole number of LINES of at least 1000 (see --help)\n');
    process.exit(2);
  }
  const m = generateBundle(dir, lines);
  process.stdout.write(`${join(dir, 'diag')}: ${m.lines} lines, ${m.bytes} bytes\n`);
}
