/**
 * The lockstep rollout against the PerturbObservation wrapper: running an attacked episode
 * one env at a time through the wrapper (the physics sees the true state, the agent the
 * perturbed one) must give the return the batched evaluation gives it.
 */
import { describe, expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import { type Env, PerturbObservation, makeEnv } from '../../src/envs/index.js';
import {
  type AttackSetup,
  PAPER_PGD,
  type Perturbation,
  perturb,
  runEpisodes,
} from '../../src/rl/robustness/index.js';
import { randomPolicy } from './helpers.js';

const policy = randomPolicy(3, 1, 7);
const envOptions = { maxEpisodeSteps: 40 };
const EPS = 0.2;

/** One episode through the wrapper: act on what the wrapper shows, sum the true rewards. */
function wrappedEpisode(env: Env, seed: number, shift: (obs: Float64Array) => Float64Array): number {
  let shown = 0;
  const wrapped = new PerturbObservation(env, (obs) => {
    const out = shift(obs);
    if (out.some((v, j) => v !== wrapped.lastTrueObs[j])) shown++;
    return out;
  });
  let obs = wrapped.reset({ seed }).obs;
  let total = 0;
  for (;;) {
    const mu = policy.mean(sr.tensor(obs.slice(), { shape: [1, 3], dtype: 'float64' })).dataSync();
    const { low, high } = env.actionSpace;
    const step = wrapped.step([Math.min(high[0]!, Math.max(low[0]!, mu[0]!))]);
    total += step.reward;
    if (step.terminated || step.truncated) break;
    obs = step.obs;
  }
  expect(shown).toBeGreaterThan(0);
  return total;
}

async function envs(k: number): Promise<Env[]> {
  return Promise.all(Array.from({ length: k }, () => makeEnv('Pendulum-v1', envOptions)));
}

describe('lockstep rollout = PerturbObservation wrapper', () => {
  test('a row-wise perturbation: each episode of a batch of 3 returns what it returns alone through the wrapper', async () => {
    const shiftRows = (s: sr.Tensor): Perturbation => {
      const delta = sr.noGrad(() => s.mul(3).tanh().mul(EPS));
      return { delta, unit: delta };
    };
    const seeds = [11, 12, 13];
    const batch = await runEpisodes({ envs: await envs(3), seeds, policy, perturb: shiftRows, eps: EPS });
    for (const [i, seed] of seeds.entries()) {
      const [env] = await envs(1);
      const alone = wrappedEpisode(env!, seed, (obs) => obs.map((v) => v + EPS * Math.tanh(3 * v)));
      expect(batch.returns[i]).toBeCloseTo(alone, 9);
    }
    const clean = await runEpisodes({ envs: await envs(3), seeds, policy });
    expect(clean.returns).not.toEqual(batch.returns);
  });

  test('the mad attack (PGD from a random start) through the wrapper gives the lockstep return exactly', async () => {
    const setup: AttackSetup = { agent: { policy }, pgd: PAPER_PGD, scale: null };
    const seed = 21;
    const lockGen = sr.rng(3).fork('mad');
    const lockstep = await runEpisodes({
      envs: await envs(1),
      seeds: [seed],
      policy,
      perturb: (s) => perturb('mad', s, EPS, setup, lockGen),
      eps: EPS,
    });
    // a fresh generator per episode but one stream across its steps, as in the lockstep run
    const [env] = await envs(1);
    const gen = sr.rng(3).fork('mad');
    const viaWrapper = wrappedEpisode(env!, seed, (obs) => {
      const s = sr.tensor(obs.slice(), { shape: [1, 3], dtype: 'float64' });
      const delta = perturb('mad', s, EPS, setup, gen)!.delta.dataSync();
      return obs.map((v, j) => v + delta[j]!);
    });
    expect(viaWrapper).toBe(lockstep.returns[0]);
  });
});
