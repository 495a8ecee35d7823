/**
 * With BENCH_BASELINE=<another checkout> (its own node_modules linked in, e.g. `git worktree
 * add --detach /tmp/base <commit>` plus `cp -al node_modules`), the TRPO-SR population
 * table also times that checkout's TrpoPopulation in the same process, round by round beside
 * this tree's (each side has its own modules and WebAssembly arena), so a change is measured
 * before and after under the same machine load.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { MakeEnvOptions } from '../../src/envs/registry.js';
import type { resolveConfig } from '../../src/rl/trpo/config.js';
import type { TrpoPopulation } from '../../src/rl/trpo/population.js';
import type { WorkerEnvGroup } from '../../src/envs/vector/worker-env-group.js';

/** The baseline's TRPO-SR population of `seeds` with its environments on `workers` threads. */
export type BaselinePopulation = (
  seeds: number[],
  workers: number,
) => Promise<{ iterate(): Promise<unknown>; close(): void }>;

/** The baseline checkout's population maker, the settings being what `config(seed)` gives this tree. */
export async function baselinePopulation(
  dir: string,
  config: (seed: number) => Record<string, unknown>,
): Promise<BaselinePopulation> {
  const load = async <T>(path: string): Promise<T> =>
    (await import(pathToFileURL(join(dir, path)).href)) as T;
  const { resolveConfig: resolve } = await load<{ resolveConfig: typeof resolveConfig }>(
    'src/rl/trpo/config.ts',
  );
  const { TrpoPopulation: Population } = await load<{ TrpoPopulation: typeof TrpoPopulation }>(
    'src/rl/trpo/population.ts',
  );
  const { WorkerEnvGroup: Group } = await load<{ WorkerEnvGroup: typeof WorkerEnvGroup }>(
    'src/envs/vector/worker-env-group.ts',
  );
  return (seeds, workers) =>
    Population.create(
      seeds.map((k) => resolve(config(k))),
      workers === 1
        ? {}
        : {
            envGroup: (id: string, count: number, envOptions: MakeEnvOptions) =>
              Group.create(id, { count, numWorkers: Math.min(workers, count), envOptions }),
          },
    );
}
