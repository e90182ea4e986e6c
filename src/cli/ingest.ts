/** `corr ingest PATH...`: load captures into the store, aligned to UTC, saying what was assumed. */
import type { Argv, CommandModule } from 'yargs';
import { openStoreAt, isClickHouseUrl } from '../store/factory.js';
import { usToIso } from '../store/queries.js';
import { ingest, type IngestFileReport, type IngestResult } from '../ingest/pipeline.js';
import { dbPath, asList, type GlobalArgs } from './options.js';
import { parseInstant, resolveZone } from '../time/expressions.js';
import { UsageError } from '../errors.js';
import { materializeStdin } from './stdin.js';
import { safe, warn, dim, isQuiet } from './output.js';
import { renderTable, wrapToOutput } from './tables.js';
import { inertJson } from '../text/escape.js';
import { stdoutSink } from '../export/sink.js';
import { ProgressDisplay, SIGNAL_EXIT, interruptedAgainLine, interruptedLine } from './progress.js';
import { IngestInterrupted, type IngestProgress } from '../ingest/progress.js';
import { RepeatedWarnings } from '../ingest/warnings.js';

interface IngestArgs extends GlobalArgs {
  paths: string[];
  tz?: string;
  'tz-for'?: string[];
  host?: string;
  year?: number;
  ref?: string;
  'boot-time'?: string;
  replace?: boolean;
}

