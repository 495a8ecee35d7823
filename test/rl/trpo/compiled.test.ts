/**
 * TRPO with compiled steps (the PGD perturbation search, the loss and its gradient, the
 * Fisher-vector products inside conjugate gradient, the sampler's forward pass) equals
 * TRPO run eagerly (SR2L_COMPILE=0), bit for bit: two TRPO-SR iterations of the same seed
 * give the same statistics and parameters.
 */
import { afterEach, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/rl/trpo/config.js';
import { TrpoTrainer } from '../../../src/rl/trpo/trpo.js';

afterEach(() => {
  delete process.env.SR2L_COMPILE;
});

async function twoIterations(compile: boolean) {
  const trainer = await TrpoTrainer.create(
    resolveConfig({ algo: 'trpo-sr', env: 'InvertedPendulum-v5', seed: 3, batchSize: 300, evalEvery: 0 }),
  );
  try {
    const stats = [];
    for (let i = 0; i < 2; i++) {
      // the switch is read at every call, so each trainer runs its own way
      process.env.SR2L_COMPILE = compile ? '1' : '0';
      stats.push(await trainer.iterate());
    }
    const params = trainer.policy.paramList().map((p) => Array.from(p.dataSync()));
    return { stats, params };
  } finally {
    trainer.close();
  }
}

it('two TRPO-SR iterations: compiled equals eager bit for bit', async () => {
  const eager = await twoIterations(false);
  const compiled = await twoIterations(true);
  const pick = (s: (typeof eager.stats)[number]) => [
    s.AverageReturn,
    s.MeanKL,
    s.CGResidual,
    s.SurrogateAfter,
    s.SmoothnessReg,
  ];
  expect(compiled.stats.map(pick)).toEqual(eager.stats.map(pick));
  expect(compiled.params).toEqual(eager.params);
}, 60_000);
