/** Shared helpers for the env tests. */
import { Rng } from '../../src/util/rng.js';
import type { Env } from '../../src/envs/index.js';
import { LocomotionEnv, MujocoEnv, Wrapper } from '../../src/envs/index.js';

export const LOCOMOTION_IDS = [
  'Swimmer-v2',
  'Swimmer-v5',
  'HalfCheetah-v2',
  'HalfCheetah-v5',
  'Hopper-v2',
  'Hopper-v5',
  'Walker2d-v2',
  'Walker2d-v5',
  'Ant-v2',
  'Ant-v5',
] as const;

/** The innermost environment. */
export function inner(env: Env): Env {
  return env instanceof Wrapper ? env.unwrapped : env;
}

export function mujocoOf(env: Env): MujocoEnv {
  const e = inner(env);
  if (!(e instanceof MujocoEnv)) throw new Error(`${env.id} is not a MuJoCo env`);
  return e;
}

export function locomotionOf(env: Env): LocomotionEnv {
  const e = inner(env);
  if (!(e instanceof LocomotionEnv)) throw new Error(`${env.id} is not a locomotion env`);
  return e;
}

/** A fixed pseudo-random action sequence in [-1, 1]. */
export function actionSequence(n: number, dim: number, seed = 123): Float64Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.fillUniform(new Float64Array(dim), -1, 1));
}

/** Observations and rewards of `actions` from reset(seed), copied. */
export function rollout(
  env: Env,
  seed: number,
  actions: Float64Array[],
): { obs: number[][]; rewards: number[] } {
  const obs = [Array.from(env.reset({ seed }).obs)];
  const rewards: number[] = [];
  for (const a of actions) {
    const r = env.step(a);
    obs.push(Array.from(r.obs));
    rewards.push(r.reward);
    if (r.terminated || r.truncated) break;
  }
  return { obs, rewards };
}
