/**
 * DDPG / DDPG-SR-A / DDPG-SR-C settings: every hyperparameter with its default and where
 * the number comes from. garage19 = rlworkgroup/garage v2019.10.3, the version the paper
 * builds on ("all other hyperparameters as in garage", paper §5); its DDPG benchmark and
 * examples (research/rl-anchors.md §2.4–2.5) give the numbers. Settings shared with TRPO
 * (env, seed, iterations, eps, lambdaS, pgd*, eval*, checkpointEvery, backend, dtype,
 * logGrads) have the same names, checks and CLI flags.
 */
import { ENV_IDS } from '../../envs/index.js';
import {
  ASCENT_RULES,
  EPS_SCALES,
  REGULARIZER_FORMS,
  type AscentRule,
  type EpsScale,
  type RegularizerForm,
} from '../smoothness/index.js';
import { type PresetName, overlayPreset, presetRule } from '../presets.js';
import { DDPG_PRESETS } from './presets.js';
import {
  BACKENDS,
  type RunSettings,
  ConfigError,
  DTYPES,
  bool,
  int,
  num,
  oneOf,
  resolveSettings,
  type Rule,
} from '../settings.js';
import { NOISE_KINDS, type NoiseKind } from './noise.js';

export const DDPG_ALGOS = ['ddpg', 'ddpg-sr-a', 'ddpg-sr-c'] as const;
export type DdpgAlgo = (typeof DDPG_ALGOS)[number];

export interface DdpgConfig extends RunSettings {
  algo: DdpgAlgo;
  /** environment steps per iteration (paper §5: 1K) */
  stepsPerIteration: number;
  /** environment steps per sampling cycle (garage19 DDPG benchmark: 100) */
  stepsPerCycle: number;
  /** gradient steps after each cycle (garage19 n_train_steps: 50) */
  trainStepsPerCycle: number;
  /** transitions stored before the first gradient step (garage19 min_buffer_size: 1e4) */
  warmupSteps: number;
  /** act uniformly at random during warm-up (garage19: no, the noisy policy acts; SB3/Spinning Up: yes) */
  randomWarmup: boolean;
  /** minibatch size (garage19 buffer_batch_size: 64) */
  minibatchSize: number;
  /** replay capacity (garage19 DDPG benchmark: 1e6) */
  bufferSize: number;
  /** γ (garage19 DDPG benchmark and examples: 0.9; the class default is 0.99) */
  discount: number;
  /** Polyak rate τ (garage19 target_update_tau: 0.01) */
  tau: number;
  /** actor Adam learning rate (garage19 policy_lr: 1e-4) */
  actorLr: number;
  /** critic Adam learning rate (garage19 qf_lr: 1e-3) */
  criticLr: number;
  /** hidden widths of actor and critic, ReLU (paper §5: 64, 64; garage19 benchmark: (64, 64) ReLU) */
  hidden: number[];
  /** gain of the output layers' Glorot-uniform init (garage19: 1; small values avoid an initially saturated actor) */
  outputInitGain: number;
  /** exploration noise: 'ou' (garage19 OUStrategy) or 'gaussian' */
  noise: NoiseKind;
  /** noise σ in normalized action units (garage19 DDPG benchmark: 0.2) */
  noiseSigma: number;
  /** OU θ (garage19 OUStrategy: 0.15) */
  noiseTheta: number;
  /** OU dt (garage19 OUStrategy: 0.01) */
  noiseDt: number;
  /** store time-limit ends as terminal (garage19 does: no bootstrapping at the limit) */
  timeLimitAsTerminal: boolean;
  /** episode time limit; null: the registry's (1000 for MuJoCo tasks, 200 for Pendulum-v1) */
  maxEpisodeSteps: number | null;
  /** SR: radius ε of the ℓ∞ perturbation ball (paper §5 grid: 1e-5 … 1e-1) */
  eps: number;
  /** SR: regularizer weight λ_s (paper §5 grid: 1e-2 … 1e2) */
  lambdaS: number;
  /** SR: PGD ascent steps (paper §5: 10) */
  pgdSteps: number;
  /** SR: PGD step size as a multiple of ε (paper §5: 0.2) */
  pgdStepScale: number;
  /** SR: 'sign' (ℓ∞ steepest ascent) or 'gradient' (Algorithms 2/3 as written) */
  pgdAscent: AscentRule;
  /** DDPG-SR-C: differentiate the clean Q(s, a) too (Algorithm 3 holds it fixed: false) */
  criticRegBothTerms: boolean;
  /** SR: ε in raw observation units, or 'obs-std': times each dimension's std over the minibatch (SA-MDP's convention) */
  epsScale: EpsScale;
  /** DDPG-SR-A: 'ball' (eq. 7, max over the ε ball) or 'wasserstein' (§4, the penalized dual: max D − γ‖δ‖²) */
  regularizerForm: RegularizerForm;
  /** DDPG-SR-A, wasserstein form: the transport-cost weight γ (Sinha et al. 2018); larger γ, smaller δ */
  wassersteinGamma: number;
  /** the preset overlaid on the defaults before the user's settings (presets.ts); null: none */
  preset: PresetName | null;
}

