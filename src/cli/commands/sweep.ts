/** `sr2l sweep FILE.yaml`: run envs × algorithms × seeds × settings as parallel training processes, here or on Slurm. */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadSweepConfig, type SweepConfig } from '../../experiments/config.js';
import { planSweep } from '../../experiments/plan.js';
import { DEFAULT_GROUPING, type Grouping, planTasks } from '../../experiments/tasks.js';
import { populationArgv } from '../../experiments/units.js';
import { formatDuration, formatEvent, formatStatus } from '../../experiments/progress.js';
import { RUN_DONE, exists } from '../../experiments/run-files.js';
import { TASK_ORDERS, type TaskOrder, orderTasks } from '../../experiments/task-order.js';
import { DEFAULT_STALL_SECONDS, runSweep, selectedBy, type RunFilter } from '../../experiments/sweep.js';
import {
  DEFAULT_SIGNAL_LEAD,
  SLURM_FLAGS,
  SlurmOptionError,
  parseSlurmOptions,
} from '../../experiments/slurm/options.js';
import { prepareSlurmSweep, submitSlurmSweep } from '../../experiments/slurm/submit.js';
import { runTask, TaskError } from '../../experiments/slurm/task.js';
import { UsageError, type Command } from '../command.js';
import { durationSeconds } from '../duration-flag.js';
import { sweepKeep } from './sweep-keep.js';
import { sweepStatus } from './sweep-status.js';

/** This sr2l, started the way this process was (node [--import tsx] main). */
function selfCommand(): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1]!];
}

/** This sr2l's own `train`. */
function selfTrainCommand(): string[] {
  return [...selfCommand(), 'train'];
}

