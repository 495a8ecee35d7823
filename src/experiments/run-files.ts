/**
 * The files a sweep keeps in each run folder, next to what the trainer writes
 * (config.json, progress.csv, checkpoints/):
 *   sweep-run.json   what the run is (env, algo, setting, seed, options, argv)
 *   train.log        the trainer's stdout and stderr, appended across attempts
 *   sweep-done.json  written when the trainer exited 0: the run is finished and skipped next time
 *   sweep-failed.json  written when the trainer failed (exit code, signal, time); removed when
 *                    the run starts again; `sr2l sweep status` reads it
 * and the trainer's run.lock (rl/run/run-lock.ts) while one trains in the folder.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const RUN_INFO = 'sweep-run.json';
export const RUN_LOG = 'train.log';
export const RUN_DONE = 'sweep-done.json';
export const RUN_FAILED = 'sweep-failed.json';
export const PROGRESS = 'progress.csv';
export const SWEEP_INDEX = 'sweep.json';

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Data rows in `<dir>/progress.csv` (0 when there is none yet). */
export async function progressRows(dir: string): Promise<number> {
  try {
    const text = await readFile(join(dir, PROGRESS), 'utf8');
    return Math.max(0, text.split('\n').filter((l) => l.trim() !== '').length - 1);
  } catch {
    return 0;
  }
}

/** The last `lines` lines of a run's log, for failure reports. */
export async function logTail(dir: string, lines = 20): Promise<string> {
  try {
    const text = await readFile(join(dir, RUN_LOG), 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A run file's settings object: sr2l train writes {"config": {...settings}, "package": ..., "seed": ...}. */
async function readSettings(path: string): Promise<Record<string, unknown>> {
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
  return typeof c.config === 'object' && c.config !== null ? (c.config as Record<string, unknown>) : c;
}

/**
 * The episode length a run trained with: config.json's maxEpisodeSteps (at the top level or
 * under 'config'); null when the run used its env's own limit or the key is absent.
 */
export async function readTrainingHorizon(dir: string): Promise<number | null> {
  const path = join(dir, 'config.json');
  if (!(await exists(path))) return null;
  const c = await readSettings(path);
  const steps = c.maxEpisodeSteps;
  if (steps === undefined || steps === null) return null;
  if (!(typeof steps === 'number' && Number.isInteger(steps) && steps > 0))
    throw new Error(
      `${path}: maxEpisodeSteps must be a positive integer or null, got ${JSON.stringify(steps)}`,
    );
  return steps;
}

export interface RunIdentity {
  env: string;
  algo: string;
  seed: number;
}

/**
 * Which env, algorithm and seed a run folder holds: from sweep-run.json when a sweep made it,
 * else from the trainer's config.json (keys env | envId, algo | algorithm, seed; at the top
 * level or under 'config').
 */
export async function readRunIdentity(dir: string): Promise<RunIdentity> {
  for (const file of [RUN_INFO, 'config.json']) {
    const path = join(dir, file);
    if (!(await exists(path))) continue;
    const c = await readSettings(path);
    const env = c.env ?? c.envId;
    const algo = c.algo ?? c.algorithm;
    const seed = c.seed ?? 0;
    if (typeof env !== 'string' || typeof algo !== 'string' || typeof seed !== 'number')
      throw new Error(
        `${path}: expected string 'env', string 'algo' and number 'seed', got ${JSON.stringify({ env, algo, seed })}`,
      );
    return { env, algo, seed };
  }
  throw new Error(`${dir}: not a run folder (no ${RUN_INFO} or config.json)`);
}
