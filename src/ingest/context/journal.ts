/**
 * What journalctl's own lines and a section's command state about time:
 *   - the header `-- Logs begin at Wed 2020-03-25 12:03:18 UTC, end at Wed 2020-03-25 14:16:27 UTC. --`
 *     (systemd ≥ 246: `-- Journal begins at …, ends at … --`): the year, and the span of the journal;
 *   - `--since`/`-S` and `--until`/`-U` in the section's command: where its output starts and ends;
 *   - `tail -n N`, `journalctl -n N`: the output is the end of the log, up to the capture instant.
 */
import { parseStatedTime, resolveStatedTime, type StatedTime } from '../facts.js';
import { localToUtc } from '../../time/zones.js';

export interface JournalHeader {
  begin: StatedTime;
  end: StatedTime | null;
  line: string;
}

const HEADER = /^-- (?:Logs begin at|Journal begins at) (.{10,80}?), (?:end at|ends at) (.{10,80}?)\.? --$/;

/** The journal header in a line, or null. */
export function parseJournalHeader(line: string): JournalHeader | null {
  const m = HEADER.exec(line.trim());
  if (!m) return null;
  const begin = parseStatedTime(m[1]!);
  if (!begin) return null;
  return { begin, end: parseStatedTime(m[2]!), line: line.trim() };
}

/** The span a header states, in UTC (times without a known zone are read in `zone`). */
export function headerSpan(h: JournalHeader, zone: string | null): { beginUs: number; endUs: number | null; how: string } | null {
  const b = resolveStatedTime(h.begin, zone);
  if (!b) return null;
  const e = h.end ? resolveStatedTime(h.end, zone) : null;
  return { beginUs: b.us, endUs: e?.us ?? null, how: b.how };
}

/** The value of `--since`/`-S` (or `--until`/`-U`) in a command line, unquoted. */
export function optionValue(title: string, long: string, short: string): string | null {
  const re = new RegExp(`(?:^|\\s)(?:--${long}[= ]|-${short}\\s?)(?:"([^"]*)"|'([^']*)'|(\\S+))`);
  const m = re.exec(title);
  if (!m) return null;
  return (m[1] ?? m[2] ?? m[3] ?? '').trim();
}

const UNIT_US: [RegExp, number][] = [
  [/^(us|usec|µs)$/, 1],
  [/^(ms|msec)$/, 1000],
  [/^(s|sec|secs|second|seconds)$/, 1_000_000],
  [/^(m|min|mins|minute|minutes)$/, 60_000_000],
  [/^(h|hr|hrs|hour|hours)$/, 3_600_000_000],
  [/^(d|day|days)$/, 86_400_000_000],
  [/^(w|week|weeks)$/, 7 * 86_400_000_000],
];

/** A systemd time span (`4h`, `1h 30min`, `2 hours`): microseconds, or null. `M` (month) and `y` are not accepted. */
export function parseSpan(text: string): number | null {
  const parts = text.trim().match(/(\d+(?:\.\d+)?)\s*([a-zµ]+)/gi);
  if (!parts || parts.join('').replace(/\s/g, '') !== text.replace(/\s/g, '')) return null;
  let total = 0;
  for (const p of parts) {
    const m = /^(\d+(?:\.\d+)?)\s*([a-zµ]+)$/i.exec(p)!;
    const unit = UNIT_US.find(([re]) => re.test(m[2]!));
    if (!unit) return null;
    total += Number(m[1]) * unit[1];
  }
  return Math.round(total);
}

/**
 * A journalctl time expression (systemd.time(7)) as an instant: `-4h`, `"4 hours ago"`, `now`,
 * `today`, `yesterday`, `2024-05-26 10:00[:00]` (read in `zone` unless it says UTC), relative ones
 * counted from the capture instant. Null when it cannot be read, or needs a capture instant that
 * is not known.
 */
export function resolveJournalTime(text: string, captureUs: number | null, zone: string | null): number | null {
  const t = text.trim();
  const rel = /^-\s*(.+)$/.exec(t) ?? /^(.+?)\s+ago$/i.exec(t);
  if (rel) {
    const span = parseSpan(rel[1]!);
    return span === null || captureUs === null ? null : captureUs - span;
  }
  if (t === 'now') return captureUs;
  if (t === 'today' || t === 'yesterday') {
    if (captureUs === null || !zone) return null;
    const d = new Date(captureUs / 1000);
    // Midnight of the capture's date in the zone: the local date, read back at 00:00.
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
    const [y, mo, da] = local.split('-').map(Number) as [number, number, number];
    const midnight = localToUtc(zone, y, mo, da, 0, 0, 0, 0).utcUs;
    return t === 'today' ? midnight : midnight - 86_400_000_000;
  }
  const abs = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(UTC|Z)?$/i.exec(t);
  if (abs) {
    const [y, mo, d, h, mi, s] = [+abs[1]!, +abs[2]!, +abs[3]!, +(abs[4] ?? 0), +(abs[5] ?? 0), +(abs[6] ?? 0)];
    if (abs[7]) return Date.UTC(y, mo - 1, d, h, mi, s) * 1000;
    if (!zone) return null;
    return localToUtc(zone, y, mo, d, h, mi, s, 0).utcUs;
  }
  return null;
}

/** Does a section's command show only the end of a log (`tail -n N`, `journalctl -n N`, `dmesg | tail`)? */
export function isTailCommand(title: string): boolean {
  return /(^|\|\s*|\s)tail(\s|$)/.test(title) || /\bjournalctl\b.*(\s-n\s?\d+|\s--lines[= ]\d+)/.test(title);
}