export const sweep: Command = {
  summary: 'run a grid of training runs (envs × algorithms × seeds × settings) in parallel',
  usage: `sr2l sweep FILE.yaml [--workers N] [--envs A,B] [--algorithms A,B] [--seeds 0,1,2]
                  [--stall-timeout S] [--population auto|off] [--max-population N]
                  [--start-within D] [--order plan|longest-first] [--dry-run]
       sr2l sweep FILE.yaml --executor slurm [--partition P] [--time T] [--cpus-per-task N]
                  [--mem M] [--max-parallel N] [--signal-lead S] [--sbatch-arg ARG ...] [--dry-run]
       sr2l sweep FILE.yaml [--population auto|off] [--max-population N] --task K
       sr2l sweep status FOLDER [--resubmit-failed] [--log-lines N]
       sr2l sweep keep FOLDER [--unfinished] [--list] [--commit [--message M]]

  --workers N      training processes at a time (default: number of cores, ${availableParallelism()} here)
  --envs LIST      run only these of the file's envs (comma-separated; likewise --algorithms
  --algorithms LIST  and --seeds); the others stay planned for a later, unfiltered start
  --seeds LIST
  --stall-timeout S  a trainer that logs no iteration for S seconds is killed and resumed from
                   its last checkpoint, twice at most (default ${DEFAULT_STALL_SECONDS}; 0: never)
  --population auto|off  auto (default): the seeds of one setting train as populations, one
                   \`sr2l train --seeds\` process each; off: one process per run. Same run
                   folders either way.
  --max-population N  seeds in one population at most (default ${DEFAULT_GROUPING.maxPopulation})
  --start-within D  start trainers only within D of now (90m, 2h, 1h30m; plain numbers are
                   seconds); those running then finish, the rest wait for the next start.
                   For a machine lent until a known time: give its time left minus the
                   longest unit, so no unit is started that cannot finish (a DDPG run cannot
                   move machines part way). Exit code 0, listing what was not started.
  --order O        the order tasks start in: plan (default: the file's order) or
                   longest-first (by the median wall time of this sweep's finished runs of
                   the same env and algorithm, times the share of iterations left; unmeasured
                   ones first): fewer idle cores at the end, and --start-within leaves the
                   short tasks for the next start
  --dry-run        validate the file and list the runs (Slurm: print the sbatch script) without
                   starting or submitting anything

Slurm (docs/slurm.md): --executor slurm writes <out>/slurm/sweep.sbatch and submits one job
array, one task per run or population; each task runs \`sr2l sweep FILE --task K\`, which
skips a finished run and resumes a partial one.
  --executor local|slurm  where the runs train (default local: child processes here)
  --partition P    --time T (Slurm's forms: M, H:M:S, D-H, ...)    --mem M (e.g. 4G)
  --cpus-per-task N  (default 1)    --max-parallel N  tasks running at once (the array's %N)
  --signal-lead S  SIGUSR2 this many seconds before the time limit: checkpoint and requeue
                   (default ${DEFAULT_SIGNAL_LEAD})
  --sbatch-arg ARG  any other sbatch option, passed through (repeatable, e.g. --sbatch-arg=--qos=low)
  --task K         run array task K (what the script runs; idempotent)

Finished runs are skipped and interrupted ones resume from their last checkpoint, so a
sweep can be stopped (Ctrl-C) and restarted at any time. Failing runs are reported with
the end of their log; the others go on. Exit codes: 0 done (or submitted), 1 a run failed,
2 usage, 130 stopped by a signal (resumable).

\`sweep keep\` lists what of the finished runs belongs in git (config.json, progress.csv, the
newest checkpoint, eval/ results, the sweep's index) and with --commit adds and commits
exactly those files, so a clone elsewhere resumes the sweep where this machine left it. With
--unfinished it also keeps the runs still training, at their newest checkpoint (not DDPG runs,
whose resume needs the replay buffer), so a sweep that outlasts the machine goes on elsewhere;
a run's older checkpoints leave git as its newest moves on.`,
  async run(argv) {
    if (argv[0] === 'status') return sweepStatus(argv.slice(1));
    if (argv[0] === 'keep') return sweepKeep(argv.slice(1));
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        workers: { type: 'string' },
        envs: { type: 'string' },
        algorithms: { type: 'string' },
        seeds: { type: 'string' },
        'stall-timeout': { type: 'string' },
        population: { type: 'string' },
        'max-population': { type: 'string' },
        'start-within': { type: 'string' },
        order: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        executor: { type: 'string' },
        task: { type: 'string' },
        partition: { type: 'string' },
        time: { type: 'string' },
        'cpus-per-task': { type: 'string' },
        mem: { type: 'string' },
        'max-parallel': { type: 'string' },
        'signal-lead': { type: 'string' },
        'sbatch-arg': { type: 'string', multiple: true },
      },
    });
    if (positionals.length !== 1) throw new UsageError(`expected one sweep file, got ${positionals.length}`);
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers > 0))
      throw new UsageError(`--workers must be a positive integer, got '${values.workers}'`);
    const stall = values['stall-timeout'];
    const stallSeconds = stall === undefined ? undefined : Number(stall);
    if (
      stallSeconds !== undefined &&
      !(stall!.trim() !== '' && Number.isFinite(stallSeconds) && stallSeconds >= 0)
    )
      throw new UsageError(`--stall-timeout must be a number of seconds ≥ 0, got '${stall}'`);
    const grouping = parseGrouping(values.population, values['max-population']);
    const startWithin =
      values['start-within'] === undefined
        ? undefined
        : durationSeconds('start-within', values['start-within']);
    const order = values.order ?? 'plan';
    if (!(TASK_ORDERS as readonly string[]).includes(order))
      throw new UsageError(`--order must be one of ${TASK_ORDERS.join(', ')}, got '${order}'`);
    const executor = values.executor ?? 'local';
    if (executor !== 'local' && executor !== 'slurm')
      throw new UsageError(`--executor must be local or slurm, got '${executor}'`);
    const slurmFlag = SLURM_FLAGS.find((f) => values[f] !== undefined);
    if (executor === 'local' && slurmFlag) throw new UsageError(`--${slurmFlag} needs --executor slurm`);
    if (executor === 'slurm' && startWithin !== undefined)
      throw new UsageError('--start-within is for the local executor; on Slurm, --time bounds each task');
    if (executor === 'slurm' && values.order !== undefined)
      throw new UsageError(
        '--order is for the local executor; Slurm starts array tasks as it schedules them',
      );
    if (executor === 'slurm' && values.workers !== undefined)
      throw new UsageError(
        '--workers is for the local executor; Slurm runs one task per run (see --max-parallel)',
      );
    let slurmOptions;
    try {
      slurmOptions = executor === 'slurm' ? parseSlurmOptions(values) : null;
    } catch (e) {
      if (e instanceof SlurmOptionError) throw new UsageError(e.message);
      throw e;
    }
    const task = values.task;
    if (task !== undefined) {
      if (!/^\d+$/.test(task))
        throw new UsageError(`--task must be an array index (an integer ≥ 0), got '${task}'`);
      const other = [
        'executor',
        'envs',
        'algorithms',
        'seeds',
        'dry-run',
        'workers',
        'start-within',
        'order',
      ].find(
        (f) => values[f as keyof typeof values] !== undefined && values[f as keyof typeof values] !== false,
      );
      if (other) throw new UsageError(`--task runs one task of the whole plan; drop --${other}`);
    }
    let cfg;
    try {
      cfg = await loadSweepConfig(positionals[0]!);
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message);
      throw e;
    }
    // a task without the flags groups as its sweep.json says (scripts from before populations)
    const explicit = values.population !== undefined || values['max-population'] !== undefined;
    if (task !== undefined)
      return runTaskCommand(cfg, Number(task), stallSeconds, explicit ? grouping : undefined);
    const only = runFilter(cfg, values);
    if (slurmOptions) {
      let sweep;
      try {
        sweep = await prepareSlurmSweep(cfg, {
          options: slurmOptions,
          file: resolve(positionals[0]!),
          sr2l: selfCommand(),
          defaultCommand: selfTrainCommand(),
          only,
          grouping,
        });
      } catch (e) {
        if (e instanceof SlurmOptionError) throw new UsageError(e.message);
        throw e;
      }
      if (values['dry-run']) {
        process.stdout.write(sweep.script);
        return 0;
      }
      if (!sweep.tasks.length) {
        console.log(
          `sweep ${cfg.name}: nothing to submit, every selected run is finished (folder ${sweep.out})`,
        );
        return 0;
      }
      const job = await submitSlurmSweep(cfg, sweep, slurmOptions);
      console.log(
        `sweep ${cfg.name}: submitted array job ${job.jobId} with ${job.tasks.length} tasks (folder ${sweep.out}); follow it with: sr2l sweep status ${sweep.out}`,
      );
      return 0;
    }
    if (values['dry-run']) return dryRun(cfg, only, grouping, order as TaskOrder);
    const tty = process.stderr.isTTY;
    let lastPrinted = 0;
    const startBefore = startWithin === undefined ? undefined : Date.now() + startWithin * 1000;
    const summary = await runSweep(cfg, {
      workers,
      grouping,
      stallSeconds,
      only,
      order: order as TaskOrder,
      ...(startBefore === undefined ? {} : { startBefore }),
      defaultCommand: selfTrainCommand(),
      onEvent: (e) => {
        if (e.kind === 'progress') {
          const line = formatStatus(e.status);
          if (tty) process.stderr.write(`\r\x1b[K${line}`);
          else if (performance.now() - lastPrinted > 30_000) {
            console.error(line);
            lastPrinted = performance.now();
          }
          return;
        }
        if (tty) process.stderr.write('\r\x1b[K');
        console.error(formatEvent(e));
      },
    });
    if (tty) process.stderr.write('\n');
    console.log(
      `sweep ${cfg.name}: ${summary.completed.length} completed, ${summary.skipped.length} already finished, ${summary.failed.length} failed (folder ${summary.out})`,
    );
    for (const id of summary.failed) console.log(`  failed: ${id}`);
    if (summary.deferred.length)
      console.log(
        `not started: ${summary.deferred.length} runs, as --start-within ${values['start-within']} ended at ${new Date(startBefore!).toISOString()}; run the same command again to continue`,
      );
    if (summary.interrupted) {
      console.log('interrupted: run the same command again to continue');
      return 130;
    }
    return summary.failed.length ? 1 : 0;
  },
};

