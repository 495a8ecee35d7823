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
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startDashboard, type DashboardServer } from '../../src/dashboard/server.js';
import { tempDirs } from '../helpers/temp-dirs.js';

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

export interface Session extends Launched {
  /** the dashboard's folder, filled by `prepare` */
  root: string;
  server: DashboardServer | null;
  /** console errors of the current test's pages (each test must end with none) */
  errors: string[];
  temp: (prefix?: string) => Promise<string>;
}

/**
 * A browser test file's setup: Chromium, a folder `prepare` fills, a dashboard server on it
 * (live updates every 100 ms), and after each test the check that no page logged an error.
 */
export async function dashboardSession(
  prefix: string,
  prepare: (root: string) => Promise<void>,
): Promise<Session> {
  const temp = tempDirs(prefix);
  const session: Session = { ...(await launchChromium()), root: '', server: null, errors: [], temp };
  beforeAll(async () => {
    if (!session.browser) return;
    session.root = await temp();
    await prepare(session.root);
    session.server = await startDashboard({ folder: session.root, port: 0, pollMs: 100 });
  }, 60_000);
  afterAll(async () => {
    await session.server?.close();
    await session.browser?.close();
  });
  afterEach(() => {
    expect(session.errors).toEqual([]);
    session.errors.length = 0;
  });
  return session;
}
