/**
 * The Slurm commands the executor uses (sbatch, squeue, scontrol), each run as a child process
 * with its error turned into one line naming the command and what it said. They read the
 * cluster from the environment as usual (SLURM_CONF and friends).
 */
import { execFile } from 'node:child_process';

export class SlurmError extends Error {
  override name = 'SlurmError';
}

/** Runs a Slurm command and returns its stdout. */
export function slurmCommand(cmd: string, args: readonly string[]): Promise<string> {
  return new Promise((res, rej) => {
    execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (!err) return res(stdout);
      const said = (stderr || stdout).trim().split('\n').filter(Boolean).at(-1);
      const why =
        (err as NodeJS.ErrnoException).code === 'ENOENT'
          ? `${cmd} is not installed here (not on PATH)`
          : `${cmd} ${args.join(' ')} failed: ${said ?? err.message}`;
      rej(new SlurmError(why));
    });
  });
}

/** Submits `script` (extra sbatch arguments first) and returns the job id. */
export async function sbatch(script: string, args: readonly string[] = []): Promise<string> {
  const out = await slurmCommand('sbatch', ['--parsable', ...args, script]);
  const id = out.trim().split(';')[0]!; // "<id>" or "<id>;<cluster>"
  if (!/^\d+$/.test(id)) throw new SlurmError(`sbatch printed no job id: '${out.trim()}'`);
  return id;
}

export interface QueuedTask {
  arrayJobId: string;
  taskIndex: number;
  /** PENDING, RUNNING, COMPLETING, ... */
  state: string;
  /** why a pending task waits (Priority, Resources, BeginTime, ...) */
  reason: string;
}

/** The tasks of the given array jobs that Slurm still knows (pending, running, completing). */
export async function queuedTasks(arrayJobIds: readonly string[]): Promise<QueuedTask[]> {
  if (!arrayJobIds.length) return [];
  // all of the user's jobs, filtered here: squeue --jobs fails on ids the controller has purged
  const out = await slurmCommand('squeue', ['--noheader', '--array', '--me', '--format=%F|%K|%T|%r']);
  const tasks: QueuedTask[] = [];
  for (const line of out.split('\n')) {
    const [arrayJobId, indices, state, reason] = line.trim().split('|');
    if (!arrayJobId || !arrayJobIds.includes(arrayJobId) || indices === undefined) continue;
    for (const taskIndex of expandIndices(indices))
      tasks.push({ arrayJobId, taskIndex, state: state ?? '', reason: reason ?? '' });
  }
  return tasks;
}

/** `3`, or a pending range such as `0-5%2` / `1,4,7-9`. */
function expandIndices(text: string): number[] {
  const out: number[] = [];
  for (const part of text.replace(/%\d+$/, '').split(',')) {
    const [a, b] = part.split('-').map(Number);
    if (!Number.isInteger(a)) continue;
    for (let i = a!; i <= (Number.isInteger(b) ? b! : a!); i++) out.push(i);
  }
  return out;
}

/** Puts a job (or one array task, `<array>_<index>`) back in the queue. */
export async function requeue(jobId: string): Promise<void> {
  await slurmCommand('scontrol', ['requeue', jobId]);
}
