/**
 * Trains a population (settings that differ only in seed) in one process: each member
 * writes its own run folder, `out/s<seed>/`, in a single run's exact format (config.json
 * with its seed, progress.csv, grads.csv, checkpoints/), so eval, report, plot and inspect
 * read it unchanged. `out/population.json` lists the seeds: a resume continues every
 * member from its last checkpoint and is refused when asked for other seeds. One seed
 * without a population folder (`sr2l train --seed N`) is the same code path with S = 1.
 *
 * Faults: after every iteration the members' parameters are checked; a member that holds a
 * NaN or an infinity gets that iteration's row (showing it), then `failed.json` in its folder
 * saying where and when, and is stopped; the others go on (their slices never read its
 * values). Its last good checkpoint stays, and population.json lists the failure. A resume
 * continues the other members and leaves it stopped (its folder is not written again).
 *
 * Checkpoints: every member's new checkpoint is written before any member's previous one is
 * removed, and a resume starts from the newest iteration every member holds, so a process
 * killed between its members' writes still resumes (the members ahead redo one iteration).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { WorkerEnvGroup } from '../../envs/vector/worker-env-group.js';
import {
  algorithmFor,
  type PopulationOptions,
  type PopulationRun,
  type RunSettings,
} from '../run/algorithms.js';
import { openRunFolder, recordIteration, type RunFolder, type TrainRunOptions } from '../run/train-run.js';
import { latestCheckpoint, pruneCheckpoints, restoreNewestCommon } from '../run/checkpoint.js';
import { acquireRunLock, type RunLock } from '../run/run-lock.js';
import { ConfigError } from '../settings.js';
import { checkPopulationConfigs } from './configs.js';
import { formatSeeds } from './seeds.js';

export const POPULATION_RECORD = 'population.json';
/** written into a member's folder when the member is stopped by a fault */
export const FAILED_RECORD = 'failed.json';

export interface MemberFailure {
  seed: number;
  iteration: number;
  reason: string;
}

export interface PopulationRecord {
  format: 'sr2l.population/1';
  algo: string;
  env: string;
  seeds: number[];
  /** member run folders, relative to the population folder (`s0`, or `../seed-0` for a sweep's) */
  members: string[];
  /** members stopped by a fault (each folder's failed.json says the same); a resume leaves them stopped */
  failed?: MemberFailure[];
}

export interface TrainPopulationOptions extends Omit<TrainRunOptions, 'out' | 'onIteration'> {
  /** member k's run folder */
  dirs: readonly string[];
  /** the population folder that holds population.json (null: none, e.g. one seed in its own folder) */
  populationDir: string | null;
  /** called after every iteration with every member's row (and the population, for inspection) */
  onIteration?: (rows: Record<string, number>[], population: PopulationRun) => void;
  /** called when a member is stopped by a fault */
  onFailure?: (f: MemberFailure) => void;
  /**
   * worker threads that step the members' environments (one per env block; at most one per
   * member); 1 or absent: they step on this thread. The numbers are the same either way.
   */
  workers?: number;
}

export interface TrainPopulationResult {
  dirs: string[];
  population: PopulationRun;
  /** rows of this invocation, per iteration, member k at k */
  history: Record<string, number>[][];
  resumedFrom: number | null;
  stopped: boolean;
  /** members stopped by a fault */
  failed: MemberFailure[];
}

/** Reads out/population.json (null when `dir` holds none). */
export async function readPopulationRecord(dir: string): Promise<PopulationRecord | null> {
  const path = join(dir, POPULATION_RECORD);
  if (!existsSync(path)) return null;
  const rec = JSON.parse(await readFile(path, 'utf8')) as PopulationRecord;
  if (rec.format !== 'sr2l.population/1' || !Array.isArray(rec.seeds))
    throw new ConfigError(`${path}: not a population record (format '${String(rec.format)}')`);
  return rec;
}

