/**
 * `corr ingest`, pass 2, the half that needs no store: read a surveyed file, split it into the
 * survey's sections, parse each line with its section's format, fold continuations, run the record
 * refiners (year, zone) and hand each finished event, in line order, to a sink. The pipeline
 * (pipeline.ts) is that sink: it runs the event refiners and stores the rows, one transaction per
 * section. The same code runs in the pipeline's thread or in the read worker (read-worker.ts), so
 * both give the same events in the same order; only the way they travel differs.
 */
import { createHash } from 'node:crypto';
import type { Note } from '../model/notes.js';
import type { FormatDescriptor, LineResult, ParsedEvent } from './types.js';
import { fallbackFormat } from './detect.js';
import { readLines, emptyReadReport, type ReadReport } from './reader.js';
import { RecordRefiners, pendingEvent, type PendingEvent, type SectionContext } from './refiners.js';
import { isNoEntriesLine } from './context/coverage.js';

/** Longest message or raw text kept for one event (continuations append to it). */
export const MAX_EVENT_TEXT = 64 * 1024;

/** The skip reason of journalctl's "-- No entries --" (accounted for, not a problem). */
export const NO_ENTRIES_REASON = 'journalctl printed no entries';

/** What the read needs of a section plan (survey.ts SectionPlan), all of it plain data but the format. */
export interface ReadSection {
  title: string | null;
  startLine: number;
  endLine: number;
  hasHeader: boolean;
  /** A fact section (its lines are facts, not records). */
  isFact: boolean;
  format: FormatDescriptor | null;
  lookedLike: string | null;
}

/** The record refiners' context: what of SectionContext the year and zone rules read. */
export type RecordContext = Pick<SectionContext, 'zone' | 'zoneWhy' | 'zoneIsFallback' | 'zoneWarnings' | 'year' | 'refUs' | 'refWhy' | 'nowUs'>;

export interface FileRead {
  path: string;
  gzip: boolean;
  size: number;
  sections: ReadSection[];
  /** Per section: stored by an earlier, interrupted run (its lines are read past). */
  stored: boolean[];
  /** Per section: the instant no line of it is after (coverage.ts ranAtUs), or null. */
  endsByUs: (number | null)[];
  record: RecordContext;
}

/** What a section's read counted, handed over when it ends. */
export interface ParsedSection {
  lines: number;
  events: number;
  continuations: number;
  skipped: number;
  /** Lines read with another format than the section's, by format name, in the order first met. */
  fallbacks: [string, number][];
  skipReasons: [string, { count: number; firstLine: number }][];
  onlyNoEntries: boolean;
  /** The record refiners' notes (zone, year). */
  notes: Note[];
}

/** Where the read's results go, in line order. */
export interface SectionSink {
  /**
   * Section `index` (of FileRead.sections) begins: called at its first line, never for one stored
   * by an earlier run. False: it is stored already after all (another corr), read past it.
   */
  open(index: number): boolean;
  /** A finished event of the open section. */
  event(p: PendingEvent): void;
  /** The open section ended before the file's end (the next one begins). */
  close(summary: ParsedSection): void;
  /** A batch of lines was read: the decompressed bytes so far, the batch's lines. */
  read(bytes: number, lines: number): void;
  /** Called before each batch of lines (may throw to stop the read: Ctrl-C) and awaited after it (back-pressure). */
  beforeBatch?(): void;
  afterBatch?(): Promise<void> | void;
}

export interface FileReadEnd {
  lastLine: number;
  /** SHA-256 of the bytes as on disk, read again in this pass. */
  sha256: string;
  read: ReadReport;
  /**
   * Ends the section still open (its waiting and held-back events go to the sink) and returns its
   * counts, or null when none is open. Called only once the file is known unchanged.
   */
  finish: () => ParsedSection | null;
}

/** One section being read. */
class OpenRead {
  lines = 0;
  events = 0;
  continuations = 0;
  skipped = 0;
  readonly skipReasons = new Map<string, { count: number; firstLine: number }>();
  readonly fallbacks = new Map<string, number>();
  onlyNoEntries = true;
  pending: PendingEvent | null = null;
  /** For formats whose records may fold into the one before (`foldsRecords`): that one, held back until the pending record ends. */
  before: PendingEvent | null = null;
  /** Events whose instants may still move (the section starts inside a repeated autumn hour), in line order. */
  waiting: PendingEvent[] = [];
  /** The format's parser for this section: its own reader when it has one (a CSV header, earlier polls). */
  readonly parse: FormatDescriptor['parse'] | null;
  readonly refiners: RecordRefiners | null;

