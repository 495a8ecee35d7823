import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import * as sr from '../../src/index.js';
import { main } from '../../src/cli/index.js';
import { saveSafetensors } from '../../src/nn/node.js';
import { loadAgent } from '../../src/rl/robustness/index.js';
import { checkpointsOnDisk } from '../../src/rl/run/checkpoint.js';
import { trainRun } from '../../src/rl/run/train-run.js';
import { resolveConfig } from '../../src/rl/trpo/config.js';
import { captureConsole } from '../helpers/console.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const tempDir = tempDirs('sr2l-cli-eval-');
afterEach(() => vi.restoreAllMocks());

const capture = () => captureConsole().all;

/** A Pendulum-v1 TRPO run folder holding a random 3-h-1 Gaussian policy. */
async function pendulumRun(seed: number, hidden: number): Promise<string> {
  const dir = await tempDir();
  const gen = sr.rng(seed);
  await mkdir(join(dir, 'checkpoints'));
  await saveSafetensors(
    join(dir, 'checkpoints', 'policy.safetensors'),
    new Map([
      ['mean.0.weight', gen.randn([3, hidden], { std: 0.5 })],
      ['mean.0.bias', sr.zeros([hidden])],
      ['mean.1.weight', gen.randn([hidden, 1], { std: 0.5 })],
      ['mean.1.bias', sr.zeros([1])],
      ['logStd', sr.zeros([1])],
    ]),
  );
  return dir;
}

