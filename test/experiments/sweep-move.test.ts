/**
 * A sweep that outlasts its machine: a TRPO-SR population stopped part way is committed with
 * `sr2l sweep keep --unfinished --commit`, cloned elsewhere, and resumed there from the
 * repository alone; it ends with the progress rows and policy of an uninterrupted sweep.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/index.js';
import { validateSweepConfig, type SweepConfig } from '../../src/experiments/config.js';
import { runSweep, type SweepEvent } from '../../src/experiments/sweep.js';
import { captureConsole } from '../helpers/console.js';
import { git, initRepo } from '../helpers/git-repo.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { rowsWithoutTimes } from '../rl/ddpg/progress-rows.js';

const tempDir = tempDirs('sr2l-sweep-move-');
const train = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'train'];

function sweepConfig(out: string, iterations: number): SweepConfig {
  return validateSweepConfig({
    name: 'move',
    out,
    envs: ['Pendulum-v1'],
    algorithms: ['trpo-sr'],
    seeds: 2,
    iterations,
    stepsPerIteration: 200,
    options: { eps: 0.05, lambdaS: 0.1, pgdSteps: 2, quiet: true },
    command: train,
  });
}

const runDir = (out: string, seed: number): string =>
  join(out, 'Pendulum-v1', 'trpo-sr', 'default', `seed-${seed}`);
const policy = (out: string, seed: number): Promise<Buffer> =>
  readFile(join(runDir(out, seed), 'checkpoints', 'iter-000004', 'policy.safetensors'));

describe('a sweep moved between machines through git', () => {
  test('its unfinished population resumes in a clone from the committed checkpoints and ends as an uninterrupted one', async () => {
    const straight = join(await tempDir(), 'runs', 'move');
    expect(
      (await runSweep(sweepConfig(straight, 4), { workers: 1, defaultCommand: [] })).completed,
    ).toHaveLength(2);

    // machine A: the population has trained 2 of 4 iterations when the machine goes
    const a = await tempDir();
    await initRepo(a);
    const outA = join(a, 'runs', 'move');
    await runSweep(sweepConfig(outA, 2), { workers: 1, defaultCommand: [] });
    for (const seed of [0, 1]) await rm(join(runDir(outA, seed), 'sweep-done.json'));
    captureConsole();
    expect(await main(['sweep', 'keep', outA, '--unfinished', '--commit'])).toBe(0);
    const tracked = git(a, 'ls-files', 'runs').trim().split('\n');
    expect(tracked.some((f) => f.endsWith('seed-1/checkpoints/iter-000002/policy.safetensors'))).toBe(true);
    expect(tracked.some((f) => f.endsWith('train.log') || f.endsWith('batch.safetensors'))).toBe(false);

    // machine B: a clone, with nothing but what git holds
    const b = join(await tempDir(), 'clone');
    execFileSync('git', ['clone', '--quiet', a, b]);
    const outB = join(b, 'runs', 'move');
    const events: SweepEvent[] = [];
    const resumed = await runSweep(sweepConfig(outB, 4), {
      workers: 1,
      defaultCommand: [],
      onEvent: (e) => events.push(e),
    });
    expect(resumed.completed).toHaveLength(2);
    expect(events.filter((e) => e.kind === 'start').map((e) => e.kind === 'start' && e.resumedAt)).toEqual([
      2, 2,
    ]);
    for (const seed of [0, 1]) {
      const rows = rowsWithoutTimes(runDir(outB, seed));
      expect(rows.map((r) => r.Iteration)).toEqual([1, 2, 3, 4]);
      expect(rows, `seed ${seed}`).toEqual(rowsWithoutTimes(runDir(straight, seed)));
      expect((await policy(outB, seed)).equals(await policy(straight, seed)), `seed ${seed}`).toBe(true);
    }
  }, 120_000);
});