/** garage19's DDPG benchmark settings with the paper's 2 × 64 networks and 500 × 1K-step budget. */
export const DDPG_DEFAULTS: DdpgConfig = {
  algo: 'ddpg',
  env: 'HalfCheetah-v2',
  seed: 0,
  iterations: 500,
  stepsPerIteration: 1000,
  stepsPerCycle: 100,
  trainStepsPerCycle: 50,
  warmupSteps: 10_000,
  randomWarmup: false,
  minibatchSize: 64,
  bufferSize: 1_000_000,
  discount: 0.9,
  tau: 0.01,
  actorLr: 1e-4,
  criticLr: 1e-3,
  hidden: [64, 64],
  outputInitGain: 1,
  noise: 'ou',
  noiseSigma: 0.2,
  noiseTheta: 0.15,
  noiseDt: 0.01,
  timeLimitAsTerminal: true,
  maxEpisodeSteps: null,
  // ε and λ_s: the paper publishes only its grid; the same choice as TRPO-SR's defaults
  eps: 0.01,
  lambdaS: 1,
  pgdSteps: 10,
  pgdStepScale: 0.2,
  pgdAscent: 'sign',
  criticRegBothTerms: false,
  epsScale: 'raw',
  regularizerForm: 'ball',
  wassersteinGamma: 1,
  preset: null,
  evalEvery: 10,
  evalEpisodes: 5,
  checkpointEvery: 10,
  backend: 'cpu',
  dtype: 'float32',
  logGrads: false,
};

const RULES: { [K in keyof DdpgConfig]: Rule } = {
  algo: oneOf(DDPG_ALGOS),
  env: oneOf(ENV_IDS),
  seed: int(0, 0xffffffff),
  iterations: int(1),
  stepsPerIteration: int(1),
  stepsPerCycle: int(1),
  trainStepsPerCycle: int(0),
  warmupSteps: int(0),
  randomWarmup: bool,
  minibatchSize: int(1),
  bufferSize: int(1),
  discount: num(0, 1),
  tau: num(0, 1),
  actorLr: num(0, Infinity),
  criticLr: num(0, Infinity),
  hidden: (v) =>
    Array.isArray(v) && v.length >= 2 && v.every((h) => int(1)(h) === null)
      ? null
      : 'a list of at least 2 positive integers (the action joins the critic at layer 2)',
  outputInitGain: num(0, Infinity),
  noise: oneOf(NOISE_KINDS),
  noiseSigma: num(0, Infinity),
  noiseTheta: num(0, Infinity),
  noiseDt: num(0, Infinity, { min: true }),
  timeLimitAsTerminal: bool,
  maxEpisodeSteps: (v) => (v === null ? null : int(1)(v) && `null or ${int(1)(v)}`),
  eps: num(0, Infinity),
  lambdaS: num(0, Infinity),
  pgdSteps: int(0),
  pgdStepScale: num(0, Infinity),
  pgdAscent: oneOf(ASCENT_RULES),
  criticRegBothTerms: bool,
  epsScale: oneOf(EPS_SCALES),
  regularizerForm: oneOf(REGULARIZER_FORMS),
  wassersteinGamma: num(0, Infinity, { min: true }),
  preset: presetRule,
  evalEvery: int(0),
  evalEpisodes: int(1),
  checkpointEvery: int(1),
  backend: oneOf(BACKENDS),
  dtype: oneOf(DTYPES),
  logGrads: bool,
};

export const DDPG_CONFIG_KEYS = Object.keys(RULES) as (keyof DdpgConfig)[];

/** The settings a resumed run may change. */
export const DDPG_RESUME_OVERRIDABLE: readonly (keyof DdpgConfig)[] = ['iterations'];

/** Defaults overlaid with `partial`; throws ConfigError naming the first bad or unknown setting. */
export function resolveDdpgConfig(partial: Record<string, unknown> = {}, source = 'config'): DdpgConfig {
  const c = resolveSettings(RULES, DDPG_DEFAULTS, overlayPreset(DDPG_PRESETS, partial, source), source);
  if (c.stepsPerIteration % c.stepsPerCycle !== 0)
    throw new ConfigError(
      `${source}: stepsPerIteration = ${c.stepsPerIteration} must be a multiple of stepsPerCycle = ${c.stepsPerCycle}`,
    );
  return c;
}
