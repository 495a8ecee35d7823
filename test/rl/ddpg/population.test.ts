/**
 * DDPG population parity: seeds {0, 1, 2} trained as one population give each seed's
 * single-run progress rows bit for bit (timings aside) and the same networks, Adam states
 * and replay buffers; a population of one is the single run. DDPG-SR-A on Pendulum-v1:
 * 3 iterations of 150 steps (episodes of 200 end mid-iteration, so resets are per member),
 * warm-up and 10 updates per iteration, PGD with 3 steps.
 */
import { describe, expect, test } from 'vitest';
import { DdpgTrainer } from '../../../src/rl/ddpg/ddpg.js';
import { DdpgPopulation } from '../../../src/rl/ddpg/population.js';
import type { Module } from '../../../src/nn/module.js';

const SETTINGS = {
  algo: 'ddpg-sr-a' as const,
  env: 'Pendulum-v1',
  stepsPerIteration: 150,
  stepsPerCycle: 50,
  trainStepsPerCycle: 5,
  warmupSteps: 100,
  bufferSize: 1000,
  pgdSteps: 3,
};
const ITERATIONS = 3;

const withoutTimes = (row: object): Record<string, number> => {
  const { TimeSampling: _a, TimeOptimize: _b, UpdatesPerSecond: _c, ...rest } = row as Record<string, number>;
  return rest;
};

const values = (m: Module): number[][] => m.parameters().map((p) => Array.from(p.dataSync()));

async function singleRun(seed: number): Promise<{ rows: Record<string, number>[]; t: DdpgTrainer }> {
  const t = await DdpgTrainer.create({ ...SETTINGS, seed });
  const rows = [];
  for (let i = 0; i < ITERATIONS; i++) rows.push(withoutTimes(await t.iterate()));
  return { rows, t };
}

describe('DDPG-SR-A population', () => {
  test('seeds {0, 1, 2} as one population equal three single runs bit for bit', async () => {
    const seeds = [0, 1, 2];
    const pop = await DdpgPopulation.create(seeds.map((seed) => ({ ...SETTINGS, seed })));
    const popRows: Record<string, number>[][] = seeds.map(() => []);
    for (let i = 0; i < ITERATIONS; i++)
      (await pop.iterate()).forEach((r, k) => popRows[k]!.push(withoutTimes(r)));
    pop.syncMembers();
    for (const [k, seed] of seeds.entries()) {
      const single = await singleRun(seed);
      expect(popRows[k], `progress rows of seed ${seed}`).toEqual(single.rows);
      const m = pop.members[k]!;
      for (const name of ['actor', 'critic', 'targetActor', 'targetCritic'] as const)
        expect(values(m.learner[name]), `${name} of seed ${seed}`).toEqual(values(single.t.learner[name]));
      const adam = (t: DdpgTrainer) =>
        [...t.learner.actorOpt.stateDict().tensors].map(([key, v]) => [key, Array.from(v.dataSync())]);
      expect(adam(m), `actor Adam state of seed ${seed}`).toEqual(adam(single.t));
      expect(m.buffer.columns().obs).toEqual(single.t.buffer.columns().obs);
      single.t.close();
    }
    // the members differ from each other, and the run learned something to compare
    expect(popRows[0]![2]!.CriticLoss).not.toBe(popRows[1]![2]!.CriticLoss);
    expect(popRows[0]![2]!.SmoothnessReg).toBeGreaterThan(0);
    expect(popRows[0]![2]!.Updates).toBe(40);
    pop.close();
  }, 60_000);

  test('a population of one is the single run', async () => {
    const pop = await DdpgPopulation.create([{ ...SETTINGS, seed: 7 }]);
    const rows = [];
    for (let i = 0; i < ITERATIONS; i++) rows.push(withoutTimes((await pop.iterate())[0]!));
    const single = await singleRun(7);
    expect(rows).toEqual(single.rows);
    pop.close();
    single.t.close();
  }, 30_000);

  test('members must differ only in seed', async () => {
    await expect(
      DdpgPopulation.create([
        { ...SETTINGS, seed: 0 },
        { ...SETTINGS, seed: 1, tau: 0.5 },
      ]),
    ).rejects.toThrow(/member 1 \(seed 1\) has tau = 0.5, member 0 has 0.01/);
    await expect(
      DdpgPopulation.create([
        { ...SETTINGS, seed: 3 },
        { ...SETTINGS, seed: 3 },
      ]),
    ).rejects.toThrow(/lists seed 3 twice/);
  });
});
