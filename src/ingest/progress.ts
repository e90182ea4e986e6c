/**
 * What an ingest run has done so far, for a progress display and for what an interruption keeps.
 * The pipeline reports into a ProgressTracker at a few points (each file surveyed, each batch of
 * lines read, each section committed); the tracker hands the same snapshot to the caller's
 * callback. Nothing here decides anything about the ingest itself.
 */

export interface IngestProgress {
  /** `survey`: each input is looked at once (formats, sections, hash), nothing stored yet; `read`: parsed and stored. */
  phase: 'survey' | 'read';
  /** The file being surveyed or read, as the user gave it. */
  path: string;
  /** 1-based position of that file among `files`. */
  fileIndex: number;
  files: number;
  /** Decompressed bytes of every file to read (known once the survey is done) and of them read so far. */
  bytesDone: number;
  bytesTotal: number;
  /** Lines read so far in the read phase (stored sections read past count too). */
  lines: number;
  /** When the read phase began (ms since the epoch), for rates. */
  readStartMs: number | null;
  /** Events added and sections committed by this run: what stays if the run is stopped now. */
  eventsKept: number;
  sectionsKept: number;
  /**
   * The first line of the section being read, whose transaction is open (a stop rolls it back and
   * the next run reads it again), or null between sections.
   */
  openSectionLine: number | null;
}

/** The run was stopped through IngestOptions.signal; the sections read whole are stored. */
export class IngestInterrupted extends Error {
  constructor() {
    super('ingest interrupted');
  }
}

export type ProgressCallback = (p: Readonly<IngestProgress>) => void;

export class ProgressTracker {
  private readonly p: IngestProgress = {
    phase: 'survey', path: '', fileIndex: 0, files: 0, bytesDone: 0, bytesTotal: 0, lines: 0, readStartMs: null,
    eventsKept: 0, sectionsKept: 0, openSectionLine: null,
  };
  /** Bytes of the files finished before the current one, and the current one's size. */
  private finishedBytes = 0;
  private currentBytes = 0;

  constructor(private readonly callback?: ProgressCallback) {}

  surveying(path: string, index: number, files: number): void {
    Object.assign(this.p, { phase: 'survey', path, fileIndex: index, files });
    this.emit();
  }

  /** The survey is done: `files` files, `bytes` decompressed bytes in all, are to be read. */
  startReading(files: number, bytes: number): void {
    Object.assign(this.p, { phase: 'read', fileIndex: 0, files, bytesTotal: bytes, bytesDone: 0, readStartMs: Date.now() });
    this.finishedBytes = 0;
    this.currentBytes = 0;
    this.emit();
  }

  /** The next file is read (or found already stored and passed over); `bytes` is its decompressed size. */
  file(path: string, bytes: number): void {
    this.finishedBytes += this.currentBytes;
    this.currentBytes = bytes;
    this.p.fileIndex++;
    this.p.path = path;
    this.p.bytesDone = this.finishedBytes;
    this.p.openSectionLine = null;
    this.emit();
  }

  /** `bytesRead` of the current file are read, `lines` more lines with them. */
  read(bytesRead: number, lines: number): void {
    this.p.bytesDone = this.finishedBytes + Math.min(bytesRead, this.currentBytes);
    this.p.lines += lines;
    this.emit();
  }

  sectionOpened(startLine: number): void {
    this.p.openSectionLine = startLine;
  }

  /** A section's transaction committed with `events` new events. */
  committed(events: number): void {
    this.p.eventsKept += events;
    this.p.sectionsKept++;
    this.p.openSectionLine = null;
    this.emit();
  }

  private emit(): void {
    this.callback?.(this.p);
  }
}
