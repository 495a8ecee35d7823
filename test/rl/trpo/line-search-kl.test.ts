/**
 * The KL the line search bounds (and progress.csv reports as MeanKL) is the mean
 * KL(π_old ‖ π_new) between the policies before and after the step, the change of σ
 * included: π_old's log σ is a copy, not a view of the parameter the line search
 * overwrites in place.
 */
import { expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { resolveConfig } from '../../../src/rl/trpo/config.js';
import { gaussianKl } from '../../../src/rl/trpo/distributions.js';
import { TrpoTrainer } from '../../../src/rl/trpo/trpo.js';
import { readFlat, writeFlat } from '../../../src/rl/params.js';
import { cloneTensor } from '../../../src/nn/tensor-copy.js';

it('MeanKL is the KL between the policies before and after the step, σ included', async () => {
  const trainer = await TrpoTrainer.create(
    resolveConfig({ algo: 'trpo', env: 'InvertedPendulum-v5', seed: 1, batchSize: 200, evalEvery: 0 }),
  );
  try {
    const { policy } = trainer;
    const params = policy.paramList();
    const before = await readFlat(params);
    const stats = await trainer.iterate();
    expect(stats.LineSearchSteps).toBeGreaterThan(0);
    const after = await readFlat(params);
    const obs = trainer.lastStepInputs!.obs;
    const outputs = (flat: Float64Array): [Tensor, Tensor] => {
      writeFlat(params, flat);
      return [sr.noGrad(() => policy.mean(obs)), cloneTensor(policy.logStd)];
    };
    const [oldMean, oldLogStd] = outputs(before);
    const [newMean, newLogStd] = outputs(after);
    expect(Array.from(newLogStd.dataSync())).not.toEqual(Array.from(oldLogStd.dataSync()));
    const kl = (logStdOld: Tensor): number =>
      sr.noGrad(() => gaussianKl(oldMean, logStdOld, newMean, newLogStd).mean()).dataSync()[0]!;
    const want = kl(oldLogStd);
    expect(Math.abs(stats.MeanKL - want)).toBeLessThanOrEqual(1e-6 * want);
    // what a view of log σ would have measured: the mean term only
    expect(Math.abs(stats.MeanKL - kl(newLogStd))).toBeGreaterThan(1e-3 * want);
  } finally {
    trainer.close();
  }
}, 30_000);
