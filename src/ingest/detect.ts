/**
 * Format detection by content: every format scores a section's first lines; the best wins if it
 * explains enough of them. What no format explains is described (a table, help text, a bare date)
 * so the user is told what was passed over, never silently.
 */
import type { FormatDescriptor } from './types.js';
import type { LookedLike } from '../model/notes.js';
import { ALL_FORMATS, declaredFormat } from './formats/index.js';

/** Non-blank lines looked at for detection. */
export const HEAD_LINES = 60;
/** A format must explain at least this share of the head lines to be chosen. */
export const MIN_SCORE = 0.3;
/**
 * Where no format holds a region, records of one format this many in a row start its region (a
 * single record does when it is strong evidence: see RegionScanner.isStrongRecord). Measured: none
 * of the 912 non-blank lines of the corpus's licences and README is a record of any format, and in
 * corr's own docs (3,356 lines) only quoted log lines are; the one shape prose shares with a log, a
 * line that starts with a BSD date, is a record only as an untagged syslog line, which is weak:
 * two such lines in a row are a hand-kept log as much as anything.
 */
export const MIN_RUN = 2;

export interface Detection {
  format: FormatDescriptor | null;
  score: number;
  /** For non-logs: what the section looked like. */
  lookedLike: string | null;
}

export function detectFormat(head: string[], formats: readonly FormatDescriptor[] = ALL_FORMATS): Detection {
  const lines = head.filter((l) => l.trim().length > 0).slice(0, HEAD_LINES);
  if (lines.length === 0) return { format: null, score: 0, lookedLike: 'nothing (empty)' };
  let best: FormatDescriptor | null = null;
  let bestScore = 0;
  for (const f of formats) {
    let s = 0;
    try {
      s = f.detect(lines);
    } catch {
      s = 0; // a descriptor that throws on odd input simply does not claim it
    }
    if (s > bestScore + 1e-9) {
      best = f;
      bestScore = s;
    }
  }
  if (best && bestScore >= MIN_SCORE) return { format: best, score: bestScore, lookedLike: null };
  return { format: null, score: bestScore, lookedLike: describeNonLog(lines) };
}

