/**
 * TRPO-SR iteration (HalfCheetah-v2, 1000 steps): optimization and sampling time with
 * compiled steps on vs off (SR2L_COMPILE, read at every call). Two trainers of the same
 * seed take turns, two iterations each, after a warm-up iteration each; medians. The
 * same for a population of S seeds (TrpoPopulation: one batched policy step). Only the
 * second iteration of a turn is timed, after the heap is collected: a sampling phase
 * right after an eager policy step runs slower (measured: with two eager trainers taking
 * single turns the second sampled 13% slower; with two compiled ones, or sampling alone,
 * they were equal), so a timed iteration follows one of its own mode, as in a real run.
 * Besides wall time, each phase's CPU time (this process's, so waiting for a core on a
 * busy machine does not count) for a single trainer, and per iteration for a population.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { resolveConfig, type TrpoConfig } from '../../src/rl/trpo/config.js';
import { TrpoPopulation } from '../../src/rl/trpo/population.js';
import { TrpoTrainer } from '../../src/rl/trpo/trpo.js';
import { cpuMillis } from '../mlp/measure.js';

/** Medians in seconds; CPU times NaN where not measured. */
export interface TrpoCompileRow {
  mode: 'eager' | 'compiled';
  optimizeS: number;
  samplingS: number;
  optimizeCpuS: number;
  samplingCpuS: number;
  /** a whole iteration's CPU time */
  iterationCpuS: number;
}

type Timed = Omit<TrpoCompileRow, 'mode'>;

interface Iterating {
  /** one iteration, timed */
  run(): Promise<Timed>;
  close(): void;
}

const cpuS = (): number => cpuMillis() / 1000;

/** A trainer: its sampling and learning phases called one after the other, as iterate() does. */
function phased(t: TrpoTrainer): Iterating {
  return {
    async run() {
      const [c0, t0] = [cpuS(), performance.now()];
      const batch = await t.sample(t.policy);
      const [c1, t1] = [cpuS(), performance.now()];
      const row = await t.learnFrom(batch, t0, t1);
      const c2 = cpuS();
      return {
        optimizeS: row.TimeOptimize,
        samplingS: row.TimeSampling,
        optimizeCpuS: c2 - c1,
        samplingCpuS: c1 - c0,
        iterationCpuS: c2 - c0,
      };
    },
    close: () => t.close(),
  };
}

/** A population: one row per member, timed from the end of the shared sampling. */
function whole(p: TrpoPopulation): Iterating {
  return {
    async run() {
      const c0 = cpuS();
      const rows = await p.iterate();
      return {
        // the members finish one after another: the last one ends the step
        optimizeS: Math.max(...rows.map((r) => r.TimeOptimize!)),
        samplingS: rows[0]!.TimeSampling!,
        optimizeCpuS: NaN,
        samplingCpuS: NaN,
        iterationCpuS: cpuS() - c0,
      };
    },
    close: () => p.close(),
  };
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
  const times = modes.map(() => [] as Timed[]);
  try {
    for (let i = 0; i <= iterations; i++) {
      for (let k = 0; k < modes.length; k++) {
        process.env.SR2L_COMPILE = modes[k] === 'eager' ? '0' : '1';
        if (i > 0) await trainers[k]!.run(); // the turn's first iteration, untimed
        collectGarbage();
        const timed = await trainers[k]!.run();
        if (i > 0) times[k]!.push(timed); // else warm-up
      }
    }
  } finally {
    if (saved === undefined) delete process.env.SR2L_COMPILE;
    else process.env.SR2L_COMPILE = saved;
    trainers.forEach((t) => t.close());
  }
  const of = (k: number, key: keyof Timed): number => median(times[k]!.map((t) => t[key]));
  return modes.map((mode, k) => ({
    mode,
    optimizeS: of(k, 'optimizeS'),
    samplingS: of(k, 'samplingS'),
    optimizeCpuS: of(k, 'optimizeCpuS'),
    samplingCpuS: of(k, 'samplingCpuS'),
    iterationCpuS: of(k, 'iterationCpuS'),
  }));
}

const trpoSr = (env: string, batchSize: number) => (seed: number) =>
  resolveConfig({ algo: 'trpo-sr', env, seed, batchSize, evalEvery: 0 });

export function measureTrpo(iterations: number, env = 'HalfCheetah-v2'): Promise<TrpoCompileRow[]> {
  const config = trpoSr(env, 1000);
  return measureModes(async () => phased(await TrpoTrainer.create(config(0))), iterations);
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
  return measureModes(async () => whole(await TrpoPopulation.create(seeds.map(config))), iterations);
}
