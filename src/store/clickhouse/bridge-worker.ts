/**
 * The worker side of the sync bridge (bridge.ts): runs the official async client and answers one
 * request at a time, then wakes the waiting main thread through the shared flag.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
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
    case 'close':
      await client.close();
      return null;
  }
}

port.on('message', (req: Request) => {
  answer(req).then(
    (value) => port.postMessage({ ok: true, value }),
    (e: unknown) => {
      const err = e as { message?: string; code?: unknown; type?: unknown };
      port.postMessage({ ok: false, message: String(err.message ?? e), code: err.code === undefined ? undefined : String(err.code), network: isNetwork(e) });
    },
  ).finally(() => {
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
});
