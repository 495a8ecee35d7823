/**
 * `sr2l sweep`: runs a planned sweep as separate training processes, `workers` at a time,
 * one process per task (tasks.ts: one run, or the seeds of one setting as a population,
 * `train --seeds`; units.ts decides which unfinished runs of a task train together).
 * Finished runs (sweep-done.json) are skipped; a run with a checkpoint is resumed from it
 * (`train --resume`), any other one starts fresh. The trainer checkpoints every iteration,
 * so killing and restarting a sweep loses, per running run, at most the iteration in
 * progress. A failing run is reported with the tail of its log and the others go on. One
 * sweep at a time per folder (sweep.lock), one writer at a time per run folder (run.lock,
 * rl/run/run-lock.ts, held here and inherited by the trainer); a failure is recorded in the
 * run folder (sweep-failed.json) for `sr2l sweep status`.
 *
 * A trainer that stops making progress without exiting (no new progress.csv row for
 * `stallSeconds`; seen once in ~100 real runs as a Node process idle forever on an fs
 * request that never completed) is killed and resumed from its last checkpoint, up to
 * `stallRestarts` times, so an unattended sweep does not wait on it forever.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { SweepConfig } from './config.js';
import { type PlannedRun, planSweep } from './plan.js';
import { DEFAULT_GROUPING, type Grouping, planTasks } from './tasks.js';
import { type TaskOrder, orderTasks } from './task-order.js';
import { populationArgv, trainingUnits } from './units.js';
import { FAILED_RECORD } from '../rl/population/train-population.js';
import { acquireRunLock, processAlive, RunLockedError } from '../rl/run/run-lock.js';
import {
  RUN_DONE,
  RUN_FAILED,
  RUN_INFO,
  RUN_LOG,
  SWEEP_INDEX,
  exists,
  logTail,
  progressRows,
} from './run-files.js';

export type SweepEvent =
  | { kind: 'skip'; run: PlannedRun }
  | { kind: 'start'; run: PlannedRun; resumedAt: number }
  | { kind: 'done'; run: PlannedRun; wallSeconds: number }
  | { kind: 'fail'; run: PlannedRun; exitCode: number | null; signal: string | null; log: string }
  | { kind: 'stopped'; run: PlannedRun }
  | { kind: 'stalled'; run: PlannedRun; seconds: number; iteration: number; restart: boolean }
  | { kind: 'progress'; status: SweepStatus }
  | { kind: 'note'; run: PlannedRun; message: string };

export interface SweepStatus {
  total: number;
  done: number;
  running: number;
  failed: number;
  left: number;
  /** iterations finished over all runs / iterations planned */
  fraction: number;
  /** seconds, from this session's rate; null until an iteration finished */
  etaSeconds: number | null;
}

export interface SweepOptions {
  /** parallel training processes (default: the number of cores) */
  workers?: number;
  /** argv prefix of the trainer when the config gives no `command` */
  defaultCommand: readonly string[];
  /** folder relative `out` paths resolve against (default: the working directory) */
  root?: string;
  onEvent?: (e: SweepEvent) => void;
  /** seconds between progress events (default 2) */
  progressEvery?: number;
  /**
   * Seconds without a new progress.csv row after which a trainer counts as stalled, is
   * killed and resumed (default 900: far above any iteration of the paper's settings;
   * 0 turns the watchdog off).
   */
  stallSeconds?: number;
  /** restarts of a stalled run before it is reported as failed (default 2) */
  stallRestarts?: number;
  /**
   * Run only the planned runs these lists allow (an absent list allows all), e.g. the
   * first seeds of the envs that matter most; sweep.json still lists the whole plan.
   */
  only?: RunFilter;
  /** which runs train together as populations (default: auto, at most 10 seeds) */
  grouping?: Grouping;
  /**
   * Time (ms since the epoch) after which no trainer starts; those running finish. For a
   * machine lent until a known time: a unit that cannot move machines part way (DDPG, whose
   * replay buffer stays behind) is not started too late to finish. The runs not started are
   * the summary's `deferred`, and the next start of the sweep takes them up.
   */
  startBefore?: number;
  /** the order tasks start in (default 'plan'; task-order.ts) */
  order?: TaskOrder;
}

