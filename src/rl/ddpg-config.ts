/**
 * Every DDPG / DDPG-SR setting in one place, with its default and where the number
 * comes from. garage19 = rlworkgroup/garage v2019.10.3, the version the paper builds on
 * ("all other hyperparameters as in garage", paper §5); the DDPG numbers are those of
 * garage19's DDPG benchmark and examples (research/rl-anchors.md §2.4–2.5).
 */
import type { Activation } from '../kernels/backend.js';
import type { FloatDType } from '../kernels/dtype.js';
import { checkNumber, checkOneOf, checkPositiveInt, describeValue } from '../nn/checks.js';
import { ASCENT_RULES, type AscentRule } from './smoothness/index.js';
import { NOISE_KINDS, type NoiseOptions } from './noise.js';

export type DdpgAlgo = 'ddpg' | 'ddpg-sr-a' | 'ddpg-sr-c';
export const DDPG_ALGOS: readonly DdpgAlgo[] = ['ddpg', 'ddpg-sr-a', 'ddpg-sr-c'];

export interface SmoothnessConfig {
  /** ℓ∞ radius ε of the state perturbation (paper grid [1e-5, 1e-1]; no per-env value published) */
  eps: number;
  /** regularizer weight λ_s (paper grid [1e-2, 1e2]; no per-env value published) */
  lambda: number;
  /** PGD ascent steps (paper §5: 10) */
  steps: number;
  /** PGD step size as a multiple of ε (paper §5: 0.2) */
  stepSizeRatio: number;
  /** 'sign' (ℓ∞ steepest ascent, default of the shared PGD) or 'gradient' (Algorithm 2/3 as written) */
  ascent: AscentRule;
  /**
   * DDPG-SR-C only: differentiate Q(s, a) in (Q(s, a) − Q(s̃, a))² too. Default false:
   * Algorithm 3 writes the clean term with the parameters before the update (a constant).
   */
  criticRegBothTerms: boolean;
}

export interface DdpgConfig {
  algo: DdpgAlgo;
  /** environment id (sr2l's registry) */
  env: string;
  /** one seed; env, init, exploration, sampling and perturbation streams are forked from it */
  seed: number;
  /** environment steps in total (paper: 500 iterations × 1K = 0.5M) */
  totalSteps: number;
  /** environment steps per iteration = one progress.csv row (paper §5: 1K) */
  stepsPerIteration: number;
  /** environment steps per sampling cycle (garage19 DDPG benchmark: 100) */
  stepsPerCycle: number;
  /** gradient steps after each cycle (garage19 n_train_steps: 50) */
  trainStepsPerCycle: number;
  /** transitions collected before any gradient step (garage19 min_buffer_size: 1e4) */
  warmupSteps: number;
  /** minibatch size (garage19 buffer_batch_size: 64) */
  batchSize: number;
  /** replay capacity (garage19 DDPG benchmark: 1e6) */
  bufferSize: number;
  /** discount (garage19 DDPG benchmark and examples: 0.9; the class default is 0.99) */
  gamma: number;
  /** Polyak rate (garage19 target_update_tau: 0.01) */
  tau: number;
  /** actor Adam learning rate (garage19 policy_lr: 1e-4) */
  actorLr: number;
  /** critic Adam learning rate (garage19 qf_lr: 1e-3) */
  criticLr: number;
  /** hidden widths of actor and critic (paper §5: 2 × 64; garage19 DDPG benchmark: (64, 64)) */
  hidden: number[];
  /** hidden activation (garage19 DDPG benchmark: relu; the actor's output is tanh) */
  activation: Activation;
  /** exploration noise (garage19 DDPG benchmark: OU σ 0.2, θ 0.15, dt 0.01) */
  noise: Required<NoiseOptions>;
  /** store time-limit ends as terminal (garage19 does: no bootstrapping at the limit) */
  timeLimitAsTerminal: boolean;
  /** episode length limit (null: the registry's, 1000 for MuJoCo, 200 for Pendulum-v1) */
  maxEpisodeSteps: number | null;
  /** deterministic evaluation every this many iterations (0: never) */
  evalEvery: number;
  /** episodes per deterministic evaluation */
  evalEpisodes: number;
  /** checkpoint every this many iterations (0: only at the end) */
  checkpointEvery: number;
  /** parameter dtype */
  dtype: FloatDType;
  /** the SR²L regularizer (used by ddpg-sr-a and ddpg-sr-c) */
  smoothness: SmoothnessConfig;
}

/** garage19's DDPG benchmark settings with the paper's 2 × 64 networks and 0.5M-step budget. */
export const DDPG_PRESET: Readonly<DdpgConfig> = Object.freeze({
  algo: 'ddpg',
  env: 'HalfCheetah-v2',
  seed: 1,
  totalSteps: 500_000,
  stepsPerIteration: 1000,
  stepsPerCycle: 100,
  trainStepsPerCycle: 50,
  warmupSteps: 10_000,
  batchSize: 64,
  bufferSize: 1_000_000,
  gamma: 0.9,
  tau: 0.01,
  actorLr: 1e-4,
  criticLr: 1e-3,
  hidden: [64, 64],
  activation: 'relu',
  noise: { kind: 'ou', sigma: 0.2, theta: 0.15, dt: 0.01, mu: 0 },
  timeLimitAsTerminal: true,
  maxEpisodeSteps: null,
  evalEvery: 10,
  evalEpisodes: 5,
  checkpointEvery: 10,
  dtype: 'float32',
  // ε and λ_s: the paper publishes only the grid; these are our choice inside it (see docs/ddpg.md)
  smoothness: {
    eps: 0.01,
    lambda: 1,
    steps: 10,
    stepSizeRatio: 0.2,
    ascent: 'sign',
    criticRegBothTerms: false,
  },
} satisfies DdpgConfig);

