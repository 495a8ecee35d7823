/**
 * TRPO-SR iteration (HalfCheetah-v2, 1000 steps): optimization and sampling time with
 * compiled steps on vs off (SR2L_COMPILE, read at every call). Two trainers of the same
 * seed run alternately, one iteration each, after a warm-up iteration each; medians.
 */
import { resolveConfig } from '../../src/rl/trpo/config.js';
import { TrpoTrainer } from '../../src/rl/trpo/trpo.js';

export interface TrpoCompileRow {
  mode: 'eager' | 'compiled';
  optimizeS: number;
  samplingS: number;
}

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

export async function measureTrpo(iterations: number, env = 'HalfCheetah-v2'): Promise<TrpoCompileRow[]> {
  const modes = ['eager', 'compiled'] as const;
  const trainers = await Promise.all(
    modes.map(() =>
      TrpoTrainer.create(resolveConfig({ algo: 'trpo-sr', env, seed: 0, batchSize: 1000, evalEvery: 0 })),
    ),
  );
  const saved = process.env.SR2L_COMPILE;
  const times = modes.map(() => ({ optimize: [] as number[], sampling: [] as number[] }));
  try {
    for (let i = 0; i <= iterations; i++) {
      for (let k = 0; k < modes.length; k++) {
        process.env.SR2L_COMPILE = modes[k] === 'eager' ? '0' : '1';
        const s = await trainers[k]!.iterate();
        if (i === 0) continue; // warm-up
        times[k]!.optimize.push(s.TimeOptimize);
        times[k]!.sampling.push(s.TimeSampling);
      }
    }
  } finally {
    if (saved === undefined) delete process.env.SR2L_COMPILE;
    else process.env.SR2L_COMPILE = saved;
    trainers.forEach((t) => t.close());
  }
  return modes.map((mode, k) => ({
    mode,
    optimizeS: median(times[k]!.optimize),
    samplingS: median(times[k]!.sampling),
  }));
}