export interface RunFilter {
  envs?: readonly string[];
  algorithms?: readonly string[];
  seeds?: readonly number[];
}

/** Whether `run` passes `filter`. */
export function selectedBy(filter: RunFilter | undefined, run: PlannedRun): boolean {
  return (
    (!filter?.envs || filter.envs.includes(run.env)) &&
    (!filter?.algorithms || filter.algorithms.includes(run.algo)) &&
    (!filter?.seeds || filter.seeds.includes(run.seed))
  );
}

export interface SweepSummary {
  out: string;
  runs: PlannedRun[];
  skipped: string[];
  completed: string[];
  failed: string[];
  /** not started because `startBefore` had passed */
  deferred: string[];
  /** stopped by SIGINT/SIGTERM; unfinished runs resume on the next start */
  interrupted: boolean;
}

const enc = new TextEncoder();

export async function runSweep(cfg: SweepConfig, opts: SweepOptions): Promise<SweepSummary> {
  const workers = opts.workers ?? availableParallelism();
  if (!(Number.isInteger(workers) && workers > 0))
    throw new RangeError(`workers must be a positive integer, got ${workers}`);
  const stallSeconds = opts.stallSeconds ?? DEFAULT_STALL_SECONDS;
  if (!(Number.isFinite(stallSeconds) && stallSeconds >= 0))
    throw new RangeError(`stall timeout must be a number of seconds ≥ 0, got ${stallSeconds}`);
  const stallRestarts = opts.stallRestarts ?? 2;
  if (!(Number.isInteger(stallRestarts) && stallRestarts >= 0))
    throw new RangeError(`stall restarts must be an integer ≥ 0, got ${stallRestarts}`);
  const root = opts.root ?? process.cwd();
  const out = resolve(root, cfg.out);
  const command = cfg.command ?? opts.defaultCommand;
  const plan = planSweep(cfg, command, root);
  const grouping = opts.grouping ?? DEFAULT_GROUPING;
  const runs = plan.filter((r) => selectedBy(opts.only, r));
  const emit = opts.onEvent ?? (() => {});
  await mkdir(out, { recursive: true });
  const lock = await takeLock(out);
  const children = new Set<ChildProcess>();
  // Ctrl-C / SIGTERM: stop the trainers and start no new run (restarting resumes them)
  let stopping = false;
  const stop = (): void => {
    stopping = true;
    for (const c of children) c.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await writeSweepIndex(out, cfg, plan, grouping);
    const summary: SweepSummary = {
      out,
      runs,
      skipped: [],
      completed: [],
      failed: [],
      deferred: [],
      interrupted: false,
    };
    // one entry per task: its selected, unfinished runs
    const unordered: PlannedRun[][] = [];
    const finished: PlannedRun[] = [];
    for (const task of planTasks(plan, grouping)) {
      const todo: PlannedRun[] = [];
      for (const run of task.runIds.map((id) => plan.find((r) => r.id === id)!)) {
        if (!selectedBy(opts.only, run)) continue;
        if (await exists(join(run.dir, RUN_DONE))) {
          summary.skipped.push(run.id);
          finished.push(run);
          emit({ kind: 'skip', run });
        } else todo.push(run);
      }
      if (todo.length) unordered.push(todo);
    }
    const tasks = (await orderTasks(unordered, opts.order ?? 'plan', finished, cfg.iterations)).map(
      (t) => t.task,
    );
    const queue = (): PlannedRun[] => tasks.flat();
    const running = new Set<PlannedRun>();
    const planned = runs.length * cfg.iterations;
    const t0 = performance.now();
    const countIterations = async (): Promise<number> => {
      let it = (summary.skipped.length + summary.completed.length) * cfg.iterations;
      for (const r of [...running, ...queue()]) it += Math.min(cfg.iterations, await progressRows(r.dir));
      for (const id of summary.failed) {
        const r = runs.find((x) => x.id === id)!;
        it += Math.min(cfg.iterations, await progressRows(r.dir));
      }
      return it;
    };
    const startIterations = await countIterations();
    const status = async (): Promise<SweepStatus> => {
      const it = await countIterations();
      const rate = (it - startIterations) / ((performance.now() - t0) / 1000);
      return {
        total: runs.length,
        done: summary.skipped.length + summary.completed.length,
        running: running.size,
        failed: summary.failed.length,
        left: queue().length,
        fraction: planned ? it / planned : 1,
        etaSeconds: rate > 0 ? (planned - it) / rate : null,
      };
    };
    const ticker = setInterval(
      () => void status().then((s) => emit({ kind: 'progress', status: s })),
      (opts.progressEvery ?? 2) * 1000,
    );
    try {
      const late = (): boolean => opts.startBefore !== undefined && Date.now() >= opts.startBefore;
      const ctx: LaunchContext = {
        cfg,
        command,
        children,
        emit,
        stopping: () => stopping,
        late,
        watch: { seconds: stallSeconds, restarts: stallRestarts },
      };
      const worker = async (): Promise<void> => {
        for (let task = tasks.shift(); task && !stopping && !late(); task = tasks.shift()) {
          for (const run of task) running.add(run);
          try {
            await launchTask(task, ctx, (run, ok) => {
              running.delete(run);
              if (ok) summary.completed.push(run.id);
              else if (!stopping) summary.failed.push(run.id);
            });
          } finally {
            for (const run of task) running.delete(run);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(workers, tasks.length) }, worker));
      if (!stopping) {
        const settled = new Set([...summary.skipped, ...summary.completed, ...summary.failed]);
        summary.deferred = runs.filter((r) => !settled.has(r.id)).map((r) => r.id);
      }
    } finally {
      clearInterval(ticker);
    }
    emit({ kind: 'progress', status: await status() });
    summary.interrupted = stopping;
    return summary;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await lock.release();
  }
}

