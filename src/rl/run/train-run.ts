/**
 * A training run on disk (DESIGN.md "A run on disk"):
 *   runs/<name>/config.json     every setting resolved, the package version and the seed
 *   runs/<name>/progress.csv    one row per iteration (IterationStats)
 *   runs/<name>/grads.csv       per-parameter gradient norms (with logGrads)
 *   runs/<name>/checkpoints/    the newest iteration, every checkpointEvery-th one and the last
 * A folder that already holds a run is refused unless `force` (start over) or `resume`
 * (continue from its last checkpoint with its own config; only `iterations` may change).
 * Every iteration is checkpointed (checkpoint.ts keeps the newest two besides every
 * checkpointEvery-th, and resume falls back to an older one when the newest is corrupt), so a killed run loses at most the iteration in progress and one
 * stopped through `signal` (which finishes the current iteration) loses nothing. One process
 * at a time trains in a folder (run-lock.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { version } from '../../version.js';
import { Rng } from '../../util/rng.js';
import { ConfigError } from '../settings.js';
import type { TrpoConfig } from '../trpo/config.js';
import type { DdpgConfig } from '../ddpg/config.js';
import type { DdpgTrainer } from '../ddpg/ddpg.js';
import type { TrpoTrainer } from '../trpo/trpo.js';
import {
  TRPO_ALGORITHM,
  algorithmFor,
  resolveRunConfig,
  type RunSettings,
  type RunTrainer,
} from './algorithms.js';
import { CHECKPOINTS, latestCheckpoint, resumeNewestValid, saveCheckpoint } from './checkpoint.js';
import { CsvLog } from './csv-log.js';
import { acquireRunLock } from './run-lock.js';
import { describeBackend } from '../compute-backend.js';

/** TRPO's progress.csv columns (every algorithm's are in algorithms.ts). */
export const PROGRESS_COLUMNS: readonly string[] = TRPO_ALGORITHM.progressColumns;

/** The settings a resumed TRPO run may change (every algorithm's are in algorithms.ts). */
export const RESUME_OVERRIDABLE: readonly string[] = TRPO_ALGORITHM.resumeOverridable;

export interface RunRecord {
  config: RunSettings;
  package: { name: 'sr2l'; version: string };
  seed: number;
  createdAt: string;
  /** the backend the run was started on: CPU kernel set or WebGPU adapter (backend, description, limits) */
  compute?: Record<string, unknown>;
}

export interface TrainRunOptions {
  out: string;
  /** start over in a folder that holds a run */
  force?: boolean;
  /** continue the run in `out` from its last checkpoint */
  resume?: boolean;
  /** called after every iteration (progress bars, tests) */
  onIteration?: (stats: Record<string, number>) => void;
  /** when aborted, training stops after the current iteration and writes a checkpoint */
  signal?: AbortSignal;
  /** notes about the run folder: a taken-over lock, a corrupt checkpoint passed over (default: console.error) */
  warn?: (message: string) => void;
}

/** `trainer` is the algorithm's own (TrpoTrainer, DdpgTrainer) for inspection and tests. */
export interface TrainRunResult<T = unknown> {
  dir: string;
  trainer: T & { close(): void; readonly iteration: number };
  /** rows of this invocation (not the ones before a resume) */
  history: Record<string, number>[];
  resumedFrom: number | null;
  /** true when `signal` stopped the run before `iterations` */
  stopped: boolean;
}

const CONFIG = 'config.json';
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Reads the config.json of a run folder. */
export async function readRunRecord(dir: string): Promise<RunRecord> {
  const path = join(dir, CONFIG);
  if (!existsSync(path)) throw new ConfigError(`${dir} holds no run (${path} is missing)`);
  const rec = JSON.parse(await readFile(path, 'utf8')) as RunRecord;
  rec.config = resolveRunConfig(rec.config as unknown as Record<string, unknown>, path);
  return rec;
}

function differences(a: RunSettings, b: RunSettings): string[] {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  return [...new Set([...Object.keys(x), ...Object.keys(y)])]
    .filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]))
    .map((k) => `${k} ${JSON.stringify(x[k])} (folder) vs ${JSON.stringify(y[k])} (requested)`);
}