/** `--task K`: one array task's runs, its events on stderr (the Slurm log). */
async function runTaskCommand(
  cfg: SweepConfig,
  index: number,
  stallSeconds: number | undefined,
  grouping: Grouping | undefined,
): Promise<number> {
  let summary;
  try {
    summary = await runTask(cfg, index, {
      defaultCommand: selfTrainCommand(),
      grouping,
      stallSeconds,
      onEvent: (e) => {
        const line = formatEvent(e);
        if (line) console.error(line);
      },
    });
  } catch (e) {
    if (e instanceof TaskError) throw new UsageError(e.message);
    throw e;
  }
  const { runs, done, failed, stoppedBy, requeued } = summary;
  const stop = stoppedBy ? `; stopped by ${stoppedBy}${requeued ? `, requeued as ${requeued}` : ''}` : '';
  console.log(
    `task ${index} of sweep ${cfg.name}: ${done.length}/${runs.length} runs done, ${failed.length} failed${stop}`,
  );
  return failed.length ? 1 : stoppedBy ? 130 : 0;
}

/** --population and --max-population. */
function parseGrouping(population: string | undefined, max: string | undefined): Grouping {
  const mode = population ?? DEFAULT_GROUPING.population;
  if (mode !== 'auto' && mode !== 'off')
    throw new UsageError(`--population must be auto or off, got '${population}'`);
  if (max !== undefined && !/^\d+$/.test(max.trim()))
    throw new UsageError(`--max-population must be an integer ≥ 1, got '${max}'`);
  const maxPopulation = max === undefined ? DEFAULT_GROUPING.maxPopulation : Number(max);
  if (maxPopulation < 1) throw new UsageError(`--max-population must be an integer ≥ 1, got '${max}'`);
  return { population: mode, maxPopulation };
}

