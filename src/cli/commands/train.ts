/**
 * `sr2l train`: any algorithm of the registry (rl/run/algorithms.ts: TRPO, TRPO-SR, DDPG,
 * DDPG-SR-A, DDPG-SR-C) from the command line. Every setting of the chosen algorithm's
 * config is a flag (kebab-case); `--config FILE` (JSON/YAML) supplies settings that flags
 * override. `--algo` (flag, file, or the resumed run's config.json) picks the entry.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { ConfigError } from '../../rl/settings.js';
import { kebab, parseFlagValue, readConfigFile } from '../../rl/config-file.js';
import {
  ALGORITHMS,
  ALGO_NAMES,
  type Algorithm,
  type RunSettings,
  algorithmFor,
  defaultOf,
} from '../../rl/run/algorithms.js';
import { planRun, trainRun } from '../../rl/run/train-run.js';
import { readPopulationRecord, trainPopulation } from '../../rl/population/train-population.js';
import { formatSeeds } from '../../rl/population/seeds.js';
import {
  algoOfRun,
  memberDirsOf,
  planPopulation,
  populationLine,
  type TrainingPlan,
} from './train-population.js';
import { openBackend } from '../../rl/compute-backend.js';
import { UsageError, type Command } from '../command.js';
import { ProgressBar } from '../progress-bar.js';

/** Boolean settings that default to false are plain switches (in every algorithm that has them); the rest take a value. */
const isSwitch = (k: string): boolean => ALGORITHMS.some((a) => defaultOf(a, k) === false);
const ALL_KEYS = [...new Set(ALGORITHMS.flatMap((a) => a.keys))];

const options = {
  config: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'string' },
  seeds: { type: 'string' },
  'member-dirs': { type: 'string' },
  'member-dir': { type: 'string', multiple: true },
  workers: { type: 'string' },
  force: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  ...Object.fromEntries(ALL_KEYS.map((k) => [kebab(k), { type: isSwitch(k) ? 'boolean' : 'string' }])),
} as const;

const settingsOf = (a: Algorithm): string =>
  a.keys.map((k) => `  --${kebab(k)}${isSwitch(k) ? '' : ` ${JSON.stringify(defaultOf(a, k))}`}`).join('\n');

const usage = `sr2l train --algo ${ALGO_NAMES.join('|')} --env Hopper-v2 [--seed 0] [--iterations 500]
                 [--eps 0.01] [--lambda-s 1] [--backend cpu|webgpu] [--out runs/NAME] [--config FILE]
                 [--force] [--quiet] [--log-grads] [--<setting> VALUE ...]
       sr2l train --algo ddpg-sr-a --seeds 0-9 [...]   (also --seeds 0,3,7: every seed in one process)
       sr2l train --seeds 0,1,2 --member-dirs A,B,C --out P [...]   (member k's run folder is
                 the k-th of --member-dirs, not P/s<seed>; P holds population.json)
       sr2l train --seeds 0,1 --member-dir A --member-dir B --out P [...]   (the same, one folder
                 per flag, so names may hold commas; sr2l sweep uses it)
       sr2l train --resume runs/NAME [--iterations N]
       --workers N   the population's environments step on N worker threads (at most one per
                     seed; default 1: on the main thread); same numbers as with 1

Presets (--preset NAME: settings overlaid on the defaults, then the file's and the flags'
win; config.json records the name; every value and its source in docs/presets.md):
  garage-benchmark  garage v2019.10.3's benchmark harness (TRPO: 100-step episodes, whole paths
                    from 4 lockstep envs until ≥ 1024 steps, Gaussian MLP baseline; DDPG: its
                    benchmark settings), with the paper's 2 × 64 networks and 500 iterations

Settings (flag = default; a --config JSON/YAML file may set any of them, flags win):
${ALGORITHMS.map((a) => `${a.algos.join(', ')}:\n${settingsOf(a)}`).join('\n')}
Outputs go to --out (default runs/<algo>-<env>-s<seed>): config.json, progress.csv,
checkpoints/ (and grads.csv with --log-grads). With --seeds (DDPG family) each seed's run
folder is --out/s<seed>/ in that same format (default --out runs/<algo>-<env>-seeds<list>),
and --out/population.json lists the seeds; --resume --out continues all of them.`;