/**
 * The config of the run to do in `dir`: the requested one (fresh or forced) or, on resume,
 * the folder's own with `overrides` applied (only RESUME_OVERRIDABLE settings).
 */
export async function planRun<C extends RunSettings = TrpoConfig>(
  dir: string,
  requested: NoInfer<C> | null,
  opts: { force?: boolean; resume?: boolean; overrides?: Partial<NoInfer<C>> },
): Promise<C> {
  const held = existsSync(join(dir, CONFIG));
  if (opts.resume) {
    if (!held) throw new ConfigError(`--resume: ${dir} holds no run to resume (no ${CONFIG})`);
    const rec = await readRunRecord(dir);
    const heldConfig = rec.config as unknown as Record<string, unknown>;
    const overridable = algorithmFor(rec.config.algo).resumeOverridable;
    for (const [key, value] of Object.entries(opts.overrides ?? {})) {
      if (!overridable.includes(key) && JSON.stringify(value) !== JSON.stringify(heldConfig[key])) {
        throw new ConfigError(
          `--resume: ${key} = ${JSON.stringify(value)} differs from the run's ${JSON.stringify(heldConfig[key])}; a resumed run keeps its settings (only ${overridable.join(', ')} may change)`,
        );
      }
    }
    return resolveRunConfig({ ...heldConfig, ...opts.overrides }, `${dir}/${CONFIG}`) as C;
  }
  if (!requested) throw new ConfigError('no configuration given');
  if (held && !opts.force) {
    const rec = await readRunRecord(dir).catch(() => null);
    const diff = rec ? differences(rec.config, requested) : ['(unreadable config.json)'];
    throw new ConfigError(
      diff.length
        ? `${dir} already holds a different run (${diff.join('; ')}); choose another --out, or pass --force to replace it or --resume to continue it`
        : `${dir} already holds this run; pass --resume to continue it or --force to start over`,
    );
  }
  return requested;
}

/** Trains (or resumes) a run in opts.out with the algorithm `config.algo` names; see the module comment for the folder layout. */
export async function trainRun(
  config: TrpoConfig,
  opts: TrainRunOptions,
): Promise<TrainRunResult<TrpoTrainer>>;
export async function trainRun(
  config: DdpgConfig,
  opts: TrainRunOptions,
): Promise<TrainRunResult<DdpgTrainer>>;
export async function trainRun(config: RunSettings, opts: TrainRunOptions): Promise<TrainRunResult>;
export async function trainRun(config: RunSettings, opts: TrainRunOptions): Promise<TrainRunResult> {
  const algorithm = algorithmFor(config.algo);
  const dir = resolve(opts.out);
  const warn = opts.warn ?? ((m: string) => console.error(m));
  await mkdir(dir, { recursive: true });
  const lock = await acquireRunLock(dir, { warn });
  let trainer: RunTrainer | null = null;
  try {
    trainer = await algorithm.create(config);
    const slot = { trainer };
    const folder = await openRunFolder(dir, config, trainer, {
      ...opts,
      // the newest checkpoint that loads; a corrupt one is passed over with a message
      restore: async () => {
        if ((await latestCheckpoint(dir).catch(() => -1)) === null)
          throw new ConfigError(`--resume: ${dir} has no checkpoint yet`);
        try {
          return await resumeNewestValid(dir, slot, () => algorithm.create(config), warn);
        } finally {
          trainer = slot.trainer;
        }
      },
    });
    trainer = slot.trainer;
    const history: Record<string, number>[] = [];
    while (trainer.iteration < config.iterations) {
      const stats = await trainer.iterate();
      await recordIteration(folder, trainer, stats);
      history.push(stats);
      opts.onIteration?.(stats);
      if (opts.signal?.aborted) break;
    }
    const stopped = trainer.iteration < config.iterations;
    return { dir: folder.dir, trainer: own(trainer), history, resumedFrom: folder.resumedFrom, stopped };
  } catch (e) {
    trainer?.close();
    throw e;
  } finally {
    await lock.release();
  }
}

