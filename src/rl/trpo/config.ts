/**
 * TRPO / TRPO-SR settings: every hyperparameter with its default and where the default
 * comes from, and the validation that stops a bad setting before training starts (the
 * message names the setting, its value and what is allowed).
 */
import { ENV_IDS } from '../../envs/index.js';
import { BASELINE_KINDS, type BaselineKind } from './baselines/baseline.js';
import {
  ASCENT_RULES,
  EPS_SCALES,
  REGULARIZER_FORMS,
  type AscentRule,
  type EpsScale,
  type RegularizerForm,
} from '../smoothness/index.js';
import { type PresetName, overlayPreset, presetRule } from '../presets.js';
import { TRPO_PRESETS } from './presets.js';
import {
  BACKENDS,
  DTYPES,
  type RunSettings,
  type Rule,
  bool,
  int,
  num,
  oneOf,
  resolveSettings,
} from '../settings.js';

export const ALGOS = ['trpo', 'trpo-sr'] as const;
/** 'exact-steps': batchSize steps from one env, episodes continue (sampler.ts); 'whole-paths': garage's (whole-path-sampler.ts) */
export const SAMPLERS = ['exact-steps', 'whole-paths'] as const;
/** what the baseline regresses on: GAE's λ-returns A + V, or garage's discounted returns */
export const BASELINE_TARGETS = ['lambda-returns', 'discounted-returns'] as const;
export type Algo = (typeof ALGOS)[number];
export interface TrpoConfig extends RunSettings {
  algo: Algo;
  /** environment steps per iteration (paper §5: 1K) */
  batchSize: number;
  /** episode time limit; null: the registry's (1000 for MuJoCo tasks) */
  maxEpisodeSteps: number | null;
  /** 'exact-steps' (paper §5's 1K steps taken literally) or 'whole-paths' (garage: whole paths from samplerEnvs lockstep envs until ≥ batchSize, path ends terminal) */
  sampler: (typeof SAMPLERS)[number];
  /** whole-paths: lockstep envs (garage n_envs = n_parallel × 4 = 4) */
  samplerEnvs: number;
  /** γ (garage TRPO: 0.99) */
  discount: number;
  /** GAE λ (garage TRPO: 0.98) */
  gaeLambda: number;
  /** advantages ← (A − mean)/(std + 1e-8) (garage center_adv: true) */
  centerAdvantages: boolean;
  /** trust region δ on the mean KL(old ‖ new) (garage max_kl_step: 0.01) */
  maxKl: number;
  /** conjugate gradient iterations (garage cg_iters: 10) */
  cgIters: number;
  /** damping added to the Fisher-vector product (garage reg_coeff: 1e-5) */
  cgDamping: number;
  /** CG stops once rᵀr is below this (garage residual_tol: 1e-10) */
  cgResidualTol: number;
  /** line search shrink factor (garage backtrack_ratio: 0.8) */
  backtrackRatio: number;
  /** line search tries (garage max_backtracks: 15) */
  maxBacktracks: number;
  /** policy hidden layers, tanh (paper §5: 64, 64) */
  hidden: number[];
  /** initial policy std (garage init_std: 1.0) */
  initStd: number;
  /** 'linear': garage's LinearFeatureBaseline (TF TRPO examples); 'mlp': an Adam-trained value MLP (garage torch) */
  baseline: BaselineKind;
  /** the baseline's regression targets: 'lambda-returns' (A + V) or 'discounted-returns' (garage: discount_cumsum of the rewards) */
  baselineTarget: (typeof BASELINE_TARGETS)[number];
  /** running observation normalization (garage: off) */
  normalizeObs: boolean;
  /** clip actions to the action space before the env sees them (garage's normalize() wrapper clips) */
  clipActions: boolean;
  /** TRPO-SR: radius ε of the ℓ∞ perturbation ball (paper §5 grid: 1e-5 … 1e-1) */
  eps: number;
  /** TRPO-SR: regularizer weight λ_s (paper §5 grid: 1e-2 … 1e2) */
  lambdaS: number;
  /** TRPO-SR: PGD ascent steps (paper §5: 10) */
  pgdSteps: number;
  /** TRPO-SR: PGD step size as a multiple of ε (paper §5: 0.2) */
  pgdStepScale: number;
  /** TRPO-SR: 'sign' (ℓ∞ steepest ascent) or 'gradient' (Algorithm 1 as written) */
  pgdAscent: AscentRule;
  /** TRPO-SR: ε in raw observation units, or 'obs-std': times each dimension's std over the batch (SA-MDP's convention) */
  epsScale: EpsScale;
  /** TRPO-SR: 'ball' (eq. 5, max over the ε ball) or 'wasserstein' (§4, the penalized dual: max D − γ‖δ‖²) */
  regularizerForm: RegularizerForm;
  /** TRPO-SR, wasserstein form: the transport-cost weight γ (Sinha et al. 2018); larger γ, smaller δ */
  wassersteinGamma: number;
  /** the preset overlaid on the defaults before the user's settings (presets.ts); null: none */
  preset: PresetName | null;
}

