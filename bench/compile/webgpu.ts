/**
 * The DDPG updates on WebGPU, eager vs compiled: dispatches per update (the runtime's
 * counter) and time per update (median of rounds of 5 updates, each round ending when
 * the device is idle, since dispatches run asynchronously). Fusion is CPU-only so far,
 * so "compiled" here is the same kernels minus constants and dead calls.
 */
import { createWebGPUBackend, describeAdapter, webgpuInfo } from '../../src/index.js';
import { ALGOS, type BenchAlgo } from '../ddpg/setup.js';
import { update } from '../ddpg/sr2l-ddpg.js';

export interface WebgpuCompileRow {
  algo: BenchAlgo;
  dispatchesEager: number;
  dispatchesCompiled: number;
  /** µs per update, medians */
  eager: number;
  compiled: number;
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
    const measure = async (compiled: boolean): Promise<[number, number]> => {
      const f = update(algo, gpu, compiled);
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
    rows.push({ algo, dispatchesEager: de, dispatchesCompiled: dc, eager: te, compiled: tc });
  }
  const adapter = describeAdapter(await webgpuInfo());
  gpu.destroy();
  return { adapter, rows };
}