/**
 * --dry-run (local): every process the sweep would start, one per run or population, with
 * its argv, in the order `order` starts them (finished runs included; longest-first also
 * gives each its estimate).
 */
async function dryRun(
  cfg: SweepConfig,
  only: RunFilter,
  grouping: Grouping,
  order: TaskOrder,
): Promise<number> {
  const command = cfg.command ?? selfTrainCommand();
  const plan = planSweep(cfg, command);
  const tasks = planTasks(plan, grouping)
    .map((task) => task.runIds.map((id) => plan.find((r) => r.id === id)!).filter((r) => selectedBy(only, r)))
    .filter((selected) => selected.length);
  const finished = [];
  for (const run of tasks.flat()) if (await exists(join(run.dir, RUN_DONE))) finished.push(run);
  let left = 0;
  let unmeasured = 0;
  for (const { task, estimate } of await orderTasks(tasks, order, finished, cfg.iterations)) {
    if (estimate !== null && Number.isFinite(estimate)) left += estimate;
    else if (estimate !== null) unmeasured++;
    const argv = task.length === 1 ? task[0]!.argv : await populationArgv(task, command, cfg, false);
    const note =
      estimate === null
        ? ''
        : `    (${Number.isFinite(estimate) ? `≈ ${formatDuration(estimate)} left` : 'not measured yet'})\n`;
    console.log(`${task.map((r) => r.id).join('\n')}\n${note}    ${argv.join(' ')}`);
  }
  console.log(`${tasks.flat().length} runs; config OK (${tasks.length} training processes)`);
  if (order === 'longest-first')
    console.log(
      `≈ ${formatDuration(left)} of training left on one core by the estimates${unmeasured ? `, and ${unmeasured} processes not measured yet` : ''}`,
    );
  return 0;
}

/** --envs/--algorithms/--seeds, each checked against what the sweep file plans. */
function runFilter(
  cfg: SweepConfig,
  values: { envs?: string; algorithms?: string; seeds?: string },
): RunFilter {
  const list = (
    flag: string,
    text: string | undefined,
    allowed: readonly (string | number)[],
  ): string[] | undefined => {
    if (text === undefined) return undefined;
    const items = text.split(',').map((x) => x.trim());
    for (const x of items)
      if (!allowed.map(String).includes(x))
        throw new UsageError(`--${flag}: '${x}' is not in the sweep file; it plans ${allowed.join(', ')}`);
    return items;
  };
  return {
    envs: list('envs', values.envs, cfg.envs),
    algorithms: list('algorithms', values.algorithms, cfg.algorithms),
    seeds: list('seeds', values.seeds, cfg.seeds)?.map(Number),
  };
}
