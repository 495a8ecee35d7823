/**
 * Faults in a DDPG population: member 1's actor is poisoned with NaN after iteration 1.
 * It is stopped at iteration 2 with failed.json in its folder (and its NaN row), while
 * members 0 and 2 run to the end with progress rows equal to their single runs bit for
 * bit: the NaN reached no other seed. A resume continues members 0 and 2 (still equal to
 * their single runs) and leaves member 1 stopped: its folder is not touched again, and
 * population.json lists its failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { resolveDdpgConfig } from '../../../src/rl/ddpg/config.js';
import type { DdpgPopulation } from '../../../src/rl/ddpg/population.js';
import { memberStateDict, loadMemberStateDict } from '../../../src/nn/population.js';
import { trainRun } from '../../../src/rl/run/train-run.js';
import { trainPopulation } from '../../../src/rl/population/train-population.js';
import { rowsWithoutTimes } from './progress-rows.js';

const root = await tempDirs('sr2l-pop-faults-')();

const settings = {
  algo: 'ddpg-sr-a',
  env: 'Pendulum-v1',
  iterations: 3,
  stepsPerIteration: 100,
  stepsPerCycle: 50,
  trainStepsPerCycle: 5,
  warmupSteps: 50,
  pgdSteps: 2,
  evalEvery: 0,
};

const rows = rowsWithoutTimes;

describe('DDPG population faults', () => {
  test('a member gone NaN is stopped and reported; the others equal their single runs', async () => {
    const seeds = [0, 1, 2];
    const configs = seeds.map((seed) => resolveDdpgConfig({ ...settings, seed }));
    const dirs = seeds.map((s) => join(root, 'pop', `s${s}`));
    const result = await trainPopulation(configs, {
      dirs,
      populationDir: join(root, 'pop'),
      onIteration: (r, run) => {
        if (r[0]!.Iteration !== 1) return;
        const actor = (run.population as DdpgPopulation).learner.actor;
        const poisoned = new Map(
          [...memberStateDict(actor, 1)].map(([n, t]) => [n, n === 'net.layers.0.weight' ? t.mul(NaN) : t]),
        );
        loadMemberStateDict(actor, 1, poisoned);
      },
    });
    result.population.close();
    expect(result.failed).toEqual([
      { seed: 1, iteration: 2, reason: 'non-finite values in actor net.layers.0.weight' },
    ]);
    const failure = JSON.parse(readFileSync(join(dirs[1]!, 'failed.json'), 'utf8'));
    expect(failure).toMatchObject({ status: 'failed', seed: 1, iteration: 2 });
    const r1 = rows(dirs[1]!);
    expect(r1.map((r) => r.Iteration)).toEqual([1, 2]);
    expect(existsSync(join(dirs[1]!, 'checkpoints', 'iter-000002'))).toBe(false); // the last good one stays
    // the single runs go on to iteration 5, which the resume below reaches
    const longer = configs.map((c) => ({ ...c, iterations: 5 }));
    for (const k of [0, 2]) {
      expect(existsSync(join(dirs[k]!, 'failed.json'))).toBe(false);
      const single = await trainRun(longer[k]!, { out: join(root, `single-${k}`) });
      single.trainer.close();
      expect(rows(dirs[k]!), `seed ${k}`).toEqual(rows(join(root, `single-${k}`)).slice(0, 3));
    }
    expect(rows(dirs[0]!)).toHaveLength(3);
    const record = () => JSON.parse(readFileSync(join(root, 'pop', 'population.json'), 'utf8'));
    expect(record().failed).toEqual(result.failed);

    const before = readFileSync(join(dirs[1]!, 'progress.csv'), 'utf8');
    const warnings: string[] = [];
    const resumed = await trainPopulation(longer, {
      dirs,
      populationDir: join(root, 'pop'),
      resume: true,
      warn: (m) => warnings.push(m),
    });
    resumed.population.close();
    expect(resumed.failed).toEqual([]);
    expect(resumed.resumedFrom).toBe(3);
    expect(warnings.join('\n')).toMatch(/seed 1 was stopped by a fault at iteration 2 .*stays stopped/);
    for (const k of [0, 2])
      expect(rows(dirs[k]!), `seed ${k} resumed`).toEqual(rows(join(root, `single-${k}`)));
    expect(readFileSync(join(dirs[1]!, 'progress.csv'), 'utf8')).toBe(before);
    expect(existsSync(join(dirs[1]!, 'failed.json'))).toBe(true);
    expect(existsSync(join(dirs[1]!, 'checkpoints', 'iter-000003'))).toBe(false);
    expect(record().failed).toEqual(result.failed);
  }, 60_000);
});