export const DEFAULT_STALL_SECONDS = 900;

/** `<out>/sweep.json`: the config, the grouping into tasks and the whole plan (`sr2l sweep status` reads it). */
export async function writeSweepIndex(
  out: string,
  cfg: SweepConfig,
  plan: PlannedRun[],
  grouping: Grouping,
): Promise<void> {
  await writeFileAtomic(
    join(out, SWEEP_INDEX),
    enc.encode(JSON.stringify({ config: cfg, grouping, runs: plan }, null, 2) + '\n'),
  );
}

/** What launching a task needs besides its runs. */
export interface LaunchContext {
  cfg: SweepConfig;
  /** argv prefix of the trainer */
  command: readonly string[];
  children: Set<ChildProcess>;
  emit: (e: SweepEvent) => void;
  stopping: () => boolean;
  /** whether the time to start trainers has passed (default: never) */
  late?: () => boolean;
  watch: { seconds: number; restarts: number };
}

/**
 * Trains a task's unfinished runs: together as one population process where units.ts allows,
 * else one process each, one after the other. `onRun` hears every run's outcome.
 */
export async function launchTask(
  runs: readonly PlannedRun[],
  ctx: LaunchContext,
  onRun: (run: PlannedRun, ok: boolean) => void,
): Promise<void> {
  for (const unit of await trainingUnits(runs)) {
    if (ctx.stopping() || ctx.late?.()) return;
    const ok = await launch(unit, ctx);
    unit.forEach((run, k) => onRun(run, ok[k]!));
  }
}

/**
 * Runs one unit's trainer (one run, or a population of runs) until it finishes or fails,
 * resuming it after each stall (at most `watch.restarts` times); whether each run finished.
 */
