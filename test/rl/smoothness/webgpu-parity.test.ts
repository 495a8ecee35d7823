/**
 * The new inner maximizations on WebGPU match the CPU backend (float32 both): the
 * Wasserstein dual (gradient steps, best-iterate selection with `ge`) and the per-dimension
 * std of ε in units of the observation std. Skipped loudly without an adapter; fails
 * under REQUIRE_WEBGPU=1.
 */
import { describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import { cpuBackend as cpu } from '../../../src/kernels/cpu/index.js';
import { columnStd, findPerturbation } from '../../../src/rl/smoothness/index.js';
import { sharedStdJeffreys } from '../../../src/rl/trpo/distributions.js';
import { GaussianMlpPolicy } from '../../../src/rl/trpo/gaussian-policy.js';
import { acquireWebGPU, suiteTitle } from '../../kernels/webgpu/acquire.js';

const acquired = await acquireWebGPU();

describe.skipIf(!acquired.gpu)(suiteTitle('Wasserstein dual and obs-std on WebGPU', acquired), () => {
  it('match the CPU backend', async () => {
    const host = sr.rng(3).randn([48, 6], { dtype: 'float64', std: 2 }).dataSync();
    const run = async (backend: typeof cpu | NonNullable<typeof acquired.gpu>) => {
      const policy = new GaussianMlpPolicy({ obsDim: 6, actDim: 2, dtype: 'float32', backend, rng: 4 });
      const states = sr.tensor(host, { shape: [48, 6], dtype: 'float32', backend });
      const div = (s: sr.Tensor, p: sr.Tensor): sr.Tensor =>
        sharedStdJeffreys(policy.mean(s), policy.mean(p), policy.logStd.detach());
      const r = findPerturbation(states, div, {
        form: 'wasserstein',
        eps: 0.05,
        steps: 10,
        stepSize: 0.01,
        ascent: 'sign',
        // γ = 1 moves δ up to ~1 here; much smaller γ takes long steps that magnify f32 rounding
        gamma: 1,
        epsScale: 'obs-std',
        generator: sr.rng(7),
      });
      return {
        std: Array.from(await columnStd(states).data()),
        delta: Array.from(await r.delta.data()),
        value: Array.from(await r.value.data()),
      };
    };
    const a = await run(cpu);
    const b = await run(acquired.gpu!);
    a.std.forEach((x, i) => expect(b.std[i]).toBeCloseTo(x, 4));
    a.delta.forEach((x, i) => expect(Math.abs(b.delta[i]! - x)).toBeLessThan(1e-3 * (1 + Math.abs(x))));
    a.value.forEach((x, i) => expect(Math.abs(b.value[i]! - x)).toBeLessThan(1e-3 * (1 + Math.abs(x))));
  });
});
