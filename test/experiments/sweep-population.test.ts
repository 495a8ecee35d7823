/**
 * `sr2l sweep --population auto`: the seeds of one setting train as one `sr2l train --seeds`
 * process in the usual run folders, with exactly the numbers of one process per run
 * (`--population off`); finished members are skipped and the rest still train together
 * (a stand-in trainer shows faults, stalls and the split by checkpoint);
 * tasks group as tasks.ts documents; a Slurm task of a population is idempotent.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateSweepConfig, type SweepConfig } from '../../src/experiments/config.js';
import { planSweep } from '../../src/experiments/plan.js';
import { exists } from '../../src/experiments/run-files.js';
import { runTask } from '../../src/experiments/slurm/task.js';
import { runSweep, type SweepEvent } from '../../src/experiments/sweep.js';
import { planTasks } from '../../src/experiments/tasks.js';
import { populationFolder, trainingUnits } from '../../src/experiments/units.js';
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
  test('plans the seeds of each setting as tasks of at most N, in plan order; off: one per run', () => {
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
    // every algorithm trains as a population now (TRPO too), so both settings are grouped
    expect(ids({ population: 'auto', maxPopulation: 2 })).toEqual([
      [0, ['ddpg-sr-a seed-0', 'ddpg-sr-a seed-1']],
      [1, ['trpo seed-0', 'trpo seed-1']],
      [2, ['ddpg-sr-a seed-2']],
      [3, ['trpo seed-2']],
    ]);
    expect(ids({ population: 'auto', maxPopulation: 10 })).toEqual([
      [0, ['ddpg-sr-a seed-0', 'ddpg-sr-a seed-1', 'ddpg-sr-a seed-2']],
      [1, ['trpo seed-0', 'trpo seed-1', 'trpo seed-2']],
    ]);
    expect(planTasks(plan, { population: 'off', maxPopulation: 10 }).map((t) => t.runIds)).toEqual(
      plan.map((r) => [r.id]),
    );
    expect(() => planTasks(plan, { population: 'auto', maxPopulation: 0 })).toThrow(
      /max population must be an integer ≥ 1/,
    );
  });

  test('a DDPG-SR-A sweep as one population ends with the progress rows of one process per run', async () => {
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
      / train --algo ddpg-sr-a --env Pendulum-v1 --seeds 0-2 --member-dir \S+seed-0 --member-dir \S+seed-1 --member-dir \S+seed-2 /,
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

describe('sweep --population with a grid', () => {
  test("a grid setting's seeds train as one population although its folder name holds commas", async () => {
    const out = await tempDir();
    const cfg = validateSweepConfig({
      name: 'grid',
      out,
      envs: ['Pendulum-v1'],
      algorithms: ['trpo-sr'],
      seeds: 2,
      iterations: 1,
      stepsPerIteration: 64,
      grid: { eps: [0.001], lambdaS: [0.1] },
      options: { pgdSteps: 2, evalEvery: 0, quiet: true },
      command: train,
    });
    const setting = join(out, 'Pendulum-v1', 'trpo-sr', 'eps=0.001,lambdaS=0.1');
    const plan = planSweep(cfg, []);
    expect(plan.map((r) => resolve(r.dir))).toEqual([0, 1].map((k) => join(resolve(setting), `seed-${k}`)));
    expect(await trainingUnits(plan)).toEqual([plan]);
    const sweep = await runSweep(cfg, { workers: 1, defaultCommand: [] });
    expect(sweep.completed).toHaveLength(2);
    // one trainer process for both seeds, each member folder given whole
    const log = await readFile(join(setting, 'seed-1', 'train.log'), 'utf8');
    expect(log).toMatch(
      / --seeds 0-1 --member-dir \S+\/eps=0\.001,lambdaS=0\.1\/seed-0 --member-dir \S+\/eps=0\.001,lambdaS=0\.1\/seed-1 /,
    );
    expect((log.match(/^=== /gm) ?? []).length).toBe(1);
    expect(
      JSON.parse(await readFile(join(setting, 'population-0-1', 'population.json'), 'utf8')),
    ).toMatchObject({ seeds: [0, 1], members: ['../seed-0', '../seed-1'] });
    for (const k of [0, 1]) {
      const config = JSON.parse(await readFile(join(setting, `seed-${k}`, 'config.json'), 'utf8')).config;
      expect(config).toMatchObject({ seed: k, eps: 0.001, lambdaS: 0.1 });
      expect(rowsWithoutTimes(join(setting, `seed-${k}`))).toHaveLength(1);
    }
  }, 120_000);
});

/** The same sweep trained by a stand-in population trainer (fixtures/fake-population-train.mjs). */
function fakeSweep(out: string, options: Record<string, unknown> = {}): SweepConfig {
  return validateSweepConfig({
    name: 'fake-pop',
    out,
    envs: ['Pendulum-v1'],
    algorithms: ['ddpg'],
    seeds: 3,
    iterations: 3,
    stepsPerIteration: 10,
    options,
    command: [process.execPath, resolve('test/experiments/fixtures/fake-population-train.mjs')],
  });
}

const fakeDir = (out: string, seed: number): string =>
  join(out, 'Pendulum-v1', 'ddpg', 'default', `seed-${seed}`);

