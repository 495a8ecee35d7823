/**
 * Fixture folders for the dashboard tests, written by the tests themselves:
 *   a sweep: Pendulum-v1 × {trpo, trpo-sr} × seeds 0..2, five iterations each with known
 *   returns, sr2l eval results for every run, the files a sweep writes (sweep-run.json,
 *   sweep-done.json); a broken run (unreadable config.json, a half-written progress.csv);
 *   and on request real runs: TRPO-SR on Pendulum-v1 for two iterations (grads.csv,
 *   checkpoints), TRPO on InvertedPendulum-v5 (MuJoCo) for one or more; and sr2l eval on a run.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import type { RobustnessResult } from '../../src/rl/robustness/index.js';
import { checkpointName } from '../../src/rl/run/checkpoint-layout.js';
import { captureConsole } from '../helpers/console.js';
import { resolveConfig } from '../../src/rl/trpo/config.js';
import { trainRun } from '../../src/rl/run/train-run.js';

export const ALGOS = ['trpo', 'trpo-sr'] as const;
export const SEEDS = [0, 1, 2];
export const ITERATIONS = 5;

/** AverageReturn of iteration i (1-based) of a fixture run. */
export const fixtureReturn = (algo: string, seed: number, i: number): number =>
  (algo === 'trpo' ? -1000 : -800) + 50 * i + 10 * seed;

export function progressText(algo: string, seed: number, rows: number): string {
  const lines = ['Iteration,EnvSteps,AverageReturn,MeanKL'];
  for (let i = 1; i <= rows; i++) lines.push(`${i},${i * 1000},${fixtureReturn(algo, seed, i)},${0.01 / i}`);
  return lines.join('\n') + '\n';
}

/** clean return and the return under 'mad' at ε = 0.1, per run */
export const fixtureEval = (algo: string, seed: number) => ({
  clean: -300 - seed,
  mad: (algo === 'trpo' ? -700 : -400) - 10 * seed,
});

function robustnessJson(algo: string, seed: number): string {
  const { clean, mad } = fixtureEval(algo, seed);
  const row = (attack: string, eps: number, mean: number) => ({
    attack,
    eps,
    episodes: 2,
    mean,
    std: 1,
    median: mean,
    min: mean - 1,
    max: mean + 1,
    deltaLinfMean: eps,
    deltaLinfMax: eps,
    deltaL2Mean: eps,
    wallSeconds: 0.1,
  });
  return JSON.stringify({
    envId: 'Pendulum-v1',
    seed: 0,
    episodes: 2,
    stochastic: false,
    epsScale: 'raw',
    pgd: { steps: 10, stepFraction: 0.2, ascent: 'sign' },
    obsStd: [1, 1, 1],
    rows: [row('none', 0, clean), row('mad', 0.1, mad)],
    smoothness: [
      {
        eps: 0.1,
        states: 8,
        lipschitzMean: algo === 'trpo' ? 3 : 1,
        lipschitzP95: 4,
        madDivergenceMean: 0.5,
      },
    ],
    returns: [
      [clean, clean],
      [mad, mad],
    ],
  });
}

export const runId = (algo: string, seed: number): string => `Pendulum-v1/${algo}/default/seed-${seed}`;

/** Writes the sweep into `root` (see the module comment); returns the run ids. */
export async function writeSweep(root: string, rows = ITERATIONS): Promise<string[]> {
  const ids: string[] = [];
  for (const algo of ALGOS)
    for (const seed of SEEDS) {
      const id = runId(algo, seed);
      const dir = join(root, id);
      await mkdir(join(dir, 'eval'), { recursive: true });
      const settings = {
        algo,
        env: 'Pendulum-v1',
        seed,
        iterations: ITERATIONS,
        lambdaS: algo === 'trpo' ? 0 : 0.1,
      };
      await writeFile(join(dir, 'config.json'), JSON.stringify({ config: settings, seed }));
      await writeFile(
        join(dir, 'sweep-run.json'),
        JSON.stringify({ id, env: 'Pendulum-v1', algo, setting: 'default', seed, options: {} }),
      );
      await writeFile(join(dir, 'progress.csv'), progressText(algo, seed, rows));
      if (rows >= ITERATIONS) await writeFile(join(dir, 'sweep-done.json'), '{}');
      await writeFile(join(dir, 'eval', 'robustness.json'), robustnessJson(algo, seed));
      ids.push(id);
    }
  return ids;
}

/** A run with an unreadable config.json and a progress.csv whose last row is half written. */
export async function writeBrokenRun(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), '{"config": {"algo": "trpo",');
  await writeFile(join(dir, 'progress.csv'), 'Iteration,EnvSteps,AverageReturn\n1,100,-5\n2,20');
}

/** Trains TRPO-SR on Pendulum-v1 for two iterations with --log-grads (a second or two). */
export async function trainTinyRun(dir: string): Promise<void> {
  const config = resolveConfig({
    algo: 'trpo-sr',
    env: 'Pendulum-v1',
    seed: 1,
    batchSize: 64,
    iterations: 2,
    evalEvery: 0,
    hidden: [8, 8],
    logGrads: true,
  });
  const { trainer } = await trainRun(config, { out: dir });
  trainer.close();
}

/**
 * Trains TRPO on InvertedPendulum-v5 (MuJoCo) for short iterations (default one); the run
 * keeps its newest two checkpoints and every `checkpointEvery`-th.
 */
export async function trainTinyMujocoRun(dir: string, iterations = 1, checkpointEvery = 10): Promise<void> {
  const config = resolveConfig({
    algo: 'trpo',
    env: 'InvertedPendulum-v5',
    seed: 2,
    batchSize: 64,
    iterations,
    evalEvery: 0,
    hidden: [8],
    checkpointEvery,
  });
  const { trainer } = await trainRun(config, { out: dir });
  trainer.close();
}

/** Runs `sr2l eval` on a run folder (no smoothness metric; `more`: further flags) and returns its robustness.json. */
export async function evalRun(
  dir: string,
  attack: string,
  eps: string,
  episodes: number,
  more: string[] = [],
): Promise<RobustnessResult> {
  captureConsole();
  try {
    const code = await main([
      'eval',
      dir,
      '--attack',
      attack,
      '--eps',
      eps,
      '--episodes',
      String(episodes),
      '--smoothness-states',
      '0',
      ...more,
    ]);
    if (code !== 0) throw new Error(`sr2l eval exited with ${code}`);
  } finally {
    vi.restoreAllMocks();
  }
  // with --iteration N the results go to eval/iter-N
  const at = more.indexOf('--iteration');
  const folder = at < 0 ? [] : [checkpointName(Number(more[at + 1]))];
  return JSON.parse(
    await readFile(join(dir, 'eval', ...folder, 'robustness.json'), 'utf8'),
  ) as RobustnessResult;
}

/** The episode returns of one attack's row (the first with that attack). */
export const returnsOf = (r: RobustnessResult, attack: string): number[] =>
  r.returns[r.rows.findIndex((x) => x.attack === attack)]!;
