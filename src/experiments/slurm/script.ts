/**
 * The sbatch script of a sweep: one job array, task K runs `sr2l sweep FILE --task K` (tasks.ts
 * maps K to its runs). What the script asks of Slurm, and why:
 *   --requeue                a preempted task goes back to the queue (and our own
 *                            `scontrol requeue` after SIGUSR2 is allowed)
 *   --signal=USR2@LEAD       SIGUSR2 LEAD seconds before the time limit: the trainer finishes its
 *                            iteration, checkpoints and the task requeues itself
 *   --open-mode=append       a requeued task adds to its log instead of replacing it
 *   --chdir                  the folder the sweep was submitted from (relative paths in FILE)
 * The command runs under srun so that Slurm's signals (time limit, `scancel --signal`) reach it
 * as a job step.
 */
import type { Grouping } from '../tasks.js';
import type { SlurmOptions } from './options.js';

export interface ScriptInput {
  name: string;
  /** the sweep folder; logs go to <out>/slurm/logs */
  out: string;
  /** absolute path of the sweep file */
  file: string;
  /** the folder tasks run in */
  cwd: string;
  /** argv that starts this sr2l (node, its flags, the entry script) */
  sr2l: readonly string[];
  /** array list, e.g. `0-3,7` */
  array: string;
  taskCount: number;
  options: SlurmOptions;
  /** passed to every `--task`, so task K holds the runs it held at submission */
  grouping: Grouping;
}

/** POSIX shell quoting: bare when safe, else single quotes. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function sbatchScript(s: ScriptInput): string {
  const o = s.options;
  const directives = [
    `--job-name=sr2l-${s.name}`,
    `--array=${s.array}${o.maxParallel ? `%${o.maxParallel}` : ''}`,
    `--output=${s.out}/slurm/logs/%A_%a.out`,
    '--open-mode=append',
    `--chdir=${s.cwd}`,
    '--ntasks=1',
    `--cpus-per-task=${o.cpusPerTask}`,
    ...(o.partition ? [`--partition=${o.partition}`] : []),
    ...(o.time ? [`--time=${o.time}`] : []),
    ...(o.mem ? [`--mem=${o.mem}`] : []),
    '--requeue',
    `--signal=USR2@${o.signalLead}`,
    ...o.sbatchArgs,
  ];
  const grouping = [
    '--population',
    s.grouping.population,
    '--max-population',
    String(s.grouping.maxPopulation),
  ];
  const command = [...s.sr2l, 'sweep', s.file, ...grouping, '--task'].map(shellQuote).join(' ');
  return [
    '#!/bin/bash',
    `# sr2l sweep ${s.name}: ${s.taskCount} array tasks, one per run or population (docs/slurm.md)`,
    ...directives.map((d) => `#SBATCH ${d}`),
    '',
    '# SIGUSR2 before the time limit: the run checkpoints and this task requeues itself;',
    '# SIGTERM (scancel, preemption): the run checkpoints and the task stops.',
    `exec srun --ntasks=1 --cpus-per-task=${o.cpusPerTask} ${command} "$SLURM_ARRAY_TASK_ID"`,
    '',
  ].join('\n');
}
