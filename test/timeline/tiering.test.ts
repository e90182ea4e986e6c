/**
 * V8's optimizing compiler held back for a short timeline (src/cli/tiering.ts): the flags really
 * keep a hot function out of TurboFan and let it in again (checked in a child node with V8's own
 * optimization status, so a renamed or ignored flag fails here), and the stream turns it back on
 * exactly as its `after`-th event passes.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, tempDir } from '../helpers/cli.js';
import { holdOptimizingCompiler, optimizingCompilerHeld, releaseOptimizingCompiler, releasingAfter } from '../../src/cli/tiering.js';

/** Runs a hot function in a child node and reports whether TurboFan compiled it, before and after release. */
function childStatus(hold: boolean): { before: boolean; after: boolean } {
  const dir = tempDir('corr-tiering-');
  const script = join(dir, 'probe.mjs');
  const tiering = pathToFileURL(join(ROOT, 'dist', 'cli', 'tiering.js')).href;
  // %GetOptimizationStatus bit 6 (64) is "TurboFanned" in V8 11–12 (node 20–22).
  writeFileSync(
    script,
    `import { holdOptimizingCompiler, releaseOptimizingCompiler } from ${JSON.stringify(tiering)};
${hold ? 'holdOptimizingCompiler();' : ''}
function hot(x) { let s = 0; for (let i = 0; i < 50; i++) s += (x * i) % 7; return s; }
const turbofanned = () => (%GetOptimizationStatus(hot) & 64) !== 0;
async function run(ms) {
  // Calls for up to ms (TurboFan compiles on another thread: its code is installed between calls).
  const end = Date.now() + ms;
  let s = 0;
  while (Date.now() < end && !turbofanned()) {
    for (let i = 0; i < 20000; i++) s += hot(i);
    await new Promise((r) => setImmediate(r));
  }
  return s;
}
await run(1500);
const before = turbofanned();
releaseOptimizingCompiler();
await run(10000);
process.stdout.write(JSON.stringify({ before, after: turbofanned() }));
`,
  );
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  // V8 complains on stderr about a flag it does not know: none may be unknown.
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { before: boolean; after: boolean };
}

describe('optimizing compiler held for a short timeline', () => {
  it('a hot function is optimized by default (the probe works)', () => {
    expect(childStatus(false).before).toBe(true);
  }, 30_000);

  it('held: not optimized however hot; released: optimized', () => {
    expect(childStatus(true)).toEqual({ before: false, after: true });
  }, 30_000);

  it('the stream releases it as its after-th item passes, and yields every item in order', () => {
    holdOptimizingCompiler();
    const heldAt: boolean[] = [];
    const out: number[] = [];
    try {
      for (const x of releasingAfter([10, 20, 30, 40, 50], 3)) {
        out.push(x);
        heldAt.push(optimizingCompilerHeld());
      }
    } finally {
      releaseOptimizingCompiler();
    }
    expect(out).toEqual([10, 20, 30, 40, 50]);
    expect(heldAt).toEqual([true, true, false, false, false]);
  });

  it('a stream shorter than the bound never releases it', () => {
    holdOptimizingCompiler();
    try {
      expect([...releasingAfter(['a', 'b'], 3)]).toEqual(['a', 'b']);
      expect(optimizingCompilerHeld()).toBe(true);
    } finally {
      releaseOptimizingCompiler();
    }
    expect(optimizingCompilerHeld()).toBe(false);
  });
});
