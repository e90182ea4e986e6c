/**
 * Coverage: the span of time a source (a file, or one command's output in a capture) can speak
 * for. Inside it, a source that says nothing is silent; outside it, it is not covered — the
 * correlator must not read silence there.
 *
 *   - A section of a capture whose capture instant is known ran at that instant, so it covers up to
 *     it: `tail -n 20000 /var/log/syslog` from its first line to the capture instant, a raw `dmesg`
 *     likewise, `journalctl --since "-6h"` from the stated start (never before the journal's own
 *     `Logs begin at`) to the capture instant — or to its `--until`.
 *   - A file that is not a capture covers from its first to its last line (its journal header's
 *     end when it has one: the journal held nothing newer when it was written).
 *   - A source with uptime-stamped lines and several boots covers each boot separately: between the
 *     last line of one boot and the start of the next, nobody was logging.
 */
import { isTailCommand, optionValue, resolveJournalTime } from './journal.js';

export interface Span {
  startUs: number;
  endUs: number;
}

export interface CoverageInput {
  /** The section's command (header title), null for a whole file. */
  title: string | null;
  /** The first and last placed instants of its events. */
  firstUs: number | null;
  lastUs: number | null;
  /** The capture instant of the file it is in (a `date` section), when known. */
  captureUs: number | null;
  zone: string | null;
  /** A journal header's span inside the section, when it has one. */
  journal?: { beginUs: number; endUs: number | null } | null;
  /**
   * Boot segments of its uptime-stamped lines, placed (first and last placed instants per boot, and
   * the boot instant when known). More than one splits the coverage.
   */
  boots?: { firstUs: number; lastUs: number }[];
}

export interface Coverage {
  spans: Span[];
  /** One sentence: where start and end come from. */
  why: string;
}

/**
 * The instant a section's command ran, which every line of it precedes: its capture's instant, for
 * a section of a capture (one with a title); null for a plain file or an unknown capture instant.
 */
export function ranAtUs(title: string | null, captureUs: number | null): number | null {
  return title !== null ? captureUs : null;
}

/** The spans one source covers, or none when it has no placed event and states no span. */
export function coverageOf(c: CoverageInput): Coverage {
  const since = c.title ? optionValue(c.title, 'since', 'S') : null;
  const until = c.title ? optionValue(c.title, 'until', 'U') : null;
  const sinceUs = since !== null ? resolveJournalTime(since, c.captureUs, c.zone) : null;
  const untilUs = until !== null ? resolveJournalTime(until, c.captureUs, c.zone) : null;

  let start: number | null = c.firstUs;
  let startWhy = 'its first line';
  if (sinceUs !== null) {
    start = sinceUs;
    startWhy = `its --since ${since}`;
    if (c.journal && c.journal.beginUs > sinceUs) {
      start = c.journal.beginUs;
      startWhy = `its journal's first entry (the header's "Logs begin at", after --since ${since})`;
    }
    // A line before the stated start (clock trouble) still counts: coverage never excludes evidence.
    if (c.firstUs !== null && c.firstUs < start) {
      start = c.firstUs;
      startWhy = 'its first line (before its --since)';
    }
  }

  let end: number | null = c.lastUs;
  let endWhy = 'its last line';
  if (untilUs !== null) {
    end = untilUs;
    endWhy = `its --until ${until}`;
  } else if (ranAtUs(c.title, c.captureUs) !== null) {
    end = c.captureUs;
    endWhy = `the capture instant (the command ran then${isTailCommand(c.title!) ? ', showing the end of the log' : ''})`;
  } else if (c.journal?.endUs != null && (end === null || c.journal.endUs > end)) {
    end = c.journal.endUs;
    endWhy = `its journal header's last entry`;
  }
  if (c.lastUs !== null && end !== null && c.lastUs > end) {
    end = c.lastUs;
    endWhy = 'its last line (after the stated end)';
  }
  if (start === null || end === null || end < start) return { spans: [], why: 'no placed line and no stated span' };

  const boots = (c.boots ?? []).filter((b) => b.lastUs >= b.firstUs).sort((a, b) => a.firstUs - b.firstUs);
  if (boots.length > 1) {
    const spans: Span[] = [];
    boots.forEach((b, i) => {
      const s = i === 0 ? Math.min(start!, b.firstUs) : b.firstUs;
      const e = i === boots.length - 1 ? Math.max(end!, b.lastUs) : b.lastUs;
      spans.push({ startUs: s, endUs: e });
    });
    return { spans: mergeSpans(spans), why: `${boots.length} boots, each from its first to its last line; from ${startWhy} to ${endWhy}` };
  }
  return { spans: [{ startUs: start, endUs: end }], why: `from ${startWhy} to ${endWhy}` };
}

/** Sorted, overlapping or touching spans merged. */
export function mergeSpans(spans: Span[]): Span[] {
  const s = [...spans].sort((a, b) => a.startUs - b.startUs);
  const out: Span[] = [];
  for (const x of s) {
    const last = out[out.length - 1];
    if (last && x.startUs <= last.endUs) last.endUs = Math.max(last.endUs, x.endUs);
    else out.push({ ...x });
  }
  return out;
}

/** What `journalctl` prints for a window with nothing in it. */
const NO_ENTRIES = /^-- No entries --$/;

/** A line an empty journal section may hold: blank, or journalctl's "-- No entries --". */
export function isNoEntriesLine(line: string): boolean {
  const t = line.trim();
  return t === '' || NO_ENTRIES.test(t);
}

/**
 * The stream an empty `journalctl` section speaks for, from its command: `-k`/`--dmesg` the kernel,
 * `-u UNIT` the unit's program as the classifiers name its source (`k3s`, `ssh` → sshd), otherwise
 * every stream of the host (`*`). Null for a command that is not journalctl (an empty `tail` states
 * no start: it covers nothing anyone can name).
 */
export function emptySectionSource(title: string | null, sourceOfProgram: (program: string) => string): string | null {
  if (!title || !/(^|\s|\/)journalctl(\s|$)/.test(title)) return null;
  if (/(^|\s)(-k|--dmesg)(\s|$)/.test(title)) return 'kernel';
  const unit = optionValue(title, 'unit', 'u');
  if (unit) {
    // systemd names OpenSSH's unit ssh.service (Debian) or sshd.service (Fedora); the program is sshd.
    const program = unit.replace(/\.service$/, '').replace(/^ssh$/, 'sshd');
    return sourceOfProgram(program);
  }
  return '*';
}
