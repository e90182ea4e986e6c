/** The docs stay true to the code: every format is documented with every one of its sample lines (each variant). */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_FORMATS } from '../src/ingest/formats/index.js';
import { ROOT } from './helpers/cli.js';

describe('docs/formats.md', () => {
  const page = readFileSync(join(ROOT, 'docs', 'formats.md'), 'utf8');
  for (const f of ALL_FORMATS) {
    it(`documents ${f.name} with each of its sample lines`, () => {
      expect(page).toContain(`### ${f.name} —`);
      for (const s of f.samples) expect(page).toContain(s.line);
    });
  }
});
