/**
 * The replay view in headless Chromium: a MuJoCo run's evaluation episode clean and under
 * attack, drawn side by side with three.js (WebGL), with time-aligned plots; the returns the
 * page shows equal sr2l eval's for the same episode; scrubbing and playing move the step;
 * no console errors. Screenshots go to test-results/dashboard/.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardSession, openPage, screenshot, suiteTitle } from './browser.js';
import { evalRun, returnsOf, trainTinyMujocoRun } from './fixtures.js';

const EPISODES = 3;
let evalReturns: { none: number[]; random: number[] };

const session = await dashboardSession('sr2l-dash-replay-browser-', async (root) => {
  await trainTinyMujocoRun(join(root, 'mujoco'));
  const ev = await evalRun(join(root, 'mujoco'), 'random', '0.05', EPISODES);
  evalReturns = { none: returnsOf(ev, 'none'), random: returnsOf(ev, 'random') };
});
const browser = session.browser;

describe.skipIf(!browser)(suiteTitle('replay in Chromium', session), () => {
  it("replays an episode clean and under 'random' in 3-D with eval's returns; scrub and play move the step", async () => {
    const page = await openPage(browser!, session.server!.url, session.errors);
    await page.click('nav button[data-tab=replay]');
    await page.selectOption('select[name=replay-attack]', 'random');
    await page.fill('input[name=replay-eps]', '0.05');
    await page.fill('input[name=replay-episodes]', String(EPISODES));
    await page.fill('input[name=replay-episode]', '1');
    // 'change' fires when an input loses focus
    await page.locator('input[name=replay-episode]').blur();
    await page.click('button[name=replay]');
    const returns = page.locator('#replay p.returns');
    await expect.poll(() => returns.count(), { timeout: 20_000 }).toBe(1);
    expect(Number(await returns.getAttribute('data-clean-return'))).toBe(evalReturns.none[1]);
    expect(Number(await returns.getAttribute('data-attacked-return'))).toBe(evalReturns.random[1]);
    expect(await page.locator('#replay .replay-views canvas').count()).toBe(2);
    // one action dimension (InvertedPendulum), the perturbation size and the reward
    expect(await page.locator('#replay .replay-plots figure.chart').count()).toBe(3);
    const step = page.locator('#replay .step');
    await page
      .locator('input[name=step]')
      .evaluate((e: { value: string; dispatchEvent(e: Event): boolean }) => {
        e.value = '3';
        e.dispatchEvent(new Event('input'));
      });
    expect(await step.textContent()).toMatch(/^step 3 \//);
    expect(await page.locator('#replay line.cursor[visibility=visible]').count()).toBe(3);
    await screenshot(page, 'replay-step-3');
    // near the end of the attacked episode, where the two differ most
    const late = 45;
    await page
      .locator('input[name=step]')
      .evaluate((e: { value: string; dispatchEvent(e: Event): boolean }, t) => {
        e.value = String(t);
        e.dispatchEvent(new Event('input'));
      }, late);
    await screenshot(page, 'replay-late');
    await page
      .locator('input[name=step]')
      .evaluate((e: { value: string; dispatchEvent(e: Event): boolean }) => {
        e.value = '0';
        e.dispatchEvent(new Event('input'));
      });
    await page.click('button[name=play]');
    await expect.poll(async () => Number((await step.textContent())!.split(' ')[1])).toBeGreaterThan(0);
    await page.close();
  });
});