/** A run folder being written by the run loop (one per run; one per member of a population). */
export interface RunFolder {
  dir: string;
  config: RunSettings;
  progress: CsvLog;
  grads: CsvLog;
  /** the checkpoint a resume started from (null: a fresh run) */
  resumedFrom: number | null;
}

/**
 * Prepares `out` for `trainer` (built from `config`): a fresh run writes config.json and the
 * CSV headers (after clearing the folder with `force`); a resume restores a checkpoint into
 * the trainer (`restore`) and cuts the CSVs back to it.
 */
export async function openRunFolder(
  out: string,
  config: RunSettings,
  trainer: RunTrainer,
  opts: Pick<TrainRunOptions, 'force' | 'resume'> & {
    /** with resume: loads the checkpoint to continue from into the trainer, returns its iteration */
    restore: () => Promise<number>;
  },
): Promise<RunFolder> {
  const dir = resolve(out);
  const algorithm = algorithmFor(config.algo);
  const progress = new CsvLog(join(dir, 'progress.csv'), algorithm.progressColumns);
  let resumedFrom: number | null = null;
  const grads = new CsvLog(join(dir, 'grads.csv'), ['Iteration', ...trainer.gradColumns()]);
  if (opts.resume) {
    resumedFrom = await opts.restore();
    await progress.truncateAfter(resumedFrom);
    if (config.logGrads) await grads.truncateAfter(resumedFrom);
  } else {
    if (opts.force) {
      for (const f of [CONFIG, 'progress.csv', 'grads.csv', CHECKPOINTS]) {
        await rm(join(dir, f), { recursive: true, force: true });
      }
    }
    await mkdir(dir, { recursive: true });
    const record: RunRecord = {
      config,
      package: { name: 'sr2l', version },
      seed: config.seed,
      createdAt: new Date().toISOString(),
      compute: await describeBackend(config.backend),
    };
    await writeFileAtomic(join(dir, CONFIG), text(JSON.stringify(record, null, 2) + '\n'));
    await progress.create();
    if (config.logGrads) await grads.create();
  }
  await mkdir(join(dir, CHECKPOINTS), { recursive: true });
  if (resumedFrom !== null)
    await writeFileAtomic(join(dir, CONFIG), text(await configWithIterations(dir, config)));
  return { dir, config, progress, grads, resumedFrom };
}

/**
 * Writes one finished iteration into its folder: evaluation when due (into `stats`),
 * progress and grads rows, checkpoint (the previous one is removed unless its iteration is
 * a multiple of `keepEvery`; 1 keeps it).
 */
export async function recordIteration(
  folder: RunFolder,
  trainer: RunTrainer,
  stats: Record<string, number>,
  keepEvery = folder.config.checkpointEvery,
): Promise<void> {
  const { config, dir } = folder;
  const k = stats.Iteration!;
  if (config.evalEvery > 0 && k % config.evalEvery === 0) {
    stats.EvalReturn = await trainer.evaluate(config.evalEpisodes, evalSeed(config.seed, k));
  }
  await folder.progress.append(stats);
  const gradRow = config.logGrads ? await trainer.gradRow() : null;
  if (gradRow) await folder.grads.append({ Iteration: k, ...gradRow });
  await saveCheckpoint(dir, trainer, keepEvery);
}

/** The algorithm's own trainer behind the run loop's view of it. */
function own(t: RunTrainer): TrainRunResult['trainer'] {
  return t.trainer as TrainRunResult['trainer'];
}

/** config.json with the (possibly extended) iteration count of a resumed run. */
async function configWithIterations(dir: string, config: RunSettings): Promise<string> {
  const rec = JSON.parse(await readFile(join(dir, CONFIG), 'utf8')) as RunRecord;
  rec.config.iterations = config.iterations;
  return JSON.stringify(rec, null, 2) + '\n';
}

/** Evaluation episodes draw their own seeds from (seed, iteration): training streams are untouched. */
function evalSeed(seed: number, iteration: number): number {
  return new Rng(seed).fork(`eval-${iteration}`).nextUint32();
}
