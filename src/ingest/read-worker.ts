/**
 * The read worker's thread (read-thread.ts starts it): reads the files it is asked for with
 * section-read.ts, exactly as the pipeline's own thread would, and posts the events packed
 * (event-pack.ts), one batch per batch of lines read, waiting while MAX_IN_FLIGHT batches are not
 * yet acknowledged. It touches no store.
 */
import { parentPort } from 'node:worker_threads';
import { EventPacker, MAX_IN_FLIGHT, OP_OPEN, OP_READ, type FileReadMessage, type WorkerMessage } from './event-pack.js';
import { formatByName } from './formats/index.js';
import { readSections, type FileRead, type SectionSink } from './section-read.js';

const port = parentPort!;
let inFlight = 0;
/** The read under way (acknowledgements of another are ignored). */
let reading = 0;
let wake: (() => void) | null = null;

port.on('message', (m: { type: 'read'; id: number; job: FileReadMessage } | { type: 'ack'; id: number }) => {
  if (m.type === 'ack') {
    if (m.id !== reading) return;
    inFlight--;
    const w = wake;
    wake = null;
    w?.();
    return;
  }
  void readFile(m.id, m.job);
});

async function readFile(id: number, msg: FileReadMessage): Promise<void> {
  inFlight = 0;
  reading = id;
  const packer = new EventPacker();
  const post = (m: WorkerMessage, transfer: ArrayBuffer[]): void => port.postMessage(m, transfer);
  const sink: SectionSink = {
    open: (i) => {
      packer.op(OP_OPEN, i);
      return true;
    },
    event: (p) => packer.event(p),
    close: (r) => packer.summary(r),
    read: (bytes, lines) => packer.op(OP_READ, bytes, lines),
    afterBatch: async () => {
      const { batch, transfer } = packer.take();
      post({ type: 'batch', id, batch }, transfer);
      inFlight++;
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r));
    },
  };
  try {
    const job: FileRead = { ...msg, sections: msg.sections.map((p) => ({ ...p, format: p.format === null ? null : formatByName(p.format)! })) };
    const end = await readSections(job, sink);
    const last = end.finish();
    const { batch: tail, transfer } = packer.take();
    post({ type: 'end', id, tail, lastLine: end.lastLine, sha256: end.sha256, read: end.read, last }, transfer);
  } catch (e) {
    const err = e as { message?: string; code?: unknown };
    post({ type: 'error', id, message: err?.message ?? String(e), ...(typeof err?.code === 'string' ? { code: err.code } : {}) }, []);
  }
}
