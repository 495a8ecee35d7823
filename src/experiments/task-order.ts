/**
 * The order a local sweep starts its tasks in (`sr2l sweep --order`). `plan`: the sweep
 * file's order (seeds, then envs, algorithms and settings; a population where its first seed
 * is). `longest-first`: the longest tasks first, so that with fewer workers than tasks the
 * short ones fill the gaps at the end (LPT scheduling: the sweep ends sooner) and, with
 * --start-within, the tasks left for the next start are short ones. A task's length is
 * estimated from this sweep's finished runs: the median wall time (sweep-done.json) of those
 * of the same env and algorithm, times the share of the iterations its runs have still to
 * train. The median, because a run resumed part way records only its last stretch. Tasks
 * with nothing to estimate from go first, in plan order: they may be the longest, and
 * running them measures them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { median } from 'mathjs';
import type { PlannedRun } from './plan.js';
import { RUN_DONE, progressRows } from './run-files.js';

export const TASK_ORDERS = ['plan', 'longest-first'] as const;
export type TaskOrder = (typeof TASK_ORDERS)[number];

const kind = (run: PlannedRun): string => `${run.env}\0${run.algo}`;

/** The wall seconds a finished run's sweep-done.json records (null: none, or unreadable). */
async function wallSeconds(run: PlannedRun): Promise<number | null> {
  try {
    const done = JSON.parse(await readFile(join(run.dir, RUN_DONE), 'utf8')) as { wallSeconds?: unknown };
    return typeof done.wallSeconds === 'number' && done.wallSeconds > 0 ? done.wallSeconds : null;
  } catch {
    return null;
  }
}

/**
 * Estimated seconds each of `tasks` has left (Infinity where no finished run of its env and
 * algorithm is among `finished`); a task's runs train as one population, so its estimate
 * is its longest run's.
 */
export async function taskEstimates(
  tasks: readonly (readonly PlannedRun[])[],
  finished: readonly PlannedRun[],
  iterations: number,
): Promise<number[]> {
  const walls = new Map<string, number[]>();
  for (const run of finished) {
    const wall = await wallSeconds(run);
    if (wall === null) continue;
    const w = walls.get(kind(run));
    if (w) w.push(wall);
    else walls.set(kind(run), [wall]);
  }
  const typical = new Map([...walls].map(([k, w]) => [k, median(w) as number]));
  return Promise.all(
    tasks.map(async (task) => {
      let longest = 0;
      for (const run of task) {
        const wall = typical.get(kind(run));
        if (wall === undefined) return Infinity;
        const left = Math.max(0, 1 - (await progressRows(run.dir)) / iterations);
        longest = Math.max(longest, wall * left);
      }
      return longest;
    }),
  );
}

/** `tasks` in `order` (ties keep plan order), each with its estimated seconds left (null under 'plan'). */
export async function orderTasks<T extends readonly PlannedRun[]>(
  tasks: readonly T[],
  order: TaskOrder,
  finished: readonly PlannedRun[],
  iterations: number,
): Promise<{ task: T; estimate: number | null }[]> {
  if (order === 'plan') return tasks.map((task) => ({ task, estimate: null }));
  const estimates = await taskEstimates(tasks, finished, iterations);
  return tasks
    .map((task, i) => ({ task, i, estimate: estimates[i]! }))
    .sort((a, b) => (a.estimate === b.estimate ? a.i - b.i : b.estimate - a.estimate))
    .map(({ task, estimate }) => ({ task, estimate }));
}
