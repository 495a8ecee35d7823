/** The benchmarked DDPG update, shared by every implementation: HalfCheetah sizes, garage19 settings. */
import { fillDeterministic } from '../mlp/sizes.js';

export const OBS = 17;
export const ACT = 6;
export const BATCH = 64;
export const HIDDEN = [64, 64] as const;
export const HYPER = {
  gamma: 0.9,
  tau: 0.01,
  actorLr: 1e-4,
  criticLr: 1e-3,
  lambda: 1,
  eps: 0.01,
  steps: 10,
} as const;
export const ALGOS = ['ddpg', 'ddpg-sr-a', 'ddpg-sr-c'] as const;
export type BenchAlgo = (typeof ALGOS)[number];

/** One fixed minibatch (the update's cost does not depend on the values). */
export function batchData(): {
  obs: Float32Array;
  action: Float32Array;
  reward: Float32Array;
  nextObs: Float32Array;
  terminal: Float32Array;
} {
  const terminal = new Float32Array(BATCH);
  for (let i = 0; i < BATCH; i += 10) terminal[i] = 1;
  return {
    obs: fillDeterministic(BATCH * OBS, 3, 1),
    action: fillDeterministic(BATCH * ACT, 5, 1),
    reward: fillDeterministic(BATCH, 7, 1),
    nextObs: fillDeterministic(BATCH * OBS, 9, 1),
    terminal,
  };
}
