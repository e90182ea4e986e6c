/**
 * `corr ingest`, pass 2: read each surveyed file once more, section by section, parse every line
 * with the section's format, align its time to UTC, and store the events, one transaction per
 * section (a crash leaves no half section; the next run resumes at the first missing one).
 * Then anchor kernel uptime stamps to boot instants (boots.ts) and report what was done.
 */
import type { DB } from '../store/db.js';
import { StoreWriter, SEVERITY_RANK, type SectionRow } from '../store/writer.js';
import type { FormatDescriptor, LineResult, ParsedEvent } from './types.js';
import { fallbackFormat } from './detect.js';
import { readLines, emptyReadReport, describeError } from './reader.js';
import { surveyFile, walkInputs, type FileSurvey, type InputError, type SectionPlan } from './survey.js';
import { collectBundleFacts, decideFileSettings, type FileSettings, type UserTimeOptions, iso } from './settings.js';
import { SectionAligner } from '../time/align.js';
import { hash52, eventHash } from './hash.js';
import { OccurrenceCounter } from './occurrences.js';
import { anchorBoots, anchorFromTwins, type BootFactsByFile, type BootPredictions } from './boots.js';
import { bootInstantUs, captureInstantUs } from './facts.js';
import type { SectionSummary } from '../store/types.js';
import { sectionSummaries } from '../store/queries.js';

export interface IngestOptions extends UserTimeOptions {
  replace: boolean;
  /** Called now and then with a short progress line (the CLI shows it only on a terminal). */
  progress?: (line: string) => void;
}

export interface IngestFileReport extends SectionSummary {
  /** `ingested`, `unchanged` (already stored, same content), `replaced`, `resumed`, `skipped` (not read). */
  status: string;
  duplicates: number;
  unanchored: number;
  /** The stored section's id (absent for inputs that were not read). */
  id?: number;
}

export interface IngestResult {
  files: IngestFileReport[];
  errors: InputError[];
  events_added: number;
  events_total: number;
  warnings: string[];
}

/** Longest message or raw text kept for one event (continuations append to it). */
const MAX_EVENT_TEXT = 64 * 1024;
const FUTURE_SLACK_US = 86_400_000_000;
/**
 * The earliest plausible year of a log line: none of the formats corr reads existed before 1990,
 * and a device whose clock was never set logs 1970. Earlier instants are kept, with a warning.
 */
const PLAUSIBLE_FROM_US = Date.UTC(1990, 0, 1) * 1000;
/**
 * Formats whose every line carries only an uptime stamp: their rows may be placed provisionally at
 * insert time (boots.ts). A format that can give a line both clocks must not be listed: its pairs
 * anchor the boot when the section closes, and only unplaced rows are moved then.
 */
const UPTIME_ONLY_FORMATS = new Set(['dmesg-raw', 'kmsg']);

