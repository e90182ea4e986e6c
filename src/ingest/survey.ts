/**
 * Pass 1 of ingest: walk the inputs, look at every file once, split capture files into sections,
 * detect each section's format from its first lines, and read the facts the bundle states about
 * itself. Nothing is stored here; pass 2 (pipeline.ts) needs these facts before it can place a
 * single line in time (the zone from `timedatectl`, the year reference from `date`, the boot
 * instant from `uptime -s`, possibly in another file of the bundle).
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FormatDescriptor } from './types.js';
import type { LookedLikeCode } from '../model/notes.js';
import { RegionScanner, classifyNonLog } from './detect.js';
import { factCommand, headerTitle, type FactCommand } from './sections.js';
import { readFact, type FileFacts } from './facts.js';
import { describeError, emptyReadReport, readLines, sniffFile } from './reader.js';

export interface SectionPlan {
  ordinal: number;
  /** Header title (the command), null for a whole file or the text before the first header. */
  title: string | null;
  /** 1-based first line (the header line itself when there is one) and last line, in the whole file. */
  startLine: number;
  endLine: number;
  hasHeader: boolean;
  fact: FactCommand | null;
  factNote: string | null;
  format: FormatDescriptor | null;
  lookedLike: string | null;
  /** The same as a code readers key on (src/model/notes.ts), for a section no format explains. */
  lookedLikeCode: LookedLikeCode | null;
  /** First non-blank lines (after the header) and the last few: detection and the year reference. */
  head: string[];
  tail: string[];
  /**
   * Set when detection by region split one section (or headerless file) into several: which region
   * this is and where the format changed, said in the section's assumptions.
   */
  regionNote?: string;
}

export interface FileSurvey {
  /** The path as the user gave it (joined for files found under a directory). */
  path: string;
  size: number;
  mtimeMs: number;
  gzip: boolean;
  sha256: string;
  sections: SectionPlan[];
  facts: FileFacts;
  lines: number;
  /** What the survey's read met, as far as anything after it asks (the read of pass 2 reports its own). */
  read: SurveyRead;
}

/** Of the survey's read report, what is kept per file for the run: the bytes (progress) and whether it stopped early. */
export interface SurveyRead {
  bytes: number;
  stoppedEarly: string | null;
}

export interface SkippedInput {
  path: string;
  /** What it looked like (binary, FIFO ...) — reported as a section with format null. */
  lookedLike: string;
}

export interface InputError {
  path: string;
  error: string;
}

export interface WalkResult {
  files: string[];
  /**
   * Each directory walked (as its files' paths name it) and its resolved real path: a file found
   * in it that is no symbolic link itself has that real path and its own name, known without asking
   * the file system again (one realpath per file cost more than parsing a tiny one). Kept per
   * directory, not per file: 100,000 files' entries were ~6 MB for the run (#17). See realPathOf.
   */
  realDirs: Map<string, string>;
  /** Files whose real path is not their directory's and their name: given by name, or links. */
  ownRealPath: Set<string>;
  skipped: SkippedInput[];
  errors: InputError[];
}