export const train: Command = {
  summary: 'train TRPO(-SR) or DDPG(-SR-A/-SR-C) on an environment (progress.csv, checkpoints, resume)',
  usage,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options, allowPositionals: false, strict: true });
    const v = values as Record<string, string | boolean | string[] | undefined> as Record<
      string,
      string | boolean | undefined
    >;
    try {
      const resumeDir = v.resume as string | undefined;
      const fromFile =
        resumeDir === undefined && v.config !== undefined ? readConfigFile(v.config as string) : {};
      // the algorithm decides how flag strings are read: --algo, else the file's, else the resumed run's
      const algo =
        (v.algo as string | undefined) ??
        (fromFile.algo as string | undefined) ??
        (resumeDir !== undefined ? await algoOfRun(resumeDir) : undefined);
      const algorithm = algorithmFor(algo, 'flags');
      const fromFlags: Record<string, unknown> = {};
      for (const k of ALL_KEYS) {
        const raw = v[kebab(k)];
        if (raw === undefined) continue;
        fromFlags[k] = typeof raw === 'boolean' ? raw : parseFlagValue(k, raw, algorithm.defaults);
      }
      const workers = parseWorkers(v.workers as string | undefined);
      const trainPlan = (plan: TrainingPlan) =>
        runTraining(plan, resumeDir !== undefined, v.force as boolean, v.quiet as boolean, workers);
      const population = resumeDir !== undefined ? await readPopulationRecord(resumeDir) : null;
      const memberDirs = memberDirsOf(v['member-dirs'] as string | undefined, values['member-dir']);
      if (memberDirs !== undefined && v.seeds === undefined)
        throw new UsageError(`${memberDirs.flag} names the folders of the --seeds members; add --seeds`);
      if (v.seeds !== undefined || population) {
        if (v.seed !== undefined) throw new UsageError('--seeds lists every seed; drop --seed');
        const plan = await planPopulation(algorithm, fromFile, fromFlags, {
          seeds: v.seeds as string | undefined,
          resumeDir,
          population,
          out: v.out as string | undefined,
          configFile: v.config as string | undefined,
          force: v.force as boolean,
          memberDirs,
        });
        await checkBackend(plan.configs[0]!.backend);
        return await trainPlan(plan);
      }
      let config: RunSettings;
      let out: string;
      if (resumeDir !== undefined) {
        if (v.config !== undefined)
          throw new UsageError("--resume uses the run folder's config.json; drop --config");
        if (v.out !== undefined && v.out !== resumeDir)
          throw new UsageError('--resume names the run folder; drop --out');
        out = resumeDir;
        config = await planRun<RunSettings>(out, null, { resume: true, overrides: fromFlags });
      } else {
        const requested = algorithm.resolveConfig(
          { ...fromFile, ...fromFlags },
          v.config ? `--config ${v.config} + flags` : 'flags',
        );
        out =
          (v.out as string | undefined) ??
          join('runs', `${requested.algo}-${requested.env}-s${requested.seed}`);
        config = await planRun<RunSettings>(out, requested, { force: v.force as boolean });
      }
      await checkBackend(config.backend);
      const plan = { configs: [config], dirs: [out], populationDir: null, out };
      return await trainPlan(plan);
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message);
      throw e;
    }
  },
};

function parseWorkers(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const n = Number(raw);
  if (!(/^\d+$/.test(raw) && Number.isInteger(n) && n >= 1))
    throw new UsageError(`--workers must be a positive integer (environment threads), got '${raw}'`);
  return n;
}

