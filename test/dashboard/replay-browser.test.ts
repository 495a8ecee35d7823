/**
 * The replay view in headless Chromium: the page itself runs a MuJoCo run's evaluation
 * episode clean and under attack (mujoco-js and sr2l's engine in the browser, the CPU
 * backend's WebAssembly kernels) and draws them side by side with three.js (WebGL), with
 * time-aligned plots; the returns the page computes equal sr2l eval's for the same episode,
 * and every step (actions, rewards, perturbation sizes, geom poses) equals the server's
 * replay (/api/replay); scrubbing and playing move the step; a non-newest checkpoint chosen in
 * the page replays with the returns of `sr2l eval --iteration`; the backend choice offers
 * WebGPU only with an adapter (headless Chromium has none: shown disabled, with the reason);
 * no console errors.
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
/** sr2l eval --iteration 2 (not the newest checkpoint) */
let olderReturns: { none: number[]; random: number[] };

const session = await dashboardSession('sr2l-dash-replay-browser-', async (root) => {
  // three iterations, checkpointEvery 2: iterations 2 and 3 stay on disk
  await trainTinyMujocoRun(join(root, 'mujoco'), 3, 2);
  const older = await evalRun(join(root, 'mujoco'), 'random', '0.05', EPISODES, ['--iteration', '2']);
  olderReturns = { none: returnsOf(older, 'none'), random: returnsOf(older, 'random') };
  const ev = await evalRun(join(root, 'mujoco'), 'random', '0.05', EPISODES);
  // a second eval (it rewrites robustness.json): mad's PGD differentiates the policy
  const mad = await evalRun(join(root, 'mujoco'), 'mad', '0.05', EPISODES);
  evalReturns = { none: returnsOf(ev, 'none'), random: returnsOf(ev, 'random'), mad: returnsOf(mad, 'mad') };
});
const browser = session.browser;

/** Fills the replay form, runs it and returns what the page computed (its sr2lReplay). */
async function replayInPage(
  page: Page,
  attack: string,
  episode: number,
  iteration?: number,
): Promise<ReplayResponse> {
  await page.click('nav button[data-tab=replay]');
  if (iteration !== undefined) await page.selectOption('select[name=replay-iteration]', String(iteration));
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
const serverReplay = (attack: string, episode: number, iteration?: number): Promise<ReplayResponse> =>
  getJson<ReplayResponse>(
    session.server!.url,
    `/api/replay?run=mujoco&attack=${attack}&eps=0.05&episodes=${EPISODES}&episode=${episode}` +
      (iteration === undefined ? '' : `&iteration=${iteration}`),
  );

/** Every recorded number of the page's replay equals the server's; only `computedBy` differs. */
function expectSameEpisodes(page: ReplayResponse, server: ReplayResponse): void {
  expect(page.computedBy).toMatch(/^this page: sr2l \d+\.\d+\.\d+, cpu backend \(simd kernels\)$/);
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

  it('lists the checkpoints on disk (newest chosen) and replays an older one with the returns of sr2l eval --iteration', async () => {
    const page = await openPage(browser!, session.server!.url, session.errors);
    await page.click('nav button[data-tab=replay]');
    const options = page.locator('select[name=replay-iteration] option');
    expect(
      await options.evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value)),
    ).toEqual(['2', '3']);
    expect(await page.inputValue('select[name=replay-iteration]')).toBe('3');
    expect(await options.last().textContent()).toBe('iteration 3 (newest)');
    const computed = await replayInPage(page, 'random', 0, 2);
    expect(computed.iteration).toBe(2);
    expect(computed.clean.return).toBe(olderReturns.none[0]);
    expect(computed.attacked.return).toBe(olderReturns.random[0]);
    // the older policy is another policy: the newest's clean episode differs
    expect(computed.clean.return).not.toBe(evalReturns.none[0]);
    expectSameEpisodes(computed, await serverReplay('random', 0, 2));
    expect(await page.textContent('#replay p.returns')).toMatch(/^checkpoint iteration 2, episode 0 of 3/);
    await screenshot(page, 'replay-older-checkpoint');
    await page.close();
  });

  it('offers the CPU backend (chosen) and WebGPU only with an adapter: disabled here, with the reason', async () => {
    const page = await openPage(browser!, session.server!.url, session.errors);
    await page.click('nav button[data-tab=replay]');
    const backend = page.locator('select[name=replay-backend]');
    await backend.waitFor();
    expect(await backend.inputValue()).toBe('cpu');
    const hasAdapter = await page.evaluate(async () => {
      const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator
        ?.gpu;
      return !!(gpu && (await gpu.requestAdapter().catch(() => null)));
    });
    // headless Chromium here: no adapter (where a browser has one, the option is enabled)
    expect(await backend.locator('option[value=webgpu]').isDisabled()).toBe(!hasAdapter);
    expect(await page.textContent('#replay .backend-note')).toMatch(
      hasAdapter
        ? /^WebGPU: WebGPU computes in float32/
        : /^WebGPU: this browser (has no WebGPU \(navigator\.gpu is undefined\)|offers no WebGPU adapter)/,
    );
    await screenshot(page, 'replay-backend-choice');
    await page.close();
  });
});
