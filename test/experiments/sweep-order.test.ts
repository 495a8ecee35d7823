// `sr2l sweep --order longest-first`: tasks start longest first, by the wall times of the
// sweep's finished runs of the same env and algorithm.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { validateSweepConfig, type SweepConfig } from '../../src/experiments/config.js';
import type { PlannedRun } from '../../src/experiments/plan.js';
import { runSweep, type SweepEvent } from '../../src/experiments/sweep.js';
import { orderTasks, taskEstimates } from '../../src/experiments/task-order.js';
import { captureConsole } from '../helpers/console.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const fake = resolve('test/experiments/fixtures/fake-train.mjs');
const tempDir = tempDirs('sr2l-sweep-order-');
afterEach(() => vi.restoreAllMocks());

/** A run folder with `rows` progress rows and, when `wall` is given, the sweep's done record. */
async function run(root: string, env: string, algo: string, seed: number, rows = 0, wall?: unknown) {
  const dir = join(root, env, algo, `seed-${seed}`);
  await mkdir(dir, { recursive: true });
  if (rows)
    await writeFile(
      join(dir, 'progress.csv'),
      ['Iteration', ...Array.from({ length: rows }, (_, i) => String(i))].join('\n') + '\n',
    );
  if (wall !== undefined)
    await writeFile(join(dir, 'sweep-done.json'), JSON.stringify({ wallSeconds: wall }));
  return { id: `${env}/${algo}/default/seed-${seed}`, dir, env, algo, seed } as PlannedRun;
}

