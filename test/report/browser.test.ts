import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../helpers/chromium.js';
import { CASES, renderCase } from '../golden/cases.mjs';
import { HOSTILE_USER } from './fixture.js';
import { decodePng, inkStats } from './png.js';

/**
 * The report of each fixture incident, as `corr report` writes it, opened in a real headless
 * Chromium: the HTML page and the standalone SVG must render without errors, fetch nothing, run
 * nothing from the logs, draw one labelled lane per finding and one mark per lying-probe window,
 * and not be blank. A missing browser is a failure with one line saying how to get it, never a skip.
 */

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let work: string;
let context: BrowserContext | null = null;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'corr-report-browser-'));
  context = await chromium.launchPersistentContext(join(work, 'profile'), { executablePath: chromiumPath(), headless: true, args: ARGS, viewport: { width: 1250, height: 900 } });
});

afterAll(async () => {
  await context?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await (context as BrowserContext).newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests };
}

/** What the figure shows, read from the rendered DOM: lanes with their labels, and lying windows apart. */
async function figureFacts(page: Page, root: string) {
  return page.evaluate((sel) => {
    const svg = (globalThis as any).document.querySelector(sel);
    const lanes = [...svg.querySelectorAll('g.lane-finding')].map((g: any) => ({
      id: g.getAttribute('data-lane'),
      label: g.querySelector('.lane-label')?.textContent,
      sub: g.querySelector('.lane-sub')?.textContent,
    }));
    const boxes = (cls: string) => [...svg.querySelectorAll(cls)].map((r: any) => r.getBoundingClientRect()).map((b: any) => ({ left: b.left, right: b.right, width: b.width }));
    return { lanes, lying: boxes('rect.outage-artifact'), lyingLane: boxes('rect.lying-window'), parserErrors: (globalThis as any).document.querySelectorAll('parsererror').length };
  }, root);
}

describe.each(CASES)('the $name report in headless Chromium', (c) => {
  let rendered: ReturnType<typeof renderCase>;
  beforeAll(() => {
    rendered = renderCase(c);
  });

  it('renders the HTML page with its figure: no errors, no fetch, one labelled lane per finding, each lying window apart', async () => {
    const file = join(work, `${c.name}.html`);
    writeFileSync(file, rendered.html);
    const { page, errors, requests } = await open(file);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: unknown }).pwned)).toBeUndefined();

    const facts = await figureFacts(page, 'figure svg');
    const findings = rendered.correlate.findings as { id: string; kind: string; verdict: string }[];
    expect(facts.lanes).toEqual(findings.map((f) => ({ id: f.id, label: `${f.id} ${f.kind}`, sub: f.verdict })));
    const lyingWindows = (rendered.correlate.outages as { status: string }[]).filter((o) => o.status === 'artifact').length;
    expect(facts.lying).toHaveLength(lyingWindows);
    for (const drawn of [facts.lying, facts.lyingLane]) {
      for (let i = 1; i < drawn.length; i++) expect(drawn[i]!.left, `lying window ${i} apart from the one before`).toBeGreaterThan(drawn[i - 1]!.right);
      for (const b of drawn) expect(b.width).toBeGreaterThan(2);
    }

    const shot = await page.locator('figure svg').screenshot({ path: join(tmpdir(), `corr-report-${c.name}-figure.png`) });
    const stats = inkStats(decodePng(shot));
    expect(stats.colours).toBeGreaterThan(30);
    expect(stats.inkShare).toBeGreaterThan(0.05);
    // The timeline folds; opening it shows the key moments.
    expect(await page.locator('section#timeline details').count()).toBe(1);
    await page.close();
  });

  it('opens the standalone SVG as a well-formed image with the same lanes', async () => {
    const file = join(work, `${c.name}.svg`);
    writeFileSync(file, rendered.svg);
    const { page, errors, requests } = await open(file);
    type Doc = { document: { documentElement: { localName: string } } };
    expect(await page.evaluate(() => (globalThis as unknown as Doc).document.documentElement.localName)).toBe('svg');
    const facts = await figureFacts(page, 'svg');
    expect(facts.parserErrors).toBe(0);
    expect(facts.lanes.map((l) => l.id)).toEqual((rendered.correlate.findings as { id: string }[]).map((f) => f.id));
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1);
    const shot = await page.screenshot({ path: join(tmpdir(), `corr-report-${c.name}-svg.png`) });
    expect(inkStats(decodePng(shot)).colours).toBeGreaterThan(30);
    await page.close();
  });
});

describe('hostile text in the browser', () => {
  it('shows a hostile user name as text in the page and runs nothing', async () => {
    const { renderHtml } = await import('../../src/report/render/html.js');
    const { seedLikeInput } = await import('./fixture.js');
    const file = join(work, 'hostile.html');
    writeFileSync(file, renderHtml(seedLikeInput({ title: HOSTILE_USER })));
    const { page, errors } = await open(file);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(await page.locator('h1').innerText()).toBe(HOSTILE_USER);
    expect(await page.locator('a').count()).toBe(0);
    await page.close();
  });
});
