/**
 * `corr ingest`, pass 2: read each surveyed file once more, section by section, parse every line
 * with the section's format (the parsers), refine each record into an event (refiners.ts: year,
 * zone, host, boot, dedup), and store the events through the store's writer, one transaction per
 * section (a crash leaves no half section; the next run resumes at the first missing one). Every
 * row is written once, already placed: rows that wait for their boot instant are held until the
 * section ends (boots.ts).
 */
import { readFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DB } from '../store/db.js';
import type { FileVersion, NewEvent, SectionTx, StoredBootPlacement, StoredFile, StoreWriter } from '../store/interface.js';
import { SqliteWriter } from '../store/writer.js';
import { unanchoredWarning } from '../store/writer.js';
import type { CoverageSpan, SectionSummary } from '../model/source.js';
import { assumption, warning, type Note } from '../model/notes.js';
import { describeError, type ReadReport } from './reader.js';
import { letLinesGo, realPathOf, surveyFile, SurveyTable, walkInputs, type FileSurvey, type InputError, type SectionPlan } from './survey.js';
import { globMatches, type UserTimeOptions, iso } from './settings.js';
import { hash52 } from './hash.js';
import { EventRefiners, type PendingEvent, type SectionContext } from './refiners.js';
import { NO_ENTRIES_REASON, readSections, type FileRead, type FileReadEnd, type ParsedSection, type SectionSink } from './section-read.js';
import { ReadWorker, readMessage, workerMinBytes, workerReadable } from './read-thread.js';
import { afterLatePlacement, placeStoredBootsByMatchedLines, settleBoots, speculate, StoredBootSamples, twinsNote, type HeldRow, type LatePlacement, type RawLineSink, type Speculation, type UnplacedBoot } from './boots.js';
import { linkKernelTwins } from './context/kernel-twins.js';
import { BOOT_PLACED_NOTE } from '../model/time.js';
import { SegmentBootKeys } from './boot-keys.js';
import { type BootContext, type BootFactsByFile } from '../time/boot-anchor.js';
import { bundleBootEstimator, placeBoot, type CaptureBoots } from '../time/boot-placement.js';
import { captureInstantUs } from './facts.js';
import { IngestInterrupted, ProgressTracker, type ProgressCallback } from './progress.js';
import { BundleSurveys, coverageOf, decideFromContext, headerSpan, KernelLineIndex, targetHost, type BundleContext, type ContextSettings } from './context/index.js';
import { hostFromSameLines } from './context/same-lines.js';
import { emptySectionSource, ranAtUs } from './context/coverage.js';
import { classify } from './classify/index.js';
import { sampleSections, type SectionSample } from './context/sample-lines.js';
import { RepeatedWarnings } from './warnings.js';

export interface IngestOptions extends UserTimeOptions {
  replace: boolean;
  /**
   * Called as the run goes (each file surveyed, each batch of lines read, each section committed)
   * with what is done and what is kept (src/ingest/progress.ts); the CLI draws it on a terminal and
   * says what was kept when it is interrupted. It must return quickly.
   */
  onProgress?: ProgressCallback;
  /**
   * Aborted to stop the run (the CLI's Ctrl-C): it stops before the next file or batch of lines,
   * rolls the section being read back, makes the sections read whole durable (store.flush) and
   * throws IngestInterrupted. What the progress callback last said was kept is then on disk.
   */
  signal?: AbortSignal;
  /**
   * The caller reads the per-file reports from `reports()` (while the store is open) instead of
   * `files`, which stays empty: the CLI writes them as they are read, and a run of 100,000 files
   * then holds none of them in memory.
   */
  streamReports?: boolean;
}

export interface IngestFileReport extends SectionSummary {
  /** `ingested`, `unchanged` (already stored, same content), `replaced`, `resumed`, `skipped` (not read). */
  status: string;
  duplicates: number;
  unanchored: number;
  /** The stored section's id (absent for inputs that were not read). */
  id?: number;
  /** The spans it covers (absent for inputs that were not read). */
  coverage?: CoverageSpan[];
  /** Its lines that are twins of the same kernel line kept from another copy (docs/time.md, "Twins"). */
  twins?: number;
}

export interface IngestResult {
  /** Every input's report, in the order given (empty with streamReports: see reports). */
  files: IngestFileReport[];
  /** The same reports, read from the store one file at a time (the store must still be open). */
  reports: () => Iterable<IngestFileReport>;
  errors: InputError[];
  events_added: number;
  events_total: number;
  warnings: string[];
}


/** Events handed to the store per call. */
const BATCH = 512;
/**
 * Formats whose every line carries only an uptime stamp: files holding such a section are read
 * after the others of the run, so that the lines with both clocks they share are stored first and
 * anchor them before their rows are written.
 */
const UPTIME_ONLY_FORMATS = new Set(['dmesg-raw', 'kmsg']);

/** The store to write to: the writer, or (for callers holding one) an open SQLite database. */
export type IngestTarget = StoreWriter | DB;

