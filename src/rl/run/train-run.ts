/**
 * A training run on disk (DESIGN.md "A run on disk"):
 *   runs/<name>/config.json     every setting resolved, the package version and the seed
 *   runs/<name>/progress.csv    one row per iteration (IterationStats)
 *   runs/<name>/grads.csv       per-parameter gradient norms (with logGrads)
 *   runs/<name>/checkpoints/    every checkpointEvery iterations and at the end
 * A folder that already holds a run is refused unless `force` (start over) or `resume`
 * (continue from its last checkpoint with its own config; only `iterations` may change).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../nn/index.js';
import { version } from '../../version.js';
import { Rng } from '../../util/rng.js';
import { ConfigError, type TrpoConfig, resolveConfig } from '../config.js';
import { type IterationStats, TrpoTrainer } from '../trpo.js';
import { CHECKPOINTS, latestCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { CsvLog } from './csv-log.js';

export const PROGRESS_COLUMNS: readonly (keyof IterationStats)[] = [
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
];

/** The settings a resumed run may change (everything else must match the run's config.json). */
export const RESUME_OVERRIDABLE: readonly (keyof TrpoConfig)[] = ['iterations'];

export interface RunRecord {
  config: TrpoConfig;
  package: { name: 'sr2l'; version: string };
  seed: number;
  createdAt: string;
}

export interface TrainRunOptions {
  out: string;
  /** start over in a folder that holds a run */
  force?: boolean;
  /** continue the run in `out` from its last checkpoint */
  resume?: boolean;
  /** called after every iteration (progress bars, tests) */
  onIteration?: (stats: IterationStats, trainer: TrpoTrainer) => void;
}

export interface TrainRunResult {
  dir: string;
  trainer: TrpoTrainer;
  /** rows of this invocation (not the ones before a resume) */
  history: IterationStats[];
  resumedFrom: number | null;
}

const CONFIG = 'config.json';
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Reads the config.json of a run folder. */
export async function readRunRecord(dir: string): Promise<RunRecord> {
  const path = join(dir, CONFIG);
  if (!existsSync(path)) throw new ConfigError(`${dir} holds no run (${path} is missing)`);
  const rec = JSON.parse(await readFile(path, 'utf8')) as RunRecord;
  rec.config = resolveConfig(rec.config as unknown as Record<string, unknown>, path);
  return rec;
}

function differences(a: TrpoConfig, b: TrpoConfig): string[] {
  return (Object.keys(a) as (keyof TrpoConfig)[])
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k} ${JSON.stringify(a[k])} (folder) vs ${JSON.stringify(b[k])} (requested)`);
}

/**
 * The config of the run to do in `dir`: the requested one (fresh or forced) or, on resume,
 * the folder's own with `overrides` applied (only RESUME_OVERRIDABLE settings).
 */
export async function planRun(
  dir: string,
  requested: TrpoConfig | null,
  opts: { force?: boolean; resume?: boolean; overrides?: Partial<TrpoConfig> },
): Promise<TrpoConfig> {
  const held = existsSync(join(dir, CONFIG));
  if (opts.resume) {
    if (!held) throw new ConfigError(`--resume: ${dir} holds no run to resume (no ${CONFIG})`);
    const rec = await readRunRecord(dir);
    for (const key of Object.keys(opts.overrides ?? {}) as (keyof TrpoConfig)[]) {
      const value = opts.overrides![key];
      if (!RESUME_OVERRIDABLE.includes(key) && JSON.stringify(value) !== JSON.stringify(rec.config[key])) {
        throw new ConfigError(
          `--resume: ${key} = ${JSON.stringify(value)} differs from the run's ${JSON.stringify(rec.config[key])}; a resumed run keeps its settings (only ${RESUME_OVERRIDABLE.join(', ')} may change)`,
        );
      }
    }
    return resolveConfig({ ...rec.config, ...opts.overrides }, `${dir}/${CONFIG}`);
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

/** Trains (or resumes) a run in opts.out; see the module comment for the folder layout. */
export async function trainRun(config: TrpoConfig, opts: TrainRunOptions): Promise<TrainRunResult> {
  const dir = resolve(opts.out);
  const progress = new CsvLog(join(dir, 'progress.csv'), PROGRESS_COLUMNS);
  let trainer: TrpoTrainer | null = null;
  let resumedFrom: number | null = null;
  try {
    trainer = await TrpoTrainer.create(config);
    const grads = new CsvLog(join(dir, 'grads.csv'), gradColumns(trainer.policy.paramNames()));
    if (opts.resume) {
      resumedFrom = await latestCheckpoint(dir);
      if (resumedFrom === null) throw new ConfigError(`--resume: ${dir} has no checkpoint yet`);
      await loadCheckpoint(dir, trainer, resumedFrom);
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
      };
      await writeFileAtomic(join(dir, CONFIG), text(JSON.stringify(record, null, 2) + '\n'));
      await progress.create();
      if (config.logGrads) await grads.create();
    }
    await mkdir(join(dir, CHECKPOINTS), { recursive: true });
    if (resumedFrom !== null)
      await writeFileAtomic(join(dir, CONFIG), text(await configWithIterations(dir, config)));

    const history: IterationStats[] = [];
    while (trainer.iteration < config.iterations) {
      const stats = await trainer.iterate();
      const k = stats.Iteration;
      if (config.evalEvery > 0 && k % config.evalEvery === 0) {
        stats.EvalReturn = await trainer.evaluate(config.evalEpisodes, evalSeed(config.seed, k));
      }
      await progress.append(stats as unknown as Record<string, number>);
      if (config.logGrads && trainer.lastGradNorms) await grads.append(gradRow(k, trainer.lastGradNorms));
      if (k % config.checkpointEvery === 0 || k === config.iterations) await saveCheckpoint(dir, trainer);
      history.push(stats);
      opts.onIteration?.(stats, trainer);
    }
    return { dir, trainer, history, resumedFrom };
  } catch (e) {
    trainer?.close();
    throw e;
  }
}

/** config.json with the (possibly extended) iteration count of a resumed run. */
async function configWithIterations(dir: string, config: TrpoConfig): Promise<string> {
  const rec = JSON.parse(await readFile(join(dir, CONFIG), 'utf8')) as RunRecord;
  rec.config.iterations = config.iterations;
  return JSON.stringify(rec, null, 2) + '\n';
}

/** Evaluation episodes draw their own seeds from (seed, iteration): training streams are untouched. */
function evalSeed(seed: number, iteration: number): number {
  return new Rng(seed).fork(`eval-${iteration}`).nextUint32();
}

function gradColumns(names: readonly string[]): string[] {
  return ['Iteration', ...names.map((n) => `surrogate/${n}`), ...names.map((n) => `regularizer/${n}`)];
}

function gradRow(
  iteration: number,
  g: { surrogate: Record<string, number>; regularizer: Record<string, number> },
): Record<string, number> {
  const row: Record<string, number> = { Iteration: iteration };
  for (const [n, v] of Object.entries(g.surrogate)) row[`surrogate/${n}`] = v;
  for (const [n, v] of Object.entries(g.regularizer)) row[`regularizer/${n}`] = v;
  return row;
}
