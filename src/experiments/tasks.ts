/**
 * Tasks: the unit a Slurm array task (`sr2l sweep FILE --task K`) runs. Task K holds a list of
 * run ids of the plan; today every task is one run, in plan order (task K = run K). When
 * population training (several seeds in one process) lands, a task becomes the runs of one
 * population, and this file is the only place that changes: the executor, `--task` and
 * `sweep status` all go through it.
 */
import type { PlannedRun } from './plan.js';

export interface SweepTask {
  /** the array index, $SLURM_ARRAY_TASK_ID */
  index: number;
  runIds: string[];
}

/** Every task of a plan (the whole plan, so indices stay the same under filters). */
export function planTasks(plan: readonly PlannedRun[]): SweepTask[] {
  return plan.map((run, index) => ({ index, runIds: [run.id] }));
}

/** The runs of task `index`, or null when the plan has no such task. */
export function taskRuns(plan: readonly PlannedRun[], index: number): PlannedRun[] | null {
  const task = planTasks(plan).find((t) => t.index === index);
  return task ? task.runIds.map((id) => plan.find((r) => r.id === id)!) : null;
}

/** The tasks holding any of `runIds`, in index order. */
export function tasksOf(plan: readonly PlannedRun[], runIds: readonly string[]): SweepTask[] {
  return planTasks(plan).filter((t) => t.runIds.some((id) => runIds.includes(id)));
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
