/**
 * Twins: the same kernel line stored twice, once from raw dmesg (an uptime stamp, placed by its
 * boot's anchor) and once from a journal or syslog (a wall-clock stamp, no uptime). They are two
 * rows — evidence is never dropped — but one happening, so the less precise copy is marked
 * `twin_of` the other and every reader that counts or correlates leaves it out (docs/time.md).
 *
 * Which lines are the same: a host runs one boot at a time, so the host's wall-clock kernel lines
 * between a placed boot's first raw line and its last (plus the logging delay) are that boot's.
 * Within that window, per message (whitespace runs collapsed, as the boot matching compares them):
 *   1. a message exactly once on each side is the same line (the rule that placed the boot), when
 *      the wall copy is not before the raw one by more than the clocks' uncertainty;
 *   2. a repeated message is paired in order, occurrence by occurrence: one side's occurrences are
 *      a run of the other's (a ring buffer loses its oldest lines, a journal window starts or ends
 *      elsewhere) at one common offset (the placement's error plus a logging delay), so the run
 *      whose (wall − raw) offsets spread least is the alignment (of runs that fit equally well, a
 *      periodic message's, the one whose offset lies nearest the delays step 1 shows, or 0), taken
 *      when that spread is within the spread of those delays (at least a second, plus the stamp's
 *      resolution). A
 *      message whose copies fit no such run (a journal that dropped lines in the middle, rate
 *      limited) stays two events.
 *
 * Which copy is the twin (the less precise): the raw copy's instant is the kernel's own stamp,
 * placed within the boot's precision (±s); the wall copy's is when journald or syslog wrote it, to
 * its stamp's resolution (1 µs, or 1 s for a whole-second syslog stamp) plus a delay of unknown
 * size. The raw copy is kept when its boot's precision is no wider than the wall stamp's resolution
 * (a boot placed by these very matched lines always is); otherwise (a boot placed ±1 s by a btime
 * beside a journal with microseconds) the wall copy is kept and the raw one is the twin.
 */
import type { KernelRow, PlacedBoot, TwinLink, TwinStore } from '../../model/source.js';
import { kernelMessageKey } from './kernel-match.js';

export type { KernelRow, PlacedBoot, TwinLink, TwinStore };

/**
 * How far after a boot's last raw line its wall copies are looked for: the end of a ring buffer is
 * read live by journald and syslog (a delay of milliseconds), so this only has to be past any clock
 * rounding; 120 s is the slack the boot placement already allows for clocks and rounding.
 */
export const TWIN_HORIZON_US = 120_000_000;

/** The window of wall-clock instants a placed boot's twins can lie in. */
export function twinWindow(b: PlacedBoot): { fromUs: number; toUs: number } {
  const p = b.precisionUs ?? 1_000_000;
  return { fromUs: b.anchorUs + b.minUptimeUs - p - 1_000_000, toUs: b.anchorUs + b.maxUptimeUs + TWIN_HORIZON_US };
}

/** The stamp resolution of a wall-clock copy: a whole second when it has no fraction, else 1 µs. */
function resolutionUs(tsUs: number): number {
  return tsUs % 1_000_000 === 0 ? 1_000_000 : 1;
}

/**
 * The twin links between a placed boot's raw rows and its host's wall-clock kernel rows (in its
 * window), leaving out rows already linked. Deterministic: the same rows give the same links.
 */