/** A resume must name the population's own seeds (or none): members cannot be added or dropped. */
export function checkResumeSeeds(
  dir: string,
  rec: PopulationRecord,
  requested: readonly number[] | null,
): void {
  if (requested === null) return;
  if (formatSeeds(requested) !== formatSeeds(rec.seeds))
    throw new ConfigError(
      `--resume: ${dir} holds a population of seeds ${formatSeeds(rec.seeds)}; --seeds ${formatSeeds(requested)} differs (a population resumes with exactly its own seeds; train other seeds in another --out)`,
    );
}

export async function trainPopulation(
  configs: readonly RunSettings[],
  opts: TrainPopulationOptions,
): Promise<TrainPopulationResult> {
  checkPopulationConfigs(configs);
  if (opts.dirs.length !== configs.length)
    throw new RangeError(`trainPopulation: ${configs.length} configs but ${opts.dirs.length} folders`);
  const first = configs[0]!;
  const algorithm = algorithmFor(first.algo);
  if (!algorithm.createPopulation)
    throw new ConfigError(
      `--seeds: ${first.algo} does not train as a population yet (the DDPG family does); run one process per seed`,
    );
  if (opts.populationDir !== null && !opts.resume)
    await writePopulationRecord(opts.populationDir, configs, opts.dirs);
  const warn = opts.warn ?? ((m: string) => console.error(m));
  // members stopped by a fault in an earlier run stay stopped (their folders are left as they are)
  const stoppedBefore = opts.resume ? await stoppedMembers(opts.dirs) : new Map<number, MemberFailure>();
  if (stoppedBefore.size === configs.length)
    throw new ConfigError(
      `--resume: every member was stopped by a fault (${opts.dirs.map((d) => join(d, FAILED_RECORD)).join(', ')}); nothing to resume`,
    );
  for (const f of stoppedBefore.values())
    warn(
      `sr2l: seed ${f.seed} was stopped by a fault at iteration ${f.iteration} (${f.reason}); it stays stopped, the others resume`,
    );
  const resuming = configs.map((_, k) => k).filter((k) => !stoppedBefore.has(k));
  const popOpts = populationOptions(opts.workers);
  const locks: RunLock[] = [];
  const slot: { value: PopulationRun | null } = { value: null };
  try {
    // one writer per member folder, as for a single run (run-lock.ts)
    for (const d of opts.dirs) {
      await mkdir(d, { recursive: true });
      locks.push(await acquireRunLock(d, { warn }));
    }
    slot.value = await algorithm.createPopulation(configs, popOpts);
    // a run killed while its members were writing checkpoints resumes from the newest iteration
    // every member holds a loadable checkpoint of
    let resumeAt: number | null = null;
    if (opts.resume) {
      const dirs = resuming.map((k) => opts.dirs[k]!);
      for (const d of dirs)
        if ((await latestCheckpoint(d).catch(() => -1)) === null)
          throw new ConfigError(`--resume: ${d} has no checkpoint yet`);
      const restoring = slot as { value: PopulationRun };
      resumeAt = await restoreNewestCommon(
        dirs,
        restoring,
        (p) => resuming.map((k) => p.members[k]!),
        () => algorithm.createPopulation!(configs, popOpts),
        (p) => p.close(),
        warn,
      );
    }
    const pop = slot.value;
    // a member stopped before has no folder open: nothing of it is written again
    const folders: (RunFolder | null)[] = [];
    for (const [k, c] of configs.entries())
      folders.push(
        stoppedBefore.has(k)
          ? null
          : await openRunFolder(opts.dirs[k]!, c, pop.members[k]!, {
              ...opts,
              restore: () => Promise.resolve(resumeAt!),
            }),
      );
    for (const k of stoppedBefore.keys()) pop.stopMember(k);
    if (opts.resume) pop.afterLoad();
    const history: Record<string, number>[][] = [];
    const failed: MemberFailure[] = [];
    const active = new Set(resuming);
    while (pop.iteration < first.iterations && active.size > 0) {
      const rows = await pop.iterate();
      const faults = await pop.faults();
      // every member's new checkpoint is written before any older one is removed, so a kill
      // in between leaves an iteration that every member holds
      const saved: number[] = [];
      for (const [k, folder] of folders.entries()) {
        if (!active.has(k) || !folder) continue;
        const reason = faults.get(k);
        if (reason === undefined) {
          await recordIteration(folder, pop.members[k]!, rows[k]!, 1);
          saved.push(k);
          continue;
        }
        const failure = { seed: configs[k]!.seed, iteration: rows[k]!.Iteration!, reason };
        await folder.progress.append(rows[k]!);
        await writeFileAtomic(
          join(folder.dir, FAILED_RECORD),
          new TextEncoder().encode(JSON.stringify({ status: 'failed', ...failure }, null, 2) + '\n'),
        );
        if (opts.populationDir !== null) await recordFailure(opts.populationDir, failure);
        pop.stopMember(k);
        active.delete(k);
        failed.push(failure);
        opts.onFailure?.(failure);
      }
      for (const k of saved)
        await pruneCheckpoints(folders[k]!.dir, pop.iteration, configs[k]!.checkpointEvery);
      history.push(rows);
      opts.onIteration?.(rows, pop);
      if (opts.signal?.aborted) break;
    }
    return {
      dirs: opts.dirs.map((d) => resolve(d)),
      population: pop,
      history,
      resumedFrom: folders.find((f) => f !== null)!.resumedFrom,
      stopped: pop.iteration < first.iterations && active.size > 0,
      failed,
    };
  } catch (e) {
    slot.value?.close();
    throw e;
  } finally {
    for (const lock of locks) await lock.release();
  }
}

