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
import { planRun, readRunRecord, trainRun } from '../../rl/run/train-run.js';
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
  force: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  ...Object.fromEntries(ALL_KEYS.map((k) => [kebab(k), { type: isSwitch(k) ? 'boolean' : 'string' }])),
} as const;

const settingsOf = (a: Algorithm): string =>
  a.keys.map((k) => `  --${kebab(k)}${isSwitch(k) ? '' : ` ${JSON.stringify(defaultOf(a, k))}`}`).join('\n');

const usage = `sr2l train --algo ${ALGO_NAMES.join('|')} --env Hopper-v2 [--seed 0] [--iterations 500]
                 [--eps 0.01] [--lambda-s 1] [--backend cpu|webgpu] [--out runs/NAME] [--config FILE]
                 [--force] [--quiet] [--log-grads] [--<setting> VALUE ...]
       sr2l train --resume runs/NAME [--iterations N]

Presets (--preset NAME: settings overlaid on the defaults, then the file's and the flags'
win; config.json records the name; every value and its source in docs/presets.md):
  garage-benchmark  garage v2019.10.3's benchmark harness (TRPO: 100-step episodes, whole paths
                    from 4 lockstep envs until ≥ 1024 steps, Gaussian MLP baseline; DDPG: its
                    benchmark settings), with the paper's 2 × 64 networks and 500 iterations

Settings (flag = default; a --config JSON/YAML file may set any of them, flags win):
${ALGORITHMS.map((a) => `${a.algos.join(', ')}:\n${settingsOf(a)}`).join('\n')}
Outputs go to --out (default runs/<algo>-<env>-s<seed>): config.json, progress.csv,
checkpoints/ (and grads.csv with --log-grads).`;

export const train: Command = {
  summary: 'train TRPO(-SR) or DDPG(-SR-A/-SR-C) on an environment (progress.csv, checkpoints, resume)',
  usage,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options, allowPositionals: false, strict: true });
    const v = values as Record<string, string | boolean | undefined>;
    try {
      const resumeDir = v.resume as string | undefined;
      const fromFile =
        resumeDir === undefined && v.config !== undefined ? readConfigFile(v.config as string) : {};
      // the algorithm decides how flag strings are read: --algo, else the file's, else the resumed run's
      const algo =
        (v.algo as string | undefined) ??
        (fromFile.algo as string | undefined) ??
        (resumeDir !== undefined ? (await readRunRecord(resumeDir)).config.algo : undefined);
      const algorithm = algorithmFor(algo, 'flags');
      const fromFlags: Record<string, unknown> = {};
      for (const k of ALL_KEYS) {
        const raw = v[kebab(k)];
        if (raw === undefined) continue;
        fromFlags[k] = typeof raw === 'boolean' ? raw : parseFlagValue(k, raw, algorithm.defaults);
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
      try {
        await openBackend(config.backend); // an unavailable backend stops here, before the run folder is touched
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      return await runTraining(config, out, resumeDir !== undefined, v.force as boolean, v.quiet as boolean);
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message);
      throw e;
    }
  },
};

async function runTraining(
  config: RunSettings,
  out: string,
  resume: boolean,
  force: boolean,
  quiet: boolean,
): Promise<number> {
  const algorithm = algorithmFor(config.algo);
  const log = (s: string): void => {
    if (!quiet) console.error(s);
  };
  log(
    `sr2l train: ${config.algo} on ${config.env}, seed ${config.seed}, ${config.iterations} iterations, backend ${config.backend} → ${out}${resume ? ' (resuming)' : ''}`,
  );
  const bar = !quiet && process.stderr.isTTY ? new ProgressBar(config.iterations) : null;
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
  const result = await trainRun(config, {
    out,
    resume,
    force,
    signal: stop.signal,
    onIteration: (s) => {
      first ??= s.Iteration! - 1;
      if (bar) bar.update(s.Iteration!, s.EnvSteps!, s.AverageReturn!, first);
      else log(algorithm.line(s, config.iterations));
    },
  });
  for (const s of signals) process.off(s, onSignal);
  bar?.done();
  result.trainer.close();
  if (result.stopped) {
    console.log(
      `stopped at iteration ${result.trainer.iteration}; continue with: sr2l train --resume ${out}`,
    );
  }
  const last = result.history.at(-1);
  const secs = (performance.now() - started) / 1000;
  console.log(
    `done: ${config.algo} ${config.env} seed ${config.seed}: iteration ${result.trainer.iteration}, ` +
      `average return ${last ? fmt(last.AverageReturn!) : 'n/a'}${last && !Number.isNaN(last.EvalReturn) ? `, eval return ${fmt(last.EvalReturn!)}` : ''}, ${secs.toFixed(1)} s`,
  );
  console.log(
    `outputs: ${result.dir} (config.json, progress.csv, checkpoints/${config.logGrads ? ', grads.csv' : ''})`,
  );
  // a stopped run is unfinished: 130 (as for Ctrl-C) tells a caller such as `sr2l sweep`
  return result.stopped ? 130 : 0;
}

const fmt = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(1));
