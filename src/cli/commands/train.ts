/**
 * `sr2l train`: TRPO or TRPO-SR from the command line. Every setting of TrpoConfig is a
 * flag (kebab-case); `--config FILE` (JSON/YAML) supplies settings that flags override.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { ConfigError, CONFIG_KEYS, TRPO_DEFAULTS, type TrpoConfig, resolveConfig } from '../../rl/config.js';
import { kebab, parseFlagValue, readConfigFile } from '../../rl/config-file.js';
import type { IterationStats } from '../../rl/trpo.js';
import { planRun, trainRun } from '../../rl/run/train-run.js';
import { UsageError, type Command } from '../command.js';
import { ProgressBar } from '../progress-bar.js';

/** Boolean settings that default to false are plain switches; the rest take a value. */
const isSwitch = (k: keyof TrpoConfig): boolean => TRPO_DEFAULTS[k] === false;

const options = {
  config: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'string' },
  force: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  ...Object.fromEntries(CONFIG_KEYS.map((k) => [kebab(k), { type: isSwitch(k) ? 'boolean' : 'string' }])),
} as const;

const usage = `sr2l train --algo trpo|trpo-sr --env Hopper-v2 [--seed 0] [--iterations 500] [--batch-size 1000]
                 [--eps 0.01] [--lambda-s 1] [--backend cpu|webgpu] [--out runs/NAME] [--config FILE]
                 [--force] [--quiet] [--log-grads] [--<setting> VALUE ...]
       sr2l train --resume runs/NAME [--iterations N]

Settings (flag = default; a --config JSON/YAML file may set any of them, flags win):
${CONFIG_KEYS.map((k) => `  --${kebab(k)}${isSwitch(k) ? '' : ` ${JSON.stringify(TRPO_DEFAULTS[k])}`}`).join('\n')}
Outputs go to --out (default runs/<algo>-<env>-s<seed>): config.json, progress.csv,
checkpoints/ (and grads.csv with --log-grads).`;

export const train: Command = {
  summary: 'train TRPO or TRPO-SR on an environment (progress.csv, checkpoints, resume)',
  usage,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options, allowPositionals: false, strict: true });
    const v = values as Record<string, string | boolean | undefined>;
    try {
      const fromFlags: Record<string, unknown> = {};
      for (const k of CONFIG_KEYS) {
        const raw = v[kebab(k)];
        if (raw === undefined) continue;
        fromFlags[k] = typeof raw === 'boolean' ? raw : parseFlagValue(k, raw);
      }
      const resumeDir = v.resume as string | undefined;
      let config: TrpoConfig;
      let out: string;
      if (resumeDir !== undefined) {
        if (v.config !== undefined)
          throw new UsageError("--resume uses the run folder's config.json; drop --config");
        if (v.out !== undefined && v.out !== resumeDir)
          throw new UsageError('--resume names the run folder; drop --out');
        out = resumeDir;
        config = await planRun(out, null, { resume: true, overrides: fromFlags as Partial<TrpoConfig> });
      } else {
        const fromFile = v.config !== undefined ? readConfigFile(v.config as string) : {};
        const requested = resolveConfig(
          { ...fromFile, ...fromFlags },
          v.config ? `--config ${v.config} + flags` : 'flags',
        );
        out =
          (v.out as string | undefined) ??
          join('runs', `${requested.algo}-${requested.env}-s${requested.seed}`);
        config = await planRun(out, requested, { force: v.force as boolean });
      }
      return await runTraining(config, out, resumeDir !== undefined, v.force as boolean, v.quiet as boolean);
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message);
      throw e;
    }
  },
};

async function runTraining(
  config: TrpoConfig,
  out: string,
  resume: boolean,
  force: boolean,
  quiet: boolean,
): Promise<number> {
  const log = (s: string): void => {
    if (!quiet) console.error(s);
  };
  log(
    `sr2l train: ${config.algo} on ${config.env}, seed ${config.seed}, ${config.iterations} iterations × ${config.batchSize} steps, backend ${config.backend} → ${out}${resume ? ' (resuming)' : ''}`,
  );
  const bar = !quiet && process.stderr.isTTY ? new ProgressBar(config.iterations) : null;
  const started = performance.now();
  let first: number | null = null;
  const result = await trainRun(config, {
    out,
    resume,
    force,
    onIteration: (s: IterationStats) => {
      first ??= s.Iteration - 1;
      if (bar) bar.update(s.Iteration, s.EnvSteps, s.AverageReturn, first);
      else log(line(s, config.iterations));
    },
  });
  bar?.done();
  result.trainer.close();
  const last = result.history.at(-1);
  const secs = (performance.now() - started) / 1000;
  console.log(
    `done: ${config.algo} ${config.env} seed ${config.seed}: iteration ${result.trainer.iteration}, ` +
      `average return ${last ? fmt(last.AverageReturn) : 'n/a'}${last && !Number.isNaN(last.EvalReturn) ? `, eval return ${fmt(last.EvalReturn)}` : ''}, ${secs.toFixed(1)} s`,
  );
  console.log(
    `outputs: ${result.dir} (config.json, progress.csv, checkpoints/${config.logGrads ? ', grads.csv' : ''})`,
  );
  return 0;
}

const fmt = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(1));

function line(s: IterationStats, total: number): string {
  return `iter ${s.Iteration}/${total}  steps ${s.EnvSteps}  avg return ${fmt(s.AverageReturn)}  kl ${s.MeanKL.toExponential(2)}  ${(s.TimeSampling + s.TimeOptimize).toFixed(2)} s`;
}