export async function launch(runs: readonly PlannedRun[], ctx: LaunchContext): Promise<boolean[]> {
  const { emit, stopping, watch } = ctx;
  const failAll = (log: (run: PlannedRun) => string, signal: string | null): boolean[] => {
    for (const run of runs) emit({ kind: 'fail', run, exitCode: null, signal, log: log(run) });
    return runs.map(() => false);
  };
  // held for the trainer child too (it works under its parent's lock): a second task or sweep
  // given one of these runs fails here, before it touches a folder
  const locks = [];
  try {
    for (const run of runs) {
      await mkdir(run.dir, { recursive: true });
      try {
        locks.push(await acquireRunLock(run.dir, { warn: (m) => emit({ kind: 'note', run, message: m }) }));
      } catch (e) {
        if (!(e instanceof RunLockedError)) throw e;
        return failAll(() => (e as Error).message, null);
      }
    }
    for (let restarts = 0; ; restarts++) {
      const attempt = await launchOnce(runs, ctx);
      if (attempt.stalledAt === null) return attempt.ok;
      const restart = restarts < watch.restarts && !stopping();
      for (const run of runs)
        emit({ kind: 'stalled', run, seconds: watch.seconds, iteration: attempt.stalledAt, restart });
      if (!restart) {
        if (stopping()) {
          for (const run of runs) emit({ kind: 'stopped', run });
          return runs.map(() => false);
        }
        const tails = await Promise.all(runs.map((r) => logTail(r.dir)));
        return failAll(
          (run) =>
            `stalled ${restarts + 1} times (no progress row for ${watch.seconds} s); last stall after iteration ${attempt.stalledAt}\n${tails[runs.indexOf(run)]}`,
          'SIGKILL',
        );
      }
    }
  } finally {
    for (const lock of locks) await lock.release();
  }
}

/** Each run's progress rows, and the newest iteration among them (a population's members move in lockstep). */
async function rowsOf(runs: readonly PlannedRun[]): Promise<{ key: string; iteration: number }> {
  const rows = await Promise.all(runs.map((r) => progressRows(r.dir)));
  return { key: rows.join(','), iteration: Math.max(...rows) };
}

/**
 * One trainer process for `runs`. A watchdog reads their progress.csv files every few seconds
 * and kills the process when no row was added to any of them for `stallSeconds` (0: never);
 * `stalledAt` is then the rows they had, else null. The trainer's output goes to every run's
 * train.log.
 */
