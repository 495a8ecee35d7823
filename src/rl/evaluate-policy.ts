/**
 * Mean undiscounted return of a deterministic policy on `episodes` fresh episodes whose
 * reset seeds derive from `seed` (training streams are untouched). TRPO and DDPG both
 * log it as EvalReturn; `act` fills the action for an observation.
 */
import type { Env } from '../envs/index.js';
import { Rng } from '../util/rng.js';

export async function evaluatePolicy(
  env: Env,
  episodes: number,
  seed: number,
  act: (obs: Float64Array) => Promise<ArrayLike<number>>,
): Promise<number> {
  const seeds = new Rng(seed);
  let total = 0;
  try {
    for (let e = 0; e < episodes; e++) {
      let obs = env.reset({ seed: seeds.nextUint32() }).obs;
      for (;;) {
        const r = env.step(await act(obs));
        total += r.reward;
        if (r.terminated || r.truncated) break;
        obs = r.obs;
      }
    }
  } finally {
    env.close();
  }
  return total / episodes;
}
