/**
 * The algorithms `sr2l train` and the run folder know, by their `algo` names. Each entry
 * says how to resolve its settings, which progress.csv columns it writes, and how to
 * build a trainer; the run loop (train-run.ts), the checkpoint folders (checkpoint.ts)
 * and the CLI are shared. Adding an algorithm = one entry here.
 */
import type { EnvGroupFactory } from '../../envs/core/env-group.js';
import type { MakeEnvOptions } from '../../envs/registry.js';
import { ConfigError, type RunSettings } from '../settings.js';
import { CONFIG_KEYS, TRPO_DEFAULTS, resolveConfig, type TrpoConfig } from '../trpo/config.js';
import {
  DDPG_ALGOS,
  DDPG_CONFIG_KEYS,
  DDPG_DEFAULTS,
  DDPG_RESUME_OVERRIDABLE,
  resolveDdpgConfig,
} from '../ddpg/config.js';
import type { DdpgConfig } from '../ddpg/config.js';
import { createDdpgPopulationRun, createDdpgSingleRun } from '../ddpg/population-run.js';
import { ALGOS } from '../trpo/config.js';
import { TrpoTrainer } from '../trpo/trpo.js';
import { createTrpoPopulationRun } from '../trpo/population-run.js';
import { loadTrpoCheckpoint, saveTrpoCheckpoint } from './checkpoint.js';

export type { RunSettings };

/** What the run loop needs from a trainer. */
export interface RunTrainer {
  /** the algorithm's own trainer (TrpoTrainer, DdpgTrainer) */
  readonly trainer: { close(): void; readonly iteration: number };
  readonly iteration: number;
  /** one iteration; its progress row (EvalReturn NaN: the loop evaluates) */
  iterate(): Promise<Record<string, number>>;
  evaluate(episodes: number, seed: number): Promise<number>;
  /** grads.csv columns after 'Iteration', and the row of the last iteration (null: none yet) */
  gradColumns(): string[];
  gradRow(): Promise<Record<string, number> | null>;
  /**
   * Writes the checkpoint's files into `dir` / restores them. `shared` is a folder beside the
   * checkpoints for data that grows by appending (DDPG's replay buffer), written incrementally
   * rather than copied into every checkpoint.
   */
  save(dir: string, shared: string): Promise<void>;
  load(dir: string, shared: string): Promise<void>;
  close(): void;
}

/**
 * Several seeds of one setting trained in one process (`sr2l train --seeds`): one RunTrainer
 * per member for its own run folder, iterated together.
 */
export interface PopulationRun {
  readonly members: readonly RunTrainer[];
  /** the algorithm's own population object (DdpgPopulation) for inspection and tests */
  readonly population: { close(): void };
  /** completed iterations (every member's) */
  readonly iteration: number;
  /** one iteration of every member; member k's progress row at k (EvalReturn NaN) */
  iterate(): Promise<Record<string, number>[]>;
  /** after every member loaded its checkpoint: the population takes their values */
  afterLoad(): void;
  /** members whose numbers went non-finite, with what was found (one readback) */
  faults(): Promise<Map<number, string>>;
  /** stops member k after a fault; the others go on */
  stopMember(k: number): void;
  close(): void;
}

export interface PopulationOptions {
  /** builds the group the members' environments step in together (worker threads); absent: each member's own env on this thread */
  envGroup?: EnvGroupFactory<MakeEnvOptions>;
}

export interface Algorithm {
  /** the `algo` values this entry serves */
  algos: readonly string[];
  /** every setting's default (the algorithm's config object) */
  defaults: RunSettings;
  keys: readonly string[];
  resolveConfig(partial: Record<string, unknown>, source: string): RunSettings;
  progressColumns: readonly string[];
  /** settings a resumed run may change */
  resumeOverridable: readonly string[];
  create(config: RunSettings): Promise<RunTrainer>;
  /** a population of configs that differ only in seed (absent: this algorithm trains one seed per process) */
  createPopulation?(configs: readonly RunSettings[], opts?: PopulationOptions): Promise<PopulationRun>;
  /** one line of console progress */
  line(row: Record<string, number>, total: number): string;
}

const fmt = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(1));

/** What both trainers already share: iteration count, iterate, evaluate, close. */
interface CoreTrainer {
  readonly iteration: number;
  iterate(): Promise<object>;
  evaluate(episodes: number, seed: number): Promise<number>;
  close(): void;
}

/** The RunTrainer methods every trainer serves the same way; subclasses add grads and checkpoints. */
abstract class DelegatingRun<T extends CoreTrainer> implements RunTrainer {
  constructor(readonly trainer: T) {}
  get iteration(): number {
    return this.trainer.iteration;
  }
  async iterate(): Promise<Record<string, number>> {
    return (await this.trainer.iterate()) as Record<string, number>;
  }
  evaluate(episodes: number, seed: number): Promise<number> {
    return this.trainer.evaluate(episodes, seed);
  }
  close(): void {
    this.trainer.close();
  }
  abstract gradColumns(): string[];
  abstract gradRow(): Promise<Record<string, number> | null>;
  abstract save(dir: string, shared: string): Promise<void>;
  abstract load(dir: string, shared: string): Promise<void>;
}