export const ingestCommand: CommandModule<GlobalArgs, IngestArgs> = {
  command: 'ingest <paths..>',
  describe: 'load files and directories (recursively, .gz too) into the store',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'files or directories; - reads standard input' })
      .option('tz', { type: 'string', describe: 'IANA zone for timestamps that carry no offset (default: what the bundle says, else this machine\'s, with a warning)' })
      .option('tz-for', { type: 'string', array: true, describe: 'per-file zone, GLOB=ZONE (repeatable), e.g. "auth.log*=Europe/Zurich"' })
      .option('host', { type: 'string', describe: 'host for records that name none' })
      .option('year', { type: 'number', describe: 'year for year-less timestamps (default: inferred per file)' })
      .option('ref', { type: 'string', describe: 'reference instant for year inference (default: the capture\'s date section, else the newest dated line, else the file\'s mtime)' })
      .option('boot-time', { type: 'string', describe: 'boot instant for uptime-stamped kernel lines (default: inferred from the bundle)' })
      .option('replace', { type: 'boolean', default: false, describe: 're-read files already in the store and replace their events (to correct an assumption)' }) as Argv<IngestArgs>,
  handler: async (args) => {
    const tz = args.tz !== undefined ? resolveZone(args.tz, '--tz') : undefined;
    const tzFor = (asList(args['tz-for']) ?? []).map((spec) => {
      const eq = spec.lastIndexOf('=');
      if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--tz-for: expected GLOB=ZONE, got ${JSON.stringify(spec)}`);
      return { glob: spec.slice(0, eq), zone: resolveZone(spec.slice(eq + 1), '--tz-for') };
    });
    if (args.year !== undefined && (!Number.isInteger(args.year) || args.year < 1970 || args.year > 2200)) {
      throw new UsageError(`--year: expected a year such as 2026, got ${JSON.stringify(String(args.year))}`);
    }
    const ref = args.ref !== undefined ? parseInstant(args.ref, '--ref', { tz }) : undefined;
    const boot = args['boot-time'] !== undefined ? parseInstant(args['boot-time'], '--boot-time', { tz }) : undefined;
    const store = openStoreAt(dbPath(args), { create: true });
    // A ClickHouse store has no directory of its own: stdin's copies are kept in the working directory.
    const stdinBeside = isClickHouseUrl(dbPath(args)) ? 'corr-clickhouse' : dbPath(args);
    let result: IngestResult;
    // The bar only on a terminal and never with --quiet; stdout (the table or --json's document) is
    // written after it is cleared, so the two never mix.
    const display = process.stderr.isTTY && !isQuiet() ? new ProgressDisplay(process.stderr) : null;
    let latest: IngestProgress | null = null;
    // Ctrl-C: the run stops before its next batch of lines, rolls the open section back and commits
    // the sections read whole; the line below then says what the store holds. Before anything is
    // written (standard input, the survey) and at a second Ctrl-C it stops at once: every section is
    // its own savepoint inside a transaction, so the store holds whole sections either way.
    const stop = new AbortController();
    let signalled: 'SIGINT' | 'SIGTERM' | null = null;
    const interrupted = (signal: 'SIGINT' | 'SIGTERM') => {
      if (signalled === null && latest?.phase === 'read') {
        signalled = signal;
        stop.abort();
        return;
      }
      display?.stop();
      process.stderr.write(`corr: ${signalled === null ? interruptedLine(latest) : interruptedAgainLine()}\n`);
      process.exit(SIGNAL_EXIT[signal]);
    };
    process.on('SIGINT', interrupted);
    process.on('SIGTERM', interrupted);
    try {
      result = await ingest(store.writer(), await materializeStdin(args.paths.map(String), stdinBeside), {
        tz, tzFor, host: args.host, year: args.year, refUs: ref ? ref.ms * 1000 : undefined, refText: args.ref,
        bootUs: boot ? boot.ms * 1000 : undefined, bootText: args['boot-time'], replace: Boolean(args.replace),
        onProgress: (p) => {
          latest = p;
          display?.update(p);
        },
        signal: stop.signal,
        streamReports: true,
      });
    } catch (e) {
      if (e instanceof IngestInterrupted && signalled !== null) {
        display?.stop();
        closeQuietly(store);
        // Not --quiet's to hide: it is the reason for the non-zero exit.
        process.stderr.write(`corr: ${interruptedLine(latest)}\n`);
        process.exit(SIGNAL_EXIT[signalled]);
      }
      // A full disk, a damaged store, an I/O error: one line and exit 2 (CONTRACT.md); the sections
      // committed before it stay, the one interrupted was rolled back whole.
      const reason = store.explain(e);
      closeQuietly(store);
      throw reason;
    } finally {
      display?.stop();
      process.removeListener('SIGINT', interrupted);
      process.removeListener('SIGTERM', interrupted);
    }
    // The per-file reports are read back from the store as they are written: open until then.
    try {
      report(result, Boolean(args.json));
    } finally {
      closeQuietly(store);
    }
    if (result.errors.length > 0) process.exitCode = 2;
  },
};

/** Close the store, once; closing a store whose disk failed can fail too, and the error before it is the one to report. */
function closeQuietly(store: { close(): unknown }): void {
  try {
    store.close();
  } catch {
    // already closed, or the disk is gone
  }
}

function report(result: IngestResult, json: boolean): void {
  for (const e of result.errors) warn(`${e.path}: ${e.error}`);
  for (const w of result.warnings) warn(w);
  // Each file's warnings, once per kind on stderr (src/ingest/warnings.ts): the first whole, the
  // rest as one counted line at the end. They are all in the document (--json) or the table's notes.
  const perFile = new RepeatedWarnings(warn);
  const warnOf = (f: IngestFileReport): void => {
    for (const w of f.warnings) perFile.add(f.path, `${f.path}${f.section ? ` [${f.section}]` : ''}: ${w}`);
  };
  if (json) {
    // Streamed: the document printJson would print, written a file at a time (100,000 files'
    // reports are never in memory at once, nor their text). Through the synchronous sink
    // (export/sink.ts): process.stdout.write to a pipe queues in memory whatever the reader has not
    // taken yet, which for 100,000 files (a 118 MB document) was 380 MB of the run's peak (#17).
    const out = stdoutSink();
    writeJsonStreamed(out, 'files', (function* () {
      for (const f of result.reports()) {
        warnOf(f);
        yield publicEntry(f);
      }
    })(), { errors: result.errors, events_added: result.events_added, events_total: result.events_total, warnings: result.warnings });
    out.flush();
    for (const w of perFile.summary()) warn(w);
    return;
  }
  const files = [...result.reports()];
  for (const f of files) warnOf(f);
  for (const w of perFile.summary()) warn(w);
  process.stdout.write(renderSections(files) + '\n');
  process.stdout.write(
    `${result.events_added.toLocaleString('en-US')} events added; ${result.events_total.toLocaleString('en-US')} in the store.` +
      (result.errors.length ? ` ${result.errors.length} input(s) could not be read.` : '') +
      '\n',
  );
}

/** Text written in chunks of about 64 KiB (one write per entry would be 100,000 system calls). */
export class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly sink: (text: string) => void) {}
  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 65_536) this.end();
  }
  end(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.sink(text);
  }
}

/**
 * `{ [first]: [...items], ...rest }` exactly as printJson writes it (inertJson, indent 2), with the
 * array's items written one at a time: each item's own lines indented under the array's.
 */
export function writeJsonStreamed(out: { write(text: string): void }, first: string, items: Iterable<unknown>, rest: Record<string, unknown>): void {
  out.write(`{\n  ${JSON.stringify(first)}: [`);
  let any = false;
  for (const item of items) {
    // JSON escapes every newline inside a string, so each newline of the text is a line break.
    out.write((any ? ',\n    ' : '\n    ') + inertJson(item, 2).replace(/\n/g, '\n    '));
    any = true;
  }
  out.write(any ? '\n  ]' : ']');
  const tail = inertJson(rest, 2); // "{\n  ...\n}", or "{}" when rest is empty
  out.write(tail === '{}' ? '\n}\n' : `,${tail.slice(1)}\n`);
}

/** The contract's keys first, then corr's additions. */
export function publicEntry(f: IngestFileReport | (Omit<IngestFileReport, 'status'> & { status?: string })) {
  return {
    path: f.path, section: f.section, format: f.format, host: f.host, lines: f.lines, events: f.events, continuations: f.continuations,
    skipped: f.skipped, first: f.first, last: f.last, tz: f.tz, assumptions: f.assumptions, warnings: f.warnings,
    coverage: (f.coverage ?? []).map((c) => ({ start: usToIso(c.startUs), end: usToIso(c.endUs) })),
    duplicates: f.duplicates, unanchored: f.unanchored, twins: f.twins ?? 0, ...(f.status ? { status: f.status } : {}),
  };
}

export function renderSections(files: (Omit<IngestFileReport, 'status'> & { status?: string })[]): string {
  const short = (iso: string | null) => (iso ?? '').replace(/^\d{4}-/, '').replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const rows = files.map((f) => [
    safe(f.path) + (f.section ? `\n${dim('[' + safe(f.section) + ']')}` : ''),
    f.format ?? dim(f.assumptions.some((a) => a.startsWith('read as a fact')) ? '(facts)' : '(not a log)'),
    safe(f.host ?? ''),
    String(f.lines),
    String(f.events) + (f.duplicates ? `\n${dim(`${f.duplicates} dup`)}` : '') + (f.twins ? `\n${dim(`${f.twins} twin`)}` : ''),
    String(f.skipped) + (f.unanchored ? `\n${dim(`${f.unanchored} unanch.`)}` : ''),
    f.first ? `${short(f.first)}\n${short(f.last)}` : '',
    safe(f.tz ?? ''),
  ]);
  const table = renderTable(
    [
      { title: 'file [section]', flex: true },
      { title: 'format', width: 15 },
      { title: 'host', width: 12 },
      { title: 'lines', width: 8, align: 'right' },
      { title: 'events', width: 9, align: 'right' },
      { title: 'skipped', width: 10, align: 'right' },
      { title: 'first/last UTC', width: 17 },
      { title: 'zone', width: 21 },
    ],
    rows,
  );
  // Assumptions and warnings as a list below the table: they are sentences, and a narrow table
  // column would cut them into pieces nobody reads at 3 a.m.
  const notes: string[] = [];
  for (const f of files) {
    const lines = [...f.assumptions.map((a) => `  · ${safe(a)}`), ...f.warnings.map((w) => `  ! ${safe(w)}`)];
    if (f.status && f.status !== 'ingested') lines.push(`  (${f.status})`);
    if (lines.length === 0) continue;
    notes.push(`${safe(f.path)}${f.section ? ` [${safe(f.section)}]` : ''}`, ...lines);
  }
  return notes.length ? `${table}\nAssumptions (·) and warnings (!):\n${notes.map((n) => wrapToOutput(n)).join('\n')}` : table;
}
