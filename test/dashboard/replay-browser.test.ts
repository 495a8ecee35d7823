/**
 * The replay view in headless Chromium: the page itself runs a MuJoCo run's evaluation
 * episode clean and under attack (mujoco-js and sr2l's engine in the browser, the CPU
 * backend's WebAssembly kernels) and draws them side by side with three.js (WebGL), with
 * time-aligned plots; the returns the page computes equal sr2l eval's for the same episode,
 * and every step (actions, rewards, perturbation sizes, geom poses) equals the server's
 * replay (/api/replay); scrubbing and playing move the step; no console errors.
 * Screenshots go to test-results/dashboard/.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReplayResponse } from '../../src/dashboard/api-types.js';
import { dashboardSession, openPage, screenshot, suiteTitle } from './browser.js';
import { evalRun, returnsOf, trainTinyMujocoRun } from './fixtures.js';
import { getJson } from './http.js';

const EPISODES = 3;
let evalReturns: { none: number[]; random: number[]; mad: number[] };

const session = await dashboardSession('sr2l-dash-replay-browser-', async (root) => {
  await trainTinyMujocoRun(join(root, 'mujoco'));
  const ev = await evalRun(join(root, 'mujoco'), 'random', '0.05', EPISODES);
  // a second eval (it rewrites robustness.json): mad's PGD differentiates the policy
  const mad = await evalRun(join(root, 'mujoco'), 'mad', '0.05', EPISODES);
  evalReturns = { none: returnsOf(ev, 'none'), random: returnsOf(ev, 'random'), mad: returnsOf(mad, 'mad') };
});
const browser = session.browser;

/** Fills the replay form, runs it and returns what the page computed (its sr2lReplay). */
async function replayInPage(page: Page, attack: string, episode: number): Promise<ReplayResponse> {
  await page.click('nav button[data-tab=replay]');
  await page.selectOption('select[name=replay-attack]', attack);
  await page.fill('input[name=replay-eps]', '0.05');
  await page.fill('input[name=replay-episodes]', String(EPISODES));
  await page.fill('input[name=replay-episode]', String(episode));
  // 'change' fires when an input loses focus
  await page.locator('input[name=replay-episode]').blur();
  await page.click('button[name=replay]');
  await page.waitForSelector('#replay p.returns, #replay ul.problems', { timeout: 30_000 }).catch(() => null);
  const text = `${await page.textContent('#replay')} ${session.errors.join('; ')}`;
  expect(await page.locator('#replay p.returns').count(), text).toBe(1);
  return (await page.evaluate(() => (globalThis as { sr2lReplay?: unknown }).sr2lReplay)) as ReplayResponse;
}

/** The server's replay of the same episode (the cross-check). */
const serverReplay = (attack: string, episode: number): Promise<ReplayResponse> =>
  getJson<ReplayResponse>(
    session.server!.url,
    `/api/replay?run=mujoco&attack=${attack}&eps=0.05&episodes=${EPISODES}&episode=${episode}`,
  );

/** Every recorded number of the page's replay equals the server's; only `computedBy` differs. */
function expectSameEpisodes(page: ReplayResponse, server: ReplayResponse): void {
  expect(page.computedBy).toMatch(
    /^this page: sr2l \d+\.\d+\.\d+, cpu backend \(simd kernels\); WebGPU (not in this browser|no adapter in this browser)$/,
  );
  expect(server.computedBy).toBe('server');
  // through JSON as the server's came: -0 (a geom's rotation entry) is written as 0
  expect(JSON.parse(JSON.stringify({ ...page, computedBy: '' }))).toEqual({ ...server, computedBy: '' });
}

describe.skipIf(!browser)(suiteTitle('replay in Chromium', session), () => {
  it("runs an episode clean and under 'random' in the page with eval's returns, draws it in 3-D; scrub and play move the step", async () => {
    const page = await openPage(browser!, session.server!.url, session.errors);
    const computed = await replayInPage(page, 'random', 1);
    const returns = page.locator('#replay p.returns');
    expect(computed.clean.return).toBe(evalReturns.none[1]);
    expectSameEpisodes(computed, await serverReplay('random', 1));
    expect(await page.textContent('#replay p.computed-by')).toMatch(/computed by this page: .*cpu backend/);
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

  it("runs an episode under 'mad' (PGD through the policy, in the page's engine) with eval's returns", async () => {
    const page = await openPage(browser!, session.server!.url, session.errors);
    const computed = await replayInPage(page, 'mad', 2);
    expect(computed.clean.return).toBe(evalReturns.none[2]);
    expect(computed.attacked.return).toBe(evalReturns.mad[2]);
    expectSameEpisodes(computed, await serverReplay('mad', 2));
    await screenshot(page, 'replay-mad');
    await page.close();
  });
});
