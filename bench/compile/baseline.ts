/**
 * This tree's compiled updates against another checkout's, in one process (set
 * BENCH_BASELINE to that checkout's root, e.g. `git archive <commit> src bench package.json
 * | tar -x -C /tmp/base` with node_modules linked in): each side has its own modules and
 * WebAssembly arena, and rounds alternate, so a kernel change is measured before and after
 * under the same load. Medians and fastest of interleaved rounds of this process's CPU time.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ALGOS, type BenchAlgo } from '../ddpg/setup.js';
import { update } from '../ddpg/sr2l-ddpg.js';
import { cpuMillis, interleavedRounds, settle } from '../mlp/measure.js';

export interface BaselineRow {
  algo: BenchAlgo;
  mode: 'compiled' | 'fused';
  /** medians of the rounds, µs of CPU time per update */
  baseline: number;
  current: number;
  /** the fastest rounds (least disturbed by other jobs' load) */
  baselineFastest: number;
  currentFastest: number;
}

export async function measureBaseline(dir: string, rounds: number): Promise<BaselineRow[]> {
  const url = pathToFileURL(join(dir, 'bench/ddpg/sr2l-ddpg.ts')).href;
  const base = (await import(url)) as { update: typeof update };
  const rows: BaselineRow[] = [];
  for (const algo of ALGOS)
    for (const mode of ['compiled', 'fused'] as const) {
      const compiled = mode === 'fused' ? 'fused' : true;
      await settle(); // both programs' buffers in their arenas (see settle)
      const [b, c] = interleavedRounds(
        [base.update(algo, undefined, { compiled }), update(algo, undefined, { compiled })],
        rounds,
        10,
        cpuMillis,
      ) as [number[], number[]];
      const median = (t: number[]): number => t[t.length >> 1]!;
      rows.push({
        algo,
        mode,
        baseline: median(b),
        current: median(c),
        baselineFastest: b[0]!,
        currentFastest: c[0]!,
      });
    }
  return rows;
}