async function launchOnce(
  runs: readonly PlannedRun[],
  ctx: LaunchContext,
): Promise<{ ok: boolean[]; stalledAt: number | null }> {
  const { cfg, children, emit } = ctx;
  const stallSeconds = ctx.watch.seconds;
  for (const run of runs) {
    await rm(join(run.dir, RUN_FAILED), { force: true });
    await writeFileAtomic(join(run.dir, RUN_INFO), enc.encode(JSON.stringify(run, null, 2) + '\n'));
  }
  const resume = await exists(join(runs[0]!.dir, 'checkpoints', 'latest.json'));
  const argv =
    runs.length === 1
      ? resume
        ? runs[0]!.resumeArgv
        : runs[0]!.argv
      : await populationArgv(runs, ctx.command, cfg, resume);
  for (const run of runs) emit({ kind: 'start', run, resumedAt: resume ? await progressRows(run.dir) : 0 });
  const logs = runs.map((run) => createWriteStream(join(run.dir, RUN_LOG), { flags: 'a' }));
  for (const log of logs) log.write(`\n=== ${new Date().toISOString()} ${argv.join(' ')}\n`);
  const t0 = performance.now();
  const [cmd, ...args] = argv;
  const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  for (const stream of [child.stdout!, child.stderr!])
    stream.on('data', (chunk: Buffer) => {
      for (const log of logs) log.write(chunk);
    });
  let stalledAt: number | null = null;
  // progress of any member counts
  let rows = (await rowsOf(runs)).key;
  let lastRowAt = performance.now();
  const watchdog =
    stallSeconds > 0
      ? setInterval(
          () =>
            void rowsOf(runs).then(({ key, iteration }) => {
              const now = performance.now();
              if (key !== rows) [rows, lastRowAt] = [key, now];
              else if (stalledAt === null && now - lastRowAt > stallSeconds * 1000) {
                stalledAt = iteration;
                for (const log of logs)
                  log.write(
                    `\n=== ${new Date().toISOString()} stalled: no new progress row for ${stallSeconds} s after iteration ${iteration}; killed (SIGKILL)\n`,
                  );
                child.kill('SIGKILL');
              }
            }),
          Math.min(30, stallSeconds / 4) * 1000,
        )
      : null;
  const { code, signal } = await new Promise<{ code: number | null; signal: string | null }>((res) => {
    child.on('error', (e) => {
      for (const log of logs) log.write(`cannot start ${cmd}: ${e.message}\n`);
      res({ code: null, signal: null });
    });
    child.on('close', (c, s) => res({ code: c, signal: s }));
  });
  if (watchdog) clearInterval(watchdog);
  children.delete(child);
  await Promise.all(logs.map((log) => new Promise<void>((res) => log.end(res))));
  if (stalledAt !== null) return { ok: runs.map(() => false), stalledAt };
  const wallSeconds = (performance.now() - t0) / 1000;
  // a population exits 1 when a member failed; the others are finished
  const exitOk = code === 0 || (runs.length > 1 && code === 1);
  const ok: boolean[] = [];
  for (const run of runs) ok.push(await settle(run, exitOk, { code, signal }, wallSeconds, ctx));
  return { ok, stalledAt: null };
}

/**
 * Records how one run of a finished trainer process ended: done means every iteration is
 * logged and the trainer exited well, whatever else; a population member stopped by a fault
 * (its failed.json) or a run left short failed, unless the sweep is stopping.
 */
async function settle(
  run: PlannedRun,
  exitOk: boolean,
  exit: { code: number | null; signal: string | null },
  wallSeconds: number,
  ctx: LaunchContext,
): Promise<boolean> {
  const { emit, stopping } = ctx;
  const { iterations } = ctx.cfg;
  const fault = await readFile(join(run.dir, FAILED_RECORD), 'utf8').catch(() => null);
  if (exitOk && fault === null && (await progressRows(run.dir)) >= iterations) {
    await writeFileAtomic(
      join(run.dir, RUN_DONE),
      enc.encode(
        JSON.stringify({ exitCode: exit.code, wallSeconds, finishedAt: new Date().toISOString() }) + '\n',
      ),
    );
    emit({ kind: 'done', run, wallSeconds });
    return true;
  }
  if (stopping() && fault === null) {
    emit({ kind: 'stopped', run });
    return false;
  }
  await writeFileAtomic(
    join(run.dir, RUN_FAILED),
    enc.encode(
      JSON.stringify({ exitCode: exit.code, signal: exit.signal, failedAt: new Date().toISOString() }) + '\n',
    ),
  );
  const why =
    fault !== null
      ? `stopped by a fault (${FAILED_RECORD}): ${fault.trim()}\n`
      : exit.code === 0 || exitOk
        ? `the trainer exited with ${exit.code} before logging iteration ${iterations}\n`
        : '';
  emit({ kind: 'fail', run, exitCode: exit.code, signal: exit.signal, log: why + (await logTail(run.dir)) });
  return false;
}

/** `<out>/sweep.lock` holds the pid of the sweep using the folder; a dead holder's lock is taken over. */
async function takeLock(out: string): Promise<{ release(): Promise<void> }> {
  const path = join(out, 'sweep.lock');
  try {
    await writeFile(path, String(process.pid), { flag: 'wx' });
  } catch {
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid))
      throw new Error(`${out}: another sweep (pid ${pid}) is running in this folder; stop it first or wait`);
    await writeFile(path, String(process.pid));
  }
  return { release: () => rm(path, { force: true }) };
}