/** Expand the input paths to regular files, recursively, in a stable order. */
export async function walkInputs(paths: string[]): Promise<WalkResult> {
  const out: WalkResult = { files: [], realDirs: new Map(), ownRealPath: new Set(), skipped: [], errors: [] };
  const seenDirs = new Set<string>();
  const visit = async (p: string, given: boolean, realDir: string | null): Promise<void> => {
    let st;
    let link = given;
    try {
      st = given ? await stat(p) : await lstat(p);
      if (!given && st.isSymbolicLink()) {
        link = true;
        st = await stat(p);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') out.errors.push({ path: p, error: given ? 'no such file or directory' : 'a broken link (its target does not exist)' });
      else if (code === 'ELOOP') out.errors.push({ path: p, error: 'a symbolic link loop' });
      else if (code === 'EACCES' || code === 'EPERM') out.errors.push({ path: p, error: 'permission denied' });
      else out.errors.push({ path: p, error: describeError(e) });
      return;
    }
    if (st.isDirectory()) {
      let real: string;
      try {
        real = await realpath(p);
      } catch (e) {
        out.errors.push({ path: p, error: describeError(e) });
        return;
      }
      if (seenDirs.has(real)) {
        out.skipped.push({ path: p, lookedLike: 'a directory already visited (a symbolic link loop)' });
        return;
      }
      seenDirs.add(real);
      let entries: string[];
      try {
        entries = (await readdir(p)).sort();
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        out.errors.push({ path: p, error: code === 'EACCES' || code === 'EPERM' ? 'permission denied (directory cannot be read)' : describeError(e) });
        return;
      }
      for (const name of entries) await visit(join(p, name), false, real);
      return;
    }
    if (st.isFile()) {
      out.files.push(p);
      const dir = dirname(p);
      if (!link && realDir !== null && !out.ownRealPath.has(p)) {
        // Two spellings of one directory given (a/ and ./a/) reach the same joined paths: one entry.
        if (!out.realDirs.has(dir)) out.realDirs.set(dir, realDir);
        else if (out.realDirs.get(dir) !== realDir) out.ownRealPath.add(p);
      } else out.ownRealPath.add(p);
      return;
    }
    const what = st.isFIFO() ? 'a FIFO (named pipe)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device file' : 'not a regular file';
    out.skipped.push({ path: p, lookedLike: `${what}, not read` });
  };
  for (const p of paths) await visit(p, true, null);
  return out;
}

/** The real path of a walked file when the walk knows it (its directory's real path and its name), else null. */
export function realPathOf(walked: WalkResult, path: string): string | null {
  if (walked.ownRealPath.has(path)) return null;
  const dir = walked.realDirs.get(dirname(path));
  return dir === undefined ? null : join(dir, basename(path));
}

/** Hash the bytes on disk (the identity of a file for idempotent ingest). */
export async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Survey one file. Throws only on read errors of the file itself (the caller reports them). */
export async function surveyFile(path: string): Promise<FileSurvey | SkippedInput> {
  // Synchronous, as the reads of small files are (reader.ts): one thread-pool round trip less per file.
  const st = statSync(path);
  const kind = await sniffFile(path);
  if (kind.kind === 'binary') return { path, lookedLike: kind.what };
  // Hash the bytes in the same read as the lines; read them again only when that read did not
  // see all of them (a gzip stopped at its bound or corrupt, a file that changed meanwhile).
  const hasher = createHash('sha256');
  let hashedBytes = 0;
  const hashChunk = (chunk: Buffer): void => {
    hasher.update(chunk);
    hashedBytes += chunk.length;
  };
  const read = emptyReadReport();
  const sections: SectionPlan[] = [];
  const facts: FileFacts = {};
  let current = newSection(0, null, 1, false);
  let scanner = new RegionScanner();
  let factLines: string[] = [];
  let lineNo = 0;

  const close = (endLine: number): void => {
    current.endLine = endLine;
    if (current.fact) {
      current.factNote = readFact(current.fact, factLines, facts);
      sections.push(current);
      return;
    }
    // Detection by region: a section whose format changes part-way becomes one plan per region.
    const regions = scanner.finish(endLine);
    if (regions.length === 0) {
      current.lookedLike = 'nothing (empty)';
      current.lookedLikeCode = 'empty';
      sections.push(current);
      return;
    }
    regions.forEach((r, i) => {
      const plan = i === 0 ? current : newSection(0, current.title, r.startLine, false);
      plan.endLine = i === regions.length - 1 ? endLine : r.endLine;
      plan.format = r.format;
      plan.lookedLike = r.format ? null : r.lookedLike;
      // The region's description came from classifyNonLog on the same head: the code agrees with it.
      plan.lookedLikeCode = r.format ? null : classifyNonLog(r.head).code;
      plan.head = r.head;
      plan.tail = r.tail;
      if (regions.length > 1) {
        const what = r.format ? `read as ${r.format.name}` : `no log format explains them (${r.lookedLike})`;
        plan.regionNote = `region ${i + 1} of ${regions.length}: lines ${r.startLine}-${plan.endLine} ${what}` +
          (i > 0 ? `; the format changes at line ${r.startLine}` : '');
      }
      sections.push(plan);
    });
  };

  for await (const batch of readLines(path, kind.gzip, read, st.size, hashChunk)) {
    for (let i = 0; i < batch.lines.length; i++) {
      const line = batch.lines[i]!;
      lineNo = batch.firstLine + i;
      const title = line.length > 3 && line.length < 400 ? headerTitle(line) : null;
      if (title !== null) {
        if (lineNo > current.startLine || current.hasHeader) close(lineNo - 1);
        current = newSection(sections.length, title, lineNo, true);
        scanner = RegionScanner.forSection(title);
        current.fact = factCommand(title);
        factLines = [];
        continue;
      }
      if (current.fact) {
        if (factLines.length < 200) factLines.push(line);
        continue;
      }
      scanner.push(lineNo, line);
    }
  }
  const sha256 = hashedBytes === st.size && !read.stoppedEarly ? hasher.digest('hex') : await hashFile(path);
  if (lineNo === 0 && read.stoppedEarly) {
    // A .gz that yields not one line (corrupt from its first bytes) cannot be read: an input error,
    // not an empty file.
    throw new Error(`cannot be read: ${read.stopCause ?? read.stoppedEarly}`);
  }
  close(lineNo);
  // Drop a leading empty section (a file that starts with a header has none before it). An array
  // of exactly its length: one grown by push holds 17 slots, ~130 B a file for the run (#17).
  const kept = exactly(sections.filter((s) => s.endLine >= s.startLine));
  kept.forEach((s, i) => (s.ordinal = i));
  // Most small files state no fact: they share one empty object (facts are never written after this).
  const stated = Object.keys(facts).length > 0 ? facts : NO_FACTS;
  return { path, size: st.size, mtimeMs: st.mtimeMs, gzip: kind.gzip, sha256, sections: kept, facts: stated, lines: lineNo, read: { bytes: read.bytes, stoppedEarly: read.stoppedEarly } };
}

const NO_FACTS: FileFacts = Object.freeze({}) as FileFacts;

/** The same items in an array allocated at their count (kept for the whole run). */
export function exactly<T>(items: readonly T[]): T[] {
  const out = new Array<T>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = items[i]!;
  return out;
}

/** What a section's first and last lines become once the bundle context has read them (shared, never written). */
export const NO_LINES: string[] = Object.freeze([]) as unknown as string[];

/**
 * The survey's lines go once the bundle context has summarised the file (context/index.ts
 * BundleSurveys): nothing read later asks for them.
 */
export function letLinesGo(s: FileSurvey): void {
  for (const p of s.sections) p.head = p.tail = NO_LINES;
}

function newSection(ordinal: number, title: string | null, startLine: number, hasHeader: boolean): SectionPlan {
  return { ordinal, title, startLine, endLine: startLine - 1, hasHeader, fact: null, factNote: null, format: null, lookedLike: null, lookedLikeCode: null, head: [], tail: [] };
}

/**
 * The surveys of a run, held until each file is read, compactly (#17): a survey object with its
 * plan, hash and read report was ~450 B a file, 45 MB for 100,000 tiny files. Here a file is its
 * path (the walk's string), 32 bytes of hash and four numbers in shared arrays, and — for the
 * common file of one section read by one format, or an empty one — a format number; any other
 * plan, stated facts and a stopped read are kept whole beside it. `at` gives back a survey equal
 * to the one added (a new object each time: take it once per use).
 */
export class SurveyTable {
  private count = 0;
  private paths: string[] = [];
  /** Per file: size, mtime (ms), lines, bytes read. */
  private nums = new Float64Array(4 * 1024);
  private hashes = Buffer.alloc(32 * 1024);
  /** Per file: PLAN_* in the low bits, GZIP. */
  private flags = new Uint8Array(1024);
  private formatOf = new Uint16Array(1024);
  private readonly formats: FormatDescriptor[] = [];
  private readonly formatIndex = new Map<FormatDescriptor, number>();
  private readonly plans = new Map<number, SectionPlan[]>();
  private readonly facts = new Map<number, FileFacts>();
  private readonly stopped = new Map<number, string>();

  get length(): number {
    return this.count;
  }

  add(s: FileSurvey): number {
    const i = this.count++;
    if (i === this.flags.length) this.grow();
    this.paths.push(s.path);
    this.nums.set([s.size, s.mtimeMs, s.lines, s.read.bytes], 4 * i);
    if (!/^[0-9a-f]{64}$/.test(s.sha256)) throw new Error(`not a SHA-256 in hex: ${s.sha256}`);
    this.hashes.write(s.sha256, 32 * i, 'hex');
    let plan = PLAN_WHOLE;
    const p = s.sections[0];
    if (s.sections.length === 0) plan = PLAN_EMPTY;
    else if (s.sections.length === 1 && isPlainPlan(p!, s.lines) && this.formatNumber(p!.format!) !== null) {
      plan = PLAN_ONE;
      this.formatOf[i] = this.formatNumber(p!.format!)!;
    } else this.plans.set(i, s.sections);
    this.flags[i] = plan | (s.gzip ? GZIP : 0);
    if (s.facts !== NO_FACTS && Object.keys(s.facts).length > 0) this.facts.set(i, s.facts);
    if (s.read.stoppedEarly !== null) this.stopped.set(i, s.read.stoppedEarly);
    return i;
  }

  path(i: number): string {
    return this.paths[i]!;
  }

  bytes(i: number): number {
    return this.nums[4 * i + 3]!;
  }

  /** The survey of file `i`, as added (its lines let go). */
  at(i: number): FileSurvey {
    const n = 4 * i;
    const lines = this.nums[n + 2]!;
    const plan = this.flags[i]! & PLAN_MASK;
    let sections: SectionPlan[];
    if (plan === PLAN_EMPTY) sections = [];
    else if (plan === PLAN_ONE) {
      const p = newSection(0, null, 1, false);
      p.endLine = lines;
      p.format = this.formats[this.formatOf[i]!]!;
      p.head = p.tail = NO_LINES;
      sections = [p];
    } else sections = this.plans.get(i)!;
    return {
      path: this.paths[i]!, size: this.nums[n]!, mtimeMs: this.nums[n + 1]!, gzip: (this.flags[i]! & GZIP) !== 0,
      sha256: this.hashes.toString('hex', 32 * i, 32 * i + 32), sections, facts: this.facts.get(i) ?? NO_FACTS, lines,
      read: { bytes: this.nums[n + 3]!, stoppedEarly: this.stopped.get(i) ?? null },
    };
  }

  private formatNumber(f: FormatDescriptor): number | null {
    let k = this.formatIndex.get(f);
    if (k === undefined) {
      if (this.formats.length >= 0xffff) return null;
      k = this.formats.length;
      this.formats.push(f);
      this.formatIndex.set(f, k);
    }
    return k;
  }

  private grow(): void {
    const cap = this.flags.length * 2;
    const nums = new Float64Array(4 * cap);
    nums.set(this.nums);
    this.nums = nums;
    const hashes = Buffer.alloc(32 * cap);
    this.hashes.copy(hashes);
    this.hashes = hashes;
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.flags = flags;
    const formatOf = new Uint16Array(cap);
    formatOf.set(this.formatOf);
    this.formatOf = formatOf;
  }
}

const PLAN_WHOLE = 0;
const PLAN_EMPTY = 1;
const PLAN_ONE = 2;
const PLAN_MASK = 3;
const GZIP = 4;

/** One section over the whole file, read by its format, with nothing more to say (what `at` rebuilds). */
function isPlainPlan(p: SectionPlan, lines: number): boolean {
  return p.ordinal === 0 && p.title === null && p.startLine === 1 && p.endLine === lines && !p.hasHeader && p.fact === null && p.factNote === null &&
    p.format !== null && p.lookedLike === null && p.lookedLikeCode === null && p.regionNote === undefined && p.head.length === 0 && p.tail.length === 0;
}
