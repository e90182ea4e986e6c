/**
 * Options shared by several commands, and the helpers that turn them into values (with usage
 * errors that name the option and quote what was typed).
 */
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { parseInstant, parseTimeRange, resolveZone, type TimeContext } from '../time/expressions.js';
import { openStoreAt, type OpenedStore } from '../store/factory.js';
import { createRequire } from 'node:module';
import type { OptionTable } from './plain-line.js';

/** re2js (~50 ms to load) only for a command line that has a --grep. */
let re2js: typeof import('re2js').RE2JS | null = null;
const RE2 = (): typeof import('re2js').RE2JS => (re2js ??= (createRequire(import.meta.url)('re2js') as typeof import('re2js')).RE2JS);

export interface GlobalArgs {
  db?: string;
  json?: boolean;
}

export function dbPath(args: GlobalArgs): string {
  return args.db ?? process.env.CORR_DB ?? './corr.db';
}

/** The store --db names (an SQLite file, or a clickhouse:// URL), opened for reading. */
export function openForRead(args: GlobalArgs): OpenedStore {
  return openStoreAt(dbPath(args), { readonly: true });
}

/** The time window's options, as data (yargs and the plain-line reader of plain-line.ts both read them). */
export const TIME_RANGE_OPTIONS = {
  since: { type: 'string', describe: 'start of the window (inclusive): "2026-05-26 17:15 PT", ISO-8601, "2 hours ago"' },
  until: { type: 'string', describe: 'end of the window (exclusive); a bare clock time takes --since\'s date' },
  tz: { type: 'string', describe: 'zone for times that name none, and display zone (IANA name or PT/MT/CT/ET/UTC)' },
  ref: { type: 'string', describe: 'the "now" that relative and clock-only times count from (timeline: default the store\'s last event)' },
} as const satisfies OptionTable;

export function withTimeRange<T>(y: Argv<T>) {
  return y.options(TIME_RANGE_OPTIONS);
}

export interface TimeRangeArgs {
  since?: string;
  until?: string;
  tz?: string;
  ref?: string;
}

export interface ResolvedRange {
  sinceUs?: number;
  untilUs?: number;
  zone: string | undefined;
  notes: string[];
  /** The "now" relative times counted from, and where it came from. */
  refMs?: number;
  refFrom?: 'ref' | 'store' | 'now';
  /** Whether the window depends on that "now" (a relative or clock-only time). */
  refUsed?: boolean;
}

/**
 * Resolve --tz, --ref, --since and --until; usage errors (exit 2) for anything unreadable. Given the
 * store's span, relative and clock-only times count from the store's last event when --ref names no
 * other "now": at 3 a.m. on a bundle captured last week, "2 hours ago" means two hours before the
 * capture ended, not an empty window in the real present.
 */
export function resolveTimeRange(args: TimeRangeArgs, span?: { firstUs: number | null; lastUs: number | null }): ResolvedRange {
  const zone = args.tz !== undefined ? resolveZone(args.tz, '--tz') : undefined;
  const ctx: TimeContext = { tz: zone };
  let refFrom: ResolvedRange['refFrom'] = 'now';
  if (args.ref !== undefined) {
    ctx.refMs = parseInstant(args.ref, '--ref', { tz: zone }).ms;
    refFrom = 'ref';
  } else if (span?.lastUs != null) {
    ctx.refMs = Math.ceil(span.lastUs / 1000);
    refFrom = 'store';
  }
  const r = parseTimeRange(args.since, args.until, ctx);
  const refUsed = Boolean(r.since?.usedReference || r.until?.usedReference);
  const notes = [...(r.since?.notes ?? []), ...(r.until?.notes ?? [])];
  return { sinceUs: r.since ? r.since.ms * 1000 : undefined, untilUs: r.until ? r.until.ms * 1000 : undefined, zone, notes, refMs: ctx.refMs, refFrom, refUsed };
}

export function parsePositiveInt(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option}: expected a whole number of 1 or more, got ${JSON.stringify(String(value))}`);
  return n;
}

/** A compiled --grep pattern: does the message match anywhere? */
export interface Grep {
  test(message: string): boolean;
}

/**
 * Compile --grep patterns with re2js, a linear-time engine (RE2's automata, no backtracking): a
 * pattern like `(a+)+$` that takes a backtracking engine seconds per long line takes microseconds
 * here. RE2 has no backreferences or lookaround; such a pattern is a usage error saying so.
 */
export function compileGrep(patterns: string[] | undefined): Grep[] {
  return (patterns ?? []).map((p) => {
    try {
      const re = RE2().compile(p);
      return { test: (s: string) => re.test(s) };
    } catch (e) {
      const why = (e as Error).message.replace(/^error parsing regexp: /, '');
      throw new UsageError(`--grep: not a regular expression corr can run in linear time ${JSON.stringify(p)}: ${why} (RE2 syntax: no backreferences or lookaround)`);
    }
  });
}

/** Options that may be given several times arrive as a string or an array. */
export function asList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = (Array.isArray(v) ? v : [v]).map(String).filter((s) => s.length > 0);
  return list.length ? list : undefined;
}

/** `--cluster a,b,c` (repeatable), `--cluster none`; the default lets the store's k3s lines say (src/correlate/cross-host.ts). */
export function withCluster<T>(y: Argv<T>) {
  return y.option('cluster', {
    type: 'string',
    array: true,
    describe: 'hosts of one cluster, comma-separated (repeatable; "none": no cross-host correlation). Default: hosts whose k3s lines name each other',
  });
}

export interface ClusterArgs {
  cluster?: string[];
}