/** TRPO's trainer seen through RunTrainer (its checkpoint contents live in checkpoint.ts). */
class TrpoRun extends DelegatingRun<TrpoTrainer> {
  gradColumns(): string[] {
    const names = this.trainer.policy.paramNames();
    return [...names.map((n) => `surrogate/${n}`), ...names.map((n) => `regularizer/${n}`)];
  }
  async gradRow(): Promise<Record<string, number> | null> {
    const g = this.trainer.lastGradNorms;
    if (!g) return null;
    const row: Record<string, number> = {};
    for (const [n, v] of Object.entries(g.surrogate)) row[`surrogate/${n}`] = v;
    for (const [n, v] of Object.entries(g.regularizer)) row[`regularizer/${n}`] = v;
    return row;
  }
  save(dir: string): Promise<void> {
    return saveTrpoCheckpoint(dir, this.trainer);
  }
  load(dir: string): Promise<void> {
    return loadTrpoCheckpoint(dir, this.trainer);
  }
}

export const TRPO_ALGORITHM: Algorithm = {
  algos: ALGOS,
  defaults: TRPO_DEFAULTS,
  keys: CONFIG_KEYS,
  resolveConfig,
  progressColumns: [
    'Iteration',
    'EnvSteps',
    'AverageReturn',
    'StdReturn',
    'MinReturn',
    'MaxReturn',
    'NumEpisodes',
    'EvalReturn',
    'Entropy',
    'MeanKL',
    'SurrogateBefore',
    'SurrogateAfter',
    'SmoothnessReg',
    'PerturbationLinf',
    'LineSearchSteps',
    'CGResidual',
    'TimeSampling',
    'TimeOptimize',
  ],
  resumeOverridable: ['iterations'],
  create: async (config) => new TrpoRun(await TrpoTrainer.create(config as TrpoConfig)),
  createPopulation: (configs, opts) =>
    createTrpoPopulationRun(configs as readonly TrpoConfig[], (t) => new TrpoRun(t), opts),
  line: (s, total) =>
    `iter ${s.Iteration}/${total}  steps ${s.EnvSteps}  avg return ${fmt(s.AverageReturn!)}  kl ${s.MeanKL!.toExponential(2)}  ${(s.TimeSampling! + s.TimeOptimize!).toFixed(2)} s`,
};

export const DDPG_ALGORITHM: Algorithm = {
  algos: DDPG_ALGOS,
  defaults: DDPG_DEFAULTS,
  keys: DDPG_CONFIG_KEYS,
  resolveConfig: resolveDdpgConfig,
  progressColumns: [
    'Iteration',
    'EnvSteps',
    'Updates',
    'NumEpisodes',
    'AverageReturn',
    'AverageReturnAllEpisodes',
    'EvalReturn',
    'CriticLoss',
    'ActorLoss',
    'QMean',
    'SmoothnessReg',
    'PerturbationLinf',
    'PerturbationL2',
    'UpdatesPerSecond',
    'TimeSampling',
    'TimeOptimize',
  ],
  resumeOverridable: DDPG_RESUME_OVERRIDABLE,
  // one seed is the population of one: the same code as --seeds (population-run.ts)
  create: (config) => createDdpgSingleRun(config as DdpgConfig),
  createPopulation: (configs, opts) => createDdpgPopulationRun(configs as readonly DdpgConfig[], opts),
  line: (s, total) =>
    `iter ${s.Iteration}/${total}  steps ${s.EnvSteps}  avg return ${fmt(s.AverageReturn!)}  eval ${fmt(s.EvalReturn!)}  Q ${fmt(s.QMean!)}  ${fmt(s.UpdatesPerSecond!)} updates/s  ${(s.TimeSampling! + s.TimeOptimize!).toFixed(2)} s`,
};

export const ALGORITHMS: readonly Algorithm[] = [TRPO_ALGORITHM, DDPG_ALGORITHM];

/** The default of setting `key` in `a` (undefined: not one of its settings). */
export function defaultOf(a: Algorithm, key: string): unknown {
  return (a.defaults as unknown as Record<string, unknown>)[key];
}

/** Every algo name, in registry order. */
export const ALGO_NAMES: readonly string[] = ALGORITHMS.flatMap((a) => a.algos);

/** The entry serving `algo` (undefined: TRPO's defaults); an unknown name is a ConfigError. */
export function algorithmFor(algo: unknown, source = 'config'): Algorithm {
  if (algo === undefined) return TRPO_ALGORITHM;
  const a = ALGORITHMS.find((e) => e.algos.includes(algo as string));
  if (!a)
    throw new ConfigError(
      `${source}: algo = ${JSON.stringify(algo)} is invalid; allowed: one of ${ALGO_NAMES.join(', ')}`,
    );
  return a;
}

/** Resolves settings with the entry their `algo` names. */
export function resolveRunConfig(partial: Record<string, unknown>, source = 'config'): RunSettings {
  return algorithmFor(partial.algo, source).resolveConfig(partial, source);
}
