/**
 * What distinguishes one locomotion task (and one version of it) from another: plain
 * data read by the single `LocomotionEnv` implementation. v2 and v5 of a task are two
 * specs from the same factory, never two classes.
 */
import type { MujocoModelSource } from '../mujoco/mujoco-env.js';

export type HealthCheck = (qpos: Float64Array, qvel: Float64Array) => boolean;

export interface LocomotionSpec {
  id: string;
  model: MujocoModelSource;
  frameSkip: number;
  forwardRewardWeight: number;
  /** ctrl cost = weight × Σ action², on the raw (unclipped) action */
  ctrlCostWeight: number;
  /** qpos += U(±scale); qvel = U(±scale) or scale·N(0, 1), see `qvelNoise` */
  resetNoiseScale: number;
  qvelNoise: 'uniform' | 'normal';
  /** leading qpos entries left out of the observation (the x, or x and y, position) */
  excludedQpos: number;
  /** velocities in the observation are clipped to ±this (Hopper, Walker2d); null: unclipped */
  obsQvelClip: number | null;
  /**
   * External contact forces (`cfrc_ext`, clipped to ±1) in the observation and contact
   * cost: 'none'; 'all' bodies including the world (v2 Ant, 14 × 6); 'skip-world' (v5, 13 × 6).
   */
  contactBodies: 'none' | 'all' | 'skip-world';
  /** 'zero': report zeros, as mujoco-py 2.0 did for gym's Ant-v2 (see docs/envs.md) */
  contactForces: 'computed' | 'zero';
  contactCostWeight: number;
  /** forward progress from qpos[0] (planar robots) or the torso body's xpos (Ant) */
  progress: 'qpos' | 'torso-xpos';
  /** also report y position/velocity (robots that move in the plane: Swimmer, Ant) */
  reportY: boolean;
  /** null: the robot cannot fall and the episode only ends by time limit */
  isHealthy: HealthCheck | null;
  healthyReward: number;
  /** v2–v4 pay the healthy reward on the terminating step too; v5 only while healthy */
  healthyRewardWhenUnhealthy: boolean;
  terminateWhenUnhealthy: boolean;
}

/** Options a caller may override per environment (all optional; defaults come from the spec). */
export interface LocomotionOptions {
  frameSkip?: number;
  forwardRewardWeight?: number;
  ctrlCostWeight?: number;
  resetNoiseScale?: number;
  healthyReward?: number;
  terminateWhenUnhealthy?: boolean;
  contactCostWeight?: number;
  contactForces?: 'computed' | 'zero';
}

export const LOCOMOTION_OPTION_KEYS: readonly (keyof LocomotionOptions)[] = [
  'frameSkip',
  'forwardRewardWeight',
  'ctrlCostWeight',
  'resetNoiseScale',
  'healthyReward',
  'terminateWhenUnhealthy',
  'contactCostWeight',
  'contactForces',
];

/** The spec with the caller's overrides applied. */
export function withOptions(spec: LocomotionSpec, opts: LocomotionOptions): LocomotionSpec {
  const out = { ...spec };
  for (const key of LOCOMOTION_OPTION_KEYS) {
    if (opts[key] !== undefined) (out as Record<string, unknown>)[key] = opts[key];
  }
  return out;
}
