/**
 * A sweep's runs: one per (env, algorithm, setting, seed), each with its own folder
 * `<out>/<env>/<algo>/<setting>/seed-<seed>` and the argv of its training process:
 *   <command> --env E --algo A --seed S --iterations N --steps-per-iteration M --out DIR
 *             [--<kebab-option> VALUE ...]          (a true boolean is a bare flag, false is left out)
 * The training command must resume from DIR when it already holds a checkpoint.
 */
import { join, resolve } from 'node:path';
import type { Algorithm, SweepConfig, TrainOptions } from './config.js';

export interface PlannedRun {
  /** `<env>/<algo>/<setting>/seed-<seed>`, unique in the sweep */
  id: string;
  dir: string;
  env: string;
  algo: Algorithm;
  setting: string;
  seed: number;
  options: TrainOptions;
  argv: string[];
}

const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function optionArgs(options: TrainOptions): string[] {
  return Object.entries(options).flatMap(([k, v]) =>
    v === true ? [`--${kebab(k)}`] : v === false ? [] : [`--${kebab(k)}`, String(v)],
  );
}

/** Expands the product in a fixed order: env, algorithm, setting, seed. `root` anchors a relative `out`. */
export function planSweep(cfg: SweepConfig, command: readonly string[], root = process.cwd()): PlannedRun[] {
  const out = resolve(root, cfg.out);
  const runs: PlannedRun[] = [];
  for (const env of cfg.envs)
    for (const algo of cfg.algorithms)
      for (const setting of cfg.settings)
        for (const seed of cfg.seeds) {
          const id = `${env}/${algo}/${setting.name}/seed-${seed}`;
          const dir = join(out, env, algo, setting.name, `seed-${seed}`);
          const options = { ...cfg.options, ...cfg.algorithmOptions[algo], ...setting.options };
          const argv = [
            ...command,
            ...['--env', env, '--algo', algo, '--seed', String(seed)],
            ...[
              '--iterations',
              String(cfg.iterations),
              '--steps-per-iteration',
              String(cfg.stepsPerIteration),
            ],
            ...['--out', dir],
            ...optionArgs(options),
          ];
          runs.push({ id, dir, env, algo, setting: setting.name, seed, options, argv });
        }
  return runs;
}
