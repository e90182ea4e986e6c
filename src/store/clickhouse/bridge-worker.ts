/**
 * The worker side of the sync bridge (bridge.ts): runs the official async client and answers the
 * requests one at a time, in the order they were posted (an asynchronous insert is stored before
 * any request after it runs), adding one to the shared counter after each reply.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { BridgeConfig, Request } from './bridge.js';

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

async function answer(req: Request): Promise<unknown> {
  switch (req.op) {
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

port.on('message', ({ seq, req }: { seq: number; req: Request }) => {
  queue = queue.then(() =>
    answer(req).then(
      (value) => port.postMessage({ seq, ok: true, value }),
      (e: unknown) => {
        const err = e as { message?: string; code?: unknown; type?: unknown };
        port.postMessage({ seq, ok: false, message: String(err.message ?? e), code: err.code === undefined ? undefined : String(err.code), network: isNetwork(e) });
      },
    ).finally(() => {
      Atomics.add(flag, 0, 1);
      Atomics.notify(flag, 0);
    }),
  );
});
