/**
 * The gradient inspector and the robustness view in headless Chromium: every layer of
 * grads.csv gets a chart with both parts, the loss graph has as many nodes as the server's
 * export and a click shows a node's details and histogram, robustness figures have one
 * series and band per group; no console errors. Screenshots go to test-results/dashboard/.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphResponse } from '../../src/dashboard/api-types.js';
import { dashboardSession, openPage, screenshot, suiteTitle } from './browser.js';
import { ALGOS, trainTinyRun, writeSweep } from './fixtures.js';
import { getJson } from './http.js';

const session = await dashboardSession('sr2l-dash-inspector-', async (root) => {
  await writeSweep(join(root, 'sweep'));
  await trainTinyRun(join(root, 'tiny'));
});
const browser = session.browser;
const url = () => session.server!.url;

describe.skipIf(!browser)(suiteTitle('gradient inspector and robustness in Chromium', session), () => {
  it('lists every layer of grads.csv with the surrogate and regularizer norms side by side', async () => {
    const header = (await readFile(join(session.root, 'tiny', 'grads.csv'), 'utf8'))
      .split('\n')[0]!
      .split(',');
    const layers = [...new Set(header.slice(1).map((c) => c.slice(c.indexOf('/') + 1)))];
    expect(layers.length).toBeGreaterThanOrEqual(7); // 3 linear layers × (weight, bias) + logStd
    const page = await openPage(browser!, url(), session.errors);
    await page.click('nav button[data-tab=grads]');
    const charts = page.locator('#grads .grad-layer');
    await expect.poll(() => charts.count()).toBe(layers.length);
    expect(await charts.evaluateAll((es) => es.map((e) => e.getAttribute('data-layer')))).toEqual(layers);
    for (let i = 0; i < layers.length; i++)
      expect(await charts.nth(i).locator('.legend-item').allTextContents()).toEqual([
        'surrogate',
        'regularizer',
      ]);
    await screenshot(page, 'grads-per-layer');
    await page.close();
  });

  it('draws the loss graph with one box per tensor; a click shows op, shape, dtype, ‖grad‖ and a histogram', async () => {
    const g = await getJson<GraphResponse>(url(), '/api/graph?run=tiny&iteration=2');
    const page = await openPage(browser!, url(), session.errors);
    await page.click('nav button[data-tab=grads]');
    const nodes = page.locator('#graph g.node');
    await expect.poll(() => nodes.count(), { timeout: 20_000 }).toBe(g.nodes.length);
    expect(await page.locator('#graph path.edge').count()).toBe(g.edges.length);
    const loss = g.nodes.find((n) => n.name === 'loss')!;
    // tensor ids count up in the server process (each rebuild differs): find nodes by name
    await page.locator('#graph g.node[data-name="loss"]').dispatchEvent('click');
    const details = page.locator('#graph dl.details');
    await expect.poll(() => details.isVisible()).toBe(true);
    const text = await details.textContent();
    expect(text).toContain(`op${loss.op}`);
    expect(text).toContain('shape[]');
    expect(text).toContain(`dtype${loss.dtype}`);
    const fc = g.nodes.find((n) => n.name?.endsWith('weight') && n.gradNorm !== undefined)!;
    await page.locator(`#graph g.node[data-name="${fc.name}"]`).dispatchEvent('click');
    expect(await details.locator('rect.bar').count()).toBe(fc.values!.bins.length);
    expect(await details.textContent()).toContain(`shape[${fc.shape.join(', ')}]`);
    await screenshot(page, 'loss-graph-node');
    // wheel zooms (the viewport's scale changes)
    const view = page.locator('#graph g.viewport');
    const before = await view.getAttribute('transform');
    await page.locator('#graph svg.graph').hover();
    await page.mouse.wheel(0, -300);
    await expect.poll(() => view.getAttribute('transform')).not.toBe(before);
    await page.close();
  });

  it('plots return against ε per group and attack, and the Lipschitz ratio, with bands over policies', async () => {
    const page = await openPage(browser!, url(), session.errors);
    await page.click('nav button[data-tab=robustness]');
    const returns = page.locator('#robustness .robustness-returns g.group');
    await expect.poll(() => returns.count()).toBe(ALGOS.length); // one attack ('mad') per group
    for (let i = 0; i < ALGOS.length; i++) {
      expect(await returns.nth(i).locator('polygon.band').count()).toBe(1);
      expect(await returns.nth(i).locator('path.member').count()).toBe(3);
    }
    expect(await page.locator('#robustness .robustness-lipschitz g.group').count()).toBe(ALGOS.length);
    await screenshot(page, 'robustness');
    await page.close();
  });
});
