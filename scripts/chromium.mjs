/**
 * Where is a Chromium (or Chrome) this machine can run headless? One lookup shared by the
 * `pretest` step (scripts/ensure-chromium.mjs) and the report's browser test
 * (test/helpers/chromium.ts), so both agree on what "missing" means.
 *
 * Order: $CHROMIUM_PATH (must exist when set), then the usual command names on $PATH, then the
 * usual install paths of Debian/Ubuntu, Fedora, snap, macOS and playwright's own download cache.
 */
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

export const PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** The one-line instruction printed when no browser is found. */
export const HOW_TO_GET =
  'no Chromium found for the HTML report\'s browser test: install it (Debian/Ubuntu: sudo apt-get install -y chromium; ' +
  'macOS: brew install --cask chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function playwrightCache() {
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(root)) return [];
  const out = [];
  for (const d of readdirSync(root).filter((n) => n.startsWith('chromium')).sort().reverse()) {
    out.push(join(root, d, 'chrome-linux', 'chrome'), join(root, d, 'chrome-linux64', 'chrome'));
  }
  return out;
}

/**
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ path: string, via: string } | { path: null, reason: string }}
 */
export function findChromium(env = process.env) {
  const set = env.CHROMIUM_PATH;
  if (set) {
    return executable(set) ? { path: set, via: 'CHROMIUM_PATH' } : { path: null, reason: `CHROMIUM_PATH=${set} is not an executable file` };
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const p = join(dir, name);
      if (executable(p)) return { path: p, via: `${name} on PATH` };
    }
  }
  for (const p of [...PATHS, ...playwrightCache()]) if (executable(p)) return { path: p, via: 'a usual install path' };
  return { path: null, reason: HOW_TO_GET };
}
