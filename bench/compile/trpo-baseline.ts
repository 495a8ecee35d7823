/**
 * With BENCH_BASELINE: the compiled TRPO-SR optimization (HalfCheetah-v2, 1000 steps) of
 * that checkout against this tree's in one process, each with its own modules, backend and
 * WebAssembly arena, iterations alternating after one untimed (tracing) iteration each:
 * a kernel change measured before and after under the same load. Both trainers start
 * from the same seed, so the run also says whether the policies came out bit for bit the
 * same after every iteration (a change meant only to be faster must keep them so).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TrpoTrainer } from '../../src/rl/trpo/trpo.js';
import type { resolveConfig } from '../../src/rl/trpo/config.js';
import { cpuMillis } from '../mlp/measure.js';

export interface TrpoBaselineRow {
  /** medians over the timed iterations, seconds: wall (the trainer's TimeOptimize) and CPU time */
  baselineS: number;
  currentS: number;
  baselineCpuS: number;
  currentCpuS: number;
  /** whether both policies' parameters were equal bit for bit after every iteration */
  sameBits: boolean;
}

async function trainer(root: string): Promise<TrpoTrainer> {
  const url = (p: string): string => pathToFileURL(join(root, p)).href;
  const cfg = (await import(url('src/rl/trpo/config.ts'))) as { resolveConfig: typeof resolveConfig };
  const mod = (await import(url('src/rl/trpo/trpo.ts'))) as { TrpoTrainer: typeof TrpoTrainer };
  const config = cfg.resolveConfig({
    algo: 'trpo-sr',
    env: 'HalfCheetah-v2',
    seed: 0,
    batchSize: 1000,
    evalEvery: 0,
  });
  return mod.TrpoTrainer.create(config);
}

const bits = (t: TrpoTrainer): Uint32Array[] =>
  t.policy.parameters().map((p) => new Uint32Array(Float32Array.from(p.dataSync()).buffer));
const sameBits = (x: Uint32Array[], y: Uint32Array[]): boolean =>
  x.length === y.length && x.every((a, i) => a.length === y[i]!.length && a.every((v, j) => v === y[i]![j]));

export async function measureTrpoBaseline(dir: string, iterations: number): Promise<TrpoBaselineRow> {
  const saved = process.env.SR2L_COMPILE;
  process.env.SR2L_COMPILE = '1';
  const trainers = [await trainer(dir), await trainer(join(import.meta.dirname, '../..'))];
  const wall: number[][] = [[], []];
  const cpu: number[][] = [[], []];
  let same = true;
  try {
    for (let i = 0; i <= iterations; i++) {
      for (let k = 0; k < 2; k++) {
        const t = trainers[k]!;
        const batch = await t.sample(t.policy);
        const c0 = cpuMillis();
        const t0 = performance.now();
        const row = await t.learnFrom(batch, t0, t0);
        const c1 = cpuMillis();
        if (i > 0) {
          wall[k]!.push(row.TimeOptimize);
          cpu[k]!.push((c1 - c0) / 1000);
        }
      }
      same &&= sameBits(bits(trainers[0]!), bits(trainers[1]!));
    }
  } finally {
    if (saved === undefined) delete process.env.SR2L_COMPILE;
    else process.env.SR2L_COMPILE = saved;
    trainers.forEach((t) => t.close());
  }
  const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
  return {
    baselineS: median(wall[0]!),
    currentS: median(wall[1]!),
    baselineCpuS: median(cpu[0]!),
    currentCpuS: median(cpu[1]!),
    sameBits: same,
  };
}
