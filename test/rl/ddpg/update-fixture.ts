/**
 * Shared by the compiled DDPG update tests: learners at HalfCheetah sizes (17 → 64 → 64 → 6,
 * ReLU, Adam), the update settings of each variant and batches of 64 drawn from a generator,
 * on a chosen backend (default: the CPU).
 */
import * as sr from '../../../src/index.js';
import type { Backend } from '../../../src/index.js';
import { Adam } from '../../../src/nn/index.js';
import type { DdpgAlgo } from '../../../src/rl/ddpg/config.js';
import { Critic, DeterministicActor } from '../../../src/rl/ddpg/networks.js';
import { hardUpdate } from '../../../src/rl/ddpg/polyak.js';
import type { BatchTensors, DdpgLearner, UpdateSettings } from '../../../src/rl/ddpg/update.js';
import { Rng } from '../../../src/util/rng.js';

const OBS = 17;
const ACT = 6;
const B = 64;
const low = Array.from({ length: ACT }, () => -1);
const high = Array.from({ length: ACT }, () => 1);

export function learner(backend?: Backend): DdpgLearner {
  const net = (seed: number) => ({
    hidden: [64, 64],
    activation: 'relu' as const,
    dtype: 'float32' as const,
    rng: new Rng(seed),
    ...(backend ? { backend } : {}),
  });
  const actor = new DeterministicActor(OBS, low, high, net(1));
  const critic = new Critic(OBS, ACT, net(2));
  const targetActor = new DeterministicActor(OBS, low, high, net(3));
  const targetCritic = new Critic(OBS, ACT, net(4));
  hardUpdate(targetActor, actor);
  hardUpdate(targetCritic, critic);
  return {
    actor,
    critic,
    targetActor,
    targetCritic,
    actorOpt: new Adam(actor.namedParameters(), { lr: 1e-3 }),
    criticOpt: new Adam(critic.namedParameters(), { lr: 1e-3 }),
  };
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
