/**
 * TRPO with compiled steps (the PGD perturbation search, the loss and its gradient, the
 * Fisher-vector products inside conjugate gradient, the line search's loss and KL, the
 * step's statistics, the sampler's forward pass) equals TRPO run eagerly
 * (SR2L_COMPILE=0), bit for bit: two TRPO-SR iterations of the same seed give the same
 * progress rows and parameters. Each compiled step is built once per trainer: it traces
 * at the first iteration and only replays at the second. The same for a population's
 * batched step.
 */
import { afterEach, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/rl/trpo/config.js';
import { TrpoPopulation } from '../../../src/rl/trpo/population.js';
import { type IterationStats, TrpoTrainer } from '../../../src/rl/trpo/trpo.js';

afterEach(() => {
  delete process.env.SR2L_COMPILE;
});

const untimed = ({ TimeSampling, TimeOptimize, ...rest }: IterationStats | Record<string, number>) => {
  void TimeSampling;
  void TimeOptimize;
  return rest;
};

async function twoIterations(compile: boolean) {
  const trainer = await TrpoTrainer.create(
    resolveConfig({ algo: 'trpo-sr', env: 'InvertedPendulum-v5', seed: 3, batchSize: 300, evalEvery: 0 }),
  );
  try {
    const stats = [];
    const traces: number[][] = [];
    for (let i = 0; i < 2; i++) {
      // the switch is read at every call, so each trainer runs its own way
      process.env.SR2L_COMPILE = compile ? '1' : '0';
      stats.push(await trainer.iterate());
      traces.push(Object.values(trainer.compiled.all()).map((f) => f.traces));
    }
    const params = trainer.policy.paramList().map((p) => Array.from(p.dataSync()));
    const replays = Object.values(trainer.compiled.all()).map((f) => f.replays);
    return { stats, params, traces, replays };
  } finally {
    trainer.close();
  }
}

it('two TRPO-SR iterations: compiled equals eager bit for bit; every step traces once per trainer', async () => {
  const eager = await twoIterations(false);
  const compiled = await twoIterations(true);
  expect(compiled.stats.map(untimed)).toEqual(eager.stats.map(untimed));
  expect(compiled.params).toEqual(eager.params);
  // the PGD, the loss and gradient, the Fisher products, the line search and the statistics
  expect(compiled.traces).toEqual([
    [1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1],
  ]);
  for (const r of compiled.replays) expect(r).toBeGreaterThan(0);
  expect(eager.traces.flat().every((t) => t === 0)).toBe(true);
}, 60_000);

async function twoPopulationIterations(compile: boolean) {
  const config = (seed: number) =>
    resolveConfig({ algo: 'trpo-sr', env: 'Pendulum-v1', batchSize: 48, pgdSteps: 3, evalEvery: 0, seed });
  const pop = await TrpoPopulation.create([5, 6].map(config));
  try {
    const rows = [];
    const traces: number[][] = [];
    for (let i = 0; i < 2; i++) {
      process.env.SR2L_COMPILE = compile ? '1' : '0';
      rows.push((await pop.iterate()).map(untimed));
      traces.push(Object.values(pop.compiledSteps()).map((f) => f.traces));
    }
    const params = pop.members.map((m) => m.policy.paramList().map((p) => Array.from(p.dataSync())));
    return { rows, params, traces };
  } finally {
    pop.close();
  }
}

it('a TRPO-SR population step: compiled equals eager bit for bit; every step traces once', async () => {
  const eager = await twoPopulationIterations(false);
  const compiled = await twoPopulationIterations(true);
  expect(compiled.rows).toEqual(eager.rows);
  expect(compiled.params).toEqual(eager.params);
  expect(compiled.traces).toEqual([
    [1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1],
  ]);
}, 60_000);
