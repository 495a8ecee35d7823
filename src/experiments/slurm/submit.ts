/**
 * `sr2l sweep FILE --executor slurm`: writes `<out>/sweep.json` and the sbatch script
 * `<out>/slurm/sweep.sbatch`, submits one job array of the tasks still to do, and records the
 * job in `<out>/slurm/jobs.json` (for `sr2l sweep status` and `--resubmit-failed`).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { SweepConfig } from '../config.js';
import { planSweep, type PlannedRun } from '../plan.js';
import { RUN_DONE, exists } from '../run-files.js';
import { selectedBy, writeSweepIndex, type RunFilter } from '../sweep.js';
import { DEFAULT_GROUPING, type Grouping, arrayRanges, planTasks, type SweepTask } from '../tasks.js';
import { sbatch } from './client.js';
import { SlurmOptionError, type SlurmOptions } from './options.js';
import { sbatchScript } from './script.js';

export const SLURM_SCRIPT = join('slurm', 'sweep.sbatch');
export const SLURM_JOBS = join('slurm', 'jobs.json');

export interface SubmittedJob {
  jobId: string;
  submittedAt: string;
  /** the array indices submitted */
  tasks: number[];
  maxParallel?: number;
}

export interface SlurmSweep {
  out: string;
  plan: PlannedRun[];
  /** the tasks to submit: selected by the filter and not finished */
  tasks: SweepTask[];
  script: string;
  grouping: Grouping;
}

export interface PrepareOptions {
  options: SlurmOptions;
  /** absolute path of the sweep file */
  file: string;
  /** argv that starts this sr2l (node, its flags, the entry script) */
  sr2l: readonly string[];
  /** the trainer command runs get when the file names none */
  defaultCommand: readonly string[];
  only?: RunFilter;
  /** how runs group into tasks (default: populations of at most 10 seeds); the script's --task passes it on */
  grouping?: Grouping;
  /** the folder tasks run in and relative paths resolve against (default: the working directory) */
  root?: string;
}

/** Plans the array and writes nothing (what --dry-run prints). */
export async function prepareSlurmSweep(cfg: SweepConfig, p: PrepareOptions): Promise<SlurmSweep> {
  const root = p.root ?? process.cwd();
  const out = resolve(root, cfg.out);
  for (const [what, path] of [
    ['sweep folder', out],
    ['working directory', root],
  ])
    if (/\s/.test(path!))
      throw new SlurmOptionError(`the ${what} '${path}' holds whitespace, which #SBATCH lines cannot carry`);
  const plan = planSweep(cfg, cfg.command ?? p.defaultCommand, root);
  const grouping = p.grouping ?? DEFAULT_GROUPING;
  const tasks: SweepTask[] = [];
  for (const task of planTasks(plan, grouping)) {
    const runs = task.runIds.map((id) => plan.find((r) => r.id === id)!);
    if (!runs.some((r) => selectedBy(p.only, r))) continue;
    const done = await Promise.all(runs.map((r) => exists(join(r.dir, RUN_DONE))));
    if (!done.every(Boolean)) tasks.push(task);
  }
  const script = sbatchScript({
    name: cfg.name,
    out,
    file: p.file,
    cwd: root,
    sr2l: p.sr2l,
    array: arrayRanges(tasks.map((t) => t.index)),
    taskCount: tasks.length,
    options: p.options,
    grouping,
  });
  return { out, plan, tasks, script, grouping };
}

/** Writes sweep.json and the script, submits the array, records it; returns the job id. */
export async function submitSlurmSweep(
  cfg: SweepConfig,
  sweep: SlurmSweep,
  options: SlurmOptions,
): Promise<SubmittedJob> {
  await mkdir(join(sweep.out, 'slurm', 'logs'), { recursive: true });
  await writeSweepIndex(sweep.out, cfg, sweep.plan, sweep.grouping);
  const scriptPath = join(sweep.out, SLURM_SCRIPT);
  await writeFileAtomic(scriptPath, new TextEncoder().encode(sweep.script));
  const jobId = await sbatch(scriptPath);
  const job: SubmittedJob = {
    jobId,
    submittedAt: new Date().toISOString(),
    tasks: sweep.tasks.map((t) => t.index),
    ...(options.maxParallel ? { maxParallel: options.maxParallel } : {}),
  };
  await recordJob(sweep.out, job);
  return job;
}

/** Submits the sweep's script again for just `tasks` (the --array on the command line wins over the script's). */
export async function resubmitTasks(out: string, tasks: readonly number[]): Promise<SubmittedJob> {
  const scriptPath = join(out, SLURM_SCRIPT);
  if (!(await exists(scriptPath)))
    throw new SlurmOptionError(
      `${out} was not submitted to Slurm (no ${SLURM_SCRIPT}); use sr2l sweep FILE --executor slurm`,
    );
  const last = (await readJobs(out)).at(-1);
  const limit = last?.maxParallel ? `%${last.maxParallel}` : '';
  const jobId = await sbatch(scriptPath, [`--array=${arrayRanges(tasks)}${limit}`]);
  const job: SubmittedJob = {
    jobId,
    submittedAt: new Date().toISOString(),
    tasks: [...tasks],
    ...(last?.maxParallel ? { maxParallel: last.maxParallel } : {}),
  };
  await recordJob(out, job);
  return job;
}

/** The jobs submitted for the sweep in `out`, oldest first ([] when none). */
export async function readJobs(out: string): Promise<SubmittedJob[]> {
  const path = join(out, SLURM_JOBS);
  if (!(await exists(path))) return [];
  try {
    return JSON.parse(await readFile(path, 'utf8')) as SubmittedJob[];
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
}

async function recordJob(out: string, job: SubmittedJob): Promise<void> {
  const jobs = [...(await readJobs(out)), job];
  await writeFileAtomic(
    join(out, SLURM_JOBS),
    new TextEncoder().encode(JSON.stringify(jobs, null, 2) + '\n'),
  );
}
