/** `sr2l sweep FILE.yaml`: run envs × algorithms × seeds × settings as parallel training processes. */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadSweepConfig, type SweepConfig } from '../../experiments/config.js';
import { planSweep } from '../../experiments/plan.js';
import { formatEvent, formatStatus } from '../../experiments/progress.js';
import { DEFAULT_STALL_SECONDS, runSweep, selectedBy, type RunFilter } from '../../experiments/sweep.js';
import { UsageError, type Command } from '../command.js';

/** This sr2l's own `train`, started the way this process was (node [--import tsx] main). */
function selfTrainCommand(): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1]!, 'train'];
}

export const sweep: Command = {
  summary: 'run a grid of training runs (envs × algorithms × seeds × settings) in parallel',
  usage: `sr2l sweep FILE.yaml [--workers N] [--envs A,B] [--algorithms A,B] [--seeds 0,1,2]
                  [--stall-timeout S] [--dry-run]

  --workers N      training processes at a time (default: number of cores, ${availableParallelism()} here)
  --envs LIST      run only these of the file's envs (comma-separated; likewise --algorithms
  --algorithms LIST  and --seeds); the others stay planned for a later, unfiltered start
  --seeds LIST
  --stall-timeout S  a trainer that logs no iteration for S seconds is killed and resumed from
                   its last checkpoint, twice at most (default ${DEFAULT_STALL_SECONDS}; 0: never)
  --dry-run        validate the file and list the runs without starting any

Finished runs are skipped and interrupted ones resume from their last checkpoint, so a
sweep can be stopped (Ctrl-C) and restarted at any time. Failing runs are reported with
the end of their log; the others go on. Exit code 1 if any run failed.`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        workers: { type: 'string' },
        envs: { type: 'string' },
        algorithms: { type: 'string' },
        seeds: { type: 'string' },
        'stall-timeout': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
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
    let cfg;
    try {
      cfg = await loadSweepConfig(positionals[0]!);
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message);
      throw e;
    }
    const only = runFilter(cfg, values);
    if (values['dry-run']) {
      const runs = planSweep(cfg, cfg.command ?? selfTrainCommand()).filter((r) => selectedBy(only, r));
      for (const r of runs) console.log(`${r.id}\n    ${r.argv.join(' ')}`);
      console.log(`${runs.length} runs; config OK`);
      return 0;
    }
    const tty = process.stderr.isTTY;
    let lastPrinted = 0;
    const summary = await runSweep(cfg, {
      workers,
      stallSeconds,
      only,
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
    if (summary.interrupted) {
      console.log('interrupted: run the same command again to continue');
      return 130;
    }
    return summary.failed.length ? 1 : 0;
  },
};

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
