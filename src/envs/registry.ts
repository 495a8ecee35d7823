/**
 * Environment ids → constructors, and `makeEnv`. `makeEnv` is async because the MuJoCo
 * WebAssembly module loads asynchronously (once per process/worker); after
 * `await initMujoco()`, `makeEnvSync` builds environments synchronously.
 * Every environment comes wrapped in `TimeLimit` (registry default, or
 * `maxEpisodeSteps`; `null` leaves it out), as Gymnasium's `make` does.
 */
import { PendulumEnv } from './classic/pendulum.js';
import type { Env } from './core/env.js';
import { antSpec } from './locomotion/ant.js';
import { halfCheetahSpec } from './locomotion/half-cheetah.js';
import { hopperSpec } from './locomotion/hopper.js';
import { LocomotionEnv } from './locomotion/locomotion-env.js';
import {
  LOCOMOTION_OPTION_KEYS,
  type LocomotionOptions,
  type LocomotionSpec,
  withOptions,
} from './locomotion/locomotion-spec.js';
import { swimmerSpec } from './locomotion/swimmer.js';
import { walker2dSpec } from './locomotion/walker2d.js';
import { InvertedPendulumEnv } from './mujoco/inverted-pendulum-env.js';
import { initMujoco } from './mujoco/runtime.js';
import { TimeLimit } from './wrappers/time-limit.js';

export interface MakeEnvOptions extends LocomotionOptions {
  /** TimeLimit length; default from the registry (1000, Pendulum 200); null: no limit */
  maxEpisodeSteps?: number | null;
  /** Pendulum-v1 only: gravity (default 10) */
  g?: number;
}

interface Entry {
  maxEpisodeSteps: number;
  mujoco: boolean;
  optionKeys: readonly string[];
  create(opts: MakeEnvOptions): Env;
}

function locomotion(spec: LocomotionSpec): Entry {
  return {
    maxEpisodeSteps: 1000,
    mujoco: true,
    optionKeys: LOCOMOTION_OPTION_KEYS,
    create: (opts) => new LocomotionEnv(withOptions(spec, opts)),
  };
}

const REGISTRY: Record<string, Entry> = {};
for (const version of ['v2', 'v5'] as const) {
  for (const spec of [swimmerSpec, halfCheetahSpec, hopperSpec, walker2dSpec, antSpec]) {
    const s = spec(version);
    REGISTRY[s.id] = locomotion(s);
  }
}
REGISTRY['InvertedPendulum-v5'] = {
  maxEpisodeSteps: 1000,
  mujoco: true,
  optionKeys: ['frameSkip', 'resetNoiseScale'],
  create: (opts) => new InvertedPendulumEnv(opts),
};
REGISTRY['Pendulum-v1'] = {
  maxEpisodeSteps: 200,
  mujoco: false,
  optionKeys: ['g'],
  create: (opts) => new PendulumEnv(opts),
};

/** Every registered id. */
export const ENV_IDS: readonly string[] = Object.freeze(Object.keys(REGISTRY).sort());

/** Default TimeLimit of an id. */
export function defaultMaxEpisodeSteps(id: string): number {
  return entry(id).maxEpisodeSteps;
}

/** Builds environment `id` (loading MuJoCo first if it needs it). */
export async function makeEnv(id: string, opts: MakeEnvOptions = {}): Promise<Env> {
  if (entry(id).mujoco) await initMujoco();
  return makeEnvSync(id, opts);
}

/** Builds environment `id`; MuJoCo environments need `await initMujoco()` first. */
export function makeEnvSync(id: string, opts: MakeEnvOptions = {}): Env {
  const e = entry(id);
  const allowed = ['maxEpisodeSteps', ...e.optionKeys];
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`makeEnv(${id}): unknown option '${key}'; allowed: ${allowed.join(', ')}`);
    }
  }
  const env = e.create(opts);
  const limit = opts.maxEpisodeSteps === undefined ? e.maxEpisodeSteps : opts.maxEpisodeSteps;
  return limit === null ? env : new TimeLimit(env, limit);
}

function entry(id: string): Entry {
  const e = Object.hasOwn(REGISTRY, id) ? REGISTRY[id] : undefined;
  if (!e) throw new Error(`unknown environment id '${id}'; valid ids: ${ENV_IDS.join(', ')}`);
  return e;
}
