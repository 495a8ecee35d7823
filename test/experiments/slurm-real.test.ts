/**
 * The Slurm executor against a real Slurm: a one-node cluster of this file's own
 * (helpers/slurm-cluster.ts), the real `sr2l` CLI and trainer, InvertedPendulum-v5 with a few
 * short iterations. Without Slurm the file says why and skips; under CI it fails.
 *
 * A requeued job waits for the job credential of its last start to expire before it starts
 * again: 120 s by default, 10 s in the test cluster (cred_expire).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism, hostname } from 'node:os';
import { afterAll, describe, expect, test } from 'vitest';
import { validateSweepConfig, type SweepConfig } from '../../src/experiments/config.js';
import { planSweep } from '../../src/experiments/plan.js';
import { planTasks } from '../../src/experiments/tasks.js';
import { progressRows } from '../../src/experiments/run-files.js';
import { runSweep } from '../../src/experiments/sweep.js';
import { formatSweepState, sweepState } from '../../src/experiments/slurm/status.js';
import { latestCheckpoint } from '../../src/rl/run/checkpoint.js';
import { readRunLock } from '../../src/rl/run/run-lock.js';
import { startSlurmCluster, type SlurmCluster } from '../helpers/slurm-cluster.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { rowsWithoutTimes } from '../rl/ddpg/progress-rows.js';

const started = await startSlurmCluster();
const cluster: SlurmCluster | null = 'unavailable' in started ? null : started;
afterAll(async () => cluster?.stop(), 60_000);
// squeue, for sweep status read in this process
if (cluster) process.env.SLURM_CONF = cluster.env.SLURM_CONF;
const tempDir = tempDirs('sr2l-slurm-real-');
const SR2L = [process.execPath, '--import', 'tsx', 'src/cli/main.ts'];
const title = cluster
  ? 'sr2l sweep on a real Slurm'
  : `sr2l sweep on a real Slurm — SKIPPED: ${(started as { unavailable: string }).unavailable}`;

function sweepConfig(out: string, extra: Record<string, unknown> = {}): SweepConfig {
  return validateSweepConfig({
    name: 'slurm-tiny',
    out,
    envs: ['InvertedPendulum-v5'],
    algorithms: ['trpo', 'trpo-sr'],
    seeds: 2,
    iterations: 3,
    stepsPerIteration: 200,
    options: { evalEvery: 0 },
    ...extra,
  });
}

async function writeSweep(cfg: SweepConfig, file: string): Promise<string> {
  await writeFile(file, JSON.stringify(cfg)); // JSON is YAML
  return file;
}

/** The sr2l CLI in the cluster's environment. */
function sr2l(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((res) => {
    const child = spawn(SR2L[0]!, [...SR2L.slice(1), ...args], { env: cluster!.env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => res({ code, out }));
  });
}

async function submit(file: string, extra: string[] = []): Promise<string> {
  const r = await sr2l(['sweep', file, '--executor', 'slurm', '--time', '10:00', ...extra]);
  expect(r.code, r.out).toBe(0);
  return /submitted array job (\d+)/.exec(r.out)![1]!;
}

const scontrol = (...args: string[]): Promise<string> => cluster!.run('scontrol', args);
const scancel = (...args: string[]): Promise<string> => cluster!.run('scancel', args);

/** JobState of a job or array task, as scontrol shows it. */
async function jobState(id: string): Promise<string> {
  const text = await scontrol('show', 'job', id);
  return /JobState=(\w+)/.exec(text)?.[1] ?? 'UNKNOWN';
}

async function waitFor(what: string, ok: () => Promise<boolean>, seconds = 180): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await ok())) {
    if (Date.now() > deadline) {
      const queue = await cluster!.run('squeue', ['--array']).catch((e: Error) => e.message);
      // the controller's last words say why a job did not start, end or get preempted
      const ctld = await readFile(join(cluster!.dir, 'slurmctld.log'), 'utf8').catch((e: Error) => e.message);
      throw new Error(
        `timed out after ${seconds} s waiting for ${what}; squeue:\n${queue}\nslurmctld.log, last lines:\n${ctld.split('\n').slice(-30).join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

const ENDED = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY'];
const ended = async (id: string): Promise<boolean> => ENDED.includes(await jobState(id));

/** Puts a task back in the queue (it starts again after the cluster's cred_expire, 10 s). */
async function requeue(id: string): Promise<void> {
  await scontrol('requeue', id);
}

/** The ids of the processes whose parent is `pid` (Linux /proc). */
async function childrenOf(pid: number): Promise<number[]> {
  const kids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) kids.push(Number(entry));
  }
  return kids;
}

/** progress.csv without the timing columns (the only ones that differ between equal runs). */
const rows = rowsWithoutTimes;

describe.skipIf(!cluster)(title, () => {
  test('a sweep submitted with sbatch ends with the same progress.csv files as the local executor; the seeds of each setting as one population task', async () => {
    const root = await tempDir();
    // tasks: 0 trpo s0+s1, 1 trpo-sr s0+s1, 2 ddpg-sr-a s0+s1 (each setting's seeds one population)
    const population = {
      algorithms: ['trpo', 'trpo-sr', 'ddpg-sr-a'],
      algorithmOptions: {
        'ddpg-sr-a': { warmupSteps: 100, stepsPerCycle: 100, trainStepsPerCycle: 5, pgdSteps: 2 },
      },
    };
    const onSlurm = sweepConfig(join(root, 'slurm'), population);
    const here = sweepConfig(join(root, 'local'), population);
    // held at first, so that status sees the whole array queued, with Slurm's reason
    const job = await submit(await writeSweep(onSlurm, join(root, 'slurm.yaml')), [
      '--max-parallel',
      '2',
      '--sbatch-arg=--hold',
    ]);
    const held = await sr2l(['sweep', 'status', onSlurm.out]);
    expect(held.out).toMatch(/^6 runs: 0 done, 0 running, 6 queued, 0 stopped, 0 failed, 0 pending$/m);
    expect(held.out).toMatch(
      new RegExp(`/trpo-sr/default/seed-1 +queued +0/3 +1 +job ${job}_1 \\(JobHeldUser\\)`),
    );
    expect(held.out).toMatch(new RegExp(`/ddpg-sr-a/default/seed-1 +queued +0/3 +2 +job ${job}_2 `));
    await scontrol('release', job);
    const local = await runSweep(here, { workers: 2, defaultCommand: [...SR2L, 'train'] });
    expect(local.completed).toHaveLength(6);
    const plan = planSweep(onSlurm, []);
    await waitFor('6 finished runs', async () =>
      (await Promise.all(plan.map((r) => existsSync(join(r.dir, 'sweep-done.json'))))).every(Boolean),
    );
    const tasks = planTasks(plan);
    expect(tasks).toHaveLength(3);
    for (const run of plan) {
      const localRun = local.runs.find((r) => r.id === run.id)!;
      const slurmRows = await rows(run.dir);
      expect(slurmRows.map((r) => r.Iteration)).toEqual([1, 2, 3]);
      expect(slurmRows, run.id).toEqual(await rows(localRun.dir));
      const i = tasks.find((t) => t.runIds.includes(run.id))!.index;
      await waitFor(`task ${job}_${i} ended`, () => ended(`${job}_${i}`), 60);
      expect(await jobState(`${job}_${i}`)).toBe('COMPLETED');
    }
    for (const run of plan.filter((r) => r.seed === 1))
      expect(await readFile(join(run.dir, 'train.log'), 'utf8')).toMatch(
        / --seeds 0-1 --member-dir \S+ --member-dir /,
      );
    const status = await sr2l(['sweep', 'status', onSlurm.out]);
    expect(status.code, status.out).toBe(0);
    expect(status.out).toMatch(/^6 runs: 6 done, 0 running, 0 queued, 0 stopped, 0 failed, 0 pending$/m);
    // submitting again finds nothing to do
    const again = await sr2l(['sweep', join(root, 'slurm.yaml'), '--executor', 'slurm']);
    expect(again.out).toMatch(/nothing to submit, every selected run is finished/);
  }, 300_000);

  test('scancel --signal=TERM, then requeue: resumes with no iteration lost; SIGUSR2 requeues itself; SIGKILL loses at most one', async () => {
    const root = await tempDir();
    const cfg = sweepConfig(join(root, 'out'), { algorithms: ['trpo'], seeds: [4], iterations: 30 });
    const job = await submit(await writeSweep(cfg, join(root, 'long.yaml')));
    const task = `${job}_0`;
    const run = planSweep(cfg, [])[0]!;
    const log = join(cfg.out, 'slurm', 'logs', `${task}.out`);
    const resumes = async (): Promise<number[]> =>
      [...(await readFile(log, 'utf8')).matchAll(/resuming after (\d+) iterations/g)].map((m) =>
        Number(m[1]),
      );
    const rowsAtLeast = (n: number) =>
      waitFor(`${n} iterations`, async () => (await progressRows(run.dir)) >= n);

    // SIGTERM (as scancel or preemption send it): the iteration in progress is finished and checkpointed
    await rowsAtLeast(2);
    const atTerm = await progressRows(run.dir);
    await scancel('--signal=TERM', task);
    await waitFor(`${task} stopped`, () => ended(task), 60);
    const afterTerm = await progressRows(run.dir);
    expect(afterTerm).toBeGreaterThanOrEqual(atTerm);
    expect(afterTerm).toBeLessThan(30);
    expect(await latestCheckpoint(run.dir)).toBe(afterTerm);
    await requeue(task);

    // SIGUSR2 (the script's warning before the time limit): checkpoint, and the task requeues itself
    await rowsAtLeast(afterTerm + 2);
    const atUsr2 = await progressRows(run.dir);
    await scancel('--signal=USR2', task);
    await waitFor(
      `${task} requeued itself`,
      async () => /Restarts=2\b/.test(await scontrol('show', 'job', task)),
      60,
    );
    expect(await readFile(log, 'utf8')).toMatch(
      /SIGUSR2 \(time limit near\): checkpointed; requeueing \d+_0/,
    );
    const afterUsr2 = (await latestCheckpoint(run.dir))!;
    expect(afterUsr2).toBeGreaterThanOrEqual(atUsr2);

    // SIGKILL at any moment, mid-checkpoint included: the last complete checkpoint survives.
    // Sent to the processes themselves (task and trainer), as the kernel's OOM killer or a
    // dying node would: `scancel --signal=KILL` is a cancel, which sends SIGTERM first.
    await rowsAtLeast(afterUsr2 + 2);
    const atKill = await progressRows(run.dir);
    const owner = (await readRunLock(run.dir))!;
    for (const pid of [...(await childrenOf(owner.pid)), owner.pid]) process.kill(pid, 'SIGKILL');
    await waitFor(`${task} killed`, () => ended(task), 60);
    await requeue(task);
    await waitFor('the run finished', async () => existsSync(join(run.dir, 'sweep-done.json')));

    const [r1, r2, r3] = await resumes();
    expect(r1).toBe(afterTerm);
    expect(r2).toBe(afterUsr2);
    expect(r3).toBeGreaterThanOrEqual(atKill - 1);
    expect((await rows(run.dir)).map((r) => r.Iteration)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    // the killed task's lock was left behind: its successor took it over and said so
    expect(await readFile(log, 'utf8')).toMatch(
      /took over the stale lock of process \d+ on host .* \(that process is gone\)/,
    );
  }, 300_000);

  test('preemption: Slurm stops the task with SIGTERM and requeues it; it resumes with no iteration lost', async () => {
    const root = await tempDir();
    // more iterations than the test waits for: a run that ended before Slurm preempted it
    // would leave nothing to requeue (a loaded 2-core machine once finished 30 first)
    const iterations = 100_000;
    const cfg = sweepConfig(join(root, 'out'), { algorithms: ['trpo'], seeds: [2], iterations });
    const job = await submit(await writeSweep(cfg, join(root, 'low.yaml')));
    const task = `${job}_0`;
    const run = planSweep(cfg, [])[0]!;
    await waitFor('2 iterations', async () => (await progressRows(run.dir)) >= 2);
    const status = formatSweepState(await sweepState(cfg.out));
    expect(status).toMatch(
      new RegExp(`/seed-2 +running +\\d+/${iterations} +0 +job ${task}, pid \\d+ on ${hostname()}`),
    );
    const atPreemption = await progressRows(run.dir);
    // a job of the higher partition that needs every core of the node
    const cores = String(availableParallelism());
    await cluster!.run('sbatch', ['--partition=urgent', `--cpus-per-task=${cores}`, '--wrap=sleep 3']);
    await waitFor(`${task} preempted and requeued`, async () =>
      /Restarts=1\b/.test(await scontrol('show', 'job', task)),
    );
    const log = join(cfg.out, 'slurm', 'logs', `${task}.out`);
    const resumedAt = async (): Promise<number | undefined> => {
      const m = /resuming after (\d+) iterations/.exec(await readFile(log, 'utf8').catch(() => ''));
      return m ? Number(m[1]) : undefined;
    };
    await waitFor('the requeued task resumed', async () => (await resumedAt()) !== undefined);
    // preemption's SIGTERM: the iteration in progress finished and checkpointed, then the resume
    expect(await readFile(log, 'utf8')).toMatch(/stopped by SIGTERM[\s\S]*resuming after/);
    const resumed = (await resumedAt())!;
    expect(resumed).toBeGreaterThanOrEqual(atPreemption);
    await waitFor('2 iterations after the resume', async () => (await progressRows(run.dir)) >= resumed + 2);
    await scancel(task);
    await waitFor(`${task} cancelled`, () => ended(task), 60);
    const done = (await rows(run.dir)).map((r) => r.Iteration);
    expect(done.length).toBeGreaterThanOrEqual(resumed + 2);
    expect(done).toEqual(Array.from({ length: done.length }, (_, i) => i + 1));
  }, 300_000);

  test('two tasks given one run folder: the second fails with the lock error naming the first', async () => {
    const root = await tempDir();
    const cfg = sweepConfig(join(root, 'out'), { algorithms: ['trpo'], seeds: [1], iterations: 15 });
    const file = await writeSweep(cfg, join(root, 'one.yaml'));
    // both held, then released together: they start at the same moment
    const hold = ['--sbatch-arg=--hold'];
    const [a, b] = [await submit(file, hold), await submit(file, hold)];
    await scontrol('release', `${a},${b}`);
    await waitFor('both tasks ended', async () => (await ended(`${a}_0`)) && (await ended(`${b}_0`)));
    const logs = await Promise.all(
      [a, b].map((j) => readFile(join(cfg.out, 'slurm', 'logs', `${j}_0.out`), 'utf8')),
    );
    const states = await Promise.all([a, b].map((j) => jobState(`${j}_0`)));
    const loser = logs.findIndex((l) => /is in use by process \d+ on host/.test(l));
    expect(loser, logs.join('\n----\n')).toBeGreaterThanOrEqual(0);
    expect(states[loser]).toBe('FAILED');
    expect(states[1 - loser]).toBe('COMPLETED');
    const run = planSweep(cfg, [])[0]!;
    expect((await rows(run.dir)).map((r) => r.Iteration)).toEqual(
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
  }, 300_000);

  test('sweep status shows a failed run with its log; --resubmit-failed submits just its task', async () => {
    const root = await tempDir();
    // TRPO-SR gets a setting train refuses: its run fails, TRPO's finishes
    const cfg = sweepConfig(join(root, 'out'), {
      seeds: [0],
      iterations: 2,
      algorithmOptions: { 'trpo-sr': { eps: 'abc' } },
    });
    const job = await submit(await writeSweep(cfg, join(root, 'mixed.yaml')));
    await waitFor('both tasks ended', async () => (await ended(`${job}_0`)) && (await ended(`${job}_1`)));
    const status = await sr2l(['sweep', 'status', cfg.out]);
    expect(status.code).toBe(1);
    expect(status.out).toMatch(/^InvertedPendulum-v5\/trpo\/default\/seed-0 +done +2\/2 +0$/m);
    expect(status.out).toMatch(
      /^InvertedPendulum-v5\/trpo-sr\/default\/seed-0 +failed +0\/2 +1 +exit code 2$/m,
    );
    expect(status.out).toMatch(/ {4}\| sr2l train: --eps = "abc" is invalid; allowed: a number/);
    const again = await sr2l(['sweep', 'status', cfg.out, '--resubmit-failed']);
    const resubmitted = /resubmitted 1 tasks as array job (\d+) \(tasks 1\)/.exec(again.out);
    expect(resubmitted, again.out).not.toBeNull();
    const retry = `${resubmitted![1]}_1`;
    await waitFor(`${retry} ended`, () => ended(retry));
    expect(await readFile(join(cfg.out, 'slurm', 'logs', `${retry}.out`), 'utf8')).toMatch(
      /FAILED InvertedPendulum-v5\/trpo-sr\/default\/seed-0/,
    );
    const jobs = JSON.parse(await readFile(join(cfg.out, 'slurm', 'jobs.json'), 'utf8')) as {
      tasks: number[];
    }[];
    expect(jobs.map((j) => j.tasks)).toEqual([[0, 1], [1]]);
  }, 300_000);
});
