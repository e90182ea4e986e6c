/**
 * The browser for tests that open a page in a real Chromium (the HTML report's browser test).
 * The lookup itself lives in scripts/chromium.mjs, shared with the `pretest` step that installs
 * the browser when it may; a missing browser is a failure with one line saying how to get it.
 */
import { findChromium } from '../../scripts/chromium.mjs';

export { findChromium, HOW_TO_GET } from '../../scripts/chromium.mjs';

/** The Chromium executable to launch, or an Error whose message is the one-line instruction. */
export function chromiumPath(): string {
  const found = findChromium();
  if (found.path === null) throw new Error(found.reason);
  return found.path;
}
