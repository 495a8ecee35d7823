/**
 * Tasks: the unit one trainer process runs, and one Slurm array task (`sr2l sweep FILE
 * --task K`). Task K holds a list of run ids of the plan. With `population: 'off'` every task
 * is one run, in plan order (task K = run K). With 'auto' (the default), runs that differ only
 * in seed (same env, algorithm and setting) of an algorithm that trains as a population (the
 * registry's `createPopulation`, rl/run/algorithms.ts) are grouped, in plan order, at most
 * `maxPopulation` per task, and each task is one `sr2l train --seeds ...` process. A task is
 * numbered by its first run's place in the plan. The executor, `--task` and `sweep status`
 * all go through this file.
 */
import { algorithmFor } from '../rl/run/algorithms.js';
import type { PlannedRun } from './plan.js';

export interface SweepTask {
  /** the array index, $SLURM_ARRAY_TASK_ID */
  index: number;
  runIds: string[];
}

/** How runs are grouped into tasks; sweep.json records it, so `sweep status` numbers tasks the same way. */
export interface Grouping {
  population: 'auto' | 'off';
  /** the most seeds in one task (≥ 1) */
  maxPopulation: number;
}

export const DEFAULT_GROUPING: Grouping = { population: 'auto', maxPopulation: 10 };
/** a sweep.json written before grouping existed ran one run per task */
export const UNGROUPED: Grouping = { population: 'off', maxPopulation: 1 };

/** Whether `algo` trains several seeds in one process (asks the algorithm registry). */
export function trainsAsPopulation(algo: string): boolean {
  return algorithmFor(algo).createPopulation !== undefined;
}

/** Every task of a plan (the whole plan, so indices stay the same under filters). */
export function planTasks(plan: readonly PlannedRun[], grouping: Grouping = DEFAULT_GROUPING): SweepTask[] {
  if (!(Number.isInteger(grouping.maxPopulation) && grouping.maxPopulation >= 1))
    throw new RangeError(`max population must be an integer ≥ 1, got ${grouping.maxPopulation}`);
  const tasks: SweepTask[] = [];
  // the open (not yet full) task of each env/algo/setting cell
  const open = new Map<string, SweepTask>();
  for (const run of plan) {
    const grouped = grouping.population === 'auto' && trainsAsPopulation(run.algo);
    const cell = `${run.env}/${run.algo}/${run.setting}`;
    const task = grouped ? open.get(cell) : undefined;
    if (task && task.runIds.length < grouping.maxPopulation) {
      task.runIds.push(run.id);
      continue;
    }
    const fresh = { index: tasks.length, runIds: [run.id] };
    tasks.push(fresh);
    if (grouped) open.set(cell, fresh);
  }
  return tasks;
}

/** The runs of task `index`, or null when the plan has no such task. */
export function taskRuns(
  plan: readonly PlannedRun[],
  index: number,
  grouping: Grouping = DEFAULT_GROUPING,
): PlannedRun[] | null {
  const task = planTasks(plan, grouping).find((t) => t.index === index);
  return task ? task.runIds.map((id) => plan.find((r) => r.id === id)!) : null;
}

/** The tasks holding any of `runIds`, in index order. */
export function tasksOf(
  plan: readonly PlannedRun[],
  runIds: readonly string[],
  grouping: Grouping = DEFAULT_GROUPING,
): SweepTask[] {
  return planTasks(plan, grouping).filter((t) => t.runIds.some((id) => runIds.includes(id)));
}

/** `0-3,7,9-10`: Slurm's --array list for these indices. */
export function arrayRanges(indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