export async function ingest(db: DB, paths: string[], opts: IngestOptions): Promise<IngestResult> {
  const writer = new StoreWriter(db);
  const walked = await walkInputs(paths);
  const errors: InputError[] = [...walked.errors];
  const reports: IngestFileReport[] = [];
  const runWarnings: string[] = [];

  const surveys: FileSurvey[] = [];
  for (const path of walked.files) {
    try {
      const s = await surveyFile(path);
      if ('lookedLike' in s) reports.push(notRead(s.path, s.lookedLike));
      else surveys.push(s);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      errors.push({ path, error: code === 'EACCES' || code === 'EPERM' ? 'permission denied' : describeError(e) });
    }
  }
  for (const s of walked.skipped) reports.push(notRead(s.path, s.lookedLike));

  const bundle = collectBundleFacts(surveys);
  runWarnings.push(...bundle.conflicts);
  const settingsByPath = new Map<string, FileSettings>();
  const bootFacts: BootFactsByFile[] = [];
  /** Boots of raw captures stored without an instant, and anchors found for them in later files. */
  const twinAnchors = new Map<number, number[]>();
  const predictions: BootPredictions = new Map();
  let added = 0;

  for (const survey of surveys) {
    const settings = decideFileSettings(survey, opts, bundle);
    settingsByPath.set(survey.path, settings);
    const boot = bootInstantUs(survey.facts, settings.zone);
    bootFacts.push({ path: survey.path, host: survey.facts.hostname ?? settings.host, boot, captureUs: captureInstantUs(survey.facts, settings.zone) });

    const stored = writer.file(survey.path);
    let status = 'ingested';
    let replaceId: number | null = null;
    let resumeOrdinals = new Set<number>();
    if (stored) {
      if (stored.sha256 === survey.sha256 && !opts.replace) {
        if (stored.complete) {
          reports.push(...withStatus(sectionSummaries(db, { fileId: stored.id }), 'unchanged'));
          continue;
        }
        status = 'resumed';
        resumeOrdinals = writer.ordinalsOf(stored.id);
      } else {
        status = 'replaced';
        replaceId = stored.id;
      }
    }
    try {
      // The boot instant anchorBoots will most likely choose for this file's raw captures, known now.
      const predictedBootUs = opts.bootUs ?? boot?.us ?? null;
      const fileAdded = await ingestFile(db, writer, survey, settings, opts, replaceId, stored && status === 'resumed' ? stored.id : null, resumeOrdinals, {
        twinAnchors, predictions, predictedBootUs,
      });
      added += fileAdded.added;
      const fileReports = withStatus(sectionSummaries(db, { fileId: fileAdded.fileId }), status);
      reports.push(...fileReports);
    } catch (e) {
      if (isDbError(e)) throw e;
      errors.push({ path: survey.path, error: describeError(e) });
    }
  }

  const fromTwins = anchorFromTwins(db, twinAnchors, predictions);
  const anchoring = anchorBoots(db, { bootUs: opts.bootUs, bootText: opts.bootText, facts: bootFacts, predictions });
  for (const id of fromTwins) anchoring.sectionIds.add(id);
  runWarnings.push(...anchoring.warnings);
  // Sections whose boots were anchored now have new first/last figures.
  if (anchoring.sectionIds.size > 0) {
    const refreshed = new Map(sectionSummaries(db, { sectionIds: [...anchoring.sectionIds] }).map((s) => [s.id, s]));
    for (const r of reports) {
      const fresh = r.id !== undefined ? refreshed.get(r.id) : undefined;
      if (fresh) Object.assign(r, fresh, { status: r.status });
    }
  }
  const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  return { files: reports, errors, events_added: added, events_total: total, warnings: runWarnings };
}

function withStatus(rows: (SectionSummary & { id?: number; duplicates: number; unanchored: number })[], status: string): IngestFileReport[] {
  return rows.map((r) => ({ ...r, status }));
}

function notRead(path: string, lookedLike: string): IngestFileReport {
  return {
    path, section: null, format: null, host: null, lines: 0, events: 0, continuations: 0, skipped: 0, first: null, last: null,
    tz: null, assumptions: [], warnings: [`not read: ${lookedLike}`], status: 'skipped', duplicates: 0, unanchored: 0,
  };
}

