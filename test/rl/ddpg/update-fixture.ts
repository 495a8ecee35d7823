/**
 * Shared by the compiled DDPG update tests: learners at HalfCheetah sizes (17 → 64 → 64 → 6,
 * ReLU, Adam), the update settings of each variant and batches of 64 drawn from a generator,
 * on a chosen backend (default: the CPU).
 */
import * as sr from '../../../src/index.js';
import type { Backend } from '../../../src/index.js';
import type { DdpgAlgo } from '../../../src/rl/ddpg/config.js';
import { buildLearner } from '../../../src/rl/ddpg/learner.js';
import type { BatchTensors, DdpgLearner, UpdateSettings } from '../../../src/rl/ddpg/update.js';
import { Rng } from '../../../src/util/rng.js';

const OBS = 17;
const ACT = 6;
const B = 64;
const SEEDS = { actor: 1, critic: 2, targetActor: 3, targetCritic: 4 };

export function learner(backend?: Backend): DdpgLearner {
  const spec = {
    obsDim: OBS,
    low: Array.from({ length: ACT }, () => -1),
    high: Array.from({ length: ACT }, () => 1),
    actorLr: 1e-3,
    criticLr: 1e-3,
  };
  return buildLearner(spec, (role) => ({
    hidden: [64, 64],
    activation: 'relu' as const,
    dtype: 'float32' as const,
    rng: new Rng(SEEDS[role]),
    ...(backend ? { backend } : {}),
  }));
}

export function settings(algo: DdpgAlgo): UpdateSettings {
  return {
    algo,
    gamma: 0.99,
    tau: 0.01,
    lambda: 1,
    criticRegBothTerms: false,
    perturbation: { eps: 0.05, steps: 10, stepSize: 0.01, ascent: 'sign', generator: sr.rng(9) },
  };
}

export function batch(g: sr.Generator, backend?: Backend): BatchTensors {
  const on = backend ? { backend } : {};
  return {
    obs: g.randn([B, OBS], on),
    action: g.uniform([B, ACT], -1, 1, on),
    reward: g.randn([B], on),
    nextObs: g.randn([B, OBS], on),
    terminal: g.rand([B], on).gt(0.9),
  };
}
