/**
 * `sr2l train --seeds ... --workers N`: the members' environments step on worker threads
 * (one WorkerEnvGroup, one round per lockstep step) and every member's numbers are those
 * of `--workers 1` (the main thread) bit for bit: progress rows (timings aside) and policy
 * checkpoints, for a TRPO-SR and a DDPG-SR-A population of 3 seeds, for TRPO's garage
 * whole-path sampler, and across a resume (which replays each member's running episode on
 * its worker thread with blocking calls).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { captureConsole, type CapturedConsole } from '../../helpers/console.js';
import { main } from '../../../src/cli/index.js';
import { WorkerEnvGroup } from '../../../src/envs/vector/worker-env-group.js';
import { rowsWithoutTimes as rows } from '../ddpg/progress-rows.js';

const root = await tempDirs('sr2l-pop-workers-')();

let cons: CapturedConsole;
beforeEach(() => void (cons = captureConsole()));
afterEach(() => vi.restoreAllMocks());

const trpoSr = ['--algo', 'trpo-sr', '--env', 'Pendulum-v1', '--batch-size', '64', '--pgd-steps', '3'];
// 150 steps per iteration: Pendulum's 200-step episodes run across iterations (a resume replays one)
const ddpgSrA = [
  '--algo',
  'ddpg-sr-a',
  '--env',
  'Pendulum-v1',
  '--steps-per-iteration',
  '150',
  '--steps-per-cycle',
  '50',
  '--train-steps-per-cycle',
  '4',
  '--warmup-steps',
  '100',
  '--pgd-steps',
  '2',
];

const checkpointFile = (dir: string, it: number, file: string): Buffer =>
  readFileSync(join(dir, 'checkpoints', `iter-${String(it).padStart(6, '0')}`, file));

/** Trains seeds 0-2 and checks that --workers > 1 did build one group of 3 envs on that many threads. */
async function train(args: string[], out: string, workers: number, iterations: number): Promise<void> {
  const groups = vi.spyOn(WorkerEnvGroup, 'create');
  const argv = ['train', ...args, '--seeds', '0-2', '--iterations', String(iterations), '--out', out];
  expect(await main([...argv, '--workers', String(workers), '--quiet']), cons.all()).toBe(0);
  if (workers === 1) expect(groups).not.toHaveBeenCalled();
  else expect(groups.mock.calls.map((c) => [c[1].count, c[1].numWorkers])).toEqual([[3, workers]]);
  groups.mockRestore();
}

function expectSameMembers(a: string, b: string, file: string, iteration: number): void {
  for (const s of ['s0', 's1', 's2']) {
    expect(rows(join(b, s)), `progress.csv of ${s}`).toEqual(rows(join(a, s)));
    expect(checkpointFile(join(b, s), iteration, file)).toEqual(checkpointFile(join(a, s), iteration, file));
  }
  // the members differ from each other (their own seeds reached their own environments)
  expect(rows(join(a, 's0')).at(-1)).not.toEqual(rows(join(a, 's1')).at(-1));
}

describe('population environments on worker threads', () => {
  it('TRPO-SR: --workers 2 equals --workers 1 bit for bit, also after a resume', async () => {
    const one = join(root, 'trpo-1');
    const two = join(root, 'trpo-2');
    await train(trpoSr, one, 1, 3);
    await train(trpoSr, two, 2, 2);
    expect(await main(['train', '--resume', two, '--iterations', '3', '--workers', '2', '--quiet'])).toBe(0);
    expect(rows(join(one, 's0'))).toHaveLength(3);
    expect(rows(join(one, 's2'))[2]!.SmoothnessReg).toBeGreaterThan(0);
    expectSameMembers(one, two, 'policy.safetensors', 3);
  });

  it('TRPO with the garage whole-path sampler: --workers 3 equals --workers 1', async () => {
    const garage = [
      '--algo',
      'trpo',
      '--env',
      'Pendulum-v1',
      '--preset',
      'garage-benchmark',
      '--batch-size',
      '150',
    ];
    const one = join(root, 'garage-1');
    const three = join(root, 'garage-3');
    await train(garage, one, 1, 2);
    await train(garage, three, 3, 2);
    // whole paths of 100 steps from 4 virtual envs: at least 150 steps takes 2 or more
    expect(rows(join(one, 's1'))[0]!.NumEpisodes).toBeGreaterThanOrEqual(2);
    expectSameMembers(one, three, 'policy.safetensors', 2);
  });

  it('DDPG-SR-A: --workers 2 equals --workers 1 bit for bit, also after a resume', async () => {
    const one = join(root, 'ddpg-1');
    const two = join(root, 'ddpg-2');
    await train(ddpgSrA, one, 1, 3);
    await train(ddpgSrA, two, 2, 1);
    expect(await main(['train', '--resume', two, '--iterations', '3', '--workers', '2', '--quiet'])).toBe(0);
    expect(rows(join(one, 's0'))[2]!.Updates).toBeGreaterThan(0);
    expectSameMembers(one, two, 'actor.safetensors', 3);
  });

  it('refuses a --workers that is not a positive integer', async () => {
    const out = join(root, 'bad');
    expect(await main(['train', ...trpoSr, '--seeds', '0-1', '--out', out, '--workers', '0'])).toBe(2);
    expect(cons.all()).toMatch(/--workers must be a positive integer \(environment threads\), got '0'/);
    expect(await main(['train', ...trpoSr, '--seeds', '0-1', '--out', out, '--workers', '1.5'])).toBe(2);
    expect(cons.all()).toMatch(/got '1\.5'/);
  });
});
