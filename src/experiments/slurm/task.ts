/**
 * `sr2l sweep FILE --task K`: what array task K runs. Idempotent, so Slurm may start it any
 * number of times: a finished run (sweep-done.json) is skipped at once, a partial one resumes
 * from its checkpoint, a fresh one starts. The runs are trained by the local executor's
 * launcher (sweep.ts: train.log, stall watchdog, run lock), so a task's files are the ones a
 * local sweep writes.
 *
 * Signals (docs/slurm.md): SIGTERM (scancel, preemption) and SIGINT stop the trainer after the
 * iteration in progress, with a checkpoint, and end the task; SIGUSR2 (the script's
 * `--signal=USR2@LEAD`, sent that long before the time limit) does the same and then puts the
 * task back in the queue with `scontrol requeue`, as submitit does, since Slurm requeues a
 * preempted job itself but never one that reached its time limit.
 */
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { SweepConfig } from '../config.js';
import { planSweep, type PlannedRun } from '../plan.js';
import { RUN_DONE, SWEEP_INDEX, exists } from '../run-files.js';
import { DEFAULT_STALL_SECONDS, launchTask, type SweepEvent } from '../sweep.js';
import { DEFAULT_GROUPING, type Grouping, UNGROUPED, planTasks, taskRuns } from '../tasks.js';
import { readSweepIndex } from './status.js';
import { requeue as scontrolRequeue } from './client.js';

export class TaskError extends Error {
  override name = 'TaskError';
}

export interface TaskOptions {
  defaultCommand: readonly string[];
  root?: string;
  onEvent?: (e: SweepEvent) => void;
  stallSeconds?: number;
  stallRestarts?: number;
  /**
   * how the plan groups into tasks: the submission's (the script passes it); absent: as
   * `<out>/sweep.json` records it (one run per task for a sweep.json older than populations)
   */
  grouping?: Grouping;
  /** the job environment (default process.env): SLURM_ARRAY_JOB_ID, SLURM_ARRAY_TASK_ID, SLURM_JOB_ID */
  env?: NodeJS.ProcessEnv;
  /** puts a job back in the queue (default: scontrol requeue) */
  requeue?: (jobId: string) => Promise<void>;
}

export interface TaskSummary {
  runs: PlannedRun[];
  done: string[];
  failed: string[];
  /** the signal that stopped the task, or null */
  stoppedBy: NodeJS.Signals | null;
  /** the job id requeued after SIGUSR2, or null */
  requeued: string | null;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGUSR2'] as const;

/** This Slurm task's id for scontrol: `<array job>_<index>` in an array, else the job id; null outside Slurm. */
export function slurmJobId(env: NodeJS.ProcessEnv): string | null {
  if (env.SLURM_ARRAY_JOB_ID && env.SLURM_ARRAY_TASK_ID)
    return `${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}`;
  return env.SLURM_JOB_ID ?? null;
}

/** The grouping `<out>/sweep.json` records (the default when there is none yet). */
async function recordedGrouping(out: string): Promise<Grouping> {
  if (!(await exists(join(out, SWEEP_INDEX)))) return DEFAULT_GROUPING;
  return (await readSweepIndex(out)).grouping ?? UNGROUPED;
}

export async function runTask(cfg: SweepConfig, index: number, opts: TaskOptions): Promise<TaskSummary> {
  const root = opts.root ?? process.cwd();
  const command = cfg.command ?? opts.defaultCommand;
  const plan = planSweep(cfg, command, root);
  const grouping = opts.grouping ?? (await recordedGrouping(resolve(root, cfg.out)));
  const runs = taskRuns(plan, index, grouping);
  if (!runs)
    throw new TaskError(
      `task ${index} is not in sweep ${cfg.name}: its tasks are 0-${planTasks(plan, grouping).length - 1}`,
    );
  const emit = opts.onEvent ?? (() => {});
  await mkdir(resolve(root, cfg.out), { recursive: true });
  const summary: TaskSummary = { runs, done: [], failed: [], stoppedBy: null, requeued: null };
  const children = new Set<ChildProcess>();
  const onSignal = (signal: NodeJS.Signals): void => {
    summary.stoppedBy ??= signal;
    // the trainer may have had the signal from Slurm too; a repeated SIGTERM does not hurry it
    for (const c of children) c.kill('SIGTERM');
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    const todo: PlannedRun[] = [];
    for (const run of runs) {
      if (await exists(join(run.dir, RUN_DONE))) {
        emit({ kind: 'skip', run });
        summary.done.push(run.id);
      } else todo.push(run);
    }
    const ctx = {
      cfg,
      command,
      children,
      emit,
      stopping: () => summary.stoppedBy !== null,
      watch: { seconds: opts.stallSeconds ?? DEFAULT_STALL_SECONDS, restarts: opts.stallRestarts ?? 2 },
    };
    await launchTask(todo, ctx, (run, ok) => {
      if (ok) summary.done.push(run.id);
      else if (!summary.stoppedBy) summary.failed.push(run.id);
    });
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
  const unfinished = summary.done.length < runs.length && summary.failed.length === 0;
  const jobId = slurmJobId(opts.env ?? process.env);
  if (summary.stoppedBy === 'SIGUSR2' && unfinished && jobId) {
    const message = `SIGUSR2 (time limit near): checkpointed; requeueing ${jobId}`;
    emit({ kind: 'note', run: runs[0]!, message });
    await (opts.requeue ?? scontrolRequeue)(jobId);
    summary.requeued = jobId;
  }
  return summary;
}
