/**
 * A DDPG-SR-A population of seeds {0, 1} on WebGPU against the CPU backend: one iteration
 * (100 warm-up steps, then 50 policy steps and 10 stacked updates with PGD) gives each
 * member the same statistics within float32 tolerance (1e-3 relative: the actions, and so
 * the last 50 transitions, differ by float32 rounding between the backends).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { DdpgPopulation } from '../../../src/rl/ddpg/population.js';
import { acquireWebGPU, suiteTitle } from '../../kernels/webgpu/acquire.js';

const acquired = await acquireWebGPU();
afterAll(() => acquired.gpu?.destroy());

const settings = {
  algo: 'ddpg-sr-a' as const,
  env: 'Pendulum-v1',
  stepsPerIteration: 150,
  stepsPerCycle: 50,
  trainStepsPerCycle: 5,
  warmupSteps: 100,
  pgdSteps: 3,
};

describe.skipIf(!acquired.gpu)(
  suiteTitle('DDPG population on WebGPU matches the CPU backend', acquired),
  () => {
    test('one iteration of seeds {0, 1}', async () => {
      const rows = async (backend: 'cpu' | 'webgpu') => {
        const pop = await DdpgPopulation.create([0, 1].map((seed) => ({ ...settings, seed, backend })));
        const r = await pop.iterate();
        pop.close();
        return r;
      };
      const cpu = await rows('cpu');
      const gpu = await rows('webgpu');
      for (const k of [0, 1]) {
        expect(gpu[k]!.Updates).toBe(10);
        for (const col of ['CriticLoss', 'ActorLoss', 'QMean', 'SmoothnessReg', 'PerturbationL2'] as const) {
          const [g, c] = [gpu[k]![col], cpu[k]![col]];
          expect(Math.abs(g - c), `${col} of member ${k}: ${g} vs ${c}`).toBeLessThan(
            1e-3 * Math.abs(c) + 1e-6,
          );
        }
      }
      expect(cpu[0]!.CriticLoss).not.toBe(cpu[1]!.CriticLoss);
    }, 120_000);
  },
);
