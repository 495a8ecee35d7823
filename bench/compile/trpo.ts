/**
 * TRPO-SR iteration (HalfCheetah-v2, 1000 steps): optimization and sampling time with
 * compiled steps on vs off (SR2L_COMPILE, read at every call). Two trainers of the same
 * seed take turns, two iterations each, after a warm-up iteration each; medians. The
 * same for a population of S seeds (TrpoPopulation: one batched policy step). Only the
 * second iteration of a turn is timed, after the heap is collected: a sampling phase
 * right after an eager policy step runs slower (measured: with two eager trainers taking
 * single turns the second sampled 13% slower; with two compiled ones, or sampling alone,
 * they were equal), so a timed iteration follows one of its own mode, as in a real run.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { resolveConfig, type TrpoConfig } from '../../src/rl/trpo/config.js';
import { TrpoPopulation } from '../../src/rl/trpo/population.js';
import { type IterationStats, TrpoTrainer } from '../../src/rl/trpo/trpo.js';

export interface TrpoCompileRow {
  mode: 'eager' | 'compiled';
  optimizeS: number;
  samplingS: number;
}

type Times = Pick<IterationStats, 'TimeSampling' | 'TimeOptimize'>;

/** A trainer, or a population (one row per member, timed from the end of the shared sampling). */
interface Iterating {
  iterate(): Promise<Times | Record<string, number>[]>;
  close(): void;
}

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

/** Medians of `iterations` iterations of two copies of `make()`, one eager and one compiled, alternating. */
async function measureModes(make: () => Promise<Iterating>, iterations: number): Promise<TrpoCompileRow[]> {
  const modes = ['eager', 'compiled'] as const;
  const trainers: Iterating[] = [];
  for (const _ of modes) trainers.push(await make());
  const saved = process.env.SR2L_COMPILE;
  const times = modes.map(() => ({ optimize: [] as number[], sampling: [] as number[] }));
  try {
    for (let i = 0; i <= iterations; i++) {
      for (let k = 0; k < modes.length; k++) {
        process.env.SR2L_COMPILE = modes[k] === 'eager' ? '0' : '1';
        if (i > 0) await trainers[k]!.iterate(); // the turn's first iteration, untimed
        collectGarbage();
        const out = await trainers[k]!.iterate();
        if (i === 0) continue; // warm-up
        const rows = (Array.isArray(out) ? out : [out]) as Times[];
        // a population's members finish one after another: the last one ends its step
        times[k]!.optimize.push(Math.max(...rows.map((r) => r.TimeOptimize)));
        times[k]!.sampling.push(rows[0]!.TimeSampling);
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

const trpoSr = (env: string, batchSize: number) => (seed: number) =>
  resolveConfig({ algo: 'trpo-sr', env, seed, batchSize, evalEvery: 0 });

export function measureTrpo(iterations: number, env = 'HalfCheetah-v2'): Promise<TrpoCompileRow[]> {
  const config = trpoSr(env, 1000);
  return measureModes(() => TrpoTrainer.create(config(0)), iterations);
}

/** A TRPO-SR population of seeds 0 … S−1, `batchSize` steps per seed. */
export function measureTrpoPopulation(
  population: number,
  iterations: number,
  env = 'HalfCheetah-v2',
  batchSize = 1000,
): Promise<TrpoCompileRow[]> {
  const config: (seed: number) => TrpoConfig = trpoSr(env, batchSize);
  const seeds = Array.from({ length: population }, (_, k) => k);
  return measureModes(() => TrpoPopulation.create(seeds.map(config)), iterations);
}
