/**
 * plaso's rule for parser tests: a format's detection is false on its sibling formats' sample lines,
 * so the order of the registry never decides between two formats that both claim a line.
 */
import { describe, expect, it } from 'vitest';
import { ALL_FORMATS } from '../../src/ingest/formats/index.js';

describe('detection is false on sibling formats\' samples', () => {
  for (const format of ALL_FORMATS) {
    it(`${format.name} claims no record sample of another format`, () => {
      const claimed: string[] = [];
      for (const other of ALL_FORMATS) {
        if (other === format) continue;
        for (const s of other.samples) {
          if (!s.expect.continuation && format.detect([s.line]) > 0) claimed.push(`${other.name}: ${s.line}`);
        }
      }
      expect(claimed).toEqual([]);
    });
  }
});