export type DdpgOverrides = Partial<Omit<DdpgConfig, 'noise' | 'smoothness'>> & {
  noise?: Partial<NoiseOptions>;
  smoothness?: Partial<SmoothnessConfig>;
};

/** The preset with `overrides` applied, every field checked (errors name the field, the value and what is allowed). */
export function resolveDdpgConfig(overrides: DdpgOverrides = {}): DdpgConfig {
  const known = new Set(Object.keys(DDPG_PRESET));
  for (const k of Object.keys(overrides))
    if (!known.has(k))
      throw new RangeError(`ddpg config: unknown field '${k}'; allowed: ${[...known].join(', ')}`);
  const c: DdpgConfig = {
    ...DDPG_PRESET,
    ...overrides,
    hidden: [...(overrides.hidden ?? DDPG_PRESET.hidden)],
    noise: { ...DDPG_PRESET.noise, ...overrides.noise },
    smoothness: { ...DDPG_PRESET.smoothness, ...overrides.smoothness },
  } as DdpgConfig;
  const who = 'ddpg config';
  checkOneOf(who, 'algo', c.algo, DDPG_ALGOS);
  if (typeof c.env !== 'string' || c.env === '')
    throw new RangeError(`${who}: env must be an environment id, got ${describeValue(c.env)}`);
  checkNumber(who, 'seed', c.seed, { min: 0, max: 0xffffffff });
  if (!Number.isInteger(c.seed)) throw new RangeError(`${who}: seed must be an integer, got ${c.seed}`);
  for (const f of ['totalSteps', 'stepsPerIteration', 'stepsPerCycle', 'batchSize', 'bufferSize'] as const)
    checkPositiveInt(who, f, c[f]);
  for (const f of ['trainStepsPerCycle', 'warmupSteps', 'evalEvery', 'checkpointEvery'] as const) {
    if (!Number.isSafeInteger(c[f]) || c[f] < 0)
      throw new RangeError(`${who}: ${f} must be an integer ≥ 0, got ${describeValue(c[f])}`);
  }
  checkPositiveInt(who, 'evalEpisodes', c.evalEpisodes);
  if (c.stepsPerIteration % c.stepsPerCycle !== 0)
    throw new RangeError(
      `${who}: stepsPerIteration (${c.stepsPerIteration}) must be a multiple of stepsPerCycle (${c.stepsPerCycle})`,
    );
  checkNumber(who, 'gamma', c.gamma, { min: 0, max: 1 });
  checkNumber(who, 'tau', c.tau, { min: 0, max: 1 });
  checkNumber(who, 'actorLr', c.actorLr, { min: 0 });
  checkNumber(who, 'criticLr', c.criticLr, { min: 0 });
  if (!Array.isArray(c.hidden) || c.hidden.length < 2)
    throw new RangeError(
      `${who}: hidden must list at least 2 widths (the critic's action joins at layer 2), got ${describeValue(c.hidden)}`,
    );
  c.hidden.forEach((h, i) => checkPositiveInt(who, `hidden[${i}]`, h));
  checkOneOf(who, 'activation', c.activation, ['relu', 'tanh', 'sigmoid'] as Activation[]);
  checkOneOf(who, 'noise.kind', c.noise.kind, NOISE_KINDS);
  checkNumber(who, 'noise.sigma', c.noise.sigma, { min: 0 });
  checkNumber(who, 'noise.theta', c.noise.theta, { min: 0 });
  checkNumber(who, 'noise.dt', c.noise.dt, { min: 0, minExclusive: true });
  checkNumber(who, 'noise.mu', c.noise.mu);
  if (typeof c.timeLimitAsTerminal !== 'boolean')
    throw new RangeError(
      `${who}: timeLimitAsTerminal must be true or false, got ${describeValue(c.timeLimitAsTerminal)}`,
    );
  if (c.maxEpisodeSteps !== null) checkPositiveInt(who, 'maxEpisodeSteps', c.maxEpisodeSteps);
  checkOneOf(who, 'dtype', c.dtype, ['float32', 'float64'] as FloatDType[]);
  const s = c.smoothness;
  checkNumber(who, 'smoothness.eps', s.eps, { min: 0 });
  checkNumber(who, 'smoothness.lambda', s.lambda, { min: 0 });
  if (!Number.isSafeInteger(s.steps) || s.steps < 0)
    throw new RangeError(`${who}: smoothness.steps must be an integer ≥ 0, got ${describeValue(s.steps)}`);
  checkNumber(who, 'smoothness.stepSizeRatio', s.stepSizeRatio, { min: 0 });
  checkOneOf(who, 'smoothness.ascent', s.ascent, ASCENT_RULES);
  if (typeof s.criticRegBothTerms !== 'boolean')
    throw new RangeError(
      `${who}: smoothness.criticRegBothTerms must be true or false, got ${describeValue(s.criticRegBothTerms)}`,
    );
  return c;
}