export const TRPO_DEFAULTS: TrpoConfig = {
  algo: 'trpo',
  env: 'Hopper-v2',
  seed: 0,
  iterations: 500,
  batchSize: 1000,
  maxEpisodeSteps: null,
  sampler: 'exact-steps',
  samplerEnvs: 4,
  discount: 0.99,
  gaeLambda: 0.98,
  centerAdvantages: true,
  maxKl: 0.01,
  cgIters: 10,
  cgDamping: 1e-5,
  cgResidualTol: 1e-10,
  backtrackRatio: 0.8,
  maxBacktracks: 15,
  hidden: [64, 64],
  initStd: 1.0,
  baseline: 'linear',
  baselineTarget: 'lambda-returns',
  normalizeObs: false,
  clipActions: true,
  eps: 0.01,
  lambdaS: 1,
  pgdSteps: 10,
  pgdStepScale: 0.2,
  pgdAscent: 'sign',
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

const RULES: { [K in keyof TrpoConfig]: Rule } = {
  algo: oneOf(ALGOS),
  env: oneOf(ENV_IDS),
  seed: int(0, 0xffffffff),
  iterations: int(1),
  batchSize: int(1),
  maxEpisodeSteps: (v) => (v === null ? null : int(1)(v) && `null or ${int(1)(v)}`),
  sampler: oneOf(SAMPLERS),
  samplerEnvs: int(1),
  discount: num(0, 1),
  gaeLambda: num(0, 1),
  centerAdvantages: bool,
  maxKl: num(0, Infinity, { min: true }),
  cgIters: int(1),
  cgDamping: num(0, Infinity),
  cgResidualTol: num(0, Infinity),
  backtrackRatio: num(0, 1, { min: true, max: true }),
  maxBacktracks: int(1),
  hidden: (v) =>
    Array.isArray(v) && v.length > 0 && v.every((h) => int(1)(h) === null)
      ? null
      : 'a non-empty list of positive integers',
  initStd: num(0, Infinity, { min: true }),
  baseline: oneOf(BASELINE_KINDS),
  baselineTarget: oneOf(BASELINE_TARGETS),
  normalizeObs: bool,
  clipActions: bool,
  eps: num(0, Infinity),
  lambdaS: num(0, Infinity),
  pgdSteps: int(0),
  pgdStepScale: num(0, Infinity),
  pgdAscent: oneOf(ASCENT_RULES),
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

export const CONFIG_KEYS = Object.keys(RULES) as (keyof TrpoConfig)[];

/** Defaults overlaid with `partial`; throws ConfigError naming the first bad or unknown setting. */
export function resolveConfig(partial: Record<string, unknown>, source = 'config'): TrpoConfig {
  return resolveSettings(RULES, TRPO_DEFAULTS, overlayPreset(TRPO_PRESETS, partial, source), source);
}
