/**
 * The optimal attack (Zhang et al. 2021): train an adversary policy with our TRPO on the
 * adversary MDP (adversary-env.ts: action = the perturbation in the ε ball, reward = minus
 * the victim's), then attack with the adversary's mean action. The adversary's training
 * budget is a setting; ATLA grid-searches its PPO adversary's hyperparameters per
 * environment (216 configurations for Ant, research/robust-anchors §2.1), so the defaults
 * here are a starting point and a weak adversary is a lower bound on the attack's power.
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import type { Env } from '../../envs/core/env.js';
import { ConfigError } from '../settings.js';
import { resolveConfig } from '../trpo/config.js';
import { TrpoTrainer } from '../trpo/trpo.js';
import { AdversaryEnv } from './adversary-env.js';
import type { EvalPolicy } from './policy.js';

export interface OptimalAttackSettings {
  /** TRPO iterations of the adversary (our choice: 100, a fifth of the paper's 500-iteration victims) */
  iterations: number;
  /** adversary steps per iteration (paper §5's 1K, as the victims) */
  batchSize: number;
  /** adversary hidden layers (the victims' 64, 64; ATLA's adversary uses the agent's network) */
  hidden: number[];
  /** trust region δ (garage TRPO's 0.01) */
  maxKl: number;
  /** γ of the adversary's return (garage TRPO's 0.99) */
  discount: number;
  /** initial σ of the adversary's Gaussian policy over a ∈ [−1, 1]ⁿ (garage init_std 1.0) */
  initStd: number;
}

export const OPTIMAL_ATTACK_DEFAULTS: OptimalAttackSettings = {
  iterations: 100,
  batchSize: 1000,
  hidden: [64, 64],
  maxKl: 0.01,
  discount: 0.99,
  initStd: 1,
};

export interface TrainOptimalAttackOptions {
  victim: EvalPolicy;
  /** a fresh instance of the victim's task */
  makeEnv: () => Promise<Env>;
  /** its id, for the adversary's config record */
  envId: string;
  eps: number;
  /** per-dimension scale of the ball (obs-std), or null */
  scale: Float64Array | null;
  seed: number;
  settings?: Partial<OptimalAttackSettings>;
  onIteration?: (iteration: number, adversaryReturn: number) => void;
}

export interface Adversary {
  /** the perturbation in ball units u = ε · clip(μ_adv(s), −1, 1), [B, n], detached */
  perturbation(states: Tensor): Tensor;
  /** the adversary's mean training return per iteration (minus the victim's, stochastic adversary) */
  history: number[];
}

/** Trains the adversary for one ε; the victim is evaluated on the CPU backend. */
export async function trainOptimalAttack(o: TrainOptimalAttackOptions): Promise<Adversary> {
  const s = { ...OPTIMAL_ATTACK_DEFAULTS, ...o.settings };
  let config;
  try {
    // env is validated against the registry, then replaced by the label: the MDP comes from makeEnv
    config = {
      ...resolveConfig(
        {
          algo: 'trpo',
          seed: o.seed,
          iterations: s.iterations,
          batchSize: s.batchSize,
          hidden: s.hidden,
          maxKl: s.maxKl,
          discount: s.discount,
          initStd: s.initStd,
          evalEvery: 0,
          dtype: o.victim.dtype,
        },
        'optimal attack settings',
      ),
      env: `adversary(${o.envId})`,
    };
  } catch (e) {
    if (e instanceof ConfigError) throw new RangeError(e.message, { cause: e });
    throw e;
  }
  const trainer = await TrpoTrainer.create(config, {
    makeEnv: async () => new AdversaryEnv(await o.makeEnv(), o.victim, o.eps, o.scale),
  });
  const history: number[] = [];
  try {
    for (let i = 0; i < s.iterations; i++) {
      const row = await trainer.iterate();
      history.push(row.AverageReturn);
      o.onIteration?.(i + 1, row.AverageReturn);
    }
  } finally {
    trainer.close();
  }
  const policy = trainer.policy;
  const params = policy.paramList().map((p) => p.detach());
  return {
    perturbation: (states) => sr.noGrad(() => policy.mean(states, params).clamp(-1, 1).mul(o.eps)),
    history,
  };
}