function isDbError(e: unknown): boolean {
  const code = (e as { code?: string })?.code ?? '';
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

interface SectionState {
  plan: SectionPlan;
  /** The format's parser for this section (its own reader when it has one: CSV header, earlier polls). */
  parse: FormatDescriptor['parse'] | null;
  /** Lines read with another format than the section's, by format name. */
  fallbacks: Map<string, number>;
  id: number;
  aligner: SectionAligner | null;
  lines: number;
  events: number;
  continuations: number;
  skipped: number;
  duplicates: number;
  unanchored: number;
  firstUs: number | null;
  lastUs: number | null;
  skipReasons: Map<string, { count: number; firstLine: number }>;
  warnings: string[];
  pending: PendingEvent | null;
  occurrences: OccurrenceCounter;
  usedDefaultHost: boolean;
  future: number;
  /** Lines dated before PLAUSIBLE_FROM_US. */
  ancient: number;
  boot: BootTracker;
  /** Boot instant at which this section's uptime-only rows are provisionally placed, or null. */
  predictUs: number | null;
  /** min/max ts_us and count of NULL ts_us over the rows this section actually inserted. */
  stored: { first: number | null; last: number | null; unplaced: number };
}

/** Boot bookkeeping shared by the files of one run. */
interface RunBoots {
  /** Boots of raw captures stored without an instant, and anchors found for them in later files. */
  twinAnchors: Map<number, number[]>;
  /** Every boot this run created, and where its rows were provisionally placed (boots.ts). */
  predictions: BootPredictions;
  /** This file's predicted boot instant (--boot-time, or its own boot fact), or null. */
  predictedBootUs: number | null;
}

interface PendingEvent {
  event: ParsedEvent;
  line: number;
  raw: string;
  message: string;
  tsUs: number | null;
  note: string | null;
}

interface BootSegment {
  id: number;
  minUs: number;
  maxUs: number;
  /** Samples of (wall instant − uptime) from lines carrying both clocks, or from stored twins. */
  anchors: number[];
  anchorWhy: string | null;
}

interface BootTracker {
  segments: BootSegment[];
  lastUptime: number | null;
}

async function ingestFile(
  db: DB,
  writer: StoreWriter,
  survey: FileSurvey,
  settings: FileSettings,
  opts: IngestOptions,
  replaceId: number | null,
  resumeFileId: number | null,
  resumeOrdinals: Set<number>,
  runBoots: RunBoots,
): Promise<{ fileId: number; added: number }> {
  const { twinAnchors, predictions } = runBoots;
  let fileId = resumeFileId ?? -1;
  let added = 0;
  const sections = survey.sections;
  let idx = 0;
  let state: SectionState | null = null;
  let inTx = false;
  const nowUs = Date.now() * 1000;
  // The dedup instant of lines with no time at all: per file, so such lines never match another file's.
  const fileKey = -(Math.abs(hash52(survey.path)) % 1e9) - 1;

  const begin = (): void => {
    db.exec('BEGIN IMMEDIATE');
    inTx = true;
    if (fileId === -1) {
      // Another corr may have stored this path since we looked (two ingests of one input at once):
      // join its row instead of failing on the unique path; the sections it stored are skipped.
      const now = writer.file(survey.path);
      if (now && now.id !== replaceId) {
        fileId = now.id;
        return;
      }
      if (replaceId !== null) writer.removeFile(replaceId);
      fileId = writer.addFile(survey.path, survey.sha256, survey.size, survey.mtimeMs, survey.gzip);
    }
  };
  /** Inside a transaction: is this section already stored (by an earlier run or a concurrent one)? */
  const storedMeanwhile = (ordinal: number): boolean => {
    if (!writer.ordinalsOf(fileId).has(ordinal)) return false;
    resumeOrdinals.add(ordinal);
    commit();
    return true;
  };
  const commit = (): void => {
    db.exec('COMMIT');
    inTx = false;
  };

  const openSection = (plan: SectionPlan): SectionState | null => {
    if (resumeOrdinals.has(plan.ordinal)) return null;
    begin();
    if (storedMeanwhile(plan.ordinal)) return null;
    const row: SectionRow = {
      file_id: fileId, ordinal: plan.ordinal, title: plan.title, start_line: plan.startLine, end_line: plan.endLine,
      format: plan.format?.name ?? null, looked_like: plan.lookedLike, host: null, tz: null, assumptions: '[]', warnings: '[]',
      lines: 0, events: 0, continuations: 0, skipped: 0, duplicates: 0, unanchored: 0, first_us: null, last_us: null,
    };
    const id = writer.addSection(row);
    const aligner = plan.format ? new SectionAligner({ zone: settings.zone, year: opts.year ?? null, refUs: settings.refUs }) : null;
    return {
      plan, parse: plan.format ? (plan.format.reader?.() ?? plan.format.parse.bind(plan.format)) : null, id, aligner, lines: 0, events: 0, continuations: 0, skipped: 0, duplicates: 0, unanchored: 0, firstUs: null, lastUs: null,
      fallbacks: new Map(), skipReasons: new Map(), warnings: [], pending: null, occurrences: new OccurrenceCounter(), usedDefaultHost: false, future: 0, ancient: 0,
      boot: { segments: [], lastUptime: null },
      predictUs: plan.format && UPTIME_ONLY_FORMATS.has(plan.format.name) ? runBoots.predictedBootUs : null,
      stored: { first: null, last: null, unplaced: 0 },
    };
  };

  const skip = (s: SectionState, line: number, reason: string): void => {
    s.skipped++;
    const r = s.skipReasons.get(reason);
    if (r) r.count++;
    else s.skipReasons.set(reason, { count: 1, firstLine: line });
  };

  const flush = (s: SectionState): void => {
    const p = s.pending;
    if (!p) return;
    s.pending = null;
    const e = p.event;
    let host = e.host;
    if (!host) {
      host = settings.host;
      s.usedDefaultHost = true;
    }
    let uptime: number | null = e.uptimeUs ?? (e.time.kind === 'uptime' ? e.time.us : null);
    if (uptime !== null && !(Number.isFinite(uptime) && uptime >= 0)) uptime = null;
    let bootId: number | null = null;
    let seg: BootSegment | null = null;
    if (uptime !== null) {
      seg = trackBoot(writer, s, host, uptime);
      if (!predictions.has(seg.id)) predictions.set(seg.id, s.predictUs);
      bootId = seg.id;
      if (p.tsUs !== null && e.time.kind !== 'uptime') seg.anchors.push(p.tsUs - uptime);
    }
    // Kernel lines are keyed by their uptime stamp so a raw dmesg line and the same line in kern.log
    // (or in a later snapshot of the same boot) are stored once.
    const tkey = uptime !== null && e.source === 'kernel' ? uptime : p.tsUs ?? fileKey;
    const dhash = eventHash(host, e.source, p.message);
    const occ = s.occurrences.next(tkey, dhash);
    const count = e.repeated && e.repeated > 1 ? e.repeated : 1;
    const fields = Object.keys(e.fields).length ? JSON.stringify(e.fields) : null;
    // Uptime-only rows go in already placed at the predicted boot instant (boots.ts settles it).
    const storedUs = p.tsUs === null && uptime !== null && s.predictUs !== null ? s.predictUs + uptime : p.tsUs;
    const inserted = writer.addEvent({
      ts_us: storedUs, section_id: s.id, line: p.line, host, source: e.source, kind: e.kind, severity: SEVERITY_RANK[e.severity] ?? 1,
      message: p.message, raw: p.raw, fields, count, uptime_us: uptime, boot_id: bootId, time_note: p.note, tkey, dhash, occ,
    });
    if (inserted) {
      added++;
      const st = s.stored;
      if (storedUs === null) st.unplaced++;
      else {
        if (st.first === null || storedUs < st.first) st.first = storedUs;
        if (st.last === null || storedUs > st.last) st.last = storedUs;
      }
    } else {
      s.duplicates++;
      if (seg && p.tsUs === null && uptime !== null) {
        const twin = writer.twinOf(tkey, dhash, occ);
        if (twin && twin.ts_us !== null) seg.anchors.push(twin.ts_us - uptime);
      } else if (p.tsUs !== null && uptime !== null && e.source === 'kernel') {
        // The same line was stored earlier from a raw capture, without an instant: this line's two
        // clocks anchor that capture's boot (kern.log read after dmesg).
        const twin = writer.twinOf(tkey, dhash, occ);
        if (twin && twin.ts_us === null && twin.boot_id !== null) {
          const list = twinAnchors.get(twin.boot_id);
          if (list) list.push(p.tsUs - uptime);
          else twinAnchors.set(twin.boot_id, [p.tsUs - uptime]);
        }
      }
    }
    if (p.tsUs !== null) {
      if (s.firstUs === null || p.tsUs < s.firstUs) s.firstUs = p.tsUs;
      if (s.lastUs === null || p.tsUs > s.lastUs) s.lastUs = p.tsUs;
      if (p.tsUs > nowUs + FUTURE_SLACK_US) s.future++;
      if (p.tsUs < PLAUSIBLE_FROM_US) s.ancient++;
    } else if (uptime === null) {
      s.unanchored++;
    }
  };

  const closeSection = (s: SectionState): void => {
    flush(s);
    const assumptions: string[] = s.plan.regionNote ? [s.plan.regionNote] : [];
    const warnings: string[] = [...s.warnings];
    const a = s.aligner?.stats;
    if (a && a.local > 0) {
      assumptions.push(settings.zoneWhy);
      if (settings.zoneIsFallback) warnings.push(`times without an offset were read in this machine's zone (${settings.zone}): give --tz if that is wrong`);
    }
    if (a && a.yearless > 0) {
      const years = [...a.yearsUsed.entries()].sort((x, y) => x[0] - y[0]).map(([y, n]) => `${y} (${n} lines)`).join(', ');
      assumptions.push(`${settings.refWhy}; years used: ${years || 'none'}`);
    }
    if (a && a.exact > 0 && a.local === 0) assumptions.push('timestamps carry their own offset (no zone assumed)');
    if (a && a.gaps > 0) warnings.push(`${a.gaps} lines fall in the spring-forward gap of ${settings.zone} (a time that does not exist): moved forward by the gap`);
    if (a && a.ambiguous > 0) warnings.push(`${a.ambiguous} lines fall in the repeated autumn hour of ${settings.zone}: resolved by file order`);
    if (a && a.backwards > 0) warnings.push(`${a.backwards} lines go back in time by more than a minute (kept where their stamps put them)`);
    if (s.future > 0) warnings.push(`${s.future} lines are dated more than a day in the future`);
    if (s.ancient > 0) warnings.push(`${s.ancient} lines are dated before 1990, earlier than any log corr reads (a clock that was never set?)`);
    if (s.usedDefaultHost) assumptions.push(settings.hostWhy);
    for (const [name, n] of s.fallbacks) {
      assumptions.push(`${n} line${n === 1 ? '' : 's'} read as ${name} inside this ${s.plan.format?.name ?? ''} section (each a whole ${name} record)`);
    }
    if (a && a.untimed > 0) warnings.push(`${a.untimed} events carry no time at all and are left out of time-range queries`);
    // Boot segments: anchors from lines carrying both clocks or from stored twins.
    let unanchoredUptime = 0;
    let movedRows = false;
    s.boot.segments.forEach((seg, i) => {
      const last = i === s.boot.segments.length - 1;
      let anchor: number | null = null;
      let why: string | null = null;
      if (seg.anchors.length > 0) {
        anchor = median(seg.anchors);
        why = seg.anchorWhy ?? `lines carrying both a wall-clock time and an uptime stamp (${seg.anchors.length} pairs)`;
      }
      writer.updateBoot(seg.id, last, seg.minUs, seg.maxUs, anchor, why);
      if (anchor !== null && s.predictUs === null) {
        db.prepare('UPDATE event_rows SET ts_us = ? + uptime_us WHERE boot_id = ? AND ts_us IS NULL').run(anchor, seg.id);
        movedRows = true;
      } else if (anchor !== null && anchor !== s.predictUs) {
        // Every row of an uptime-only section was placed provisionally: twins outrank the prediction.
        db.prepare('UPDATE event_rows SET ts_us = ? + uptime_us WHERE boot_id = ?').run(anchor, seg.id);
        movedRows = true;
      }
    });
    if (s.boot.segments.length > 1) assumptions.push(`the uptime clock resets ${s.boot.segments.length - 1} time(s): ${s.boot.segments.length} boots`);
    for (const [reason, r] of s.skipReasons) {
      // Headers, blank lines and the lines of fact sections are accounted for, not problems.
      if (reason === 'section header' || reason === 'blank line' || reason.startsWith('fact line of')) continue;
      warnings.push(`${r.count} line${r.count === 1 ? '' : 's'} skipped: ${reason} (first at line ${r.firstLine})`);
    }
    if (!s.plan.format) {
      if (s.plan.fact) assumptions.push(`read as a fact: ${s.plan.factNote}`);
      else warnings.push(`not a log: looked like ${s.plan.lookedLike}`);
    }
    // What the section's stored rows say: counted while inserting, unless anchoring just moved some.
    const counts =
      !movedRows
        ? { first: s.stored.first, last: s.stored.last, unanchored: s.stored.unplaced }
        : (db
            .prepare('SELECT min(ts_us) AS first, max(ts_us) AS last, sum(ts_us IS NULL) AS unanchored FROM events WHERE section_id = ?')
            .get(s.id) as { first: number | null; last: number | null; unanchored: number | null });
    unanchoredUptime = counts.unanchored ?? 0;
    if (unanchoredUptime > s.unanchored) {
      warnings.push(`${unanchoredUptime - s.unanchored} kernel lines have only an uptime stamp and no boot anchor yet: left out of time-range queries until one is found (--boot-time, or an uptime -s section)`);
    }
    writer.updateSection(s.id, {
      format: s.plan.format?.name ?? null,
      looked_like: s.plan.lookedLike ?? (s.plan.fact ? `facts (${s.plan.title})` : null),
      host: s.plan.format ? (s.usedDefaultHost || s.events === 0 ? settings.host : firstHost(db, s.id) ?? settings.host) : null,
      tz: a && a.local > 0 ? settings.zone : null,
      assumptions: JSON.stringify(assumptions),
      warnings: JSON.stringify(warnings),
      lines: s.lines, events: s.events, continuations: s.continuations, skipped: s.skipped, duplicates: s.duplicates,
      unanchored: unanchoredUptime,
      first_us: counts.first ?? s.firstUs, last_us: counts.last ?? s.lastUs,
    });
    commit();
  };

  try {
    if (sections.length === 0) {
      // An empty file is still recorded, so that it is reported and not read again.
      begin();
      if (storedMeanwhile(0)) return { fileId, added };
      writer.addSection({
        file_id: fileId, ordinal: 0, title: null, start_line: 1, end_line: 0, format: null, looked_like: 'nothing (an empty file)', host: null, tz: null,
        assumptions: '[]', warnings: JSON.stringify(['empty file: nothing to read']), lines: 0, events: 0, continuations: 0, skipped: 0,
        duplicates: 0, unanchored: 0, first_us: null, last_us: null,
      });
      writer.complete(fileId);
      commit();
      return { fileId, added };
    }
    const read = emptyReadReport();
    let lastProgress = Date.now();
    let linesSeen = 0;
    for await (const batch of readLines(survey.path, survey.gzip, read, survey.size)) {
      for (let i = 0; i < batch.lines.length; i++) {
        const lineNo = batch.firstLine + i;
        const line = batch.lines[i]!;
        while (idx < sections.length && lineNo > sections[idx]!.endLine && idx < sections.length - 1) {
          if (state) closeSection(state);
          state = null;
          idx++;
        }
        const plan = sections[idx]!;
        if (!state || state.plan !== plan) {
          if (state) closeSection(state);
          state = openSection(plan);
          if (!state) {
            // Stored by an earlier, interrupted run: read past it.
            continue;
          }
        }
        if (!state) continue;
        state.lines++;
        if (plan.hasHeader && lineNo === plan.startLine) {
          skip(state, lineNo, 'section header');
          continue;
        }
        handleLine(state, plan, line, lineNo);
      }
      linesSeen += batch.lines.length;
      if (opts.progress && Date.now() - lastProgress > 500) {
        lastProgress = Date.now();
        opts.progress(`${survey.path}: ${linesSeen.toLocaleString('en-US')} lines`);
      }
    }
    if (state) closeSection(state);
    state = null;
    // Sections the survey saw but this read did not reach (the file shrank meanwhile) are still recorded.
    begin();
    writer.complete(fileId);
    commit();
    if (read.stoppedEarly) {
      appendWarning(db, fileId, read.stoppedEarly);
    }
    const notes: string[] = [];
    if (read.truncatedLines) notes.push(`${read.truncatedLines} lines longer than 64 KiB were cut at 64 KiB`);
    if (read.invalidUtf8Lines) notes.push(`${read.invalidUtf8Lines} lines hold bytes that are not UTF-8 (shown as U+FFFD)`);
    if (read.nulLines) notes.push(`${read.nulLines} lines hold NUL bytes`);
    for (const n of notes) appendWarning(db, fileId, n);
  } catch (e) {
    if (inTx) db.exec('ROLLBACK');
    throw e;
  }
  return { fileId, added };

  function handleLine(s: SectionState, plan: SectionPlan, line: string, lineNo: number): void {
    if (plan.fact) {
      skip(s, lineNo, line.trim() ? `fact line of the ${plan.title} section` : 'blank line');
      return;
    }
    if (!plan.format) {
      skip(s, lineNo, line.trim() ? `not a log (${plan.lookedLike})` : 'blank line');
      return;
    }
    if (line.trim().length === 0) {
      skip(s, lineNo, 'blank line');
      return;
    }
    let r;
    try {
      r = s.parse!(line, s.pending?.event ?? null);
    } catch (e) {
      r = { type: 'skip' as const, reason: `the ${plan.format.name} parser failed on it (${(e as Error).message})` };
    }
    if (r === null) {
      // A whole record of another format inside this section (fail2ban's test log mixes BSD and
      // RFC 3339/5424 lines) is read with that format, and said so; anything less is skipped.
      const other = fallbackFormat(line, plan.format);
      const parsed = other ? safeParse(other, line, s.pending?.event ?? null) : null;
      if (other && parsed && parsed.type === 'event') {
        r = parsed;
        s.fallbacks.set(other.name, (s.fallbacks.get(other.name) ?? 0) + 1);
      } else {
        skip(s, lineNo, `not a ${plan.format.name} line`);
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
      const p = s.pending;
      if (p.raw.length < MAX_EVENT_TEXT) p.raw = (p.raw + '\n' + line).slice(0, MAX_EVENT_TEXT);
      if (p.message.length < MAX_EVENT_TEXT) p.message = (p.message + '\n' + line.trim()).slice(0, MAX_EVENT_TEXT);
      return;
    }
    const aligned = s.aligner!.align(r.event.time);
    if (!aligned.ok) {
      skip(s, lineNo, aligned.reason);
      return;
    }
    flush(s);
    s.events++;
    s.pending = { event: r.event, line: lineNo, raw: line, message: r.event.message, tsUs: aligned.tsUs, note: aligned.note };
  }
}

function safeParse(format: FormatDescriptor, line: string, prev: ParsedEvent | null): LineResult | null {
  try {
    return format.parse(line, prev);
  } catch {
    return null;
  }
}

function trackBoot(writer: StoreWriter, s: SectionState, host: string, uptime: number): BootSegment {
  const b = s.boot;
  let seg = b.segments[b.segments.length - 1];
  // A clock that goes back by more than a second is a new boot (kern.log spanning a reboot).
  if (!seg || (b.lastUptime !== null && uptime < b.lastUptime - 1_000_000)) {
    seg = { id: writer.addBoot(s.id, b.segments.length, host), minUs: uptime, maxUs: uptime, anchors: [], anchorWhy: null };
    b.segments.push(seg);
  }
  if (uptime < seg.minUs) seg.minUs = uptime;
  if (uptime > seg.maxUs) seg.maxUs = uptime;
  b.lastUptime = uptime;
  return seg;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

function firstHost(db: DB, sectionId: number): string | null {
  const r = db.prepare('SELECT host FROM events WHERE section_id = ? LIMIT 1').get(sectionId) as { host: string } | undefined;
  return r?.host ?? null;
}

function appendWarning(db: DB, fileId: number, warning: string): void {
  const row = db.prepare('SELECT id, warnings FROM sections WHERE file_id = ? ORDER BY ordinal DESC LIMIT 1').get(fileId) as { id: number; warnings: string } | undefined;
  if (!row) return;
  const list = JSON.parse(row.warnings) as string[];
  list.push(warning);
  db.prepare('UPDATE sections SET warnings = ? WHERE id = ?').run(JSON.stringify(list), row.id);
}

export { iso };
