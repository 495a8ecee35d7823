/** Reinforcement learning: TRPO / TRPO-SR, their pieces, and the shared smoothness module. */
export {
  type Algo,
  ALGOS,
  CONFIG_KEYS,
  SAMPLERS,
  TRPO_DEFAULTS,
  type TrpoConfig,
  resolveConfig,
} from './trpo/config.js';
export { ConfigError } from './settings.js';
export { readConfigFile } from './config-file.js';
export { type IterationStats, type GradNorms, type TrainerState, TrpoTrainer } from './trpo/trpo.js';
export { openBackend, describeBackend } from './compute-backend.js';
export { type StepInputs, type TrpoObjective, trpoObjective } from './trpo/objective.js';
export { GaussianMlpPolicy, type GaussianPolicyOptions, type PolicyParams } from './trpo/gaussian-policy.js';
export {
  gaussianEntropy,
  gaussianKl,
  gaussianLogLikelihood,
  sharedStdJeffreys,
} from './trpo/distributions.js';
export {
  FisherProducts,
  fisherVectorProduct,
  type KlInputs,
  meanKl,
  meanKlFromCurrent,
  oldPolicyAt,
} from './trpo/fisher.js';
export {
  type CgResult,
  type BatchedProduct,
  conjugateGradient,
  conjugateGradientPopulation,
} from './trpo/conjugate-gradient.js';
export {
  type LineSearchOptions,
  type LineSearchResult,
  type MemberParams,
  backtrackingLineSearch,
  backtrackingLineSearchPopulation,
} from './trpo/line-search.js';
export { centered, gae, type GaeResult } from './trpo/gae.js';
export { type Batch, OnPolicySampler, type SamplerSnapshot, type Segment } from './trpo/sampler.js';
export { WholePathSampler, type WholePathSnapshot } from './trpo/whole-path-sampler.js';
export { PRESET_NAMES, type PresetName, type PresetTable, overlayPreset } from './presets.js';
export { TRPO_PRESETS } from './trpo/presets.js';
export { DDPG_PRESETS } from './ddpg/presets.js';
export { type Baseline, BASELINE_KINDS, type BaselineKind } from './trpo/baselines/baseline.js';
export { LinearFeatureBaseline } from './trpo/baselines/linear-feature.js';
export { MlpValueBaseline, type MlpValueOptions } from './trpo/baselines/mlp-value.js';
export * from './smoothness/index.js';
export {
  PROGRESS_COLUMNS,
  type TrainRunOptions,
  type TrainRunResult,
  planRun,
  readRunRecord,
  trainRun,
} from './run/train-run.js';
export {
  checkpointDir,
  latestCheckpoint,
  loadCheckpoint,
  resumeNewestValid,
  saveCheckpoint,
} from './run/checkpoint.js';
export {
  type LockOwner,
  type RunLock,
  RUN_LOCK,
  RunLockedError,
  acquireRunLock,
  readRunLock,
} from './run/run-lock.js';
export { inspectLoss, type InspectedLoss } from './trpo/inspect.js';
// DDPG / DDPG-SR-A / DDPG-SR-C and the algorithm registry the run loop and CLI dispatch through
export {
  DDPG_ALGOS,
  DDPG_CONFIG_KEYS,
  DDPG_DEFAULTS,
  type DdpgAlgo,
  type DdpgConfig,
  resolveDdpgConfig,
} from './ddpg/config.js';
export { DdpgTrainer, type DdpgStats, type DdpgState } from './ddpg/ddpg.js';
export { DdpgPopulation } from './ddpg/population.js';
export {
  trainPopulation,
  readPopulationRecord,
  type TrainPopulationOptions,
  type TrainPopulationResult,
  type PopulationRecord,
  type MemberFailure,
} from './population/train-population.js';
export { parseSeeds, formatSeeds } from './population/seeds.js';
export { DeterministicActor, Critic, type NetworkOptions } from './ddpg/networks.js';
export {
  criticTarget,
  ddpgUpdate,
  type BatchTensors,
  type DdpgLearner,
  type UpdateSettings,
  type UpdateStats,
} from './ddpg/update.js';
export {
  actorDivergence,
  actorSmoothnessPenalty,
  criticDivergence,
  criticSmoothnessPenalty,
  type PerturbationOptions,
  type SmoothnessPenalty,
} from './ddpg/smoothness.js';
export {
  ReplayBuffer,
  type ReplayBufferOptions,
  type ReplayBufferState,
  type TransitionBatch,
} from './ddpg/replay-buffer.js';
export {
  ExplorationNoise,
  NOISE_KINDS,
  type NoiseKind,
  type NoiseOptions,
  type NoiseState,
} from './ddpg/noise.js';
export { hardUpdate, polyakUpdate } from './ddpg/polyak.js';
export {
  ALGORITHMS,
  ALGO_NAMES,
  type Algorithm,
  type RunSettings,
  type RunTrainer,
  algorithmFor,
  resolveRunConfig,
} from './run/algorithms.js';
