/**
 * Learning: DDPG, DDPG-SR-A and DDPG-SR-C swing Pendulum-v1 up. Each run trains with a
 * fixed seed and, from iteration FIRST_CHECK on, evaluates the deterministic policy
 * (5 episodes, fixed seeds) every iteration; it passes when the mean return reaches
 * ≥ −250 within the budget of MAX_ITERATIONS × 1000 env steps (a random policy scores
 * about −1200, a good one −150).
 *
 * Settings: the garage19 preset with the changes that make Pendulum learnable in a short
 * budget (stated here, not defaults): γ 0.98, actor lr 1e-3, 2000 uniform-random warm-up
 * steps, one gradient step per env step (50 per 50), Gaussian noise σ 0.1, time-limit ends
 * bootstrapped, and 2 × 32 networks with minibatch 32 to keep each test short on 2 cores.
 * The SR variants keep their defaults (ε 0.01, λ_s 1, 10 PGD steps of 0.2ε).
 */
import { describe, expect, it } from 'vitest';
import { DdpgTrainer } from '../../../src/rl/ddpg/ddpg.js';
import type { DdpgAlgo } from '../../../src/rl/ddpg/config.js';

const SETTINGS = {
  env: 'Pendulum-v1',
  seed: 1,
  discount: 0.98,
  actorLr: 1e-3,
  criticLr: 1e-3,
  warmupSteps: 2000,
  randomWarmup: true,
  stepsPerCycle: 50,
  trainStepsPerCycle: 50,
  noise: 'gaussian' as const,
  noiseSigma: 0.1,
  timeLimitAsTerminal: false,
  hidden: [32, 32],
  minibatchSize: 32,
};
const FIRST_CHECK = 12;
const MAX_ITERATIONS = 30;
const TARGET = -250;

async function learn(
  algo: DdpgAlgo,
): Promise<{ iteration: number; evalReturn: number; regularizer: number }> {
  const t = await DdpgTrainer.create({ ...SETTINGS, algo, iterations: MAX_ITERATIONS });
  let evalReturn = -Infinity;
  let regularizer = NaN;
  try {
    while (t.iteration < MAX_ITERATIONS) {
      const row = await t.iterate();
      regularizer = row.SmoothnessReg;
      if (t.iteration < FIRST_CHECK) continue;
      evalReturn = await t.evaluate(5, 12345);
      if (evalReturn >= TARGET) break;
    }
  } finally {
    t.close();
  }
  return { iteration: t.iteration, evalReturn, regularizer };
}

describe('DDPG learns Pendulum-v1 (deterministic return ≥ −250 within 30k steps, seed 1)', () => {
  for (const algo of ['ddpg', 'ddpg-sr-a', 'ddpg-sr-c'] as const) {
    it(
      algo,
      async () => {
        const r = await learn(algo);
        expect(
          r.evalReturn,
          `${algo}: eval return ${r.evalReturn} at iteration ${r.iteration}`,
        ).toBeGreaterThanOrEqual(TARGET);
        if (algo === 'ddpg') expect(r.regularizer).toBe(0);
        else expect(r.regularizer).toBeGreaterThan(0);
      },
      300_000,
    );
  }
});
