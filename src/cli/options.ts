/**
 * Options shared by several commands, and the helpers that turn them into values (with usage
 * errors that name the option and quote what was typed).
 */
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { parseInstant, parseTimeRange, resolveZone, type TimeContext } from '../time/expressions.js';
import { openStore, type DB } from '../store/db.js';

export interface GlobalArgs {
  db?: string;
  json?: boolean;
}

export function dbPath(args: GlobalArgs): string {
  return args.db ?? process.env.CORR_DB ?? './corr.db';
}

export function openForRead(args: GlobalArgs): DB {
  return openStore(dbPath(args), { readonly: true });
}

export function withTimeRange<T>(y: Argv<T>) {
  return y
    .option('since', { type: 'string', describe: 'start of the window (inclusive): "2026-05-26 17:15 PT", ISO-8601, "2 hours ago"' })
    .option('until', { type: 'string', describe: 'end of the window (exclusive); a bare clock time takes --since\'s date' })
    .option('tz', { type: 'string', describe: 'zone for times that name none, and display zone (IANA name or PT/MT/CT/ET/UTC)' })
    .option('ref', { type: 'string', describe: 'the "now" that relative times ("2 hours ago") count from (default: the real now)' });
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
}

/** Resolve --tz, --ref, --since and --until; usage errors (exit 2) for anything unreadable. */
export function resolveTimeRange(args: TimeRangeArgs): ResolvedRange {
  const zone = args.tz !== undefined ? resolveZone(args.tz, '--tz') : undefined;
  const ctx: TimeContext = { tz: zone };
  if (args.ref !== undefined) ctx.refMs = parseInstant(args.ref, '--ref', { tz: zone }).ms;
  const r = parseTimeRange(args.since, args.until, ctx);
  const notes = [...(r.since?.notes ?? []), ...(r.until?.notes ?? [])];
  return { sinceUs: r.since ? r.since.ms * 1000 : undefined, untilUs: r.until ? r.until.ms * 1000 : undefined, zone, notes };
}

export function parsePositiveInt(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option}: expected a whole number of 1 or more, got ${JSON.stringify(String(value))}`);
  return n;
}

/** Compile a --grep pattern; a bad one is a usage error that quotes it. */
export function compileGrep(patterns: string[] | undefined): RegExp[] {
  return (patterns ?? []).map((p) => {
    try {
      return new RegExp(p, 'u');
    } catch (e) {
      throw new UsageError(`--grep: not a valid regular expression ${JSON.stringify(p)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
    }
  });
}

/** Options that may be given several times arrive as a string or an array. */
export function asList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = (Array.isArray(v) ? v : [v]).map(String).filter((s) => s.length > 0);
  return list.length ? list : undefined;
}