  constructor(readonly plan: ReadSection, ctx: SectionContext | null) {
    this.parse = plan.format ? (plan.format.reader?.() ?? plan.format.parse.bind(plan.format)) : null;
    this.refiners = plan.format && ctx ? new RecordRefiners(ctx) : null;
  }

  summary(): ParsedSection {
    return {
      lines: this.lines, events: this.events, continuations: this.continuations, skipped: this.skipped,
      fallbacks: [...this.fallbacks], skipReasons: [...this.skipReasons], onlyNoEntries: this.onlyNoEntries,
      notes: this.refiners ? this.refiners.notes() : [],
    };
  }
}

/** Read the file through the sink; resolves at its end (see FileReadEnd: the last section is still open). */
export async function readSections(job: FileRead, sink: SectionSink): Promise<FileReadEnd> {
  const sections = job.sections;
  const read = emptyReadReport();
  let idx = 0;
  let skipping: ReadSection | null = null;
  let lastLine = 0;
  let state: OpenRead | null = null;
  const open = (i: number): OpenRead | null => {
    if (job.stored[i]) return null;
    const p = sections[i]!;
    if (!sink.open(i)) return null;
    const ctx = p.format ? ({ ...job.record, endsByUs: job.endsByUs[i] ?? null } as SectionContext) : null;
    return new OpenRead(p, ctx);
  };
  const end = (s: OpenRead): ParsedSection => {
    s.refiners?.finishTime();
    flush(s);
    if (s.waiting.length > 0) releaseWaiting(s);
    return s.summary();
  };
  // The bytes are hashed again as they are read: a file rewritten between the survey and this
  // read with as many lines (an edit in place) is caught as surely as one that grew or shrank.
  const hasher = createHash('sha256');
  for await (const batch of readLines(job.path, job.gzip, read, job.size, (chunk) => hasher.update(chunk))) {
    sink.beforeBatch?.();
    for (let i = 0; i < batch.lines.length; i++) {
      const lineNo = batch.firstLine + i;
      const line = batch.lines[i]!;
      lastLine = lineNo;
      while (idx < sections.length - 1 && lineNo > sections[idx]!.endLine) {
        if (state) sink.close(end(state));
        state = null;
        idx++;
      }
      const p = sections[idx]!;
      if (!state || state.plan !== p) {
        if (skipping === p) continue;
        state = open(idx);
        if (!state) {
          // Stored by an earlier, interrupted run: read past it.
          skipping = p;
          continue;
        }
      }
      state.lines++;
      if (p.hasHeader && lineNo === p.startLine) {
        skip(state, lineNo, 'section header');
        continue;
      }
      handleLine(state, p, line, lineNo);
    }
    sink.read(read.bytes, batch.lines.length);
    await sink.afterBatch?.();
  }
  const last = state as OpenRead | null;
  return { lastLine, sha256: hasher.digest('hex'), read, finish: () => (last ? end(last) : null) };

  function skip(s: OpenRead, line: number, reason: string): void {
    s.skipped++;
    const r = s.skipReasons.get(reason);
    if (r) r.count++;
    else s.skipReasons.set(reason, { count: 1, firstLine: line });
  }

  /** Every event still held, in line order: the one held back for a fold, then the pending one. */
  function flush(s: OpenRead): void {
    if (s.before) {
      const b = s.before;
      s.before = null;
      emit(s, b);
    }
    const p = s.pending;
    if (!p) return;
    s.pending = null;
    emit(s, p);
  }

  function emit(s: OpenRead, p: PendingEvent): void {
    // A section that starts inside a repeated autumn hour: its first events wait until the zone
    // refiner knows which pass of the hour they are (refiners.ts), then go on in line order.
    if (s.refiners!.timeWaiting()) {
      s.waiting.push(p);
      return;
    }
    if (s.waiting.length > 0) releaseWaiting(s);
    sink.event(p);
  }

  function releaseWaiting(s: OpenRead): void {
    const w = s.waiting;
    s.waiting = [];
    for (const p of w) sink.event(p);
  }

  function handleLine(s: OpenRead, p: ReadSection, line: string, lineNo: number): void {
    if (p.isFact) {
      skip(s, lineNo, line.trim() ? `fact line of the ${p.title} section` : 'blank line');
      return;
    }
    if (!p.format) {
      if (!isNoEntriesLine(line)) s.onlyNoEntries = false;
      skip(s, lineNo, !line.trim() ? 'blank line' : isNoEntriesLine(line) ? NO_ENTRIES_REASON : `not a log (${p.lookedLike})`);
      return;
    }
    if (line.trim().length === 0 && !p.format.readsBlankLines) {
      skip(s, lineNo, 'blank line');
      return;
    }
    let r = safeParse(p.format, line, s.pending?.event ?? null, true, s.parse);
    if (r === null) {
      // A whole record of another format inside this section (fail2ban's test log mixes BSD and
      // RFC 3339/5424 lines) is read with that format, and said so; anything less is skipped.
      const other = fallbackFormat(line, p.format);
      const parsed = other ? safeParse(other, line, s.pending?.event ?? null, false) : null;
      if (other && parsed && parsed.type === 'event') {
        r = parsed;
        s.fallbacks.set(other.name, (s.fallbacks.get(other.name) ?? 0) + 1);
      } else {
        skip(s, lineNo, `not ${/^[aeiou]/i.test(p.format.name) ? 'an' : 'a'} ${p.format.name} line`);
        return;
      }
    }
    if (r.type === 'skip') {
      skip(s, lineNo, r.reason);
      return;
    }
    if (r.type === 'continuation') {
      if (!s.pending) {
        skip(s, lineNo, 'a continuation line with no record before it');
        return;
      }
      s.continuations++;
      if (r.foldIntoPrevious !== undefined && s.before) {
        // The record just ended continues the one before it: its opening line was counted as an
        // event and becomes a continuation; its text joins the previous event's.
        const b = s.before;
        const folded = s.pending;
        s.before = null;
        s.pending = b;
        s.events--;
        s.continuations++;
        if (b.raw.length < MAX_EVENT_TEXT) b.raw = (b.raw + '\n' + folded.raw + '\n' + line).slice(0, MAX_EVENT_TEXT);
        if (b.message.length < MAX_EVENT_TEXT) b.message = (b.message + '\n' + r.foldIntoPrevious).slice(0, MAX_EVENT_TEXT);
        return;
      }
      if (r.foldIntoPrevious !== undefined) return; // nothing held to fold into: the line is the record's end, no text
      const pe = s.pending;
      if (pe.raw.length < MAX_EVENT_TEXT) pe.raw = (pe.raw + '\n' + line).slice(0, MAX_EVENT_TEXT);
      if (r.event) {
        // The record re-read with this line (journal export): its fields and message replace the event's.
        pe.event = { ...r.event, time: pe.event.time };
        pe.message = r.event.message.slice(0, MAX_EVENT_TEXT);
      } else if (pe.message.length < MAX_EVENT_TEXT) pe.message = (pe.message + '\n' + line.trim()).slice(0, MAX_EVENT_TEXT);
      return;
    }
    const ev = pendingEvent(r.event, lineNo, line);
    const rejected = s.refiners!.onRecord(ev);
    if (rejected !== null) {
      skip(s, lineNo, rejected);
      return;
    }
    if (p.format.foldsRecords) {
      // Hold the previous record back: the new one may yet turn out to continue it.
      if (s.before) emit(s, s.before);
      s.before = s.pending;
    } else flush(s);
    s.events++;
    s.pending = ev;
  }
}

/** A parser that throws on a line has not claimed it well: the line is skipped with the reason (or, for a fallback, not taken). */
function safeParse(format: FormatDescriptor, line: string, prev: ParsedEvent | null, own: boolean, parse: FormatDescriptor['parse'] | null = null): LineResult | null {
  try {
    return (parse ?? format.parse.bind(format))(line, prev);
  } catch (e) {
    return own ? { type: 'skip', reason: `the ${format.name} parser failed on it (${(e as Error).message})` } : null;
  }
}
