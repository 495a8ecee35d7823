/**
 * The DDPG updates on WebGPU, eager vs compiled: dispatches per update (the runtime's
 * counter) and time per update (median of rounds of 5 updates, each round ending when
 * the device is idle, since dispatches run asynchronously): eager, compiled (the same
 * kernels minus constants and dead calls) and compiled with fused WGSL elementwise kernels.
 */
import { createWebGPUBackend, describeAdapter, webgpuInfo } from '../../src/index.js';
import { ALGOS, type BenchAlgo } from '../ddpg/setup.js';
import { update } from '../ddpg/sr2l-ddpg.js';

export interface WebgpuCompileRow {
  algo: BenchAlgo;
  dispatchesEager: number;
  dispatchesCompiled: number;
  dispatchesFused: number;
  /** µs per update, medians */
  eager: number;
  compiled: number;
  fused: number;
}

export type WebgpuResult = { adapter: string; rows: WebgpuCompileRow[] } | { adapter: null; reason: string };

export async function measureWebgpu(rounds = 7): Promise<WebgpuResult> {
  let gpu;
  try {
    gpu = await createWebGPUBackend();
  } catch (e) {
    return { adapter: null, reason: (e as Error).message.split('\n')[0]! };
  }
  const rows: WebgpuCompileRow[] = [];
  for (const algo of ALGOS) {
    const measure = async (compiled: boolean | 'fused'): Promise<[number, number]> => {
      const f = update(algo, gpu, { compiled });
      for (let w = 0; w < 3; w++) f();
      await gpu.sync();
      const d0 = gpu.stats().dispatches;
      const times: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        for (let k = 0; k < 5; k++) f();
        await gpu.sync();
        times.push(((performance.now() - t0) * 1000) / 5);
      }
      const perUpdate = (gpu.stats().dispatches - d0) / (rounds * 5);
      return [perUpdate, times.sort((a, b) => a - b)[rounds >> 1]!];
    };
    const [de, te] = await measure(false);
    const [dc, tc] = await measure(true);
    const [df, tf] = await measure('fused');
    rows.push({
      algo,
      dispatchesEager: de,
      dispatchesCompiled: dc,
      dispatchesFused: df,
      eager: te,
      compiled: tc,
      fused: tf,
    });
  }
  const adapter = describeAdapter(await webgpuInfo());
  gpu.destroy();
  return { adapter, rows };
}