/** An unavailable backend stops here, before any run folder is touched. */
async function checkBackend(backend: RunSettings['backend']): Promise<void> {
  try {
    await openBackend(backend);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function runTraining(
  plan: TrainingPlan,
  resume: boolean,
  force: boolean,
  quiet: boolean,
  workers: number,
): Promise<number> {
  const { configs, out } = plan;
  const config = configs[0]!;
  const algorithm = algorithmFor(config.algo);
  const log = (s: string): void => {
    if (!quiet) console.error(s);
  };
  const seeds =
    configs.length > 1 || plan.populationDir
      ? `seeds ${formatSeeds(configs.map((c) => c.seed))}`
      : `seed ${config.seed}`;
  log(
    `sr2l train: ${config.algo} on ${config.env}, ${seeds}, ${config.iterations} iterations, backend ${config.backend} → ${out}${resume ? ' (resuming)' : ''}`,
  );
  // a population prints a line per iteration with every seed's returns instead of the bar
  const bar =
    !quiet && process.stderr.isTTY && configs.length === 1 ? new ProgressBar(config.iterations) : null;
  const started = performance.now();
  let first: number | null = null;
  // Ctrl-C, SIGTERM or SIGUSR2 (Slurm's warning before a time limit, docs/slurm.md): finish this
  // iteration, checkpoint, exit 130. Only a second Ctrl-C quits at once: Slurm delivers its
  // signal to every process of the job, so this trainer may hear it twice (directly and from
  // `sr2l sweep`), and its hard stop is SIGKILL anyway.
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) {
      if (signal === 'SIGINT') process.exit(130);
      return;
    }
    stop.abort();
    console.error(
      `\nsr2l train: ${signal}: stopping after this iteration (a checkpoint follows; Ctrl-C again quits now)`,
    );
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGUSR2'] as const;
  for (const s of signals) process.on(s, onSignal);
  const onRows = (rows: Record<string, number>[]): void => {
    const s = rows[0]!;
    first ??= s.Iteration! - 1;
    if (bar) bar.update(s.Iteration!, s.EnvSteps!, s.AverageReturn!, first);
    else log(rows.length === 1 ? algorithm.line(s, config.iterations) : populationLine(configs, rows));
  };
  const opts = { resume, force, signal: stop.signal };
  // the DDPG family trains every seed count as a population (one seed: S = 1); TRPO one seed per process
  const result = algorithm.createPopulation
    ? await trainPopulation(configs, {
        ...opts,
        dirs: plan.dirs,
        populationDir: plan.populationDir,
        workers,
        onIteration: onRows,
        onFailure: (f) =>
          console.error(
            `sr2l train: seed ${f.seed} stopped at iteration ${f.iteration}: ${f.reason}; the others go on`,
          ),
      })
    : await trainRun(config, { ...opts, out, onIteration: (s) => onRows([s]) });
  for (const s of signals) process.off(s, onSignal);
  bar?.done();
  const owner = 'population' in result ? result.population : result.trainer;
  const iteration = owner.iteration;
  owner.close();
  if (result.stopped) {
    console.log(`stopped at iteration ${iteration}; continue with: sr2l train --resume ${out}`);
  }
  const lastRows = 'population' in result ? result.history.at(-1) : result.history.slice(-1);
  const secs = (performance.now() - started) / 1000;
  configs.forEach((c, k) => {
    const last = lastRows?.[k];
    console.log(
      `done: ${c.algo} ${c.env} seed ${c.seed}: iteration ${iteration}, ` +
        `average return ${last ? fmt(last.AverageReturn!) : 'n/a'}${last && !Number.isNaN(last.EvalReturn) ? `, eval return ${fmt(last.EvalReturn!)}` : ''}, ${secs.toFixed(1)} s`,
    );
  });
  const dirs = 'population' in result ? result.dirs : [result.dir];
  console.log(
    `outputs: ${dirs.join(', ')} (config.json, progress.csv, checkpoints/${config.logGrads ? ', grads.csv' : ''})`,
  );
  const failed = 'population' in result ? result.failed : [];
  for (const f of failed)
    console.log(
      `failed: seed ${f.seed} at iteration ${f.iteration}: ${f.reason} (failed.json in its folder)`,
    );
  // a stopped run is unfinished: 130 (as for Ctrl-C) tells a caller such as `sr2l sweep`; 1: a seed failed
  return result.stopped ? 130 : failed.length ? 1 : 0;
}

const fmt = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(1));
