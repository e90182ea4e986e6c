/**
 * The kill -9 crash script in a few rounds (CI runs 50 of them, .ci/run): every round's store,
 * after resuming, holds exactly what a clean run stores, row for row and column for column.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

it('resumes every kill -9 (ingest, boot placement, --replace) to the clean run\'s store exactly', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'crash-test.mjs'), '--rounds', '3', '--lines', '6000', '--seed', '11'], { encoding: 'utf8' });
  expect(r.stdout.trim().split('\n').at(-1), r.stdout + r.stderr).toBe('crash-test: 3 passed, 0 failed');
  expect(r.status).toBe(0);
}, 300_000);
