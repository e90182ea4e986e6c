/**
 * Boot placement: the instant a boot segment of uptime-stamped kernel lines (raw dmesg, kmsg,
 * pstore, the `[  54.878462]` of kern.log) started, so that its lines can be placed in UTC. A time
 * rule, decided before any of the segment's rows is stored, from, in order:
 *   1. lines carrying both clocks in the segment itself, or the same lines already stored with a
 *      wall-clock time (their twins): the median of (wall instant − uptime);
 *   2. --boot-time (the boot running at capture time, i.e. the section's last segment);
 *   3. the capture's own `uptime -s`, `who -b`, `/proc/stat` btime, or `/proc/uptime` beside `date`,
 *      when the lines fit in it (the capture was taken after the last line);
 *   4. such a fact from another capture of the same host in the bundle, when the lines fit in it.
 * A segment none of these anchors stays unanchored: stored, listed, left out of time queries,
 * never placed at a guessed instant.
 *
 * `BootAnchorEstimator` is the seam: the bundle estimator (src/time/boot-placement.ts) replaces
 * `estimateBootAnchor` with one that sees the whole bundle's boot intervals.
 */
export interface BootFact {
  us: number;
  why: string;
}

/** A capture's boot fact and capture instant, by file. */
export interface BootFactsByFile {
  path: string;
  host: string;
  boot: BootFact | null;
  captureUs: number | null;
}

/** What the segment's own lines say. */
export interface BootSegmentEvidence {
  path: string;
  host: string;
  /** The section's last segment: the boot running when the capture was taken. */
  last: boolean;
  minUptimeUs: number | null;
  maxUptimeUs: number | null;
  /** (wall instant − uptime) of lines carrying both clocks. */
  pairs: readonly number[];
  /** (stored instant − uptime) of the same lines stored before with an instant. */
  twins: readonly number[];
  /** The bundle estimator's extras (src/time/boot-placement.ts): */
  /** 0 for the section's last segment, 1 for the one before …; undefined when not known (a stored boot). */
  fromEnd?: number;
  /** The wall stamps of `pairs` were whole seconds (syslog), not sub-second (journal short-precise). */
  pairsWholeSeconds?: boolean;
  /** (epoch − uptime) of `audit(EPOCH.ms:n)` stamps in uptime-only lines. */
  audit?: readonly number[];
  /** Raw lines matched to the same kernel messages in a journal or syslog. */
  matched?: { pairsUs: readonly number[]; resolutionUs: number; source: string } | null;
}

/** What the run knows about boots beyond the segment. */
export interface BootContext {
  bootUs?: number;
  bootText?: string;
  facts: readonly BootFactsByFile[];
  /** The bundle estimator's view of every capture's boot evidence, by path (src/time/boot-placement.ts). */
  captures?: ReadonlyMap<string, import('./boot-placement.js').CaptureBoots>;
}

export interface BootPlacement {
  anchor: BootFact | null;
  /** Said to the user when a fact was found but could not be used. */
  misfit: string | null;
  /** The bundle estimator's extras: half the placement interval (µs), what placed it, contradictions. */
  precisionUs?: number | null;
  evidence?: { used: string[]; rejected: string[] } | null;
  warnings?: string[];
}

export type BootAnchorEstimator = (segment: BootSegmentEvidence, context: BootContext) => BootPlacement;

/** Tolerance for "the capture was taken after the last line": clocks and rounding. */
export const FIT_SLACK_US = 120_000_000;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

function fits(seg: BootSegmentEvidence, bootUs: number, captureUs: number | null): boolean {
  if (seg.maxUptimeUs === null || captureUs === null) return true;
  return bootUs + seg.maxUptimeUs <= captureUs + FIT_SLACK_US;
}

/** Today's estimator: the order in this file's header. */
export const estimateBootAnchor: BootAnchorEstimator = (seg, ctx) => {
  const samples = [...seg.pairs, ...seg.twins];
  if (samples.length > 0) {
    const us = median(samples);
    const why = seg.pairs.length > 0
      ? `lines carrying both a wall-clock time and an uptime stamp (${samples.length} pairs)`
      : `boot time ${iso(us)} from the same lines read with a wall-clock time as well (${samples.length} pairs)`;
    return { anchor: { us, why }, misfit: null };
  }
  if (!seg.last) return { anchor: null, misfit: null };
  if (ctx.bootUs !== undefined) {
    return { anchor: { us: ctx.bootUs, why: `boot time from --boot-time ${ctx.bootText ?? ''}`.trim() }, misfit: null };
  }
  const own = ctx.facts.find((f) => f.path === seg.path);
  if (own?.boot && fits(seg, own.boot.us, own.captureUs)) {
    return { anchor: { us: own.boot.us, why: `boot time ${iso(own.boot.us)} from ${own.boot.why}` }, misfit: null };
  }
  // Another capture of the same host in the bundle: the latest boot the lines fit in.
  const candidates = ctx.facts
    .filter((f) => f.boot && f.host === seg.host && f.path !== seg.path)
    .filter((f) => fits(seg, f.boot!.us, own?.captureUs ?? f.captureUs))
    .sort((x, y) => y.boot!.us - x.boot!.us);
  const c = candidates[0];
  if (c) {
    return { anchor: { us: c.boot!.us, why: `boot time ${iso(c.boot!.us)} from ${c.boot!.why} in ${c.path} (same host ${seg.host}; assumed the same boot)` }, misfit: null };
  }
  const misfit = own?.boot && own.captureUs !== null
    ? `the boot time from ${own.boot.why} does not fit these lines: the newest (uptime ${((seg.maxUptimeUs ?? 0) / 1e6).toFixed(0)} s) would fall after the capture time ${iso(own.captureUs)}; not used`
    : null;
  return { anchor: null, misfit };
};

/** A UTC instant in µs as ISO-8601 with milliseconds, as assumptions name it. */
export function iso(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}
