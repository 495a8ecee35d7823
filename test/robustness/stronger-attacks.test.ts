/**
 * Robust Sarsa and the optimal attack on the 1-D drift task (drift-env.ts), where the
 * attacks' effects have closed forms: random costs 20ε²/3 on average, the optimal
 * perturbation (|δ| = ε every step) costs 20ε². Both learned attacks must beat random and
 * come close to the optimum; the adversary MDP pays minus the victim's reward.
 */
import { describe, expect, it } from 'vitest';
import * as sr from '../../src/index.js';
import { AdversaryEnv, evaluateRobustness } from '../../src/rl/robustness/index.js';
import { DRIFT_STEPS, driftVictim, makeDrift } from './drift-env.js';

const eps = 0.5;
const optimum = -DRIFT_STEPS * eps * eps; // −5
const randomMean = optimum / 3; // −1.67

describe('the adversary MDP', () => {
  it('moves the victim’s observation inside the ball and pays minus its reward', async () => {
    const env = new AdversaryEnv(await makeDrift(), driftVictim(), eps);
    const x0 = env.reset({ seed: 3 }).obs[0]!;
    expect(env.actionSpace.low[0]).toBe(-1);
    // a = 1 → δ = ε: the victim sees x0 + ε, acts −(x0 + ε), lands on −ε
    const r = env.step([1]);
    expect(r.obs[0]).toBeCloseTo(-eps, 12);
    expect(r.reward).toBeCloseTo(eps * eps, 12);
    expect(r.info.victimReward).toBeCloseTo(-eps * eps, 12);
    // actions beyond the box are clipped to it: |δ| ≤ ε
    expect(env.step([7]).reward).toBeCloseTo(eps * eps, 12);
    expect(Number.isFinite(x0)).toBe(true);
    env.close();
    expect(() => new AdversaryEnv(driftEnvWithTwoDims(), driftVictim(), eps)).toThrow(
      /victim takes 1 inputs/,
    );
  });
});

describe('Robust Sarsa and the optimal attack on the drift task', () => {
  it('are at least as strong as the random attack, and near the closed-form optimum', async () => {
    const r = await evaluateRobustness({
      envId: 'Drift1D',
      makeEnv: makeDrift,
      agent: { policy: driftVictim() },
      attacks: ['none', 'random', 'sarsa', 'optimal'],
      eps: [eps],
      episodes: 20,
      seed: 1,
      smoothnessStates: 0,
      sarsa: { episodes: 20, gradientSteps: 600, actionNoise: 0.2, robustWeight: 0.1, hidden: [32, 32] },
      optimal: { iterations: 25, batchSize: 400, maxKl: 0.05, hidden: [16] },
    });
    const mean = (a: string): number => r.rows.find((x) => x.attack === a)!.mean;
    expect(mean('none')).toBeCloseTo(0, 9);
    expect(mean('random')).toBeGreaterThan(randomMean - 0.5);
    expect(mean('random')).toBeLessThan(randomMean + 0.5);
    for (const attack of ['sarsa', 'optimal']) {
      expect(mean(attack)).toBeLessThanOrEqual(mean('random'));
      expect(mean(attack)).toBeLessThan(0.8 * optimum);
      expect(mean(attack)).toBeGreaterThanOrEqual(optimum - 1e-9); // nothing beats the optimum
      const row = r.rows.find((x) => x.attack === attack)!;
      expect(row.deltaLinfMax).toBeLessThanOrEqual(eps * (1 + 1e-9));
    }
  }, 60_000);
});

function driftEnvWithTwoDims() {
  const inner = { observationSpace: { shape: [2] } } as unknown as import('../../src/envs/index.js').Env;
  return inner;
}

void sr;