describe('sr2l eval', () => {
  test('evaluates a run folder and writes the tables; bad flags are usage errors', async () => {
    const dir = await pendulumRun(9, 16);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ env: 'Pendulum-v1', algo: 'trpo', seed: 4 }));
    const out = capture();
    const args = [
      'eval',
      dir,
      '--attack',
      'random,mad',
      '--eps',
      '0,0.05',
      '--episodes',
      '2',
      '--pgd-steps',
      '3',
    ];
    expect(await main([...args, '--eps-scale', 'obs-std', '--smoothness-states', '16'])).toBe(0);
    expect(out()).toMatch(/ε in units of the clean-rollout observation std/);
    const csv = (await readFile(join(dir, 'eval', 'robustness.csv'), 'utf8')).trim().split('\n');
    expect(csv.map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      'attack,eps,eps_scale',
      'none,0,obs-std',
      'random,0,obs-std',
      'random,0.05,obs-std',
      'mad,0,obs-std',
      'mad,0.05,obs-std',
    ]);
    const json = JSON.parse(await readFile(join(dir, 'eval', 'robustness.json'), 'utf8')) as {
      seed: number;
      command: string;
      pgd: { steps: number };
    };
    expect(json.seed).toBe(4);
    expect(json.pgd.steps).toBe(3);
    expect(json.command).toContain('--attack random,mad');

    expect(await main([...args, '--attack', 'fgsm'])).toBe(2);
    expect(out()).toMatch(/--attack: unknown attack 'fgsm'; allowed: none, random, mad, critic/);
    expect(await main([...args, '--eps-scale', 'std'])).toBe(2);
    expect(out()).toMatch(/--eps-scale must be one of raw, obs-std/);
    expect(await main(['eval', dir, '--episodes', '0'])).toBe(2);
    expect(await main([...args, '--attack', 'critic'])).toBe(2);
    expect(out()).toMatch(/the 'critic' attack needs a critic/);
  }, 60_000);

  test("--max-episode-steps: the length the run trained with by default, the env's own, or a number", async () => {
    const dir = await pendulumRun(5, 8);
    // a run trained on 10-step episodes (as --preset garage-benchmark trains on 100)
    const config = { config: { env: 'Pendulum-v1', algo: 'trpo', seed: 1, maxEpisodeSteps: 10 } };
    await writeFile(join(dir, 'config.json'), JSON.stringify(config));
    const out = capture();
    const flags = ['--attack', 'random', '--eps', '0.1', '--episodes', '3', '--smoothness-states', '0'];
    const evaluate = async (more: string[]) => {
      expect(await main(['eval', dir, ...flags, ...more])).toBe(0);
      return JSON.parse(await readFile(join(dir, 'eval', 'robustness.json'), 'utf8')) as {
        maxEpisodeSteps: number;
        returns: number[][];
      };
    };
    // Pendulum's reward is at least −16.3 per step: 10 steps bound a return below by −163
    const lowest = (r: { returns: number[][] }) => Math.min(...r.returns.flat());
    const ownLength = await evaluate([]);
    expect(ownLength.maxEpisodeSteps).toBe(10);
    expect(out()).toMatch(/episodes of at most 10 steps/);
    expect(lowest(ownLength)).toBeGreaterThan(-163);
    const envLength = await evaluate(['--max-episode-steps', 'env']);
    expect(envLength.maxEpisodeSteps).toBe(200);
    expect(lowest(envLength)).toBeLessThan(-163);
    const given = await evaluate(['--max-episode-steps', '10']);
    expect(given.returns).toEqual(ownLength.returns);
    expect(await main(['eval', dir, ...flags, '--max-episode-steps', 'ten'])).toBe(2);
    expect(out()).toMatch(/--max-episode-steps must be run, env or a positive integer, got 'ten'/);
  }, 60_000);

  test('--attack sarsa,optimal trains their budgets from the flags and writes their rows', async () => {
    const dir = await pendulumRun(3, 8);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ env: 'Pendulum-v1', algo: 'trpo', seed: 2 }));
    const out = capture();
    const args = ['eval', dir, '--attack', 'sarsa,optimal', '--eps', '0,0.05', '--episodes', '2'];
    const budget = ['--sarsa-episodes', '1', '--sarsa-steps', '5', '--optimal-iterations', '1'];
    expect(await main([...args, ...budget, '--optimal-batch', '200', '--smoothness-states', '0'])).toBe(0);
    expect(out()).toMatch(/sarsa: 200 transitions/);
    const csv = (await readFile(join(dir, 'eval', 'robustness.csv'), 'utf8')).trim().split('\n');
    expect(csv.map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      'attack,eps',
      'none,0',
      'sarsa,0',
      'sarsa,0.05',
      'optimal,0',
      'optimal,0.05',
    ]);
    // ε = 0 trains no adversary and reproduces the clean row (common random numbers)
    expect(out()).not.toMatch(/optimal ε=0: training/);
    const mean = (row: string) => Number(row.split(',')[5]);
    expect(mean(csv[4]!)).toBe(mean(csv[1]!));
    expect(await main([...args, '--sarsa-steps', '0'])).toBe(2);
    expect(out()).toMatch(/--sarsa-steps must be a positive integer, got '0'/);
  }, 60_000);

  test('--iteration N evaluates that kept checkpoint, as the newest of a run cut back to it; a missing N names those on disk', async () => {
    // three iterations, every checkpoint kept: 1, 2 and 3 (latest)
    const dir = await tempDir();
    const config = resolveConfig({
      algo: 'trpo',
      env: 'Pendulum-v1',
      seed: 5,
      batchSize: 64,
      iterations: 3,
      evalEvery: 0,
      hidden: [8],
      checkpointEvery: 1,
    });
    (await trainRun(config, { out: dir })).trainer.close();
    expect(await checkpointsOnDisk(dir)).toEqual([3, 2, 1]);
    const flags = ['--attack', 'random', '--eps', '0.1', '--episodes', '2', '--smoothness-states', '0'];
    const returns = async (runDir: string, more: string[] = [], folder = 'eval') => {
      capture();
      expect(await main(['eval', runDir, ...flags, ...more])).toBe(0);
      vi.restoreAllMocks();
      const json = JSON.parse(await readFile(join(runDir, folder, 'robustness.json'), 'utf8')) as {
        returns: number[][];
        command: string;
        checkpoint: number;
      };
      return json;
    };
    const newest = await returns(dir);
    expect(newest.checkpoint).toBe(3);
    // an older checkpoint's results go to eval/iter-N, beside the newest's
    const second = await returns(dir, ['--iteration', '2'], join('eval', 'iter-000002'));
    expect(second.command).toContain('--iteration 2');
    expect(second.checkpoint).toBe(2);
    expect(second.returns).not.toEqual(newest.returns);
    expect(JSON.parse(await readFile(join(dir, 'eval', 'robustness.json'), 'utf8'))).toMatchObject({
      checkpoint: 3,
    });
    // the same run folder with checkpoint 3 removed: its newest is 2
    const cut = await tempDir();
    await cp(dir, cut, { recursive: true });
    await rm(join(cut, 'eval'), { recursive: true });
    await rm(join(cut, 'checkpoints', 'iter-000003'), { recursive: true });
    await writeFile(join(cut, 'checkpoints', 'latest.json'), JSON.stringify({ iteration: 2 }));
    expect((await returns(cut)).returns).toEqual(second.returns);

    const out = capture();
    expect(await main(['eval', dir, ...flags, '--iteration', '4'])).toBe(2);
    expect(out()).toContain(
      `--iteration: ${dir}: no checkpoint of iteration 4; its checkpoints are of iterations 1, 2, 3`,
    );
    expect(await main(['eval', dir, ...flags, '--iteration', 'two'])).toBe(2);
    expect(out()).toMatch(/--iteration must be an integer ≥ 0, got 'two'/);
    // a plain MLP checkpoint has no iterations to choose from
    const mlp = await pendulumRun(2, 4);
    await writeFile(join(mlp, 'config.json'), JSON.stringify({ env: 'Pendulum-v1', algo: 'trpo', seed: 1 }));
    expect(await main(['eval', mlp, ...flags, '--iteration', '1'])).toBe(2);
    expect(out()).toContain(
      `--iteration: ${mlp}: no checkpoint of iteration 1; it has no checkpoint folders`,
    );
    // the library refuses it as clearly
    await expect(loadAgent(mlp, 'trpo', 1)).rejects.toThrow(
      /choosing a checkpoint iteration needs a run folder sr2l train wrote/,
    );
    await expect(loadAgent(dir, 'trpo', 7)).rejects.toThrow(
      /no checkpoint of iteration 7; its checkpoints are of iterations 1, 2, 3/,
    );
  }, 60_000);
});
