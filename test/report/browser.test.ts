import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderSvg } from '../../src/report/svg.js';
import { lanesOf } from '../../src/report/lanes.js';
import { HOSTILE_USER, seedLikeInput } from './fixture.js';
import { decodePng, inkStats } from './png.js';

/**
 * The HTML report opened in a real headless Chromium: it must render, fetch nothing, run nothing
 * from the logs, and draw a figure that is not blank. CI installs Debian's chromium; a missing
 * browser is a failure, never a skip.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let work: string;
let context: BrowserContext | null = null;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'corr-report-browser-'));
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium) to run the browser check`);
  }
  // A persistent context is how playwright takes a fresh --user-data-dir of our choosing.
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1100, height: 900 },
  });
});

afterAll(async () => {
  await context?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the HTML report in headless Chromium', () => {
  it('renders the figure and the text, fetches nothing, and keeps hostile names inert', async () => {
    expect(context, 'browser did not start').not.toBeNull();
    const input = seedLikeInput();
    const file = join(work, 'report.html');
    writeFileSync(file, renderHtml(input));
    const url = pathToFileURL(file).href;

    const page = await (context as BrowserContext).newPage();
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));

    await page.goto(url, { waitUntil: 'load' });

    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([url]);

    const lanes = await page.locator('svg [data-lane]').evaluateAll((els) => els.map((e) => e.getAttribute('data-lane')));
    expect(lanes).toEqual(lanesOf(input.timeline));
    expect(await page.locator('svg .outage').count()).toBe(input.result.outages.length);

    // The fixture's user name would set window.pwned if it ran; it must show as text instead.
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    const bodyText = await page.locator('body').innerText();
    expect(bodyText).toContain(HOSTILE_USER);
    expect(bodyText.length).toBeGreaterThan(500);
    expect(await page.locator('a').count()).toBe(0);

    const pageShot = await page.screenshot({ fullPage: true, path: join(tmpdir(), 'corr-report-page.png') });
    expect(pageShot.length).toBeGreaterThan(20_000);

    const figure = page.locator('figure svg');
    const figureShot = await figure.screenshot({ path: join(tmpdir(), 'corr-report-figure.png') });
    const stats = inkStats(decodePng(figureShot));
    // Lanes, shading, hatching, marks and labels give many colours and a fair share of ink; a blank
    // or unstyled figure has one or two colours and almost none.
    expect(stats.colours).toBeGreaterThan(30);
    expect(stats.inkShare).toBeGreaterThan(0.05);
    await page.close();
  });

  it('opens the standalone SVG as a well-formed image with the same lanes', async () => {
    const input = seedLikeInput();
    const file = join(work, 'figure.svg');
    writeFileSync(file, renderSvg(input));
    const page = await (context as BrowserContext).newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // An ill-formed SVG file is shown as a parser error page instead of an <svg> root.
    type Doc = { document: { documentElement: { localName: string } } };
    expect(await page.evaluate(() => (globalThis as unknown as Doc).document.documentElement.localName)).toBe('svg');
    expect(await page.locator('parsererror').count()).toBe(0);
    expect(await page.locator('[data-lane]').count()).toBe(lanesOf(input.timeline).length);
    expect(requests).toHaveLength(1);
    await page.close();
  });
});
