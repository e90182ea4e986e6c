/**
 * Each fleet test file starts its own ClickHouse server (scripts/clickhouse-server.mjs) and stops it
 * after. A machine without the server fails these tests with the one line saying how to get it
 * (`npm test` as root installs it in its pretest step) — never a skip.
 */
import { afterAll, beforeAll } from 'vitest';
import { findClickHouse, startClickHouse, type ClickHouseServer } from '../../scripts/clickhouse-server.mjs';

export type { ClickHouseServer };

/** A server for the file's tests: `get()` inside a test (or beforeAll after this one). */
export function useClickHouse(opts: Parameters<typeof startClickHouse>[0] = {}): { get(): ClickHouseServer } {
  let server: ClickHouseServer | null = null;
  beforeAll(async () => {
    const found = findClickHouse();
    if (found.path === null) throw new Error(found.reason);
    server = await startClickHouse(opts);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  }, 120_000);
  return {
    get() {
      if (!server) throw new Error('the ClickHouse server did not start (see beforeAll)');
      return server;
    },
  };
}
