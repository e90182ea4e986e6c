/**
 * Message templates the simulator invents at random: a kernel driver's complaint or a service's
 * error, each with varying tokens (pids, hex, addresses, process names, numbers) so that only a
 * miner that masks those tokens sees one template. `template` is the form with placeholders, for
 * the ground truth; `render` writes one line of it.
 */
import type { Rng } from './random.js';

export interface Invented {
  template: string;
  /** Which skeleton it was made from (kernel and service skeletons are numbered apart). */
  skeleton: string;
  render(rng: Rng): string;
}

export const WORDS = [
  'reset', 'adapter', 'queue', 'stalled', 'firmware', 'descriptor', 'ring', 'link', 'timeout', 'hang', 'detected',
  'unit', 'transmit', 'completion', 'mailbox', 'doorbell', 'fault', 'recovering', 'watchdog', 'flush', 'backlog',
  'credit', 'starved', 'aborted', 'pending', 'requeue', 'lost', 'sync', 'handshake', 'lease', 'writer', 'journal',
];
export const DRIVERS = ['mlx5_core', 'ixgbe', 'nvme', 'xhci_hcd', 'i915', 'ena', 'virtio_net', 'bnxt_en', 'igb', 'e1000e', 'r8169', 'ath10k_pci', 'amdgpu', 'qede'];
const PROCS = ['java', 'postgres', 'node', 'python3', 'containerd-shim', 'dockerd', 'nginx', 'redis-server', 'k3s-server', 'etcd', 'rsync', 'ffmpeg'];

const pid = (rng: Rng): string => String(rng.int(120, 4_194_000));
const proc = (rng: Rng): string => (rng.chance(0.2) ? `kworker/${rng.int(0, 15)}:${rng.int(0, 9)}` : rng.pick(PROCS));
const num = (rng: Rng, lo = 1, hi = 99_999): string => String(rng.int(lo, hi));
const pci = (rng: Rng): string => `0000:${rng.hex(2)}:${rng.hex(2)}.${rng.int(0, 7)}`;
const ip = (rng: Rng): string => `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;

type Slot = (rng: Rng) => string;
interface Skeleton {
  parts: Array<string | [string, Slot]>;
}

/** Build an invented template from literal parts and typed slots. */
function fromParts(parts: Array<string | [string, Slot]>, skeleton: string): Invented {
  return {
    skeleton,
    template: parts.map((p) => (typeof p === 'string' ? p : p[0])).join(''),
    render: (rng) => parts.map((p) => (typeof p === 'string' ? p : p[1](rng))).join(''),
  };
}

const P = (s: Slot): [string, Slot] => ['<pid>', s];
const H = (n: number): [string, Slot] => ['<hex>', (rng) => rng.hex(n)];
const N = (lo?: number, hi?: number): [string, Slot] => ['<n>', (rng) => num(rng, lo, hi)];
const PROC: [string, Slot] = ['<proc>', proc];
const ADDR: [string, Slot] = ['<addr>', ip];
const PCI: [string, Slot] = ['<pci>', pci];

export function inventKernel(rng: Rng): Invented {
  const w = rng.sample(WORDS, 4);
  const drv = rng.pick(DRIVERS);
  const skeletons: Skeleton[] = [
    { parts: [`${drv} `, PCI, `: ${w[0]} ${w[1]} on queue `, N(0, 63), ' (pid ', P(pid), ', status 0x', H(8), ')'] },
    { parts: ['Out of memory: Killed process ', P(pid), ' (', PROC, ') total-vm:', N(), 'kB, anon-rss:', N(), 'kB, file-rss:0kB, shmem-rss:0kB, UID:', N(0, 2000), ' pgtables:', N(), 'kB oom_score_adj:', N(0, 1000)] },
    { parts: ['INFO: task ', PROC, ':', P(pid), ` ${w[0]} for more than `, N(120, 600), ' seconds.'] },
    { parts: [`${drv}: ${w[0]} ${w[1]} ${w[2]} at 0x`, H(16), ', ring ', N(0, 31), ' head 0x', H(4), ' tail 0x', H(4)] },
    { parts: ['watchdog: BUG: soft lockup - CPU#', N(0, 63), ' stuck for ', N(20, 60), 's! [', PROC, ':', P(pid), ']'] },
    { parts: [`${drv} `, PCI, `: ${w[0]} ${w[1]}: ${w[2]} ${w[3]} after `, N(10, 5000), ' ms [', PROC, ':', P(pid), ']'] },
  ];
  const k = rng.int(0, skeletons.length - 1);
  return fromParts(skeletons[k]!.parts, `kernel:${k}`);
}

export function inventService(rng: Rng): Invented {
  const w = rng.sample(WORDS, 3);
  const skeletons: Skeleton[] = [
    { parts: [`${w[0]} pool exhausted: `, N(2, 500), ' waiters, last conn ', ADDR, ':', N(1024, 65535), ' (req ', H(12), ')'] },
    { parts: ['upstream ', ADDR, ':', N(1024, 65535), ` ${w[0]} after `, N(100, 30000), 'ms, request id ', H(16)] },
    { parts: ['worker ', N(0, 64), ' (', PROC, `) ${w[0]} ${w[1]}: pid `, P(pid), ' rc=', N(1, 255)] },
    { parts: [`${w[0]} ${w[1]} for session `, H(8), '-', H(4), ': deadline ', N(100, 9000), 'ms exceeded'] },
  ];
  const k = rng.int(0, skeletons.length - 1);
  return fromParts(skeletons[k]!.parts, `service:${k}`);
}

/** A kernel oops register dump, the lines that follow a hung task or soft lockup. */
export function registerDump(rng: Rng): string[] {
  const h16 = (): string => rng.hex(16);
  return [
    `RIP: 0010:${rng.pick(['__schedule', 'mutex_lock', 'nvme_poll', 'mlx5_eq_int', 'queued_spin_lock_slowpath'])}+0x${rng.hex(3)}/0x${rng.hex(3)}`,
    `RSP: 0018:ffff${rng.hex(12)} EFLAGS: 00000${rng.pick(['246', '282', '206'])}`,
    `RAX: ${h16()} RBX: ${h16()} RCX: ${h16()}`,
    `RDX: ${h16()} RSI: ${h16()} RDI: ${h16()}`,
  ];
}
