/**
 * A web page doing `import * as sr from 'sr2l'` (bundled for the browser as a user's bundler
 * would) runs the engine in Chromium: its float32 loss and gradients equal Node's, its
 * float64 gradients pass the finite-difference check, the CPU backend uses the WebAssembly
 * SIMD kernels, MuJoCo (mujoco-js, a chunk loaded on first use) steps as under Node, and without navigator.gpu (headless Chromium) WebGPU is refused with a
 * message that says so. Needs Chromium as the dashboard's browser tests do.
 */
import * as sr from '../../src/index.js';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { launchChromium, screenshot, suiteTitle } from '../dashboard/browser.js';
import { bundleForBrowser } from './bundle-for-browser.js';

// the page's whole program; the same function runs here in Node for the comparison
const PAGE = `
import * as sr from 'sr2l';
const f = (x, W) => sr.tanh(x.matmul(W)).sub(1).square().mean();
const x = sr.tensor([[1, 2], [3, 4]], { requiresGrad: true });
const W = sr.rng(0).randn([2, 3], { requiresGrad: true });
const loss = f(x, W);
loss.backward();
const x64 = sr.tensor([[1, 2], [3, 4]], { dtype: 'float64' });
const W64 = sr.rng(0).randn([2, 3], { dtype: 'float64' });
const check = sr.gradcheck(f, [x64, W64], { raise: false });
let webgpu = 'available';
try {
  await sr.createWebGPUBackend();
} catch (e) {
  webgpu = e.message;
}
// MuJoCo: mujoco-js arrives as a chunk of its own on this first use
const env = await sr.makeEnv('InvertedPendulum-v5');
const first = Array.from(env.reset({ seed: 0 }).obs);
const stepped = env.step([0.5]);
env.close();
const backend = sr.getDefaultBackend();
const result = {
  mujoco: { first, obs: Array.from(stepped.obs), reward: stepped.reward },
  loss: loss.item(),
  dx: x.grad.toArray(),
  dW: W.grad.toArray(),
  gradcheckOk: check.ok,
  gradcheckChecked: check.checked,
  backend: backend.name,
  kernels: backend.kernels,
  hasNavigatorGpu: 'gpu' in navigator,
  webgpu,
  version: sr.version,
};
document.body.textContent = 'sr2l ' + sr.version + ' on the ' + result.backend + ' backend (' + result.kernels +
  ' kernels): loss ' + result.loss + ', gradcheck ' + (result.gradcheckOk ? 'passed' : 'FAILED') + '; WebGPU: ' + webgpu;
window.sr2lResult = result;
`;

const launched = await launchChromium();

interface PageResult {
  mujoco: { first: number[]; obs: number[]; reward: number };
  loss: number;
  dx: number[][];
  dW: number[][];
  gradcheckOk: boolean;
  gradcheckChecked: number;
  backend: string;
  kernels: string;
  hasNavigatorGpu: boolean;
  webgpu: string;
  version: string;
}

/**
 * Serves the bundled PAGE at `origin` (intercepted: nothing goes to the network) and returns
 * the page, its result and its errors. A plain http origin is not a secure context, so
 * Chromium gives it no navigator.gpu; http://localhost is one.
 */
async function runPage(origin: string): Promise<{ page: Page; got: PageResult; errors: string[] }> {
  const { files, entry } = await bundleForBrowser({ source: PAGE });
  const errors: string[] = [];
  const page = await launched.browser!.newPage();
  await page.route(`${origin}/**`, (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    if (name === '')
      return route.fulfill({
        contentType: 'text/html',
        body: `<script type="module" src="/${entry}"></script>`,
      });
    const body = files.get(name);
    return body
      ? route.fulfill({ contentType: 'text/javascript', body: Buffer.from(body) })
      : route.fulfill({ status: 404, body: name });
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => 'sr2lResult' in globalThis, undefined, { timeout: 30_000 });
  const got = (await page.evaluate(
    () => (globalThis as unknown as { sr2lResult: unknown }).sr2lResult,
  )) as PageResult;
  return { page, got, errors };
}

describe.skipIf(!launched.browser)(suiteTitle('import * as sr from "sr2l" in a web page', launched), () => {
  afterAll(() => launched.browser?.close());

  test('the page computes the gradient Node computes, on the CPU backend with SIMD kernels, and steps MuJoCo as Node does', async () => {
    const { page, got, errors } = await runPage('http://sr2l.test');
    await screenshot(page, 'page-import');
    expect(errors).toEqual([]);

    const f = (x: sr.Tensor, W: sr.Tensor): sr.Tensor => sr.tanh(x.matmul(W)).sub(1).square().mean();
    const x = sr.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const W = sr.rng(0).randn([2, 3], { requiresGrad: true });
    const loss = f(x, W);
    loss.backward();
    expect(got.loss).toBe(loss.item());
    expect(got.dx).toEqual(x.grad!.toArray());
    expect(got.dW).toEqual(W.grad!.toArray());
    expect(got.gradcheckOk).toBe(true);
    expect(got.gradcheckChecked).toBe(10);
    expect(got).toMatchObject({
      backend: 'cpu',
      kernels: 'simd',
      hasNavigatorGpu: false,
      version: sr.version,
    });
    expect(got.webgpu).toMatch(
      /this browser has no WebGPU \(navigator\.gpu is undefined\); use the CPU backend/,
    );
    expect(await page.textContent('body')).toMatch(/on the cpu backend \(simd kernels\).*gradcheck passed/);
    const env = await sr.makeEnv('InvertedPendulum-v5');
    const first = Array.from(env.reset({ seed: 0 }).obs);
    const stepped = env.step([0.5]);
    env.close();
    expect(got.mujoco).toEqual({ first, obs: Array.from(stepped.obs), reward: stepped.reward });
    await page.close();
  });

  test('with navigator.gpu (a secure context), WebGPU is used or refused saying the browser has no adapter', async () => {
    const { page, got, errors } = await runPage('http://localhost');
    expect(errors).toEqual([]);
    expect(got.hasNavigatorGpu).toBe(true);
    expect(got.webgpu).toMatch(/^available$|this browser offers no WebGPU adapter .*; use the CPU backend/);
    await page.close();
  });
});
