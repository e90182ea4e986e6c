/** Ingest one file through the real CLI and read back its entries and events (severity as its name, ts as ISO). */
import { expect } from 'vitest';
import { join } from 'node:path';
import { corrJson, tempDir } from '../helpers/cli.js';
import { SEVERITIES } from '../../src/ingest/types.js';

export function ingestFile(file: string, args: string[] = []): { files: any[]; rows: any[] } {
  const db = join(tempDir(), 's.db');
  const r = corrJson(['ingest', file, '--db', db, ...args]);
  expect(r.code, r.stderr).toBe(0);
  const rows = corrJson(['sql', '--db', db, 'SELECT line, ts_us, host, source, kind, severity, message, fields FROM events ORDER BY line']).json.rows as any[];
  return {
    files: r.json.files as any[],
    rows: rows.map((row) => ({ ...row, severity: SEVERITIES[row.severity], ts: new Date(Math.floor(row.ts_us / 1000)).toISOString(), fields: JSON.parse(row.fields ?? '{}') })),
  };
}

/** Parse and detect each line within 100 ms (hostile content must not backtrack). */
export function expectFast(parse: (line: string) => unknown, detect: (head: string[]) => number, lines: string[]): void {
  for (const line of lines) {
    const start = performance.now();
    parse(line);
    detect([line]);
    expect(performance.now() - start, line.slice(0, 40)).toBeLessThan(100);
  }
}
