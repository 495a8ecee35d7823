/**
 * The matrix products of one compiled TRPO-SR optimization (HalfCheetah-v2, 1000 steps),
 * each distinct shape timed alone like the DDPG products table (products.ts): the batch-1000
 * forward layers, the input gradients g·Wᵀ and the weight gradients op(A)ᵀ·B with k = 1000
 * (four panels of KC = 256) that the Fisher-vector products repeat inside conjugate
 * gradient. With BENCH_BASELINE=<another checkout> each shape also runs on that checkout's
 * CPU backend in the same interleaved rounds: per-shape GFLOP/s before and after a kernel
 * change under the same load.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CpuBackend } from '../../src/index.js';
import { recordTrpoProducts, timeProducts, type ProductRow } from './products.js';

export interface TrpoProductTable {
  /** multiply-adds of one optimization's products */
  macs: number;
  calls: number;
  rows: ProductRow[];
  baseline: string | null;
}

export async function measureTrpoProducts(
  rounds: number,
  perRound: number,
  baselineDir?: string,
): Promise<TrpoProductTable> {
  const products = await recordTrpoProducts();
  const Baseline = baselineDir
    ? (
        (await import(pathToFileURL(join(baselineDir, 'src/index.ts')).href)) as {
          CpuBackend: new () => CpuBackend;
        }
      ).CpuBackend
    : undefined;
  return {
    macs: products.reduce((s, p) => s + p.m * p.k * p.n, 0),
    calls: products.length,
    rows: timeProducts(products, rounds, perRound, Baseline),
    baseline: baselineDir ?? null,
  };
}

export function printTrpoProducts(t: TrpoProductTable, rounds: number): void {
  const total = (us: (r: ProductRow) => number): number => t.rows.reduce((s, r) => s + r.calls * us(r), 0);
  const gf = (r: ProductRow, us: number): string => ((r.gflops * r.minMicros) / us).toFixed(1);
  console.log(
    `Matrix products of one compiled TRPO-SR optimization (HalfCheetah-v2, 1000 steps; ${t.calls} calls, ${(t.macs / 1e6).toFixed(1)} M multiply-adds), each shape run alone (CPU time, µs per call: fastest and median of ${rounds} rounds): ${(total((r) => r.minMicros) / 1000).toFixed(1)} ms per optimization at the fastest rounds${t.baseline ? `, ${(total((r) => r.baselineMinMicros!) / 1000).toFixed(1)} ms with BENCH_BASELINE=${t.baseline}` : ''}`,
  );
  if (t.baseline) {
    console.log(
      '| product | calls | baseline µs (fastest / median) | this tree µs (fastest / median) | GFLOP/s baseline / this (fastest) | baseline ÷ this (fastest / median) |',
    );
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const r of t.rows) {
      const [bm, bmed] = [r.baselineMinMicros!, r.baselineMedianMicros!];
      console.log(
        `| ${r.label} | ${r.calls} | ${bm.toFixed(1)} / ${bmed.toFixed(1)} | ${r.minMicros.toFixed(1)} / ${r.medianMicros.toFixed(1)} | ${gf(r, bm)} / ${r.gflops.toFixed(1)} | ${(bm / r.minMicros).toFixed(2)}× / ${(bmed / r.medianMicros).toFixed(2)}× |`,
      );
    }
    return;
  }
  console.log(
    '| product | calls | µs per call (fastest / median) | GFLOP/s (fastest) | ms per optimization |',
  );
  console.log('|---|---:|---:|---:|---:|');
  for (const r of t.rows)
    console.log(
      `| ${r.label} | ${r.calls} | ${r.minMicros.toFixed(1)} / ${r.medianMicros.toFixed(1)} | ${r.gflops.toFixed(1)} | ${((r.calls * r.minMicros) / 1000).toFixed(2)} |`,
    );
}
