/** The browser lookup shared by `pretest` and the report's browser test. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findChromium, HOW_TO_GET } from '../helpers/chromium.js';
import { ROOT, tempDir } from '../helpers/cli.js';

function fakeBrowser(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, '#!/bin/sh\nexit 0\n');
  chmodSync(p, 0o755);
  return p;
}

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, and says so when it points at nothing', () => {
    const dir = tempDir();
    const p = fakeBrowser(join(dir, 'x'), 'my-chrome');
    expect(findChromium({ CHROMIUM_PATH: p, PATH: '' })).toEqual({ path: p, via: 'CHROMIUM_PATH' });
    const missing = findChromium({ CHROMIUM_PATH: join(dir, 'nope'), PATH: '' });
    expect(missing.path).toBeNull();
    expect((missing as { reason: string }).reason).toContain('CHROMIUM_PATH');
  });

  it('finds the usual command names on PATH, in order', () => {
    const dir = tempDir();
    const b = fakeBrowser(join(dir, 'b'), 'google-chrome');
    fakeBrowser(join(dir, 'a'), 'not-a-browser');
    expect(findChromium({ PATH: `${join(dir, 'a')}:${join(dir, 'b')}`, HOME: dir })).toEqual({ path: b, via: 'google-chrome on PATH' });
  });

  it('without any browser, the pretest step as a non-root user prints the one-line instruction and lets the suite run', () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'ensure-chromium.mjs')], {
      env: { PATH: join(dir, 'empty'), HOME: dir, CHROMIUM_PATH: join(dir, 'none') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/CHROMIUM_PATH=.*none is not an executable/);
    expect(HOW_TO_GET).toMatch(/apt-get install -y chromium/);
  });
});