export function pairKernelTwins(boot: PlacedBoot, raw: readonly KernelRow[], wall: readonly KernelRow[]): TwinLink[] {
  const precision = boot.precisionUs ?? 1_000_000;
  const byMessage = new Map<string, { raw: KernelRow[]; wall: KernelRow[] }>();
  const group = (k: string) => {
    let g = byMessage.get(k);
    if (!g) byMessage.set(k, (g = { raw: [], wall: [] }));
    return g;
  };
  for (const r of raw) group(kernelMessageKey(r.message)).raw.push(r);
  for (const w of wall) group(kernelMessageKey(w.message)).wall.push(w);
  const tolerance = (w: KernelRow) => precision + resolutionUs(w.tsUs);
  const pairs: { r: KernelRow; w: KernelRow }[] = [];
  // 1. Messages once on each side: the spread of the delays they show bounds step 2.
  let minDelay = Infinity;
  let maxDelay = -Infinity;
  const repeated: { raw: KernelRow[]; wall: KernelRow[] }[] = [];
  for (const g of byMessage.values()) {
    if (g.raw.length === 0 || g.wall.length === 0) continue;
    if (g.raw.length === 1 && g.wall.length === 1) {
      const r = g.raw[0]!;
      const w = g.wall[0]!;
      const delay = w.tsUs - r.tsUs;
      if (delay < -tolerance(w)) continue;
      pairs.push({ r, w });
      if (delay < minDelay) minDelay = delay;
      if (delay > maxDelay) maxDelay = delay;
    } else repeated.push(g);
  }
  const spreadSeen = maxDelay >= minDelay ? maxDelay - minDelay : 0;
  // 2. Repeated messages: one side's occurrences are a run of the other's (a ring buffer loses its
  // oldest lines, a journal window starts or ends elsewhere), shifted by one common offset (the
  // placement's error plus a logging delay). The run whose offsets spread least is the alignment,
  // when that spread is within the delays' spread seen in step 1 (at least a second: live lines
  // are written milliseconds late, and one occurrence further is as far as the gap between two).
  for (const g of repeated) {
    const rs = [...g.raw].sort((a, b) => a.tsUs - b.tsUs || a.id - b.id);
    const ws = [...g.wall].sort((a, b) => a.tsUs - b.tsUs || a.id - b.id);
    const n = Math.min(rs.length, ws.length);
    const res = Math.max(...ws.map((w) => resolutionUs(w.tsUs)));
    const bound = Math.max(spreadSeen, 1_000_000) + res;
    // Step 1's delays are where a right offset lies; with none, at the placement itself (0).
    const expectLo = Number.isFinite(minDelay) ? minDelay : 0;
    const expectHi = Number.isFinite(maxDelay) ? maxDelay : 0;
    let best: { k: number; spread: number; off: number } | null = null;
    for (let k = 0; k <= Math.abs(ws.length - rs.length); k++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const r = rs.length <= ws.length ? rs[i]! : rs[i + k]!;
        const w = rs.length <= ws.length ? ws[i + k]! : ws[i]!;
        const d = w.tsUs - r.tsUs;
        if (d < lo) lo = d;
        if (d > hi) hi = d;
      }
      // A periodic message fits several runs equally well: the one whose offset lies nearest the
      // delays seen decides (an occurrence further is a whole period off).
      const mid = (lo + hi) / 2;
      const off = mid < expectLo ? expectLo - mid : mid > expectHi ? mid - expectHi : 0;
      const spread = hi - lo;
      if (!best || spread < best.spread - res || (spread <= best.spread + res && off < best.off)) best = { k, spread, off };
    }
    if (!best || best.spread > bound) continue;
    for (let i = 0; i < n; i++) {
      pairs.push(rs.length <= ws.length ? { r: rs[i]!, w: ws[i + best.k]! } : { r: rs[i + best.k]!, w: ws[i]! });
    }
  }
  const out: TwinLink[] = [];
  for (const { r, w } of pairs) {
    if (r.linked || w.linked) continue;
    out.push(precision <= resolutionUs(w.tsUs) ? { twinId: w.id, ofId: r.id } : { twinId: r.id, ofId: w.id });
  }
  return out.sort((a, b) => a.twinId - b.twinId);
}

/**
 * Link the twins of every placed boot of these hosts whose window meets [fromUs, toUs] (all of them
 * when no range is given), plus the boots named in `boots`. Returns how many rows became twins.
 */
export function linkKernelTwins(store: TwinStore, hosts: Iterable<string>, range: { fromUs: number; toUs: number } | null, boots: ReadonlySet<number> = new Set()): number {
  let n = 0;
  for (const host of new Set(hosts)) {
    for (const b of store.placedBoots(host)) {
      const win = twinWindow(b);
      if (!boots.has(b.id) && range && (win.toUs < range.fromUs || win.fromUs > range.toUs)) continue;
      // The wall side first: a host whose journal or syslog holds no kernel line in the window (the
      // common case: raw dmesg beside `journalctl -u k3s`) then costs one index probe, not a fetch
      // of every raw row of the boot (300,000 rows and their messages at 1M lines, ~60 MB live at
      // once: enough to double the heap's next collection limit and the run's peak RSS).
      const wall = store.wallKernelRowsIn(host, win.fromUs, win.toUs);
      if (wall.length === 0) continue;
      const raw = store.bootKernelRows(b.id);
      if (raw.length === 0) continue;
      const links = pairKernelTwins(b, raw, wall);
      if (links.length > 0) n += store.linkTwins(links);
    }
  }
  return n;
}
