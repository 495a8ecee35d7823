/**
 * Which of a task's unfinished runs train together. A population (one `sr2l train --seeds`
 * process) steps all its members in lockstep, so its members must stand at the same
 * iteration: the runs that have no checkpoint yet train together from scratch, the runs
 * whose newest checkpoint is at the same iteration resume together, and each other run (one
 * a fault stopped, failed.json; one whose checkpoint cannot be read) trains on its own. A
 * task whose population was stopped part way thus resumes as one process; one whose runs
 * drifted apart (e.g. some were run alone with `--population off`) still ends with every run
 * correct, in a few processes.
 *
 * A population's folder, `<setting>/population-<seeds>` (e.g. population-0-9), holds only
 * population.json; the members train in their usual run folders (one `--member-dir` each, so
 * a grid setting's folder, whose name holds commas, is fine), so the sweep's layout is the
 * same with and without populations.
 */
import { dirname, join } from 'node:path';
import { latestCheckpoint } from '../rl/run/checkpoint.js';
import { formatSeeds } from '../rl/population/seeds.js';
import { FAILED_RECORD, writePopulationRecord } from '../rl/population/train-population.js';
import type { SweepConfig } from './config.js';
import { type PlannedRun, freshArgv, resumeArgv } from './plan.js';
import { exists } from './run-files.js';

/** The task's runs split into training units (one process each), in plan order. */
export async function trainingUnits(runs: readonly PlannedRun[]): Promise<PlannedRun[][]> {
  if (runs.length <= 1) return runs.map((r) => [r]);
  const units: PlannedRun[][] = [];
  const byIteration = new Map<number | null, PlannedRun[]>();
  for (const run of runs) {
    let latest: number | null | undefined;
    try {
      latest = await latestCheckpoint(run.dir);
    } catch {
      latest = undefined; // unreadable latest.json: the single-run resume looks for an older checkpoint
    }
    if (latest === undefined || (await exists(join(run.dir, FAILED_RECORD)))) {
      units.push([run]);
      continue;
    }
    const unit = byIteration.get(latest);
    if (unit) unit.push(run);
    else {
      const fresh = [run];
      byIteration.set(latest, fresh);
      units.push(fresh);
    }
  }
  return units;
}

/** The population folder of these runs (one setting's seeds). */
export function populationFolder(runs: readonly PlannedRun[]): string {
  return join(dirname(runs[0]!.dir), `population-${formatSeeds(runs.map((r) => r.seed))}`);
}

/**
 * The argv training `runs` as one population: from scratch, or resumed from their common
 * checkpoint (population.json is written first, as the members may never have trained
 * together in this set).
 */
export async function populationArgv(
  runs: readonly PlannedRun[],
  command: readonly string[],
  cfg: Pick<SweepConfig, 'iterations' | 'stepsPerIteration'>,
  resume: boolean,
): Promise<string[]> {
  const dir = populationFolder(runs);
  const dirs = runs.map((r) => r.dir);
  if (resume) {
    await writePopulationRecord(dir, runs, dirs);
    return resumeArgv(command, cfg, dir);
  }
  const seeds = formatSeeds(runs.map((r) => r.seed));
  // one --member-dir per folder: a grid setting's folder name holds commas (eps=0.001,lambdaS=0.1)
  const members = dirs.flatMap((d) => ['--member-dir', d]);
  return freshArgv(command, cfg, runs[0]!, ['--seeds', seeds, ...members], dir);
}