describe('task order', () => {
  test('estimates: median wall time of the same env and algorithm × the share of iterations left', async () => {
    const root = await tempDir();
    const finished = [
      await run(root, 'Ant-v2', 'ddpg', 0, 10, 600),
      await run(root, 'Ant-v2', 'ddpg', 1, 10, 660),
      // a run resumed near its end records only its last stretch: the median ignores it
      await run(root, 'Ant-v2', 'ddpg', 2, 10, 30),
      await run(root, 'Hopper-v2', 'ddpg', 0, 10, 100),
      // no usable wall time: not counted
      await run(root, 'Hopper-v2', 'ddpg', 1, 10, 'soon'),
      await run(root, 'Walker2d-v2', 'ddpg', 0, 10, -1),
    ];
    const hopper = [await run(root, 'Hopper-v2', 'ddpg', 2), await run(root, 'Hopper-v2', 'ddpg', 3)];
    // a population stopped at iteration 4 of 10: 60% left
    const ant = [await run(root, 'Ant-v2', 'ddpg', 3, 4), await run(root, 'Ant-v2', 'ddpg', 4, 4)];
    const antSr = [await run(root, 'Ant-v2', 'ddpg-sr-a', 3)];
    const walker = [await run(root, 'Walker2d-v2', 'ddpg', 1)];
    const tasks = [hopper, ant, antSr, walker];
    const est = await taskEstimates(tasks, finished, 10);
    expect(est[0]).toBeCloseTo(100, 10);
    expect(est[1]).toBeCloseTo(0.6 * 600, 10);
    expect(est[2]).toBe(Infinity);
    expect(est[3]).toBe(Infinity);

    // unmeasured first in plan order, then the longest
    const longest = await orderTasks(tasks, 'longest-first', finished, 10);
    expect(longest.map((t) => t.task)).toEqual([antSr, walker, ant, hopper]);
    expect(longest[2]!.estimate).toBeCloseTo(360, 10);
    const plan = await orderTasks(tasks, 'plan', finished, 10);
    expect(plan.map((t) => t.task)).toEqual(tasks);
    expect(plan.every((t) => t.estimate === null)).toBe(true);
    // equal estimates keep plan order
    const twins = [[await run(root, 'Hopper-v2', 'ddpg', 4)], [await run(root, 'Hopper-v2', 'ddpg', 5)]];
    expect((await orderTasks([...twins, ant], 'longest-first', finished, 10)).map((t) => t.task)).toEqual([
      ant,
      ...twins,
    ]);
  });

  function config(out: string): SweepConfig {
    return validateSweepConfig({
      name: 'order',
      out,
      envs: ['Pendulum-v1'],
      algorithms: ['trpo', 'trpo-sr'],
      seeds: [0, 1, 2],
      iterations: 2,
      stepsPerIteration: 10,
      command: [process.execPath, fake],
    });
  }
  const off = { population: 'off', maxPopulation: 10 } as const;

  /** `out` with seed 0 of both algorithms finished, trpo-sr's having taken ten times as long. */
  async function seedZeroDone(out: string): Promise<void> {
    for (const algo of ['trpo', 'trpo-sr']) {
      const dir = join(out, 'Pendulum-v1', algo, 'default', 'seed-0');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'progress.csv'), 'Iteration\n0\n1\n');
      await writeFile(
        join(dir, 'sweep-done.json'),
        JSON.stringify({ exitCode: 0, wallSeconds: algo === 'trpo' ? 60 : 600 }),
      );
    }
  }

  test('a sweep started longest-first starts the algorithm whose finished runs took longest first', async () => {
    const started = async (order: 'plan' | 'longest-first'): Promise<string[]> => {
      const out = await tempDir();
      await seedZeroDone(out);
      const ids: string[] = [];
      const onEvent = (e: SweepEvent): void => {
        if (e.kind === 'start') ids.push(e.run.id);
      };
      const summary = await runSweep(config(out), {
        workers: 1,
        grouping: off,
        defaultCommand: [],
        onEvent,
        order,
      });
      expect(summary.skipped).toHaveLength(2);
      expect(summary.completed).toHaveLength(4);
      return ids;
    };
    expect(await started('plan')).toEqual([
      'Pendulum-v1/trpo/default/seed-1',
      'Pendulum-v1/trpo-sr/default/seed-1',
      'Pendulum-v1/trpo/default/seed-2',
      'Pendulum-v1/trpo-sr/default/seed-2',
    ]);
    expect(await started('longest-first')).toEqual([
      'Pendulum-v1/trpo-sr/default/seed-1',
      'Pendulum-v1/trpo-sr/default/seed-2',
      'Pendulum-v1/trpo/default/seed-1',
      'Pendulum-v1/trpo/default/seed-2',
    ]);
  }, 60_000);

  test('CLI: --dry-run lists the order with estimates and their sum; a bad order, Slurm or --task is a usage error', async () => {
    const dir = await tempDir();
    const file = join(dir, 'order.yaml');
    await writeFile(file, JSON.stringify({ ...config(dir), out: dir }));
    await seedZeroDone(dir);
    const log = captureConsole().all;
    expect(await main(['sweep', file, '--dry-run', '--order', 'longest-first', '--population', 'off'])).toBe(
      0,
    );
    const lines = log().split('\n');
    const ids = lines.filter((l) => l.startsWith('Pendulum-v1/'));
    // the finished seed 0 of each has nothing left, so it comes after the others of its algorithm
    expect(ids).toEqual([
      'Pendulum-v1/trpo-sr/default/seed-1',
      'Pendulum-v1/trpo-sr/default/seed-2',
      'Pendulum-v1/trpo/default/seed-1',
      'Pendulum-v1/trpo/default/seed-2',
      'Pendulum-v1/trpo/default/seed-0',
      'Pendulum-v1/trpo-sr/default/seed-0',
    ]);
    expect(lines).toContain('    (≈ 10m00s left)');
    expect(log()).toContain('≈ 22m00s of training left on one core by the estimates');

    expect(await main(['sweep', file, '--order', 'shortest'])).toBe(2);
    expect(log()).toContain("--order must be one of plan, longest-first, got 'shortest'");
    expect(await main(['sweep', file, '--executor', 'slurm', '--order', 'longest-first'])).toBe(2);
    expect(log()).toContain('--order is for the local executor');
    expect(await main(['sweep', file, '--task', '0', '--order', 'plan'])).toBe(2);
    expect(log()).toContain('--task runs one task of the whole plan; drop --order');
  }, 60_000);
});
