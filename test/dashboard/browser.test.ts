/**
 * The dashboard page in headless Chromium against a fixture sweep: the runs table, a curve
 * with one series and one band per group, a progress.csv row appearing without a reload,
 * the exported file opened from disk; no console errors anywhere. Screenshots go to
 * test-results/dashboard/.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { exportDashboard } from '../../src/dashboard/export.js';
import { dashboardSession, openPage, screenshot, suiteTitle } from './browser.js';
import { ALGOS, SEEDS, fixtureReturn, runId, writeSweep } from './fixtures.js';

const session = await dashboardSession('sr2l-dash-browser-', (root) =>
  writeSweep(root, 4).then(() => undefined),
);
const browser = session.browser;
const url = () => session.server!.url;
const runRows = (page: Page) => page.locator('table.runs tr.run');

describe.skipIf(!browser)(suiteTitle('dashboard in Chromium', session), () => {
  it('lists every run of the sweep in the table, grouped', async () => {
    const page = await openPage(browser!, url(), session.errors);
    await expect.poll(() => runRows(page).count()).toBe(ALGOS.length * SEEDS.length);
    expect(await page.locator('table.runs tr.group-row').allTextContents()).toEqual([
      'Pendulum-v1 · trpo [default]',
      'Pendulum-v1 · trpo-sr [default]',
    ]);
    const row = page.locator(`tr.run[data-run="${runId('trpo-sr', 1)}"]`);
    expect(await row.locator('td.final').textContent()).toBe(String(fixtureReturn('trpo-sr', 1, 4)));
    await page.fill('input[name=filter]', 'trpo-sr');
    await expect.poll(() => runRows(page).count()).toBe(SEEDS.length);
    await screenshot(page, 'runs-table-filtered');
    await page.close();
  });

  it("draws one mean line and one 95% band per group; a group's seeds show on hover", async () => {
    const page = await openPage(browser!, url(), session.errors);
    const groups = page.locator('#curves g.group');
    await expect.poll(() => groups.count()).toBe(ALGOS.length);
    for (let i = 0; i < ALGOS.length; i++) {
      expect(await groups.nth(i).locator('path.series').count()).toBe(1);
      expect(await groups.nth(i).locator('polygon.band').count()).toBe(1);
      expect(await groups.nth(i).locator('path.member').count()).toBe(SEEDS.length);
    }
    await groups.nth(1).locator('path.series').hover();
    expect(await groups.nth(1).getAttribute('class')).toContain('focus');
    await expect.poll(() => page.locator('.tooltip').isVisible()).toBe(true);
    expect(await page.locator('.tooltip').textContent()).toMatch(/seed 2/);
    await screenshot(page, 'curves-hover');
    await page.check('input[name=log]');
    await page.selectOption('select[name=column]', 'MeanKL');
    await page.selectOption('select[name=x]', 'EnvSteps');
    await expect.poll(() => page.locator('#curves figcaption').textContent()).toMatch(/^MeanKL/);
    expect(await page.locator('#curves text.axis').first().textContent()).toBe('environment steps');
    await screenshot(page, 'curves-meankl-log-envsteps');
    await page.close();
  });

  it('shows a new progress.csv row without a reload', async () => {
    const page = await openPage(browser!, url(), session.errors);
    const id = runId('trpo', 0);
    const cell = page.locator(`tr.run[data-run="${id}"] td.iterations`);
    await expect.poll(() => cell.textContent()).toBe('4');
    await expect.poll(() => page.locator('#status').textContent()).toBe('live');
    // a reload would lose this global
    await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));
    const points = () =>
      page.locator('#curves g.group').first().locator('path.member').first().getAttribute('d');
    const before = (await points())!.split('L').length;
    await appendFile(join(session.root, id, 'progress.csv'), `5,5000,${fixtureReturn('trpo', 0, 5)},0.002\n`);
    await expect.poll(() => cell.textContent(), { timeout: 10_000 }).toBe('5');
    await expect.poll(async () => (await points())!.split('L').length).toBe(before + 1);
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(42);
    await screenshot(page, 'live-row-added');
    await page.close();
  });

  it('the exported file opens from disk with no server and draws the same curves', async () => {
    const file = join(await session.temp(), 'export.html');
    await exportDashboard(session.root, file);
    const page = await openPage(browser!, pathToFileURL(file).href, session.errors);
    await expect.poll(() => runRows(page).count()).toBe(ALGOS.length * SEEDS.length);
    expect(await page.locator('#curves g.group').count()).toBe(ALGOS.length);
    expect(await page.locator('#status').textContent()).toMatch(/^exported/);
    // the inspector needs the server; the robustness figures are in the file
    expect(await page.locator('nav button').allTextContents()).toEqual(['Runs & curves', 'Robustness']);
    await page.click('nav button[data-tab=robustness]');
    await expect
      .poll(() => page.locator('#robustness .robustness-returns g.group').count())
      .toBe(ALGOS.length);
    await screenshot(page, 'exported');
    await page.close();
  });
});
