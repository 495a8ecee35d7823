/**
 * Debian's Chromium driven by playwright-core for the dashboard's browser tests. Without a
 * browser the suite is skipped loudly (the reason printed and in the suite's title); under
 * CI (CI=true, where .ci/run installs chromium) a missing browser fails the file instead.
 * Each test collects the page's console errors and saves a screenshot to SCREENSHOTS.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.SR2L_CHROMIUM ?? '/usr/bin/chromium';
/** where the screenshots go (look at them: the tests check structure, not looks) */
export const SCREENSHOTS = process.env.SR2L_SCREENSHOTS ?? join(process.cwd(), 'test-results', 'dashboard');

export interface Launched {
  browser: Browser | null;
  reason: string;
}

export async function launchChromium(): Promise<Launched> {
  let reason = '';
  if (!existsSync(CHROMIUM))
    reason = `${CHROMIUM} not found (apt-get install chromium; or set SR2L_CHROMIUM)`;
  else
    try {
      // --no-sandbox: the tests run as root in CI containers, where Chromium's sandbox refuses to start
      return { browser: await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }), reason };
    } catch (e) {
      reason = `Chromium did not start: ${(e as Error).message.split('\n')[0]}`;
    }
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  console.warn(`[sr2l] SKIPPING dashboard browser tests: ${reason}`);
  return { browser: null, reason };
}

export const suiteTitle = (title: string, l: Launched): string =>
  l.browser ? title : `${title} — SKIPPED, no browser: ${l.reason}`;

/** A new page that records console errors and uncaught exceptions into `errors`. */
export async function openPage(browser: Browser, url: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  await page.goto(url);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