export async function ingest(target: IngestTarget, paths: string[], opts: IngestOptions): Promise<IngestResult> {
  const store: StoreWriter = 'storedVersions' in target ? target : new SqliteWriter(target as DB);
  const walked = await walkInputs(paths);
  const errors: InputError[] = [...walked.errors];
  // The store's own database and journal files are never read as logs (`corr ingest .` beside them).
  const own = new Set(store.ownFiles().map((f) => resolve(f)));
  const isOwn = async (path: string): Promise<boolean> => {
    if (own.size === 0) return false;
    if (own.has(resolve(path))) return true;
    try {
      return own.has(realPathOf(walked, path) ?? (await realpath(path)));
    } catch {
      return false;
    }
  };
  // What each input became, by path: a stored file version (its report is read back from the store
  // when the run's report is written, so 100,000 files hold no report in memory), or not read.
  const outcomes = new Map<string, Outcome>();
  /** How many of the walked files were surveyed (or found not to be read): the report's order. */
  let looked = 0;
  const runWarnings: string[] = [];

  const progress = new ProgressTracker(opts.onProgress);
  // Held compactly until each is read (survey.ts SurveyTable, #17).
  const surveys = new SurveyTable();
  // The bundle context (src/ingest/context/): hosts, zones, references and boot evidence from
  // everything the bundle says, before any line is placed. Each file is summarised as it is
  // surveyed and its lines go at once: the survey phase holds one file's lines, not 100,000's (#17).
  const bundleSurveys = new BundleSurveys();
  const turn = new EventLoopTurns();
  for (const path of walked.files) {
    await turn.now();
    if (opts.signal?.aborted) throw new IngestInterrupted();
    looked++;
    progress.surveying(path, looked, walked.files.length);
    if (await isOwn(path)) {
      outcomes.set(path, "this store's own database file");
      continue;
    }
    try {
      const s = await surveyFile(path);
      if ('lookedLike' in s) outcomes.set(path, s.lookedLike);
      else {
        bundleSurveys.add(s);
        letLinesGo(s);
        surveys.add(s);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      errors.push({ path, error: code === 'EACCES' || code === 'EPERM' ? 'permission denied' : describeError(e) });
    }
  }
  afterSurveyTestHook();
  const bundle = bundleSurveys.build();
  // Each file's settings are decided here once for what the whole run needs of them (the warnings,
  // the read order, the boot facts), and again when the file is read: holding them, sentences and
  // all, for every file until the run ends cost 1.6 KB a file (#17, 100,000 tiny files).
  const decide = (s: FileSurvey): ContextSettings => decideFromContext(s, opts, bundle, globMatches);
  // The host warnings of a file no evidence names wait for its read: identical lines already
  // stored (host step 4) may still name its host.
  // Said once per kind (warnings.ts): 100,000 files naming no host are one line and a count, not
  // 100,000 lines held for the run; each file's own warning stays in its stored notes.
  const said = new RepeatedWarnings((w) => runWarnings.push(w));
  /** `hosts`: those of the sections this run stored (null: ask the store, which holds earlier runs' too). */
  const sayHostWarnings = (path: string, d: ContextSettings, fileId: number, hosts: ReadonlySet<string> | null): void => {
    if (!d.hostIsFallback) return;
    const used = hosts ? hosts.has(d.host) : store.sections({ fileId }).some((r) => r.format !== null && r.host === d.host);
    if (used) for (const w of d.hostWarnings) said.add(path, w);
  };
  /**
   * Each file's place in the read order: FALLBACK_HOST (no evidence names its host) and UPTIME_ONLY
   * (a raw capture) go later, see below.
   */
  const rank = new Uint8Array(surveys.length);
  const captures = new Map<string, CaptureBoots>();
  const bootFacts: BootFactsByFile[] = [];
  for (let i = 0; i < surveys.length; i++) {
    const s = surveys.at(i);
    const d = decide(s);
    for (const w of d.warnings) if (!(d.hostIsFallback && d.hostWarnings.includes(w))) said.add(s.path, w);
    rank[i] = (d.hostIsFallback ? FALLBACK_HOST : 0) + (s.sections.some((p) => p.format && UPTIME_ONLY_FORMATS.has(p.format.name)) ? UPTIME_ONLY : 0);
    const ev = bundle.bootEvidence(s.path, d.zone);
    const captureUs = captureInstantUs(s.facts, d.zone);
    // A capture that states no boot and no capture instant is no evidence for any boot: the
    // estimators treat it as absent (boot-anchor.ts, boot-placement.ts), so it is not kept.
    if (captureUs === null && ev.current.length === 0 && ev.earlier.size === 0) continue;
    captures.set(s.path, { path: s.path, host: d.host, captureUs, current: ev.current, earlier: ev.earlier });
    const p = placeBoot(ev.current);
    bootFacts.push({ path: s.path, host: d.host, boot: p.anchorUs === null ? null : { us: p.anchorUs, why: p.why }, captureUs });
  }
  const bootContext: BootContext = { bootUs: opts.bootUs, bootText: opts.bootText, facts: bootFacts, captures };
  let rawKey = 0;
  const raw: RawLineSink = { index: new KernelLineIndex(), nextKey: () => ++rawKey };
  const unplaced: UnplacedBoot[] = [];
  /** Sections of stored boots a journal or syslog section of this run placed by matched lines. */
  const placedByMatch = new Set<number>();
  /** Rows linked as twins in this run (the reports, read back from the store at the end, show them). */
  const twinned = { n: 0 };
  let added = 0;

  // Large files are read and parsed on the other core (read-thread.ts) while this thread inserts;
  // only into SQLite, whose writer takes the fields as the worker's JSON (PackedFields).
  const reader: RunReader | null = store instanceof SqliteWriter && workerReadable() ? { worker: new ReadWorker(), minBytes: workerMinBytes() } : null;
  let bytesTotal = 0;
  for (let i = 0; i < surveys.length; i++) bytesTotal += surveys.bytes(i);
  progress.startReading(surveys.length, bytesTotal);
  // Files no evidence names a host for go last, so that the lines of named hosts they may share are
  // stored first (host step 4); raw captures after the files that can anchor them. In survey order
  // within each rank (a stable sort, without an array of them).
  try {
    for (const [i, fileRank] of byRank(rank)) {
      const survey = surveys.at(i);
      const fallbackHost = (fileRank & FALLBACK_HOST) !== 0;
      progress.file(survey.path, survey.read.bytes);
      // After progress.file: a Ctrl-C seen in this turn names this file, the first not stored, as
      // where the next run resumes.
      await turn.now();
      if (opts.signal?.aborted) {
        store.flush?.();
        throw new IngestInterrupted();
      }
      let realPath: string;
      try {
        realPath = realPathOf(walked, survey.path) ?? (await realpath(survey.path));
      } catch (e) {
        errors.push({ path: survey.path, error: vanished(e) });
        continue;
      }
      // A file is known by where its bytes were and what they are (#17), never by its path string alone.
      const versions = store.storedVersions(realPath, survey.path);
      const same = versions.find((v) => v.sha256 === survey.sha256);
      let status = 'ingested';
      let resume: StoredFile | undefined;
      let replace: StoredFile[] = [];
      if (same && !opts.replace) {
        if (same.complete) {
          outcomes.set(survey.path, stored(same.id, 'unchanged'));
          if (fallbackHost) sayHostWarnings(survey.path, decide(survey), same.id, null);
          continue;
        }
        status = 'resumed';
        resume = same;
      } else if (opts.replace) {
        // An incomplete version of this content is an interrupted --replace: resume it, replace the rest.
        resume = versions.find((v) => v.sha256 === survey.sha256 && !v.complete);
        replace = versions.filter((v) => v !== resume);
        status = replace.length > 0 ? 'replaced' : resume ? 'resumed' : 'ingested';
      } else if (versions.length > 0) {
        status = 'changed';
        said.add(survey.path, `${survey.path} changed since it was stored; kept both — pass --replace to keep only the new one`);
      }
      const resumeOrdinals = resume ? store.storedOrdinals(resume.id) : new Set<number>();
      try {
        const settings = decide(survey);
        const r = await ingestFile(store, survey, settings, opts, bootContext, {
          realPath, host: survey.facts.hostname ?? null, replace, resumeFileId: resume?.id ?? null, resumeOrdinals,
        }, { bundle, raw, unplaced, progress, placedByMatch, twinned, reader });
        added += r.added;
        if (r.keptLonger) {
          said.add(survey.path, `${survey.path} is shorter than the stored version and holds nothing it lacks (a truncated copy?): the stored version is kept beside it`);
        }
        outcomes.set(survey.path, stored(r.fileId, status));
        sayHostWarnings(survey.path, settings, r.fileId, status === 'resumed' ? null : r.hosts);
      } catch (e) {
        if (isDbError(e)) throw e;
        if (e instanceof IngestInterrupted) {
          // The section being read is rolled back; those read whole before it stay.
          store.flush?.();
          throw e;
        }
        errors.push({ path: survey.path, error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? vanished(e) : describeError(e) });
      }
    }
  } finally {
    reader?.worker.stop();
  }

  runWarnings.push(...said.summary());
  store.flush?.();
  // Boots stored unanchored by earlier runs: this run's --boot-time or boot facts may place them.
  // (Those a journal's kernel lines match were placed in that journal section's transaction.)
  // The reports are read back from the store after this, so those of sections whose boots were
  // placed here show their instants.
  placeEarlierBoots(store, bootContext, () => {
    const paths = new Set<string>();
    for (let i = 0; i < surveys.length; i++) paths.add(surveys.path(i));
    return paths;
  });
  function* reports(): Generator<IngestFileReport> {
    for (let i = 0; i < looked; i++) {
      const path = walked.files[i]!;
      const o = outcomes.get(path);
      if (o === undefined) continue; // an error, listed under errors
      if (typeof o === 'string') yield notRead(path, o);
      else {
        const [fileId, status] = typeof o === 'number' ? [Math.floor(o / STATUSES.length), o % STATUSES.length] : o;
        for (const r of store.sections({ fileId })) yield { ...r, status: STATUSES[status]! };
      }
    }
    for (const s of walked.skipped) yield notRead(s.path, s.lookedLike);
  }
  const result = { errors, events_added: added, events_total: store.totalEvents(), warnings: runWarnings };
  return opts.streamReports ? { ...result, files: [], reports } : { ...result, files: [...reports()], reports };
}

/**
 * Small files are read with synchronous calls (reader.ts), so a run of thousands of them would
 * never return to the event loop: Ctrl-C (whose handler runs there) would only be seen at the end,
 * and the progress bar would not redraw. Every TURN_MS the file loops let one turn of it pass.
 */
const TURN_MS = 25;
class EventLoopTurns {
  private last = Date.now();
  async now(): Promise<void> {
    if (Date.now() - this.last < TURN_MS) return;
    await new Promise<void>((done) => setImmediate(done));
    this.last = Date.now();
  }
}

/** What one input became: a stored file version with the run's status for it (see stored), or not read (why). */
type Outcome = number | string | [fileId: number, status: number];

/**
 * A stored outcome as one number, its file id and status together: an object per input was ~60 B a
 * file for the run (#17).
 */
const STATUSES = ['ingested', 'unchanged', 'replaced', 'resumed', 'changed'] as const;
function stored(fileId: number, status: string): Outcome {
  const i = STATUSES.indexOf(status as (typeof STATUSES)[number]);
  if (i === -1) throw new Error(`no such status: ${status}`);
  // ClickHouse's file ids are 52-bit names (src/store/clickhouse/ids.ts): times 5 they pass 2^53 and
  // the number would round to another file's. Those keep the pair (SQLite's small ids stay one number).
  if (fileId > (Number.MAX_SAFE_INTEGER - i) / STATUSES.length) return [fileId, i];
  return fileId * STATUSES.length + i;
}

/** Ranks of the read order (see rank in ingest). */
const FALLBACK_HOST = 2;
const UPTIME_ONLY = 1;

/** Indices of `rank` by rank, in index order within each. */
function* byRank(rank: Uint8Array): Generator<[number, number]> {
  for (let r = 0; r <= FALLBACK_HOST + UPTIME_ONLY; r++) for (let i = 0; i < rank.length; i++) if (rank[i] === r) yield [i, r];
}

/** `runPaths`: the paths this run surveyed (asked for only when a boot is left open). */
function placeEarlierBoots(store: StoreWriter, context: BootContext, runPathsOf: () => Set<string>): Set<number> {
  const sections = new Set<number>();
  const placements: StoredBootPlacement[] = [];
  let runPaths: Set<string> | null = null;
  for (const b of store.openBoots()) {
    const p = bundleBootEstimator(
      { path: b.path, host: b.host, last: b.last, minUptimeUs: b.minUptimeUs, maxUptimeUs: b.maxUptimeUs, pairs: [], twins: [] },
      context,
    );
    if (p.anchor) {
      placements.push({ bootId: b.id, anchorUs: p.anchor.us, why: p.anchor.why, precisionUs: p.precisionUs, evidence: p.evidence });
      sections.add(b.sectionId);
    } else if (p.misfit && (runPaths ??= runPathsOf()).has(b.path)) {
      store.noteSection(b.sectionId, warning('boot-fact-misfit', p.misfit));
    }
  }
  // In the same transaction: the coverage those boots now have, and their twins.
  const open = new Map(store.openBoots().map((b) => [b.id, b]));
  const late: LatePlacement[] = placements.flatMap((p) => {
    const b = open.get(p.bootId);
    return b ? [{ boot: b, anchorUs: p.anchorUs }] : [];
  });
  store.placeStoredBoots(placements, (tx) => {
    const n = afterLatePlacement(tx, late, context);
    if (n > 0) for (const s of new Set(late.map((p) => p.boot.sectionId))) tx.addSectionCoverage(s, [], [], twinsNote(n));
  });
  store.flush?.();
  return sections;
}

/**
 * A test hook, inert unless CORR_TEST_AFTER_SURVEY names a FIFO: once every input is surveyed,
 * corr opens the FIFO and reads it to its end, so a test can change or remove an input between the
 * survey and the read, deterministically (open blocks until the test opens the other end; the read
 * ends when the test closes it). docs/reliability.md lists it; test/reliability/vanish.test.ts uses it.
 */
function afterSurveyTestHook(): void {
  const fifo = process.env.CORR_TEST_AFTER_SURVEY;
  if (fifo) readFileSync(fifo);
}

/** A file surveyed, then gone when it was to be read (log rotation): an error for that path. */
function vanished(e: unknown): string {
  return `vanished before it was read (${describeError(e)})`;
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

interface FilePlan {
  realPath: string;
  host: string | null;
  /** Stored versions this one replaces (--replace), removed when it is complete. */
  replace: StoredFile[];
  resumeFileId: number | null;
  resumeOrdinals: Set<number>;
}

/** One section being read: its transaction, its refiners, its counts. */
interface OpenSection {
  plan: SectionPlan;
  /** The host for its records that name none. */
  host: string;
  tx: SectionTx;
  /** The event refiners (host, boot, dedup); the record ones ran where the lines were parsed (section-read.ts). */
  refiners: EventRefiners | null;
  duplicates: number;
  /** Rows ready to store (no boot to wait for) and rows held for their boot's placement. */
  batch: NewEvent[];
  held: HeldRow[];
  /** Uptime-only rows stored already placed at a predicted boot instant (boots.ts), or null. */
  speculation: Speculation | null;
  storedBoots: StoredBootSamples;
  /** The boot key of each of its boot segments (boot-keys.ts), and the rows waiting for one. */
  bootKeys: SegmentBootKeys;
  /** Hosts of its kernel lines with a wall clock and no uptime stamp (matched to raw dmesg). */
  wallHosts: Set<string>;
  /** Rows this section added (counted into the file's once it commits), and of them on the file's last line. */
  added: number;
  addedOnLastLine: number;
  stored: { first: number | null; last: number | null; unplaced: number; host: string | null };
  /** What the section's placed rows span and which host/source streams they are, duplicates included (coverage). */
  seen: { first: number | null; last: number | null; streams: Map<string, { host: string; source: string }>; boots: Map<number, { firstUs: number; lastUs: number }> };
}

/** The run's read worker, when it has one, and the least file size it reads. */
interface RunReader {
  worker: ReadWorker;
  minBytes: number;
}

/** A section's boot prediction did not hold: it is read again, holding its rows. */
class RetrySection extends Error {
  constructor(readonly ordinal: number) {
    super(`section ${ordinal} is read again`);
  }
}

async function ingestFile(
  store: StoreWriter,
  survey: FileSurvey,
  settings: ContextSettings,
  opts: IngestOptions,
  bootContext: BootContext,
  plan: FilePlan,
  run: { bundle: BundleContext; raw: RawLineSink; unplaced: UnplacedBoot[]; progress: ProgressTracker; placedByMatch: Set<number>; twinned: { n: number }; reader: RunReader | null },
): Promise<{ fileId: number; added: number; keptLonger: boolean; hosts: Set<string> }> {
  const file: FileVersion = {
    path: survey.path, realPath: plan.realPath, host: plan.host, sha256: survey.sha256, size: survey.size, mtimeMs: survey.mtimeMs, gzip: survey.gzip,
  };
  let fileId: number | null = plan.resumeFileId;
  let added = 0;
  let addedOnLastLine = 0;
  let keptLonger = false;
  /** The hosts of the sections with a format this run stored (whether a host warning applies). */
  const hosts = new Set<string>();
  /** The file row as committed (a rolled-back section may have created one that is gone again). */
  let committedFileId: number | null = plan.resumeFileId;
  /**
   * --replace: a version at least as large goes at once (its events would otherwise stand in the
   * way of the corrected ones: same lines, same dedup keys). A larger one goes only once this
   * version is complete, and not at all when this one added no event of its own: a truncated copy
   * never replaces the longer version.
   */
  const removeFirst = plan.replace.filter((v) => v.size <= survey.size).map((v) => v.id);
  const removeLater = plan.replace.filter((v) => v.size > survey.size);
  const removals = (): number[] => {
    if (removeLater.length === 0) return [];
    // A copy cut short ends in a cut line: the one event it may hold that the stored version lacks.
    if (added - addedOnLastLine === 0) {
      keptLonger = true;
      return [];
    }
    return removeLater.map((v) => v.id);
  };
  /** Sections read again holding their rows (their boot prediction did not hold). */
  const holdRows = new Set<number>();
  const ctx: SectionContext = {
    zone: settings.zone, zoneWhy: settings.zoneWhy, zoneIsFallback: settings.zoneIsFallback, zoneWarnings: settings.zoneWarnings, year: opts.year ?? null,
    refUs: settings.refUs, refWhy: settings.refWhy, host: settings.host, hostWhy: settings.hostWhy, nowUs: Date.now() * 1000,
    untimedKey: -(Math.abs(hash52(survey.path)) % 1e9) - 1,
    hostOf: (named) => run.bundle.canonicalHost(named),
    hostWarnings: settings.hostWarnings,
    rawLines: run.raw,
  };
  // A probe's target names the machine probed: matched to a bundle host without user@ and :port.
  const probeCtx: SectionContext = { ...ctx, hostOf: (named) => run.bundle.probeHost(named) ?? targetHost(named) ?? named };
  const captureUs = captureInstantUs(survey.facts, settings.zone);
  const fileContext = run.bundle.files.get(survey.path);
  // Host step 4: a file no evidence names a host for may share lines with a named host's sources
  // already stored; its sections are sampled now and compared inside each one's transaction.
  const samples: Map<number, SectionSample> = settings.hostIsFallback
    ? await sampleSections(survey, ctx, new Set(survey.sections.filter((p) => !plan.resumeOrdinals.has(p.ordinal)).map((p) => p.ordinal)))
    : new Map();
  /** The host for the records of section `p` that name none: the file's, or the one its identical lines name. */
  const sectionHost = (p: SectionPlan, tx: SectionTx): { host: string; why: string; warnings: string[] } => {
    const own = { host: settings.host, why: settings.hostWhy, warnings: settings.hostWarnings };
    const sample = samples.get(p.ordinal);
    if (!sample || sample.lines.length === 0) return own;
    const d = hostFromSameLines(sample.lines, tx.sameLines(sample.lines), sample.generic);
    if (!d) return own;
    return { host: d.host, why: `${d.why}, for records that name none (before: ${settings.hostWhy})`, warnings: d.warning ? [d.warning] : [] };
  };

  const begin = (ordinal: number): SectionTx | null => {
    if (plan.resumeOrdinals.has(ordinal)) return null;
    const r = store.beginSection(file, fileId, ordinal, removeFirst);
    fileId = r.fileId;
    return r.tx;
  };

  const open = (p: SectionPlan): OpenSection | null => {
    const tx = begin(p.ordinal);
    if (!tx) return null;
    run.progress.sectionOpened(p.startLine);
    const uptimeOnly = p.format !== null && UPTIME_ONLY_FORMATS.has(p.format.name) && !holdRows.has(p.ordinal);
    const host = p.format ? sectionHost(p, tx) : { host: settings.host, why: settings.hostWhy, warnings: settings.hostWarnings };
    const own = { host: host.host, hostWhy: host.why, hostWarnings: host.warnings };
    return {
      plan: p, tx, host: host.host,
      refiners: p.format ? new EventRefiners({ ...(p.format.name === 'probe' ? probeCtx : ctx), ...own, endsByUs: ranAtUs(p.title, captureUs) }) : null,
      duplicates: 0, batch: [], held: [],
      speculation: uptimeOnly ? speculate(tx, survey.path, host.host, bootContext, bundleBootEstimator) : null, storedBoots: new StoredBootSamples(), bootKeys: new SegmentBootKeys(tx), wallHosts: new Set(), added: 0, addedOnLastLine: 0,
      stored: { first: null, last: null, unplaced: 0, host: null }, seen: { first: null, last: null, streams: new Map(), boots: new Map() },
    };
  };

  const counted = (s: OpenSection, rows: readonly NewEvent[], inserted: readonly boolean[]): void => {
    const st = s.stored;
    const seen = s.seen;
    // The stream of the row before: consecutive rows nearly always share it, and its key is a string
    // built per lookup otherwise.
    let lastHost: string | null = null;
    let lastSource: string | null = null;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (r.tsUs !== null) {
        if (seen.first === null || r.tsUs < seen.first) seen.first = r.tsUs;
        if (seen.last === null || r.tsUs > seen.last) seen.last = r.tsUs;
        if (r.host !== lastHost || r.source !== lastSource) {
          lastHost = r.host;
          lastSource = r.source;
          const k = `${r.host}\0${r.source}`;
          if (!seen.streams.has(k)) seen.streams.set(k, { host: r.host, source: r.source });
        }
        if (r.bootId !== null) {
          const b = seen.boots.get(r.bootId);
          if (!b) seen.boots.set(r.bootId, { firstUs: r.tsUs, lastUs: r.tsUs });
          else {
            if (r.tsUs < b.firstUs) b.firstUs = r.tsUs;
            if (r.tsUs > b.lastUs) b.lastUs = r.tsUs;
          }
        }
      }
      if (!inserted[i]) {
        s.duplicates++;
        continue;
      }
      s.added++;
      if (r.line >= survey.lines) s.addedOnLastLine++;
      st.host ??= r.host;
      if (r.tsUs === null) st.unplaced++;
      else {
        if (st.first === null || r.tsUs < st.first) st.first = r.tsUs;
        if (st.last === null || r.tsUs > st.last) st.last = r.tsUs;
      }
    }
  };

  const writeBatch = (s: OpenSection): void => {
    if (s.batch.length === 0) return;
    const inserted = s.tx.addEvents(s.batch);
    counted(s, s.batch, inserted);
    s.batch.forEach((r, i) => {
      // A kernel line with both clocks already stored from a raw capture whose boot is unanchored:
      // its two clocks place that boot (dmesg ingested by an earlier run, kern.log now).
      if (inserted[i] || r.uptimeUs === null || r.tsUs === null || r.timeNote === BOOT_PLACED_NOTE || r.source !== 'kernel') return;
      const twin = s.tx.twins([r])[0];
      if (twin && twin.tsUs === null && twin.bootId !== null) s.storedBoots.add(twin.bootId, r.tsUs - r.uptimeUs);
    });
    s.batch = [];
  };

  const emitNow = (s: OpenSection, p: PendingEvent): void => {
    s.refiners!.onEvent(p);
    const e = p.event;
    // A kernel line with a wall time and no uptime: raw dmesg of the same host may match it (stored, by host).
    if (e.source === 'kernel' && p.tsUs !== null && p.uptimeUs === null) s.wallHosts.add(p.host);
    const row: NewEvent = {
      tsUs: p.tsUs, line: p.line, host: p.host, source: e.source, kind: e.kind, severity: e.severity, message: p.message, raw: p.raw,
      fields: e.fields, count: e.repeated && e.repeated > 1 ? e.repeated : 1, uptimeUs: p.uptimeUs, bootId: null, timeNote: p.timeNote,
      tkey: p.tkey, dhash: p.dhash, occ: p.occ,
    };
    if (p.segment === null) place(s, row, null);
    else {
      row.bootId = s.tx.bootId(p.segment);
      // Its boot key first (boot-keys.ts): the rows of a segment wait for its first distinctive line.
      for (const h of s.bootKeys.assign(row, p.segment)) place(s, h.row, h.segment);
    }
  };

  /** A row with its boot decided: held for its boot's placement, placed at the predicted instant, or stored. */
  const place = (s: OpenSection, row: NewEvent, segment: number | null): void => {
    if (segment !== null) {
      if (row.tsUs === null) {
        if (!s.speculation) {
          s.held.push({ row, segment });
          return;
        }
        if (s.speculation.anchorUs !== null) {
          row.tsUs = s.speculation.anchorUs + row.uptimeUs!;
          row.timeNote = BOOT_PLACED_NOTE;
        }
      }
    }
    s.batch.push(row);
    if (s.batch.length >= BATCH) writeBatch(s);
  };

  /** The section ends: `r` is what its read counted (its last events were handed over before it). */
  const close = (s: OpenSection, read: ReadReport | null, r: ParsedSection): void => {
    for (const h of s.bootKeys.settle()) place(s, h.row, h.segment);
    writeBatch(s);
    const notes: Note[] = s.plan.regionNote ? [assumption('region', s.plan.regionNote)] : [];
    if (s.refiners) notes.push(...r.notes, ...s.refiners.notes());
    if (s.refiners) {
      const settled = settleBoots(s.tx, survey.path, s.refiners.boot.tracker, s.held, bootContext, s.speculation, bundleBootEstimator, run.raw);
      if (settled.retry) {
        s.tx.rollback();
        throw new RetrySection(s.plan.ordinal);
      }
      counted(s, settled.rows, settled.inserted);
      notes.push(...settled.notes);
      run.unplaced.push(...settled.unplaced);
      // The held rows are stored: let them go before the twins are read (a raw dmesg beside its
      // journal holds every kernel line here; both copies of them live at once tripled the peak RSS).
      s.held = [];
      settled.rows = [];
      settled.inserted = [];
      const late: LatePlacement[] = s.storedBoots.place(s.tx, () => store.openBoots());
      // Kernel lines with a wall clock: stored raw boots of the same host they match are placed now,
      // in this transaction (dmesg stored by an earlier run, or earlier in this one).
      if (s.wallHosts.size > 0) late.push(...placeStoredBootsByMatchedLines(s.tx, store.openBoots(), s.wallHosts, bootContext, bundleBootEstimator));
      for (const p of late) run.placedByMatch.add(p.boot.sectionId);
      // Twins: the same kernel lines from raw dmesg and a journal or syslog, in whichever order and
      // run they came — this section's boots, the boots placed just now, and the host's placed boots
      // this section's wall-clock kernel lines fall in (src/ingest/context/kernel-twins.ts).
      let twinned = afterLatePlacement(s.tx, late, bootContext);
      const ownBoots = new Set(s.refiners.boot.tracker.segments.map((_, i) => s.tx.bootId(i)));
      const twinHosts = new Set([...s.wallHosts, ...s.refiners.boot.tracker.segments.map((g) => g.host)]);
      if (twinHosts.size > 0) {
        const range = s.seen.first !== null && s.seen.last !== null ? { fromUs: s.seen.first, toUs: s.seen.last } : null;
        twinned += linkKernelTwins(s.tx, twinHosts, range ?? { fromUs: Infinity, toUs: -Infinity }, ownBoots);
      }
      if (twinned > 0) notes.push(twinsNote(twinned));
      run.twinned.n += twinned;
      // Coverage: the spans the section speaks for (src/ingest/context/coverage.ts).
      const header = fileContext?.journalHeaders.get(s.plan.ordinal);
      const journal = header ? headerSpan(header, settings.zone) : null;
      const cov = coverageOf({ title: s.plan.title, firstUs: s.seen.first, lastUs: s.seen.last, captureUs, zone: settings.zone, journal, boots: [...s.seen.boots.values()] });
      if (cov.spans.length > 0 && s.seen.streams.size > 0) {
        s.tx.setCoverage(cov.spans, [...s.seen.streams.values()]);
        notes.push(assumption('coverage', `coverage ${cov.spans.map((c) => `${iso(c.startUs)}–${iso(c.endUs)}`).join(', ')}: ${cov.why}`));
      }
      if (journal && s.seen.first !== null && s.seen.last !== null) {
        const end = journal.endUs ?? Infinity;
        if (s.seen.first < journal.beginUs - JOURNAL_SLACK_US || s.seen.last > end + JOURNAL_SLACK_US) {
          notes.push(warning('journal-span', `the journal header says ${header!.line.slice(0, 160)}, but the lines run from ${iso(s.seen.first)} to ${iso(s.seen.last)}: check the zone (${settings.zone}) and year assumed`));
        }
      }
    }
    for (const [name, n] of r.fallbacks) {
      notes.push(assumption('fallback-format', `${n} line${n === 1 ? '' : 's'} read as ${name} inside this ${s.plan.format?.name ?? ''} section (each a whole ${name} record)`, n));
    }
    for (const [reason, k] of r.skipReasons) {
      // Headers, blank lines and the lines of fact sections are accounted for, not problems.
      if (reason === 'section header' || reason === 'blank line' || reason === NO_ENTRIES_REASON || reason.startsWith('fact line of')) continue;
      notes.push(warning('skipped', `${k.count} line${k.count === 1 ? '' : 's'} skipped: ${reason} (first at line ${k.firstLine})`, k.count));
    }
    // An empty journal window (nothing, or "-- No entries --") covers its stated span: the host
    // logged nothing in that stream then — silence within coverage, not absence of coverage.
    const emptySource = !s.plan.format && !s.plan.fact && r.onlyNoEntries ? emptySectionSource(s.plan.title, (program) => classify(program, '').source) : null;
    const emptyCoverage = emptySource !== null ? coverageOf({ title: s.plan.title, firstUs: null, lastUs: null, captureUs, zone: settings.zone, journal: null }) : null;
    if (emptyCoverage && emptyCoverage.spans.length > 0) {
      s.tx.setCoverage(emptyCoverage.spans, [{ host: settings.host, source: emptySource! }]);
      const stream = emptySource === '*' ? 'any stream' : `its ${emptySource} stream`;
      notes.push(assumption('coverage', `coverage ${emptyCoverage.spans.map((c) => `${iso(c.startUs)}–${iso(c.endUs)}`).join(', ')} with no entries: ${settings.host} logged nothing in ${stream} then (${emptyCoverage.why})`));
    } else if (!s.plan.format) {
      if (s.plan.fact) notes.push(assumption('fact', `read as a fact: ${s.plan.factNote}`));
      else notes.push(warning('not-a-log', `not a log: looked like ${s.plan.lookedLike}`));
    }
    const untimed = s.refiners ? countUntimed(notes) : 0;
    const unanchored = s.stored.unplaced;
    if (unanchored > untimed) notes.push(unanchoredWarning(unanchored - untimed));
    if (read) notes.push(...readNotes(read));
    for (const n of notes) s.tx.addNote(n);
    const usedDefaultHost = s.refiners?.host.usedDefault() ?? false;
    added += s.added;
    addedOnLastLine += s.addedOnLastLine;
    const complete = read !== null;
    const sectionHost = s.plan.format ? (usedDefaultHost || r.events === 0 ? s.host : s.stored.host ?? s.host) : null;
    s.tx.commit(
      {
        title: s.plan.title, startLine: s.plan.startLine, endLine: s.plan.endLine, format: s.plan.format?.name ?? null,
        lookedLike: s.plan.lookedLike ?? (s.plan.fact ? `facts (${s.plan.title})` : null),
        lookedLikeCode: s.plan.lookedLikeCode ?? (s.plan.fact ? 'facts' : null),
        host: sectionHost,
        tz: notes.some((n) => n.code === 'zone') ? settings.zone : null,
        lines: r.lines, events: r.events, continuations: r.continuations, skipped: r.skipped, duplicates: s.duplicates, unanchored,
        firstUs: s.stored.first, lastUs: s.stored.last,
      },
      complete,
      complete ? removals() : [],
    );
    committedFileId = fileId;
    if (sectionHost !== null) hosts.add(sectionHost);
    run.progress.committed(s.added);
  };

  let state: OpenSection | null = null;
  try {
    if (survey.sections.length === 0) {
      // An empty file is still recorded, so that it is reported and not read again.
      const tx = begin(0);
      if (tx) {
        tx.addNote(warning('empty-file', 'empty file: nothing to read'));
        tx.commit({
          title: null, startLine: 1, endLine: 0, format: null, lookedLike: 'nothing (an empty file)', lookedLikeCode: 'empty', host: null, tz: null,
          lines: 0, events: 0, continuations: 0, skipped: 0, duplicates: 0, unanchored: 0, firstUs: null, lastUs: null,
        }, true, removals());
        run.progress.committed(0);
      }
      return { fileId: fileId!, added, keptLonger, hosts };
    }
    for (;;) {
      try {
        await readAll();
        break;
      } catch (e) {
        if (!(e instanceof RetrySection)) throw e;
        // Read the file again: the sections stored meanwhile are read past, this one holds its rows.
        holdRows.add(e.ordinal);
        state = null;
        // The rolled-back transaction may have been the one that created this version's file row.
        fileId = committedFileId;
      }
    }
  } catch (e) {
    (state as OpenSection | null)?.tx.rollback();
    throw e;
  }
  if (fileId === null) throw new Error('nothing of it could be stored');
  return { fileId, added, keptLonger, hosts };

  async function readAll(): Promise<void> {
    // What the read sends the sections it reads (section-read.ts), in line order: this pipeline's
    // own thread reading, or the read worker's batches (read-thread.ts) — the same calls either way.
    const sink: SectionSink = {
      open: (i) => {
        state = open(survey.sections[i]!);
        return state !== null;
      },
      event: (p) => {
        // A section stored meanwhile (another corr; an earlier pass of this one) is read past:
        // the worker, which cannot know, reads it anyway.
        if (state) emitNow(state, p);
      },
      close: (r) => {
        if (state) close(state, null, r);
        state = null;
      },
      read: (bytes, lines) => run.progress.read(bytes, lines),
      beforeBatch: () => {
        if (opts.signal?.aborted) throw new IngestInterrupted();
      },
    };
    const finish = (end: FileReadEnd): void => {
      if (end.lastLine !== survey.lines && !end.read.stoppedEarly) {
        throw new Error(`changed while it was read (${survey.lines} lines when surveyed, ${end.lastLine} now): read it again once it is stable`);
      }
      if (!end.read.stoppedEarly && end.sha256 !== survey.sha256) {
        throw new Error('changed while it was read (its bytes differ from those surveyed): read it again once it is stable');
      }
      const last = end.finish();
      if (state) {
        const s: OpenSection = state;
        state = null;
        close(s, end.read, last!);
      } else if (fileId !== null) {
        store.completeFile(fileId, readNotes(end.read), removals());
      }
    };
    const job: FileRead = {
      path: survey.path, gzip: survey.gzip, size: survey.size,
      sections: survey.sections.map((p) => ({
        title: p.title, startLine: p.startLine, endLine: p.endLine, hasHeader: p.hasHeader, isFact: p.fact !== null, format: p.format, lookedLike: p.lookedLike,
      })),
      stored: survey.sections.map((p) => plan.resumeOrdinals.has(p.ordinal)),
      endsByUs: survey.sections.map((p) => ranAtUs(p.title, captureUs)),
      record: { zone: ctx.zone, zoneWhy: ctx.zoneWhy, zoneIsFallback: ctx.zoneIsFallback, zoneWarnings: ctx.zoneWarnings, year: ctx.year, refUs: ctx.refUs, refWhy: ctx.refWhy, nowUs: ctx.nowUs },
    };
    const message = run.reader && survey.size >= run.reader.minBytes ? readMessage(job) : null;
    if (message) await run.reader!.worker.read(message, sink, finish);
    else finish(await readSections(job, sink));
  }
}

/** Lines may stand outside their journal header's span by this much (clocks, rounding to seconds). */
const JOURNAL_SLACK_US = 120_000_000;

function countUntimed(notes: readonly Note[]): number {
  return notes.find((n) => n.code === 'untimed')?.count ?? 0;
}

/** What the read of the whole file met, said once (on its last section). */
function readNotes(read: ReadReport): Note[] {
  const out: Note[] = [];
  if (read.stoppedEarly) out.push(warning('read-stopped', read.stoppedEarly));
  if (read.truncatedLines) out.push(warning('long-lines', `${read.truncatedLines} lines longer than 64 KiB were cut at 64 KiB`, read.truncatedLines));
  if (read.invalidUtf8Lines) out.push(warning('invalid-utf8', `${read.invalidUtf8Lines} lines hold bytes that are not UTF-8 (shown as U+FFFD)`, read.invalidUtf8Lines));
  if (read.nulLines) out.push(warning('nul-bytes', `${read.nulLines} lines hold NUL bytes`, read.nulLines));
  for (const n of read.notices) out.push(warning('encoding', n));
  return out;
}

export { iso };
