/**
 * `corr ingest`'s progress on stderr, and what it says when it is stopped.
 *
 * The display is cli-progress's single bar (it redraws at a bounded rate, only on a terminal, and
 * restores the terminal when stopped) with a line of our own: bytes done of the run's total (the
 * survey has read every file once, so the total is known before the first event is stored), lines
 * per second, the time left at the rate so far, and the file being read, all fitted to the
 * terminal's width in columns so that it never wraps. File names come from the disk and are
 * escaped like every other string.
 *
 * An interruption (SIGINT, SIGTERM) stops the run before its next batch of lines (src/cli/ingest.ts):
 * the section being read is rolled back, the sections read whole are committed, and one line says
 * what was kept and where the next run resumes; the exit code is the shell's for death by that
 * signal. A store left by a harder stop (a second Ctrl-C, kill -9) holds whole sections too
 * (scripts/crash-test.mjs proves the next run then gives a clean run's store).
 */
import cliProgress from 'cli-progress';
import type { IngestProgress } from '../ingest/progress.js';
import { columnsOf } from '../export/width.js';
import { safe } from './output.js';

/** Exit codes for a run stopped by a signal: 128 + the signal's number, as a shell reports a killed process. */
export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

const MIB = 1024 * 1024;

/** `58.1/136 MiB`: one decimal while it helps. */
export function bytesOf(done: number, total: number): string {
  const unit = total >= MIB ? MIB : 1024;
  const name = unit === MIB ? 'MiB' : 'KiB';
  const f = (n: number) => {
    const v = n / unit;
    return v >= 100 || v === 0 ? Math.round(v).toString() : v.toFixed(1);
  };
  return `${f(done)}/${f(total)} ${name}`;
}

/** `0:09`, `12:30`, `1:02:03`. */
export function clockOf(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The end of `s` in at most `cols` columns, `…` in front when cut (a path's end names the file). */
export function tailColumns(s: string, cols: number): string {
  if (columnsOf(s) <= cols) return s;
  const chars = Array.from(s);
  let out = '';
  let used = 1;
  for (let i = chars.length - 1; i >= 0; i--) {
    const w = columnsOf(chars[i]!);
    if (used + w > cols) break;
    out = chars[i] + out;
    used += w;
  }
  return '…' + out;
}

/** Rates and time left need a little history before they mean anything. */
const MIN_RATE_MS = 1000;

/**
 * The progress line for `p` in at most `width` columns (one less than the terminal's, so the
 * cursor never sits past the last column and no terminal wraps it).
 */
export function progressLine(p: Readonly<IngestProgress>, width: number, nowMs: number): string {
  const room = Math.max(10, width - 1);
  const file = safe(p.path);
  if (p.phase === 'survey') {
    const head = `surveying ${p.fileIndex} of ${p.files}`;
    return fit([head], file, room);
  }
  const pct = p.bytesTotal > 0 ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 100;
  const elapsedMs = p.readStartMs === null ? 0 : nowMs - p.readStartMs;
  const known = elapsedMs >= MIN_RATE_MS && p.bytesDone > 0;
  const rate = known ? `${Math.round((p.lines * 1000) / elapsedMs).toLocaleString('en-US')} lines/s` : '… lines/s';
  const eta = known ? `ETA ${clockOf(((p.bytesTotal - p.bytesDone) * elapsedMs) / p.bytesDone / 1000)}` : 'ETA …';
  // Dropped from the end when the terminal is narrow: the time left matters more than the rate.
  const parts = [bytesOf(p.bytesDone, p.bytesTotal), eta, rate];
  // A bar of a fixed share of the width (it does not jump as the figures change), none when narrow.
  const barCols = room >= 60 ? Math.min(24, Math.floor(room / 6)) : 0;
  const filled = Math.round((barCols * Math.min(pct, 100)) / 100);
  const bar = barCols > 0 ? '█'.repeat(filled) + '░'.repeat(barCols - filled) + ' ' : '';
  parts.unshift(`${bar}${String(pct).padStart(3)}%`);
  return fit(parts, file, room);
}

/** `parts` joined, the file name after them cut from the left to what is left of `room`; parts dropped from the end if even they do not fit. */
function fit(parts: string[], file: string, room: number): string {
  const sep = ' · ';
  let head = parts.join(sep);
  while (columnsOf(head) > room && parts.length > 1) head = (parts = parts.slice(0, -1)).join(sep);
  const left = room - columnsOf(head) - sep.length;
  return left >= 4 && file ? head + sep + tailColumns(file, left) : tailColumns(head, room);
}

/** The one line an interrupted run prints: what stays, and where the next run goes on. */
export function interruptedLine(p: Readonly<IngestProgress> | null): string {
  if (!p || p.phase === 'survey') {
    return 'interrupted while surveying the inputs: this run stored nothing; the next `corr ingest` of the same inputs starts over';
  }
  const kept = `kept ${p.eventsKept.toLocaleString('en-US')} event${p.eventsKept === 1 ? '' : 's'} from ${p.sectionsKept.toLocaleString('en-US')} complete section${p.sectionsKept === 1 ? '' : 's'}`;
  if (p.openSectionLine === null && p.fileIndex >= p.files) return `interrupted: ${kept}; every file was read`;
  const where = `${safe(p.path)}${p.openSectionLine !== null && p.openSectionLine > 1 ? ` (line ${p.openSectionLine.toLocaleString('en-US')})` : ''}`;
  return `interrupted: ${kept}; the next \`corr ingest\` of the same inputs resumes from ${where}`;
}

/** A second Ctrl-C while the first was being honoured: stopped at once. */
export function interruptedAgainLine(): string {
  return 'interrupted again: stopped at once; the store holds whole sections, and the next `corr ingest` of the same inputs reads the rest';
}

/** The live display: created only for a terminal, stopped (and the line cleared) before anything else is printed. */
export class ProgressDisplay {
  private readonly bar: cliProgress.SingleBar;
  private started = false;
  private latest: IngestProgress | null = null;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.bar = new cliProgress.SingleBar({
      stream,
      fps: 5,
      clearOnComplete: true,
      // Never wrap: the line is fitted to the width; a resize mid-run is cut by the terminal, not wrapped into garbage.
      linewrap: false,
      hideCursor: false,
      format: (_options, params) => (this.latest ? progressLine(this.latest, params.maxWidth, Date.now()) : ''),
    });
  }

  update(p: Readonly<IngestProgress>): void {
    this.latest = { ...p };
    if (!this.started) {
      this.started = true;
      this.bar.start(Math.max(1, p.bytesTotal), p.bytesDone);
      return;
    }
    // The value only decides when cli-progress redraws; our line reads `latest`.
    this.bar.update(p.phase === 'read' ? p.bytesDone : p.fileIndex);
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.bar.stop();
  }
}
