/**
 * `sr2l sweep --population auto`: the seeds of one setting train as one `sr2l train --seeds`
 * process in the usual run folders, with exactly the numbers of one process per run
 * (`--population off`); finished members are skipped and the rest still train together;
 * tasks group as tasks.ts documents; a Slurm task of a population is idempotent.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateSweepConfig, type SweepConfig } from '../../src/experiments/config.js';
import { planSweep } from '../../src/experiments/plan.js';
import { exists } from '../../src/experiments/run-files.js';
import { runTask } from '../../src/experiments/slurm/task.js';
import { runSweep, type SweepEvent } from '../../src/experiments/sweep.js';
import { planTasks } from '../../src/experiments/tasks.js';
import { main } from '../../src/cli/index.js';
import { captureConsole } from '../helpers/console.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { rowsWithoutTimes } from '../rl/ddpg/progress-rows.js';

const tempDir = tempDirs('sr2l-sweep-pop-');
const train = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'train'];

function ddpgSweep(out: string): SweepConfig {
  return validateSweepConfig({
    name: 'pop',
    out,
    envs: ['Pendulum-v1'],
    algorithms: ['ddpg-sr-a'],
    seeds: 3,
    iterations: 2,
    stepsPerIteration: 200,
    options: {
      stepsPerCycle: 100,
      trainStepsPerCycle: 5,
      warmupSteps: 100,
      pgdSteps: 2,
      evalEvery: 2,
      evalEpisodes: 1,
      quiet: true,
    },
    command: train,
  });
}

const runDir = (out: string, seed: number): string =>
  join(out, 'Pendulum-v1', 'ddpg-sr-a', 'default', `seed-${seed}`);

describe('sweep --population', () => {
  test('plans the seeds of a population setting as tasks of at most N, in plan order; others one per run', () => {
    const cfg = validateSweepConfig({
      name: 'g',
      out: 'x',
      envs: ['Pendulum-v1'],
      algorithms: ['ddpg-sr-a', 'trpo'],
      seeds: 3,
      iterations: 1,
    });
    const plan = planSweep(cfg, []);
    const ids = (g: Parameters<typeof planTasks>[1]) =>
      planTasks(plan, g).map((t) => [
        t.index,
        t.runIds.map((id) => id.replace('Pendulum-v1/', '').replace('/default/', ' ')),
      ]);
    expect(ids({ population: 'auto', maxPopulation: 2 })).toEqual([
      [0, ['ddpg-sr-a seed-0', 'ddpg-sr-a seed-1']],
      [1, ['trpo seed-0']],
      [2, ['trpo seed-1']],
      [3, ['ddpg-sr-a seed-2']],
      [4, ['trpo seed-2']],
    ]);
    expect(ids({ population: 'auto', maxPopulation: 10 })[0]).toEqual([
      0,
      ['ddpg-sr-a seed-0', 'ddpg-sr-a seed-1', 'ddpg-sr-a seed-2'],
    ]);
    expect(planTasks(plan, { population: 'off', maxPopulation: 10 }).map((t) => t.runIds)).toEqual(
      plan.map((r) => [r.id]),
    );
    expect(() => planTasks(plan, { population: 'auto', maxPopulation: 0 })).toThrow(
      /max population must be an integer ≥ 1/,
    );
  });

  test('a DDPG-SR-A sweep as one population ends with the progress rows of one process per run; finished members are skipped', async () => {
    const [pop, single] = [await tempDir(), await tempDir()];
    const events: SweepEvent[] = [];
    const s1 = await runSweep(ddpgSweep(pop), {
      workers: 2,
      defaultCommand: [],
      onEvent: (e) => events.push(e),
    });
    expect(s1.completed).toHaveLength(3);
    // one trainer process: its argv (in every member's train.log) lists the three seeds
    const log = await readFile(join(runDir(pop, 2), 'train.log'), 'utf8');
    expect(log).toMatch(
      / train --algo ddpg-sr-a --env Pendulum-v1 --seeds 0-2 --member-dirs \S+seed-0,\S+seed-1,\S+seed-2 /,
    );
    expect((log.match(/^=== /gm) ?? []).length).toBe(1);
    const setting = join(pop, 'Pendulum-v1', 'ddpg-sr-a', 'default');
    expect((await readdir(setting)).sort()).toEqual(['population-0-2', 'seed-0', 'seed-1', 'seed-2']);
    expect(
      JSON.parse(await readFile(join(setting, 'population-0-2', 'population.json'), 'utf8')).members,
    ).toEqual(['../seed-0', '../seed-1', '../seed-2']);

    const s2 = await runSweep(ddpgSweep(single), {
      workers: 2,
      defaultCommand: [],
      grouping: { population: 'off', maxPopulation: 10 },
    });
    expect(s2.completed).toHaveLength(3);
    expect(await readFile(join(runDir(single, 0), 'train.log'), 'utf8')).toMatch(/ --seed 0 /);
    for (const seed of [0, 1, 2]) {
      const rows = rowsWithoutTimes(runDir(pop, seed));
      expect(rows, `seed ${seed}`).toHaveLength(2);
      expect(rows, `seed ${seed}`).toEqual(rowsWithoutTimes(runDir(single, seed)));
    }
    expect(rowsWithoutTimes(runDir(pop, 0))[1]!.AverageReturn).not.toBe(
      rowsWithoutTimes(runDir(pop, 1))[1]!.AverageReturn,
    );

    // seeds 0 and 2 start over; seed 1 is finished: the others train as a population of two
    for (const seed of [0, 2]) await rm(runDir(single, seed), { recursive: true });
    const again: SweepEvent[] = [];
    const s3 = await runSweep(ddpgSweep(single), {
      workers: 2,
      defaultCommand: [],
      onEvent: (e) => again.push(e),
    });
    expect(s3.skipped).toEqual(['Pendulum-v1/ddpg-sr-a/default/seed-1']);
    expect(s3.completed.sort()).toEqual([
      'Pendulum-v1/ddpg-sr-a/default/seed-0',
      'Pendulum-v1/ddpg-sr-a/default/seed-2',
    ]);
    expect(await readFile(join(runDir(single, 2), 'train.log'), 'utf8')).toMatch(/ --seeds 0,2 /);
    for (const seed of [0, 2])
      expect(rowsWithoutTimes(runDir(single, seed))).toEqual(rowsWithoutTimes(runDir(pop, seed)));

    // a Slurm task of the population is idempotent; sweep status reads every run, all in task 0
    const task = await runTask(ddpgSweep(pop), 0, { defaultCommand: [], env: {} });
    expect(task.done).toHaveLength(3);
    const out = captureConsole();
    expect(await main(['sweep', 'status', pop])).toBe(0);
    for (const seed of [0, 1, 2])
      expect(out.out()).toMatch(
        new RegExp(`^Pendulum-v1/ddpg-sr-a/default/seed-${seed} +done +2/2 +0$`, 'm'),
      );
    expect(await exists(join(runDir(pop, 0), 'sweep-done.json'))).toBe(true);
  }, 120_000);
});