/** Whether a line is a JSON value (`[1779851884] HOST ALERT: …` opens with a bracket and is not). */
function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** `host prog[pid]: message` with no stamp before it (the tag starts with a letter, as programs' names do). */
const UNTIMED_SYSLOG = /^([A-Za-z0-9][\w.-]{0,62}) [A-Za-z][^\s[\]:]{0,63}(?:\[\d{1,10}\])?: \S/;

/** A short description of text that is not a log, for the warning that says it was passed over. */
export function describeNonLog(lines: string[]): string {
  return classifyNonLog(lines).text;
}

/** What text that is not a log looks like: a code (what readers key on, src/model/notes.ts) and a description. */
export function classifyNonLog(lines: string[]): LookedLike {
  if (lines.length === 0) return { code: 'empty', text: 'nothing (empty)' };
  const text = lines.join('\n');
  if (/^\s*(usage|Usage|USAGE):/m.test(text) || /^(Available Commands|Flags|Options|Commands):\s*$/m.test(text)) {
    return { code: 'help-text', text: 'CLI usage or help text' };
  }
  // `set -x` writes each command with one `+` per nesting level (docker entrypoints, CI scripts).
  const traced = lines.filter((l) => /^\++ \S/.test(l)).length;
  if (lines.length >= 2 && traced / lines.length >= 0.6) return { code: 'shell-trace', text: 'a shell trace (set -x output)' };
  if (lines.length <= 2 && /^\w{3} \w{3} +\d{1,2} \d{2}:\d{2}:\d{2} /.test(lines[0]!)) return { code: 'bare-date', text: 'a bare date line' };
  const columnar = lines.filter((l) => l.trim().split(/\s{2,}|\t/).length >= 3).length;
  if (lines.length >= 2 && columnar / lines.length >= 0.6) return { code: 'table', text: 'a table (columns of values, such as ss or ps output)' };
  if (/^-[AIN] \S+|^Chain \S+ \(policy/m.test(text)) return { code: 'firewall-rules', text: 'firewall rules (iptables output)' };
  if (/^[{[]/.test(lines[0]!) && isJson(lines[0]!)) return { code: 'foreign-json', text: 'JSON that is not a log format corr knows' };
  // `srv sshd[13709]: Failed password …`: syslog lines whose stamp was cut off (a template or an
  // export without the time; fail2ban's sshd-journal test log). Without an instant they cannot be
  // placed on the timeline; saying so tells the user what to capture instead.
  const records = lines.filter((l) => l.trim() !== '' && !l.startsWith('#'));
  // One machine writes a log: most of its lines name the same host (prose does not repeat its first word so).
  const hosts = new Map<string, number>();
  for (const l of records) {
    const m = UNTIMED_SYSLOG.exec(l);
    if (m) hosts.set(m[1]!, (hosts.get(m[1]!) ?? 0) + 1);
  }
  const sameHost = Math.max(0, ...hosts.values());
  if (records.length >= 2 && sameHost / records.length >= 0.6) {
    return { code: 'untimed-syslog', text: `syslog lines with no time to place them at (first line: ${JSON.stringify(records[0]!.slice(0, 80))}; capture them with their stamps, e.g. journalctl -o short-iso)` };
  }
  return { code: 'unknown-text', text: `text that no log format explains (first line: ${JSON.stringify(lines[0]!.slice(0, 80))})` };
}

/** One stretch of a section read with one format, or that no format explains (`format` null). */
export interface Region {
  /** 1-based first and last line in the whole file (blank lines belong to the region they fall in). */
  startLine: number;
  endLine: number;
  format: FormatDescriptor | null;
  /** The share of the deciding window that the format explained (0 for an unexplained region). */
  score: number;
  /** For an unexplained region: what it looked like (a shell trace, a table, help text …). */
  lookedLike: string | null;
  /** First non-blank lines and the last few, as the survey keeps them for a whole section. */
  head: string[];
  tail: string[];
}

/** Non-blank lines before the end of a region kept as its tail (the year reference reads them). */
const REGION_TAIL = 8;

interface WindowLine {
  lineNo: number;
  text: string;
  /** Bit i: ALL_FORMATS[i] claims the line (a record or a companion); bit set in `records` for records. */
  claims: number;
  records: number;
  /** False when only the region's own format was asked (it claimed the line): other bits unknown. */
  full: boolean;
}

/**
 * How one format sees one line, from its own detect(): a record when the line alone is wholly its,
 * a companion (continuation, dump header) when it is its only after a record (its first sample).
 * Deriving this from detect() keeps the descriptor the one place that decides what its lines are.
 */
export function lineVerdict(format: FormatDescriptor, line: string): 'record' | 'companion' | 'foreign' {
  const alone = safeDetect(format, [line]);
  if (alone >= 0.999) return 'record';
  const opener = format.samples[0]?.line;
  if (opener !== undefined && safeDetect(format, [opener, line]) >= 0.999) return 'companion';
  return 'foreign';
}

function safeDetect(format: FormatDescriptor, lines: string[]): number {
  try {
    return format.detect(lines);
  } catch {
    return 0; // a descriptor that throws on odd input simply does not claim it
  }
}

/**
 * Detection by region: a window of the last HEAD_LINES non-blank lines slides through a section.
 * The first window decides the first region exactly as detectFormat() decides a whole section.
 * After that, a region of format F ends when
 *   - another format G explains more of the window's lines than F does (counting only lines F does
 *     not claim) and at least MIN_SCORE of it: G's region starts at its first record after F's
 *     last claimed line (a `cat` of two logs, a shell trace followed by klog);
 *   - F claims none of a whole window (HEAD_LINES lines in a row): an unexplained region starts
 *     after F's last claimed line. Shorter foreign stretches stay inside F's region, where the
 *     pipeline skips each line with its reason (or reads a whole record of another format).
 * Memory is bounded by the window whatever the section's length; in a steady region each line
 * costs one test of its own format.
 */
export class RegionScanner {
  private readonly regions: Region[] = [];
  private current: Region | null = null;
  private currentIndex = -1;
  private window: WindowLine[] = [];
  /** The last non-blank lines that left the window (the tail of a region cut at the window's start). */
  private evicted: WindowLine[] = [];
  /** First non-blank line after the current format's last claimed line, or null while it claims. */
  private afterLastClaim: number | null = null;
  private firstLine: number | null = null;
  /** Line numbers of the current region's head lines (a cut keeps those before it). */
  private headLineNos: number[] = [];
  /** How many window lines the current format claims (kept as lines come and go). */
  private ownInWindow = 0;
  /** Per format: how many window lines are its records. */
  private recordsInWindow: number[];
  /** Per format: the run of records that ends at the newest line (followed only where no format holds the region). */
  private runs: { length: number; startLine: number; strong: boolean }[];
  /** The earliest run that is evidence enough for its format's region, not yet taken. */
  private qualified: { format: number; startLine: number } | null = null;

  constructor(
    private readonly formats: readonly FormatDescriptor[] = ALL_FORMATS,
    private readonly windowSize: number = HEAD_LINES,
    /** The format the section's header names when no content can reveal it (journalctl -o cat). */
    private readonly declared: FormatDescriptor | null = null,
  ) {
    this.recordsInWindow = formats.map(() => 0);
    this.runs = formats.map(() => ({ length: 0, startLine: 0, strong: false }));
  }

  /** A scanner for a section under this header title (null: a whole file, or text before any header). */
  static forSection(title: string | null): RegionScanner {
    return new RegionScanner(ALL_FORMATS, HEAD_LINES, declaredFormat(title));
  }

  /** Feed every line of the section after its header, in order. */
  push(lineNo: number, line: string): void {
    if (this.firstLine === null) this.firstLine = lineNo;
    if (line.trim().length === 0) return;
    const entry = this.verdicts(lineNo, line);
    this.window.push(entry);
    if (this.currentIndex < 0) this.trackRuns(entry);
    this.countRecords(entry, 1);
    if (this.claimsOwn(entry)) this.ownInWindow++;
    if (this.current) {
      if (this.current.head.length < this.windowSize) {
        this.current.head.push(line);
        this.headLineNos.push(lineNo);
      }
      if (this.currentIndex >= 0 && entry.claims & (1 << this.currentIndex)) this.afterLastClaim = null;
      else if (this.afterLastClaim === null) this.afterLastClaim = lineNo;
    }
    if (this.window.length > this.windowSize) {
      const gone = this.window.shift()!;
      this.countRecords(gone, -1);
      if (this.claimsOwn(gone)) this.ownInWindow--;
      this.evicted.push(gone);
      if (this.evicted.length > REGION_TAIL) this.evicted.shift();
    }
    // Where no format holds the region, a run of records is evidence on its own, at any length.
    if (this.current && this.currentIndex < 0 && this.takeRun()) return;
    if (this.window.length < this.windowSize) return;
    if (!this.current) this.decideFirst();
    else this.decideChange();
  }

  /** The regions, in order, covering every line from the first pushed to `endLine`. */
  finish(endLine: number): Region[] {
    if (this.firstLine === null) return [];
    if (!this.current) {
      // The section is shorter than one window: one region, decided on all of it.
      const d = detectFormat(this.window.map((w) => w.text), this.formats);
      this.open(this.firstLine, d.format, d.score, d.lookedLike, this.window);
      if (this.currentIndex < 0) {
        this.replayRuns();
        this.takeRun();
      }
    }
    const last = this.current!;
    last.endLine = endLine;
    last.tail = this.tailBefore(endLine + 1);
    if (!last.format) last.lookedLike = describeNonLog(last.head);
    return this.regions;
  }

  private verdicts(lineNo: number, text: string, only: number = this.currentIndex): WindowLine {
    let claims = 0;
    let records = 0;
    if (only >= 0) {
      const v = lineVerdict(this.formats[only]!, text);
      if (v !== 'foreign') {
        claims = 1 << only;
        if (v === 'record') records = 1 << only;
        return { lineNo, text, claims, records, full: false };
      }
    }
    this.formats.forEach((f, i) => {
      // A companion (continuation, dump header) counts only beside a record of its format, so it is
      // asked for only when the window holds one: a long unexplained stretch costs one test per format.
      const v = safeDetect(f, [text]) >= 0.999 ? 'record' : i === only || this.recordsInWindow[i]! > 0 ? lineVerdict(f, text) : 'foreign';
      if (v !== 'foreign') claims |= 1 << i;
      if (v === 'record') records |= 1 << i;
    });
    return { lineNo, text, claims, records, full: true };
  }

  private countRecords(w: WindowLine, delta: 1 | -1): void {
    if (w.records === 0) return;
    for (let i = 0; i < this.formats.length; i++) if (w.records & (1 << i)) this.recordsInWindow[i]! += delta;
  }

  private decideFirst(): void {
    const d = detectFormat(this.window.map((w) => w.text), this.formats);
    this.open(this.firstLine!, d.format, d.score, d.lookedLike, this.window);
    this.resetClaimTracking();
    if (this.currentIndex < 0) {
      this.replayRuns();
      this.takeRun();
    }
  }

  /**
   * Runs of consecutive records per format, followed while no format holds the region (an
   * unexplained stretch, a header-declared format, or before the first window is decided). A
   * companion (a continuation of the format's record) keeps its run going without lengthening it.
   */
  private trackRuns(w: WindowLine): void {
    for (let i = 0; i < this.formats.length; i++) {
      const bit = 1 << i;
      if (w.records & bit) {
        if (this.runs[i]!.length === 0) this.runs[i] = { length: 0, startLine: w.lineNo, strong: this.isStrongRecord(i, w.text) };
        const run = this.runs[i]!;
        run.length++;
        // The earliest run that is evidence enough is kept, even when lines after it end the run.
        if (run.length >= (run.strong ? 1 : MIN_RUN) && (this.qualified === null || run.startLine < this.qualified.startLine)) {
          this.qualified = { format: i, startLine: run.startLine };
        }
      } else if (!(w.claims & bit)) {
        this.runs[i]!.length = 0;
      }
    }
  }

  /** The runs of the window's lines afresh (after a region opened with no format). */
  private replayRuns(): void {
    this.runs = this.formats.map(() => ({ length: 0, startLine: 0, strong: false }));
    this.qualified = null;
    for (const w of this.window) if (w.full) this.trackRuns(w);
  }

  /**
   * A record is strong evidence on its own when its line carries a wall-clock time (exact, or a
   * date and time) and names the program that wrote it (or is a format of its own, not a syslog line
   * whose tag is missing): prose that merely starts with a date (`May 26 17:18:04 the server went
   * down`) parses as an untagged syslog line and needs a second record right after it.
   */
  private isStrongRecord(i: number, text: string): boolean {
    let r: ReturnType<FormatDescriptor['parse']> = null;
    try {
      r = this.formats[i]!.parse(text, null);
    } catch {
      return false;
    }
    if (!r || r.type !== 'event') return false;
    const t = r.event.time.kind;
    return (t === 'exact' || t === 'local') && (r.event.program !== undefined || r.event.source !== 'syslog');
  }

  /**
   * Start a region at the earliest run that is evidence enough: one strong record, or two records in
   * a row (see isStrongRecord). Returns whether a region started.
   */
  private takeRun(): boolean {
    if (this.qualified === null) return false;
    const { format: best, startLine } = this.qualified;
    this.qualified = null;
    const start = this.window.findIndex((w) => w.lineNo === startLine);
    if (start < 0) return false;
    const bit = 1 << best;
    const claimed = this.window.slice(start).filter((w) => w.claims & bit).length;
    this.cut(start, this.formats[best]!, claimed / (this.window.length - start), null);
    return true;
  }

  private claimsOwn(w: WindowLine): boolean {
    return this.currentIndex >= 0 && (w.claims & (1 << this.currentIndex)) !== 0;
  }

  private decideChange(): void {
    const own = this.currentIndex;
    const ownBit = own >= 0 ? 1 << own : 0;
    const ownCount = this.ownInWindow;
    // Another format can only take over lines the current one does not claim: with too few of
    // them no change is possible, and a steady region costs nothing more per line.
    if (ownCount > 0 && this.window.length - ownCount < MIN_SCORE * this.windowSize) return;
    let best = -1;
    let bestCount = 0;
    this.formats.forEach((_, i) => {
      if (i === own) return;
      const bit = 1 << i;
      let n = 0;
      let records = 0;
      for (const w of this.window) {
        if (w.claims & ownBit || !(w.claims & bit)) continue;
        n++;
        if (w.records & bit) records++;
      }
      if (records > 0 && n > bestCount) {
        best = i;
        bestCount = n;
      }
    });
    if (best >= 0 && bestCount > ownCount && bestCount >= MIN_SCORE * this.windowSize) {
      // G's region starts at its first record after the last line the current format claimed.
      const bit = 1 << best;
      let lastOwn = -1;
      this.window.forEach((w, k) => {
        if (w.claims & ownBit) lastOwn = k;
      });
      const start = this.window.findIndex((w, k) => k > lastOwn && (w.records & bit) !== 0);
      if (start >= 0) {
        this.cut(start, this.formats[best]!, bestCount / this.windowSize, null);
        return;
      }
    }
    if (own >= 0 && ownCount === 0 && this.afterLastClaim !== null) {
      const start = this.window.findIndex((w) => w.lineNo >= this.afterLastClaim!);
      this.cut(Math.max(0, start), null, 0, null);
    }
  }

  /** Close the current region before window[start] and open a new one from there. */
  private cut(start: number, format: FormatDescriptor | null, score: number, lookedLike: string | null): void {
    const at = this.window[start]!.lineNo;
    const prev = this.current!;
    if (at === prev.startLine) {
      // The new region starts where the current one does: it replaces it (no empty region).
      this.regions.pop();
      this.evicted = [];
      this.open(at, format, score, lookedLike, this.window.slice(start));
      this.window = this.window.slice(start).map((w) => (w.full ? w : this.verdicts(w.lineNo, w.text, -1)));
      this.resetClaimTracking();
      return;
    }
    prev.endLine = at - 1;
    prev.head = prev.head.filter((_, k) => this.headLineNos[k]! < at);
    prev.tail = this.tailBefore(at);
    if (!prev.format) prev.lookedLike = describeNonLog(prev.head);
    const kept = this.window.slice(start);
    this.evicted = [];
    this.open(at, format, score, lookedLike, kept);
    // The window now holds only the new region's lines, judged afresh for its format.
    this.window = kept.map((w) => (w.full ? w : this.verdicts(w.lineNo, w.text, -1)));
    this.resetClaimTracking();
  }

  private open(startLine: number, found: FormatDescriptor | null, score: number, lookedLike: string | null, lines: WindowLine[]): void {
    // What no content explains under a header that names its format is that format's (it has no other evidence).
    const format = found ?? this.declared;
    if (format && !found) lookedLike = null;
    const region: Region = { startLine, endLine: startLine - 1, format, score, lookedLike, head: lines.map((w) => w.text), tail: [] };
    this.regions.push(region);
    this.headLineNos = lines.map((w) => w.lineNo);
    this.current = region;
    this.currentIndex = found ? this.formats.indexOf(found) : -1;
    this.runs = this.formats.map(() => ({ length: 0, startLine: 0, strong: false }));
    this.qualified = null;
  }

  private resetClaimTracking(): void {
    this.afterLastClaim = null;
    this.ownInWindow = this.window.filter((w) => this.claimsOwn(w)).length;
    this.recordsInWindow = this.formats.map(() => 0);
    for (const w of this.window) this.countRecords(w, 1);
    const bit = this.currentIndex >= 0 ? 1 << this.currentIndex : 0;
    for (const w of this.window) {
      if (w.claims & bit) this.afterLastClaim = null;
      else if (this.afterLastClaim === null) this.afterLastClaim = w.lineNo;
    }
  }

  private tailBefore(lineNo: number): string[] {
    return [...this.evicted, ...this.window].filter((w) => w.lineNo < lineNo).slice(-REGION_TAIL).map((w) => w.text);
  }
}

/**
 * A line the section's own format does not claim may still be a whole record of another format
 * (an RFC 3339 line inside a BSD syslog file, as fail2ban's test log mixes them). Only a format that
 * claims the line on its own with full confidence is taken: a guess would be worse than a skip.
 */
export function fallbackFormat(line: string, exclude: FormatDescriptor, formats: readonly FormatDescriptor[] = ALL_FORMATS): FormatDescriptor | null {
  for (const f of formats) {
    if (f === exclude) continue;
    let score = 0;
    try {
      score = f.detect([line]);
    } catch {
      score = 0;
    }
    if (score >= 0.999) return f;
  }
  return null;
}
