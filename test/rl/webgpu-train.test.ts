/**
 * Training runs on the WebGPU backend through the same CLI: TRPO-SR and DDPG-SR-A take
 * a few iterations, config.json records the adapter, and TRPO-SR's first iteration
 * matches the CPU backend's (float32 on both; sampling depends on the actions, so only
 * the first iteration, sampled with the same initial policy, is compared closely).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { acquireWebGPU, suiteTitle } from '../kernels/webgpu/acquire.js';

const acquired = await acquireWebGPU();
const root = mkdtempSync(join(tmpdir(), 'sr2l-webgpu-train-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function progress(dir: string): Record<string, number>[] {
  const [head, ...rows] = readFileSync(join(dir, 'progress.csv'), 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i]!, Number(v)])));
}

describe.skipIf(!acquired.gpu)(suiteTitle('sr2l train --backend webgpu', acquired), () => {
  it('TRPO-SR trains, records the adapter, and its first iteration matches the CPU backend', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const common = [
      'train',
      '--algo',
      'trpo-sr',
      '--env',
      'Pendulum-v1',
      '--iterations',
      '2',
      '--batch-size',
      '200',
      '--quiet',
    ];
    expect(await main([...common, '--backend', 'webgpu', '--out', join(root, 'gpu')])).toBe(0);
    expect(await main([...common, '--backend', 'cpu', '--out', join(root, 'cpu')])).toBe(0);
    vi.restoreAllMocks();
    const rec = JSON.parse(readFileSync(join(root, 'gpu', 'config.json'), 'utf8')) as {
      compute: { name: string; adapter: { backend: string; limits: Record<string, number> } };
    };
    expect(rec.compute.name).toBe('webgpu');
    expect(rec.compute.adapter.backend).toBeTruthy();
    expect(rec.compute.adapter.limits.maxStorageBuffersPerShaderStage).toBeGreaterThan(0);
    const [g1] = progress(join(root, 'gpu'));
    const [c1] = progress(join(root, 'cpu'));
    // same samples (same initial policy and seeds): returns equal to float32 rounding of the actions
    expect(g1!.AverageReturn).toBeCloseTo(c1!.AverageReturn, 2);
    expect(Math.abs(g1!.MeanKL - c1!.MeanKL)).toBeLessThan(1e-3 * Math.max(1, Math.abs(c1!.MeanKL)) + 1e-6);
    expect(g1!.SmoothnessReg).toBeGreaterThan(0);
  }, 120_000);

  it('DDPG-SR-A trains with one readback per env step', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const args = [
      'train',
      '--algo',
      'ddpg-sr-a',
      '--env',
      'Pendulum-v1',
      '--iterations',
      '1',
      '--steps-per-iteration',
      '200',
    ];
    const rest = ['--warmup-steps', '100', '--backend', 'webgpu', '--quiet', '--out', join(root, 'ddpg')];
    expect(await main([...args, ...rest])).toBe(0);
    vi.restoreAllMocks();
    const [row] = progress(join(root, 'ddpg'));
    expect(row!.EnvSteps).toBe(200);
    expect(Number.isFinite(row!.CriticLoss)).toBe(true);
  }, 120_000);
});
