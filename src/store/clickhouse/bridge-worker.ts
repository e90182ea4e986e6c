/**
 * The worker side of the sync bridge (bridge.ts): runs the official async client and answers the
 * requests one at a time, in the order they were posted (an asynchronous insert is stored before
 * any request after it runs), adding one to the shared counter after each reply.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { BridgeConfig, ColumnChunk, ColumnKind, Request } from './bridge.js';

const { config, flag, port } = workerData as { config: BridgeConfig; flag: Int32Array; port: MessagePort };

const client = createClient({
  url: config.url,
  username: config.username,
  password: config.password,
  database: config.database,
  request_timeout: config.timeoutMs,
  // The client's own log lines would reach corr's stderr; failures come back as replies instead.
  log: { level: ClickHouseLogLevel.OFF },
  // 64-bit integers as JSON numbers (corr's are below 2^53: µs instants, 52-bit hashes and ids).
  // distributed_product_mode 'local': on a database of Distributed tables (shards, docs/fleet.md),
  // the visibility subqueries read each shard's own sections, beside that shard's events.
  clickhouse_settings: { output_format_json_quote_64bit_integers: 0, distributed_product_mode: 'local' },
});

/** Connection failures (refused, unknown host, reset) against what the server said. */
function isNetwork(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/** Rows per streamed column chunk: 64k rows of six columns are a few MB, sent as transferred buffers. */
const CHUNK_ROWS = 65_536;
/** Chunks sent and not yet acknowledged at most: bounds what waits decoded on either side. */
const UNACKED = 2;

/** The stream being paced, and how many of its chunks the main thread has taken. */
let streaming = 0;
let acked = 0;
let ackWaiter: (() => void) | null = null;

const TSV_UNESCAPE: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', '0': '\0', "'": "'", b: '\b', f: '\f' };

/** A TabSeparated field as its text (the server escapes backslash, tab, newline and a few more). */
function unescapeTsv(s: string): string {
  return s.includes('\\') ? s.replace(/\\(.)/g, (_, c: string) => TSV_UNESCAPE[c] ?? c) : s;
}

/**
 * Stream a query's TabSeparated rows into typed column chunks (bridge.ts `columns`). Why: JSON rows
 * of millions of events were built here, cloned to the main thread and converted again there —
 * two copies of every row as objects at the peak, and most of the read's time.
 */
async function streamColumns(seq: number, sql: string, kinds: ColumnKind[], settings: Record<string, string | number> | undefined): Promise<null> {
  const rs = await client.query({ query: sql, format: 'TabSeparated', clickhouse_settings: settings as never });
  const codes = new Map<string, number>();
  let sent = 0;
  streaming = seq;
  acked = 0;
  let chunk: ColumnChunk;
  const fresh = (): ColumnChunk => ({
    rows: 0, strings: [],
    cols: kinds.map((k) => (k === 'num' ? new Float64Array(CHUNK_ROWS) : k === 'code' ? new Int32Array(CHUNK_ROWS) : [])),
  });
  chunk = fresh();
  const send = async (): Promise<void> => {
    const c = chunk;
    if (c.rows < CHUNK_ROWS) c.cols = c.cols.map((col) => (Array.isArray(col) ? col : col.slice(0, c.rows)));
    port.postMessage({ seq, chunk: c }, c.cols.filter((col): col is Float64Array | Int32Array => !Array.isArray(col)).map((col) => col.buffer as ArrayBuffer));
    tick();
    sent++;
    chunk = fresh();
    while (sent - acked >= UNACKED) await new Promise<void>((r) => (ackWaiter = r));
  };
  for await (const rows of rs.stream()) {
    for (const row of rows as { text: string }[]) {
      const line = row.text;
      const k = chunk.rows;
      let from = 0;
      for (let c = 0; c < kinds.length; c++) {
        let to = line.indexOf('\t', from);
        if (to === -1) to = line.length;
        const field = line.slice(from, to);
        from = to + 1;
        const kind = kinds[c]!;
        const col = chunk.cols[c]!;
        if (kind === 'num') (col as Float64Array)[k] = field === '\\N' ? NaN : Number(field);
        else if (kind === 'code') {
          const text = unescapeTsv(field);
          let code = codes.get(text);
          if (code === undefined) {
            code = codes.size;
            codes.set(text, code);
            chunk.strings.push(text);
          }
          (col as Int32Array)[k] = code;
        } else if (field !== '' && field !== '\\N') (col as [number, string][]).push([k, unescapeTsv(field)]);
      }
      chunk.rows++;
      if (chunk.rows === CHUNK_ROWS) await send();
    }
  }
  if (chunk.rows > 0 || chunk.strings.length > 0) await send();
  return null;
}

function tick(): void {
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
}

async function answer(seq: number, req: Request): Promise<unknown> {
  switch (req.op) {
    case 'columns':
      return streamColumns(seq, req.sql, req.kinds, req.settings);
    case 'query': {
      const rs = await client.query({ query: req.sql, format: 'JSONCompact', clickhouse_settings: req.settings as never });
      const body = (await rs.json()) as { meta: { name: string; type: string }[]; data: unknown[][] };
      return { meta: body.meta, data: body.data };
    }
    case 'command':
      await client.command({ query: req.sql, clickhouse_settings: req.settings as never });
      return null;
    case 'insert':
      await client.insert({ table: req.table, values: req.rows, format: 'JSONEachRow' });
      return null;
    case 'insertTsv':
      // One request body: the server parses TabSeparated far faster than JSON, and nothing is re-encoded here.
      await client.insert({ table: req.table, columns: req.columns as [string, ...string[]], values: Readable.from([Buffer.from(req.body)], { objectMode: false }), format: 'TabSeparated' });
      return null;
    case 'close':
      await client.close();
      return null;
  }
}

let queue: Promise<unknown> = Promise.resolve();

port.on('message', (msg: { seq: number; req: Request } | { ack: number }) => {
  // An acknowledgement of a streamed chunk is taken at once, not queued behind the stream it paces.
  if ('ack' in msg) {
    if (msg.ack !== streaming) return;
    acked++;
    ackWaiter?.();
    ackWaiter = null;
    return;
  }
  const { seq, req } = msg;
  queue = queue.then(() =>
    answer(seq, req).then(
      (value) => port.postMessage({ seq, ok: true, value }),
      (e: unknown) => {
        const err = e as { message?: string; code?: unknown; type?: unknown };
        port.postMessage({ seq, ok: false, message: String(err.message ?? e), code: err.code === undefined ? undefined : String(err.code), network: isNetwork(e) });
      },
    ).finally(tick),
  );
});
