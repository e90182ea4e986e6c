#!/usr/bin/env node
/**
 * Rewrites the golden report files from the built CLI (`npm run build` first):
 *
 *   node test/golden/regenerate.mjs
 *
 * The only writer of test/golden/*.{md,svg,html}. Then read `git diff test/golden` line by line
 * before committing: a golden is a reviewed expectation, not a recording.
 */
import { writeFileSync } from 'node:fs';
import { CASES, goldenPath, renderCase } from './cases.mjs';

for (const c of CASES) {
  const out = renderCase(c);
  for (const ext of ['md', 'svg', 'html']) {
    writeFileSync(goldenPath(c, ext), out[ext]);
    process.stdout.write(`wrote ${goldenPath(c, ext)} (${out[ext].length} characters)\n`);
  }
}
