/**
 * Kernel ring-buffer messages: names the few kinds an outage investigation cares about (bridge and
 * veth churn, link changes, conntrack exhaustion, OOM kills, SYN floods, AppArmor denials, boots,
 * panics) and keeps everything else as `kernel.other`.
 *
 * The message arrives already framed (no `[ 54.8]` uptime stamp, no syslog prefix). Log content is
 * hostile, so every pattern is either anchored at the start or led by a literal and uses bounded
 * quantifiers: no pattern can backtrack quadratically on a 100k-character line.
 */
import type { Fields, Severity } from '../types.js';
import type { Classification } from './classification.js';

/** Kernel log levels 0..7 (KERN_EMERG..KERN_DEBUG). Facility bits above 7 are ignored. */
export function severityFromKernelPriority(priority: number): Severity {
  const level = priority & 7;
  if (level <= 2) return 'critical';
  if (level === 3) return 'error';
  if (level === 4) return 'warning';
  if (level === 5) return 'notice';
  if (level === 6) return 'info';
  return 'debug';
}

interface KernelMatch {
  name: string;
  severity: Severity;
  fields: Fields;
}

type Matcher = (message: string) => KernelMatch | null;

// `br-33693122cf09: port 8(veth2cbbca2) entered blocking state`, `docker0: port 2(veth9a1b) entered disabled state`.
const BRIDGE_STATE = /^([^\s:]{1,64}): port (\d{1,5})\(([^\s()]{1,64})\) entered ([a-z]{1,20}) state/;
// `eth0: renamed from veth5f2a1b3`.
const RENAMED = /^([^\s:]{1,64}): renamed from ([^\s:]{1,64})\s*$/;
// Old form `device veth2cbbca2 entered promiscuous mode`; 6.x form `veth2cbbca2: entered promiscuous mode`.
const DEVICE_MODE = /^device ([^\s:]{1,64}) (entered|left) (promiscuous|allmulticast) mode/;
const IFACE_MODE = /^([^\s:]{1,64}): (entered|left) (promiscuous|allmulticast) mode/;
// `IPv6: ADDRCONF(NETDEV_CHANGE): vethX: link becomes ready`, `IPv6: ADDRCONF(NETDEV_UP): eth0: link is not ready`.
const ADDRCONF = /^IPv6: ADDRCONF\((NETDEV_[A-Z]{1,16})\): ([^\s:]{1,64}): link (becomes ready|is not ready)/;
// `Linux version 5.15.0-136-generic (buildd@...) ...`.
const LINUX_VERSION = /^Linux version (\S{1,128})/;
// `java[1234]: segfault at 0 ip ... sp ... error 4 in libc.so.6`.
const SEGFAULT = /^([^\s[]{1,64})\[(\d{1,10})\]: segfault at ([0-9a-fA-F]{1,20})/;
// `traps: java[1234] general protection fault ip:... sp:... error:0 in libc.so.6`.
const GENERAL_PROTECTION = /^traps: ([^\s[]{1,64})\[(\d{1,10})\] general protection/;
const KILLED_PROCESS = /Killed process (\d{1,10}) \(([^)]{0,64})\)/;
const OOM_KILL_TASK = /^oom-kill:.{0,2000}?,task=([^,\s]{1,64}),pid=(\d{1,10})/;
const INVOKED_OOM = /^([^\s]{1,64}) invoked oom-killer/;
// `TCP: request_sock_TCP: Possible SYN flooding on port 22. Sending cookies.`; newer kernels print `[::]:22`.
const SYN_FLOOD = /Possible SYN flooding on port (\S{1,80}?)\. (Sending cookies|Dropping request)/;
const KEY_VALUE = /([A-Za-z_]{1,32})=("[^"]{0,512}"|[^\s"]{1,512})/g;

function bridgeState(message: string): KernelMatch | null {
  const m = BRIDGE_STATE.exec(message);
  if (!m) return null;
  return {
    name: 'bridge_state',
    severity: 'info',
    fields: { bridge: m[1]!, port: Number(m[2]), iface: m[3]!, state: m[4]! },
  };
}

function vethRename(message: string): KernelMatch | null {
  const m = RENAMED.exec(message);
  if (!m) return null;
  return { name: 'veth_rename', severity: 'info', fields: { iface: m[1]!, from: m[2]! } };
}

function interfaceMode(message: string): KernelMatch | null {
  const m = DEVICE_MODE.exec(message) ?? IFACE_MODE.exec(message);
  if (!m) return null;
  return {
    name: m[3]!,
    severity: 'info',
    fields: { iface: m[1]!, mode: m[3]!, action: m[2]! },
  };
}

/** The interface named just before `: Link is Up`, `NIC Link is Down`: the last token before it. */
function ifaceBefore(message: string, at: number): string | null {
  const head = message.slice(Math.max(0, at - 200), at).replace(/:$/, '');
  const token = head.slice(head.lastIndexOf(' ') + 1).replace(/:$/, '');
  return token.length > 0 && token.length <= 64 ? token : null;
}

