/** Profile mode: kernel time per kernel per call site, forward and backward told apart. */
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import * as sr from '../../../src/index.js';
import { CpuBackend } from '../../../src/kernels/cpu/index.js';
import { formatProfile, instrument, profileRows, resetProfile } from '../../../src/kernels/profile.js';

describe('profile', () => {
  test('attributes kernels to the op and the calling line, with backward marked', () => {
    resetProfile();
    const backend = instrument(new CpuBackend({ kernels: 'simd' }));
    const w = sr.tensor(new Float32Array(17 * 64).fill(0.01), {
      shape: [17, 64],
      backend,
      requiresGrad: true,
    });
    const x = sr.tensor(new Float32Array(64 * 17).fill(1), { shape: [64, 17], backend });
    const loss = sr.mean(sr.square(sr.linear(x, w, null, 'tanh')));
    loss.backward();
    const rows = profileRows();
    const forward = rows.find((r) => r.kernel === 'linear');
    expect(forward?.site).toMatch(/^linear ← .*profile\.test\.ts:\d+$/);
    expect(forward?.calls).toBe(1);
    const backward = rows.filter((r) => r.kernel === 'matmul');
    expect(backward.length).toBeGreaterThan(0);
    expect(backward.every((r) => r.site.includes('(backward)'))).toBe(true);
    expect(formatProfile()).toMatch(/\| linear \| linear ← .*profile\.test\.ts:\d+ \| 1 \|/);
  });

  test('SR2L_PROFILE=1 prints the table when the process exits', () => {
    const code = [
      "import * as sr from './src/index.js';",
      'const w = sr.tensor(new Float32Array(64 * 64).fill(0.01), { shape: [64, 64], requiresGrad: true });',
      "sr.mean(sr.linear(sr.ones([8, 64]), w, null, 'tanh')).backward();",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      env: { ...process.env, SR2L_PROFILE: '1' },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/sr2l profile: [\d.]+ ms in kernels/);
    expect(r.stderr).toMatch(/\| linear \| linear ← /);
  });
});
