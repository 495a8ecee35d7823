/**
 * `sr2l train --seeds`: the plan of a population run (its member configs and folders, or
 * those of a resumed one) and its one-line progress display. train.ts runs the plan.
 */
import { join } from 'node:path';
import { ConfigError } from '../../rl/settings.js';
import type { Algorithm, RunSettings } from '../../rl/run/algorithms.js';
import { planRun, readRunRecord } from '../../rl/run/train-run.js';
import { formatSeeds, memberFolder, parseSeeds } from '../../rl/population/seeds.js';
import {
  checkResumeSeeds,
  readPopulationRecord,
  type PopulationRecord,
} from '../../rl/population/train-population.js';
import { UsageError } from '../command.js';

/** What to train: member k's config and run folder; the population folder (null for one seed in its own folder). */
export interface TrainingPlan {
  configs: RunSettings[];
  dirs: string[];
  populationDir: string | null;
  /** the folder named to the user (--out) */
  out: string;
}

/** The algo of the run or population in `dir` (population.json first, then config.json). */
export async function algoOfRun(dir: string): Promise<string> {
  const pop = await readPopulationRecord(dir);
  return pop ? pop.algo : (await readRunRecord(dir)).config.algo;
}

/** The members' run folders as given, and by which flag (for messages). */
export interface MemberDirs {
  dirs: string[];
  flag: '--member-dirs' | '--member-dir';
}

/**
 * `--member-dirs A,B,C` or `--member-dir A --member-dir B ...` (one folder each, so a name
 * may hold commas: a grid setting's folder `eps=0.001,lambdaS=0.1`; sr2l sweep uses this form).
 */
export function memberDirsOf(list: string | undefined, each: string[] | undefined): MemberDirs | undefined {
  if (list !== undefined && each !== undefined)
    throw new UsageError(
      'give the member folders as --member-dirs A,B,... or as repeated --member-dir, not both',
    );
  if (each !== undefined) return { dirs: each, flag: '--member-dir' };
  return list === undefined ? undefined : { dirs: list.split(','), flag: '--member-dirs' };
}

export async function planPopulation(
  algorithm: Algorithm,
  fromFile: Record<string, unknown>,
  fromFlags: Record<string, unknown>,
  o: {
    seeds: string | undefined;
    resumeDir: string | undefined;
    population: PopulationRecord | null;
    out: string | undefined;
    configFile: string | undefined;
    force: boolean;
    /** member k's run folder (memberDirsOf); default out/s<seed> */
    memberDirs: MemberDirs | undefined;
  },
): Promise<TrainingPlan> {
  if (!algorithm.createPopulation)
    throw new ConfigError(
      `--seeds: ${algorithm.algos.join(', ')} do not train as a population yet (the DDPG family does); run one process per seed`,
    );
  const requested = o.seeds === undefined ? null : parseSeeds(o.seeds);
  if (o.resumeDir !== undefined) {
    if (!o.population)
      throw new ConfigError(`--resume with --seeds: ${o.resumeDir} holds no population (no population.json)`);
    if (o.configFile !== undefined)
      throw new UsageError("--resume uses the run folders' config.json; drop --config");
    if (o.out !== undefined && o.out !== o.resumeDir)
      throw new UsageError('--resume names the population folder; drop --out');
    if (o.memberDirs !== undefined)
      throw new UsageError(
        `--resume reads the member folders from population.json; drop ${o.memberDirs.flag}`,
      );
    checkResumeSeeds(o.resumeDir, o.population, requested);
    const dirs = o.population.members.map((m) => join(o.resumeDir!, m));
    const configs = [];
    for (const d of dirs)
      configs.push(await planRun<RunSettings>(d, null, { resume: true, overrides: fromFlags }));
    return { configs, dirs, populationDir: o.resumeDir, out: o.resumeDir };
  }
  const seeds = requested!;
  const source = o.configFile ? `--config ${o.configFile} + flags` : 'flags';
  const configs = seeds.map((seed) => algorithm.resolveConfig({ ...fromFile, ...fromFlags, seed }, source));
  const c = configs[0]!;
  const out = o.out ?? join('runs', `${c.algo}-${c.env}-seeds${formatSeeds(seeds)}`);
  const dirs = o.memberDirs?.dirs ?? seeds.map((s) => join(out, memberFolder(s)));
  if (dirs.length !== seeds.length)
    throw new UsageError(
      `${o.memberDirs!.flag} names ${dirs.length} folders for ${seeds.length} seeds (${formatSeeds(seeds)}); give one per seed, in order`,
    );
  for (const [k, d] of dirs.entries()) await planRun<RunSettings>(d, configs[k]!, { force: o.force });
  return { configs, dirs, populationDir: out, out };
}

const fmt = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(1));

/** One line per iteration for a population: steps, then each seed's average (and eval) return at a glance. */
export function populationLine(
  configs: readonly RunSettings[],
  rows: readonly Record<string, number>[],
): string {
  const r = rows[0]!;
  const secs = (r.TimeSampling ?? 0) + (r.TimeOptimize ?? 0);
  const perSeed = rows
    .map(
      (row, k) =>
        `s${configs[k]!.seed} ${fmt(row.AverageReturn)}${Number.isNaN(row.EvalReturn) ? '' : `/${fmt(row.EvalReturn)}`}`,
    )
    .join('  ');
  return `iter ${r.Iteration}/${configs[0]!.iterations}  steps ${r.EnvSteps} each  return by seed (train/eval): ${perSeed}  ${secs.toFixed(2)} s`;
}
