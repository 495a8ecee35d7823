/**
 * A sweep's runs: one per (env, algorithm, setting, seed), each with its own folder
 * `<out>/<env>/<algo>/<setting>/seed-<seed>` and two argvs of `sr2l train` (docs/trpo.md):
 *   fresh:  <command> --algo A --env E --seed S --iterations N --<steps flag> M --out DIR --force
 *           [--<kebab-option> VALUE ...]     (a true boolean is a bare flag, false is left out;
 *                                            a value starting with '-' goes as --option=VALUE)
 *   resume: <command> --resume DIR --iterations N
 * A population of a setting's seeds (tasks.ts, units.ts) trains with the same flags, --seed
 * replaced by `--seeds S1,S2,... --member-dir DIR1 --member-dir DIR2 ...` and --out by its population folder.
 * The sweep resumes when DIR has a checkpoint (checkpoints/latest.json) and otherwise
 * starts fresh; --force only replaces a folder the trainer left before its first checkpoint.
 */
import { join, resolve } from 'node:path';
import type { Algorithm, SweepConfig, TrainOptions } from './config.js';

/** The train flag of "environment steps per iteration": TRPO calls it batchSize, DDPG stepsPerIteration. */
export const STEPS_FLAG: Readonly<Record<Algorithm, string>> = {
  trpo: '--batch-size',
  'trpo-sr': '--batch-size',
  ddpg: '--steps-per-iteration',
  'ddpg-sr-a': '--steps-per-iteration',
  'ddpg-sr-c': '--steps-per-iteration',
};

export interface PlannedRun {
  /** `<env>/<algo>/<setting>/seed-<seed>`, unique in the sweep */
  id: string;
  dir: string;
  env: string;
  algo: Algorithm;
  setting: string;
  seed: number;
  options: TrainOptions;
  /** starts the run from scratch */
  argv: string[];
  /** continues it from its newest checkpoint */
  resumeArgv: string[];
}

const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function optionArgs(options: TrainOptions): string[] {
  // a value starting with '-' (a negative number) goes as --key=value: the trainer's
  // parseArgs reads `--key -1` as a missing value followed by an unknown flag
  return Object.entries(options).flatMap(([k, v]) =>
    v === true
      ? [`--${kebab(k)}`]
      : v === false
        ? []
        : String(v).startsWith('-')
          ? [`--${kebab(k)}=${v}`]
          : [`--${kebab(k)}`, String(v)],
  );
}

/**
 * `sr2l train` from scratch for `run`'s setting: `seedArgs` says which seeds (`--seed S`, or
 * `--seeds ... --member-dir ...` for a population) and `out` where.
 */
export function freshArgv(
  command: readonly string[],
  cfg: Pick<SweepConfig, 'iterations' | 'stepsPerIteration'>,
  run: Pick<PlannedRun, 'algo' | 'env' | 'options'>,
  seedArgs: readonly string[],
  out: string,
): string[] {
  return [
    ...command,
    ...['--algo', run.algo, '--env', run.env, ...seedArgs],
    ...['--iterations', String(cfg.iterations), STEPS_FLAG[run.algo], String(cfg.stepsPerIteration)],
    ...['--out', out, '--force'],
    ...optionArgs(run.options),
  ];
}

/** `sr2l train --resume DIR`, to the sweep's iteration count. */
export function resumeArgv(
  command: readonly string[],
  cfg: Pick<SweepConfig, 'iterations'>,
  dir: string,
): string[] {
  return [...command, '--resume', dir, '--iterations', String(cfg.iterations)];
}

/**
 * Expands the product seed-major (seed, then env, algorithm, setting), so a sweep stopped
 * part way holds the same number of seeds for every cell rather than all seeds of the first
 * envs. `root` anchors a relative `out`.
 */
export function planSweep(cfg: SweepConfig, command: readonly string[], root = process.cwd()): PlannedRun[] {
  const out = resolve(root, cfg.out);
  const runs: PlannedRun[] = [];
  for (const seed of cfg.seeds)
    for (const env of cfg.envs)
      for (const algo of cfg.algorithms)
        for (const setting of cfg.settings) {
          const id = `${env}/${algo}/${setting.name}/seed-${seed}`;
          const dir = join(out, env, algo, setting.name, `seed-${seed}`);
          const options = { ...cfg.options, ...cfg.algorithmOptions[algo], ...setting.options };
          const argv = freshArgv(command, cfg, { algo, env, options }, ['--seed', String(seed)], dir);
          const resume = resumeArgv(command, cfg, dir);
          runs.push({ id, dir, env, algo, setting: setting.name, seed, options, argv, resumeArgv: resume });
        }
  return runs;
}
