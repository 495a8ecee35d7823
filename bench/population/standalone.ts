/**
 * One TRPO-SR population (`--algo=trpo`: TRPO) alone in this process, from the checkout at `--tree` (this one by
 * default): `--warmup` iterations (the first traces the compiled programs), then
 * `--iterations` timed ones; prints one JSON line {wall, cpu} (seconds per iteration, CPU
 * time of every thread of the process). A sweep trains each population in a process of its
 * own, so its arena and heap hold that population alone: baseline.ts runs this for a
 * checkout and for this tree, alternating, to compare them as the sweep runs them.
 */
import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MakeEnvOptions } from '../../src/envs/registry.js';
import type { resolveConfig } from '../../src/rl/trpo/config.js';
import type { TrpoPopulation } from '../../src/rl/trpo/population.js';
import type { WorkerEnvGroup } from '../../src/envs/vector/worker-env-group.js';
import { cpuMillis } from '../mlp/measure.js';

const { values } = parseArgs({
  options: {
    tree: { type: 'string', default: resolve(dirname(fileURLToPath(import.meta.url)), '../..') },
    seeds: { type: 'string', default: '10' },
    steps: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '2' },
    iterations: { type: 'string', default: '3' },
    env: { type: 'string', default: 'HalfCheetah-v2' },
    algo: { type: 'string', default: 'trpo-sr' },
  },
});
const [s, workers, warmup, iterations] = [values.seeds, values.workers, values.warmup, values.iterations].map(
  Number,
) as [number, number, number, number];
if (![s, workers, warmup, iterations].every((n) => Number.isInteger(n) && n >= 1))
  throw new RangeError(
    'bench/population/standalone: --seeds, --workers, --warmup, --iterations are integers ≥ 1',
  );

const load = async <T>(path: string): Promise<T> =>
  (await import(pathToFileURL(join(values.tree, path)).href)) as T;
const { resolveConfig: resolveIn } = await load<{ resolveConfig: typeof resolveConfig }>(
  'src/rl/trpo/config.ts',
);
const { TrpoPopulation: Population } = await load<{ TrpoPopulation: typeof TrpoPopulation }>(
  'src/rl/trpo/population.ts',
);
const { WorkerEnvGroup: Group } = await load<{ WorkerEnvGroup: typeof WorkerEnvGroup }>(
  'src/envs/vector/worker-env-group.ts',
);

const population = await Population.create(
  Array.from({ length: s }, (_, seed) =>
    resolveIn({ algo: values.algo, env: values.env, seed, batchSize: Number(values.steps), evalEvery: 0 }),
  ),
  workers === 1
    ? {}
    : {
        envGroup: (id: string, count: number, envOptions: MakeEnvOptions) =>
          Group.create(id, { count, numWorkers: Math.min(workers, count), envOptions }),
      },
);
for (let i = 0; i < warmup; i++) await population.iterate();
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < iterations; i++) {
  const [t0, c0] = [performance.now(), cpuMillis()];
  await population.iterate();
  wall.push((performance.now() - t0) / 1000);
  cpu.push((cpuMillis() - c0) / 1000);
}
population.close();
console.log(JSON.stringify({ wall, cpu }));
process.exit(0);
