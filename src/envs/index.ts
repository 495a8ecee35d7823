/** Public surface of sr2l's environments (see docs/envs.md); runs in a browser too (worker threads: node.ts). */
export type { Env, ResetOptions, ResetResult, StepInfo, StepResult } from './core/env.js';
export { BaseEnv } from './core/base-env.js';
export { type Box, box, boxContains, boxSize } from './core/space.js';
export { ENV_IDS, type MakeEnvOptions, defaultMaxEpisodeSteps, makeEnv, makeEnvSync } from './registry.js';
export { EXPECTED_MUJOCO_VERSION, initMujoco, mujoco, mujocoVersion } from './mujoco/runtime.js';
export { MujocoEnv, type MujocoModelSource } from './mujoco/mujoco-env.js';
export { heapBytesOf } from './mujoco/data-views.js';
export { liveModelCount } from './mujoco/model-cache.js';
export { InvertedPendulumEnv, type InvertedPendulumOptions } from './mujoco/inverted-pendulum-env.js';
export { LocomotionEnv } from './locomotion/locomotion-env.js';
export type { HealthCheck, LocomotionOptions, LocomotionSpec } from './locomotion/locomotion-spec.js';
export { PendulumEnv, type PendulumOptions, angleNormalize } from './classic/pendulum.js';
export { Wrapper } from './wrappers/wrapper.js';
export { TimeLimit } from './wrappers/time-limit.js';
export { ClipAction, RescaleAction } from './wrappers/action-transforms.js';
export {
  NormalizeObservation,
  type NormalizeObservationOptions,
  RunningMeanStd,
  type RunningMeanStdState,
} from './wrappers/normalize-observation.js';
export { EpisodeStatistics, type EpisodeRecord } from './wrappers/episode-statistics.js';
export {
  type ObservationPerturbation,
  type PerturbContext,
  PerturbObservation,
} from './wrappers/perturb-observation.js';
export type { VectorEnv, VectorResetResult, VectorStepResult } from './vector/vector-env.js';
export {
  type EnvCalls,
  type EnvGroup,
  type EnvGroupFactory,
  type GroupEnv,
  envCalls,
} from './core/env-group.js';
export {
  SyncVectorEnv,
  type SyncVectorEnvOptions,
  type VectorEnvOptions,
  makeSyncVectorEnv,
} from './vector/sync-vector-env.js';
