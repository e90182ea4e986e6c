/**
 * Output written as it is produced, in order, with the pipe's answer known at once.
 *
 * process.stdout.write to a pipe reports EPIPE (the reader, `head` or `less`, has gone) only as an
 * asynchronous 'error' event, so a synchronous loop over a million rows would run to its end before
 * hearing of it. fs.writeSync reports it on the spot: the sink then stops the process quietly with
 * exit 0 — the reader took what it wanted. Text is gathered into chunks of CHUNK bytes, and flushed
 * sooner when FLUSH_MS have passed, so a slow query still shows each row as soon as it is read.
 */
import { writeSync } from 'node:fs';

const CHUNK = 64 * 1024;
const FLUSH_MS = 50;

/** True for the error a write gets when the reading end of the pipe is closed. */
export function isBrokenPipe(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

export class Sink {
  private buf = '';
  private lastFlush = Date.now();

  constructor(private readonly fd: number = 1, private readonly interactive = false) {}

  write(text: string): void {
    this.buf += text;
    if (this.buf.length >= CHUNK || this.interactive) {
      this.flush();
      return;
    }
    const now = Date.now();
    if (now - this.lastFlush >= FLUSH_MS) this.flush();
  }

  flush(): void {
    this.lastFlush = Date.now();
    if (!this.buf) return;
    const data = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    let off = 0;
    while (off < data.length) {
      try {
        off += writeSync(this.fd, data, off, data.length - off);
      } catch (e) {
        if (isBrokenPipe(e)) process.exit(0);
        // A non-blocking descriptor (a terminal or a pipe a parent made non-blocking) that is full:
        // wait a moment for the reader and try again.
        if ((e as { code?: string }).code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
          continue;
        }
        throw e;
      }
    }
  }
}

/** The sink for stdout: flushed per row on a terminal, in chunks otherwise. */
export function stdoutSink(): Sink {
  return new Sink(1, Boolean(process.stdout.isTTY));
}
