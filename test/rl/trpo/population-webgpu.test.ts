/**
 * A TRPO-SR population of seeds {0, 1} on WebGPU against the CPU backend: one iteration
 * (lockstep sampling, then the batched policy step with PGD, Fisher products, CG and the
 * line search) runs on the device and gives each member the same batched-PGD statistics
 * within float32 tolerance (1e-3 relative: the sampled actions differ by float32 rounding
 * between the backends), and an accepted step of finite statistics. The columns after the
 * line search are not compared: the full step's KL sits at the trust-region boundary by
 * construction, so float32 rounding can move acceptance by one backtrack between backends.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { TrpoPopulation } from '../../../src/rl/trpo/population.js';
import { StackedGaussianMlpPolicy } from '../../../src/rl/trpo/stacked-gaussian-policy.js';
import { Rng } from '../../../src/util/rng.js';
import { acquireWebGPU, suiteTitle } from '../../kernels/webgpu/acquire.js';

const acquired = await acquireWebGPU();
afterAll(() => acquired.gpu?.destroy());

const settings = {
  algo: 'trpo-sr' as const,
  env: 'Pendulum-v1',
  batchSize: 64,
  pgdSteps: 3,
  evalEvery: 0,
};

describe.skipIf(!acquired.gpu)(
  suiteTitle('TRPO population on WebGPU matches the CPU backend', acquired),
  () => {
    test('one iteration of seeds {0, 1}', async () => {
      const rows = async (backend: 'cpu' | 'webgpu') => {
        const pop = await TrpoPopulation.create([0, 1].map((seed) => ({ ...settings, seed, backend })));
        const r = await pop.iterate();
        pop.close();
        return r;
      };
      const cpu = await rows('cpu');
      const gpu = await rows('webgpu');
      for (const k of [0, 1]) {
        expect(gpu[k]!.LineSearchSteps).toBeGreaterThan(0);
        for (const col of ['Entropy', 'MeanKL', 'SurrogateAfter', 'CGResidual'])
          expect(Number.isFinite(gpu[k]![col]), `${col} of member ${k}`).toBe(true);
        for (const col of ['SmoothnessReg', 'PerturbationLinf']) {
          const [g, c] = [gpu[k]![col]!, cpu[k]![col]!];
          expect(Math.abs(g - c), `${col} of member ${k}: ${g} vs ${c}`).toBeLessThan(
            1e-3 * Math.abs(c) + 1e-6,
          );
        }
      }
      expect(cpu[0]!.MeanKL).not.toBe(cpu[1]!.MeanKL);
    }, 120_000);

    test('the samplers’ compiled stacked forward replays on the device and matches the CPU', async () => {
      const opts = { obsDim: 3, actDim: 1 };
      const seeds = [0, 1, 2].map((k) => new Rng(k).fork('policy-init'));
      const onCpu = StackedGaussianMlpPolicy.seeded(opts, seeds);
      const onGpu = StackedGaussianMlpPolicy.seeded(
        { ...opts, backend: acquired.gpu! },
        [0, 1, 2].map((k) => new Rng(k).fork('policy-init')),
      );
      const draws = new Rng(9);
      for (let step = 0; step < 4; step++) {
        const obs = draws.fillUniform(new Float64Array(3 * 3), -2, 2);
        const [c, g] = [await onCpu.meanAtRows(obs), await onGpu.meanAtRows(obs)];
        for (let i = 0; i < c.length; i++)
          expect(Math.abs(g[i]! - c[i]!), `step ${step}, row value ${i}`).toBeLessThan(
            1e-5 * Math.abs(c[i]!) + 1e-6,
          );
      }
      // traced once, replayed at the later steps (reading the device's parameters in place)
      expect(onGpu.samplingForward.traces).toBe(1);
      expect(onGpu.samplingForward.replays).toBe(3);
    }, 60_000);
  },
);