function linkState(message: string): KernelMatch | null {
  const addrconf = ADDRCONF.exec(message);
  if (addrconf) {
    const up = addrconf[3] === 'becomes ready';
    return { name: 'link_state', severity: 'info', fields: { iface: addrconf[2]!, state: up ? 'up' : 'down' } };
  }
  // Driver forms: `e1000e: eth0 NIC Link is Down`, `igb 0000:01:00.0 eth0: Link is Up 1000 Mbps Full Duplex`,
  // `r8169 0000:02:00.0 enp2s0: Link is Up - 1Gbps/Full`.
  for (const [needle, state] of [
    ['Link is Up', 'up'],
    ['Link is Down', 'down'],
    ['link is up', 'up'],
    ['link is down', 'down'],
  ] as const) {
    const at = message.indexOf(needle);
    if (at <= 0 || message[at - 1] !== ' ') continue;
    let before = at - 1;
    if (message.slice(Math.max(0, before - 3), before) === 'NIC') before -= 4;
    const iface = ifaceBefore(message, before);
    if (!iface) continue;
    return { name: 'link_state', severity: state === 'down' ? 'warning' : 'info', fields: { iface, state } };
  }
  return null;
}

function conntrackFull(message: string): KernelMatch | null {
  if (!message.includes('table full, dropping packet')) return null;
  return { name: 'conntrack_full', severity: 'error', fields: {} };
}

function oomKill(message: string): KernelMatch | null {
  const killed = message.includes('Killed process') ? KILLED_PROCESS.exec(message) : null;
  if (killed) {
    return { name: 'oom_kill', severity: 'error', fields: { pid: Number(killed[1]), process: killed[2]! } };
  }
  const task = OOM_KILL_TASK.exec(message);
  if (task) return { name: 'oom_kill', severity: 'error', fields: { pid: Number(task[2]), process: task[1]! } };
  const invoked = INVOKED_OOM.exec(message);
  if (invoked) return { name: 'oom_kill', severity: 'error', fields: { process: invoked[1]! } };
  if (message.startsWith('Out of memory')) return { name: 'oom_kill', severity: 'error', fields: {} };
  return null;
}

function segfault(message: string): KernelMatch | null {
  const m = SEGFAULT.exec(message);
  if (m) return { name: 'segfault', severity: 'warning', fields: { process: m[1]!, pid: Number(m[2]), address: m[3]! } };
  const gp = GENERAL_PROTECTION.exec(message);
  if (gp) return { name: 'segfault', severity: 'warning', fields: { process: gp[1]!, pid: Number(gp[2]), fault: 'general_protection' } };
  return null;
}

function synFlood(message: string): KernelMatch | null {
  if (!message.includes('SYN flooding')) return null;
  const m = SYN_FLOOD.exec(message);
  if (!m) return null;
  const port = /(\d{1,5})$/.exec(m[1]!);
  const fields: Fields = port ? { port: Number(port[1]) } : {};
  return { name: 'syn_flood', severity: 'warning', fields };
}

/** `audit: type=1400 audit(...): apparmor="DENIED" operation="open" profile="/usr/sbin/ntpd" name="/etc/x" pid=1368 comm="ntpd"`. */
function apparmorDenied(message: string): KernelMatch | null {
  if (!message.includes('apparmor="DENIED"')) return null;
  const fields: Fields = {};
  // Real audit records are well under 4 KiB; a longer one is not worth scanning past that.
  for (const m of message.slice(0, 4096).matchAll(KEY_VALUE)) {
    const key = m[1]!;
    if (!['operation', 'profile', 'name', 'comm', 'pid', 'requested_mask', 'denied_mask', 'capname'].includes(key)) continue;
    if (key in fields) continue;
    const raw = m[2]!.startsWith('"') ? m[2]!.slice(1, -1) : m[2]!;
    fields[key] = key === 'pid' && /^\d{1,10}$/.test(raw) ? Number(raw) : raw;
  }
  return { name: 'apparmor_denied', severity: 'warning', fields };
}

function boot(message: string): KernelMatch | null {
  const m = LINUX_VERSION.exec(message);
  if (!m) return null;
  return { name: 'boot', severity: 'notice', fields: { version: m[1]! } };
}

function panic(message: string): KernelMatch | null {
  if (!message.startsWith('Kernel panic - not syncing')) return null;
  return { name: 'panic', severity: 'critical', fields: {} };
}

/** `INFO: task kworker/0:1:123 blocked for more than 120 seconds.` */
function hungTask(message: string): KernelMatch | null {
  if (!message.startsWith('INFO: task ') || !message.includes(' blocked for more than ')) return null;
  return { name: 'hung_task', severity: 'warning', fields: {} };
}

const MATCHERS: Matcher[] = [
  bridgeState,
  vethRename,
  interfaceMode,
  linkState,
  conntrackFull,
  oomKill,
  segfault,
  synFlood,
  apparmorDenied,
  boot,
  panic,
  hungTask,
];

/** Classify one kernel message (no uptime stamp, no syslog prefix). */
export function classifyKernel(message: string): Classification {
  const text = message.trimStart();
  for (const matcher of MATCHERS) {
    const found = matcher(text);
    if (found) return { source: 'kernel', kind: `kernel.${found.name}`, severity: found.severity, fields: found.fields };
  }
  return { source: 'kernel', kind: 'kernel.other', severity: 'info', fields: {} };
}
