/**
 * The files a sweep keeps in each run folder, next to what the trainer writes
 * (config.json, progress.csv, checkpoints/):
 *   sweep-run.json   what the run is (env, algo, setting, seed, options, argv)
 *   train.log        the trainer's stdout and stderr, appended across attempts
 *   sweep-done.json  written when the trainer exited 0: the run is finished and skipped next time
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const RUN_INFO = 'sweep-run.json';
export const RUN_LOG = 'train.log';
export const RUN_DONE = 'sweep-done.json';
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
