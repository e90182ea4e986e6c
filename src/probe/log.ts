/**
 * Appends records to the probe's log one whole line per write(2) on an O_APPEND descriptor, so a
 * probe killed at any instant leaves whole lines only, and two probes appending to one file never
 * interleave inside a line (each line is far below the size a single append writes at once).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';

export interface RecordSink {
  write(record: object): void;
  close(): void;
}

export function openSink(out: string): RecordSink {
  if (out === '-') {
    return {
      write: (r) => {
        writeSync(1, JSON.stringify(r) + '\n');
      },
      close: () => {},
    };
  }
  let fd: number;
  try {
    fd = openSync(out, 'a', 0o644);
  } catch (e) {
    const err = e as { code?: string };
    throw new UsageError(`--out ${out}: cannot write there (${err.code ?? 'error'})`);
  }
  return {
    write: (r) => {
      writeSync(fd, Buffer.from(JSON.stringify(r) + '\n', 'utf8'));
    },
    close: () => closeSync(fd),
  };
}