/** Members whose folder holds failed.json (stopped by a fault), by index. */
async function stoppedMembers(dirs: readonly string[]): Promise<Map<number, MemberFailure>> {
  const out = new Map<number, MemberFailure>();
  for (const [k, d] of dirs.entries()) {
    const path = join(d, FAILED_RECORD);
    if (!existsSync(path)) continue;
    const { seed, iteration, reason } = JSON.parse(await readFile(path, 'utf8')) as MemberFailure;
    out.set(k, { seed, iteration, reason });
  }
  return out;
}

/** Adds a member's failure to `dir`/population.json. */
async function recordFailure(dir: string, failure: MemberFailure): Promise<void> {
  const rec = await readPopulationRecord(dir);
  if (!rec) return;
  rec.failed = [...(rec.failed ?? []).filter((f) => f.seed !== failure.seed), failure];
  await writeRecord(dir, rec);
}

function writeRecord(dir: string, rec: PopulationRecord): Promise<void> {
  return writeFileAtomic(
    join(dir, POPULATION_RECORD),
    new TextEncoder().encode(JSON.stringify(rec, null, 2) + '\n'),
  );
}

/** The members' environments on `workers` threads (capped at one per member), or on this thread. */
function populationOptions(workers: number | undefined): PopulationOptions {
  if (workers === undefined || workers === 1) return {};
  if (!(Number.isInteger(workers) && workers > 1))
    throw new ConfigError(`workers must be a positive integer, got ${workers}`);
  return {
    envGroup: (id, count, envOptions) =>
      WorkerEnvGroup.create(id, { count, numWorkers: Math.min(workers, count), envOptions }),
  };
}

/** Writes `dir`/population.json naming these members (their folders may lie outside `dir`). */
export async function writePopulationRecord(
  dir: string,
  configs: readonly Pick<RunSettings, 'algo' | 'env' | 'seed'>[],
  dirs: readonly string[],
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const root = resolve(dir);
  const rec: PopulationRecord = {
    format: 'sr2l.population/1',
    algo: configs[0]!.algo,
    env: configs[0]!.env,
    seeds: configs.map((c) => c.seed),
    members: dirs.map((d) => relative(root, resolve(d))),
  };
  await writeRecord(dir, rec);
}