describe('sweep --population: faults, stalls and partly finished tasks', () => {
  test("a member's failed.json fails that run only; the next start trains it alone and the finished ones are skipped", async () => {
    const out = await tempDir();
    const events: SweepEvent[] = [];
    const s = await runSweep(fakeSweep(out, { failSeed: 1 }), {
      defaultCommand: [],
      onEvent: (e) => events.push(e),
    });
    expect(s.failed).toEqual(['Pendulum-v1/ddpg/default/seed-1']);
    expect(s.completed.sort()).toEqual([
      'Pendulum-v1/ddpg/default/seed-0',
      'Pendulum-v1/ddpg/default/seed-2',
    ]);
    const fail = events.find((e) => e.kind === 'fail');
    expect(fail?.kind === 'fail' && fail.log).toMatch(
      /stopped by a fault \(failed\.json\): .*non-finite critic/,
    );
    expect(await exists(join(fakeDir(out, 1), 'sweep-failed.json'))).toBe(true);
    const cons = captureConsole();
    expect(await main(['sweep', 'status', out])).toBe(1);
    expect(cons.out()).toMatch(/^Pendulum-v1\/ddpg\/default\/seed-1 +failed +2\/3 +0 +exit code 1$/m);
    // again: seed 1 alone (its own argv; the trainer refuses to resume it), seeds 0 and 2 skipped
    const again = await runSweep(fakeSweep(out, { failSeed: 1 }), { defaultCommand: [] });
    expect(again.skipped.sort()).toEqual([
      'Pendulum-v1/ddpg/default/seed-0',
      'Pendulum-v1/ddpg/default/seed-2',
    ]);
    expect(again.failed).toEqual(['Pendulum-v1/ddpg/default/seed-1']);
    expect((await readFile(join(fakeDir(out, 1), 'train.log'), 'utf8')).split('\n=== ').at(-1)).toMatch(
      / --resume \S+seed-1 --iterations 3\n[^]*stopped by a fault/,
    );
  }, 30_000);

  test('a stalled population is killed and resumed as a whole; its runs end as uninterrupted ones', async () => {
    const [stalled, straight] = [await tempDir(), await tempDir()];
    const events: SweepEvent[] = [];
    const s = await runSweep(fakeSweep(stalled, { hangAt: 1 }), {
      defaultCommand: [],
      stallSeconds: 1,
      onEvent: (e) => events.push(e),
    });
    expect(s.completed).toHaveLength(3);
    const stalls = events.filter((e) => e.kind === 'stalled');
    expect(stalls.map((e) => e.kind === 'stalled' && [e.iteration, e.restart])).toEqual([
      [1, true],
      [1, true],
      [1, true],
    ]);
    expect(await readFile(join(fakeDir(stalled, 0), 'train.log'), 'utf8')).toMatch(
      /stalled: no new progress row for 1 s after iteration 1[^]* --resume \S+population-0-2 --iterations 3/,
    );
    await runSweep(fakeSweep(straight), { defaultCommand: [] });
    for (const seed of [0, 1, 2])
      expect(await readFile(join(fakeDir(stalled, seed), 'progress.csv'), 'utf8')).toBe(
        await readFile(join(fakeDir(straight, seed), 'progress.csv'), 'utf8'),
      );
  }, 30_000);

  test('--task K groups as the submission did: its flags, else sweep.json (one run per task when it predates populations)', async () => {
    const [fresh, old] = [await tempDir(), await tempDir()];
    const task0 = await runTask(fakeSweep(fresh), 0, { defaultCommand: [], env: {} });
    expect(task0.runs.map((r) => r.seed)).toEqual([0, 1, 2]);
    expect(task0.done).toHaveLength(3);
    const cfg = fakeSweep(old);
    await writeFile(join(old, 'sweep.json'), JSON.stringify({ config: cfg, runs: planSweep(cfg, []) }));
    const task1 = await runTask(cfg, 1, { defaultCommand: [], env: {} });
    expect(task1.runs.map((r) => r.seed)).toEqual([1]);
    const flagged = await runTask(cfg, 0, {
      defaultCommand: [],
      env: {},
      grouping: { population: 'auto', maxPopulation: 2 },
    });
    expect(flagged.runs.map((r) => r.seed)).toEqual([0, 1]);
  }, 30_000);

  test('a task trains its fresh runs together, resumes runs at the same checkpoint together, and the rest alone', async () => {
    const out = await tempDir();
    const cfg = validateSweepConfig({
      name: 'units',
      out,
      envs: ['Pendulum-v1'],
      algorithms: ['ddpg'],
      seeds: 6,
      iterations: 3,
    });
    const runs = planSweep(cfg, []);
    const checkpoint = async (seed: number, iteration: number): Promise<void> => {
      await mkdir(join(runs[seed]!.dir, 'checkpoints'), { recursive: true });
      await writeFile(join(runs[seed]!.dir, 'checkpoints', 'latest.json'), JSON.stringify({ iteration }));
    };
    await checkpoint(0, 2);
    await checkpoint(2, 1);
    await checkpoint(3, 2);
    await checkpoint(5, 2);
    await writeFile(join(runs[5]!.dir, 'failed.json'), '{}');
    const units = await trainingUnits(runs);
    expect(units.map((u) => u.map((r) => r.seed))).toEqual([[0, 3], [1, 4], [2], [5]]);
    expect(populationFolder(units[1]!)).toBe(join(out, 'Pendulum-v1', 'ddpg', 'default', 'population-1,4'));
  });
});
