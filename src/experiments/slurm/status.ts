/**
 * `sr2l sweep status FOLDER`: the state of every run of a sweep, from its run folders (done,
 * failed, partial, lock held) and, where Slurm answers, from squeue (queued, running). Works
 * for local sweeps too; without Slurm it says why it could not ask.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readRunLock, staleness } from '../../rl/run/run-lock.js';
import type { PlannedRun } from '../plan.js';
import { RUN_DONE, RUN_FAILED, SWEEP_INDEX, exists, logTail, progressRows } from '../run-files.js';
import { type Grouping, UNGROUPED, planTasks } from '../tasks.js';
import { queuedTasks, type QueuedTask } from './client.js';
import { readJobs } from './submit.js';

export type RunState = 'done' | 'running' | 'queued' | 'failed' | 'stopped' | 'pending';

export interface RunStatus {
  id: string;
  dir: string;
  task: number;
  state: RunState;
  iterations: number;
  planned: number;
  /** who trains it (running), why Slurm holds it (queued), exit code (failed) */
  detail: string;
  /** the end of train.log, for failed runs */
  logTail?: string;
}

export interface SweepState {
  out: string;
  runs: RunStatus[];
  /** why squeue was not asked or did not answer (null: it answered, or no job was submitted) */
  slurmNote: string | null;
}

interface SweepIndex {
  config: { name: string; iterations: number };
  /** absent in a sweep.json written before populations: one run per task */
  grouping?: Grouping;
  runs: PlannedRun[];
}

export async function readSweepIndex(out: string): Promise<SweepIndex> {
  const path = join(out, SWEEP_INDEX);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(
      `${out} is not a sweep folder (no ${SWEEP_INDEX}); pass the folder a sweep writes (its 'out')`,
    );
  }
  try {
    return JSON.parse(text) as SweepIndex;
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
}

export async function sweepState(out: string, logLines = 5): Promise<SweepState> {
  const index = await readSweepIndex(out);
  const jobs = await readJobs(out);
  let queue: QueuedTask[] = [];
  let slurmNote: string | null = null;
  if (jobs.length) {
    try {
      queue = await queuedTasks(jobs.map((j) => j.jobId));
    } catch (e) {
      slurmNote = `Slurm not asked: ${(e as Error).message}`;
    }
  }
  const tasks = planTasks(index.runs, index.grouping ?? UNGROUPED);
  const taskOf = new Map(tasks.flatMap((t) => t.runIds.map((id) => [id, t.index] as const)));
  const planned = index.config.iterations;
  const runs: RunStatus[] = [];
  for (const run of index.runs) {
    const task = taskOf.get(run.id)!;
    const iterations = await progressRows(run.dir);
    const base = { id: run.id, dir: run.dir, task, iterations, planned };
    const inQueue = queue.filter((q) => q.taskIndex === task);
    const lock = await readRunLock(run.dir);
    const live = lock && staleness(lock) === null ? lock : null;
    const running = inQueue.find((q) => q.state === 'RUNNING' || q.state === 'COMPLETING');
    const pending = inQueue.find((q) => q.state === 'PENDING' || q.state === 'REQUEUED');
    if (await exists(join(run.dir, RUN_DONE))) runs.push({ ...base, state: 'done', detail: '' });
    else if (live || running)
      runs.push({
        ...base,
        state: 'running',
        detail: [
          running ? `job ${running.arrayJobId}_${task}` : '',
          live ? `pid ${live.pid} on ${live.host}` : '',
        ]
          .filter(Boolean)
          .join(', '),
      });
    else if (pending)
      runs.push({
        ...base,
        state: 'queued',
        detail: `job ${pending.arrayJobId}_${task} (${pending.reason})`,
      });
    else if (await exists(join(run.dir, RUN_FAILED))) {
      const f = JSON.parse(await readFile(join(run.dir, RUN_FAILED), 'utf8')) as {
        exitCode: number | null;
        signal: string | null;
      };
      const why = f.signal ? `signal ${f.signal}` : `exit code ${f.exitCode}`;
      runs.push({ ...base, state: 'failed', detail: why, logTail: await logTail(run.dir, logLines) });
    } else if (iterations > 0 || (await exists(join(run.dir, 'checkpoints', 'latest.json'))))
      runs.push({ ...base, state: 'stopped', detail: 'resumes from its checkpoint' });
    else runs.push({ ...base, state: 'pending', detail: '' });
  }
  return { out, runs, slurmNote };
}

/** The runs `--resubmit-failed` sends again: failed, interrupted and never started, not queued or running. */
export function needsResubmit(s: RunStatus): boolean {
  return s.state === 'failed' || s.state === 'stopped' || s.state === 'pending';
}

/** The status table: one row per run, failed runs followed by the end of their log, then totals. */
export function formatSweepState(s: SweepState): string {
  const rows = s.runs.map((r) => [r.id, r.state, `${r.iterations}/${r.planned}`, String(r.task), r.detail]);
  const head = ['RUN', 'STATE', 'ITERATIONS', 'TASK', 'DETAIL'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(head)];
  s.runs.forEach((r, i) => {
    out.push(line(rows[i]!));
    if (r.logTail) out.push(r.logTail.replace(/^/gm, '    | '));
  });
  const count = (st: RunState): number => s.runs.filter((r) => r.state === st).length;
  const states: RunState[] = ['done', 'running', 'queued', 'stopped', 'failed', 'pending'];
  out.push(`${s.runs.length} runs: ${states.map((st) => `${count(st)} ${st}`).join(', ')}`);
  if (s.slurmNote) out.push(s.slurmNote);
  return out.join('\n');
}
