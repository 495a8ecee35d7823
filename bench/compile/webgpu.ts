/**
 * The DDPG updates on WebGPU, eager vs compiled: dispatches and submits (command buffers)
 * per update (the runtime's counters) and time per update (median of rounds of 5 updates,
 * each round ending when the device is idle, since dispatches run asynchronously; the
 * modes' rounds interleave, so load changes hit them alike). Compiled and compiled with
 * fused WGSL elementwise kernels each run in both replay modes: 'dispatches' (a bind
 * group and a params slot per dispatch, batches of 64, as eager) and 'commands' (bind
 * groups and params built once per program, one command buffer per update).
 */
import { createWebGPUBackend, describeAdapter, webgpuInfo, type ReplayMode } from '../../src/index.js';
import { ALGOS, type BenchAlgo } from '../ddpg/setup.js';
import { update } from '../ddpg/sr2l-ddpg.js';

/** Per update: dispatches, submits and µs (median). */
export interface WebgpuMode {
  dispatches: number;
  submits: number;
  micros: number;
  /**
   * µs per update on the host outside queue.submit and the sync: JavaScript, bind groups,
   * encoding (on Dawn's OpenGL ES backend the kernels run inside submit, so the rest is
   * what a real GPU would not hide)
   */
  hostMicros: number;
}

export interface WebgpuCompileRow {
  algo: BenchAlgo;
  eager: WebgpuMode;
  /** compiled, replayed dispatch by dispatch / as recorded commands */
  compiled: Record<ReplayMode, WebgpuMode>;
  fused: Record<ReplayMode, WebgpuMode>;
}

export type WebgpuResult = { adapter: string; rows: WebgpuCompileRow[] } | { adapter: null; reason: string };

const MODES = [
  ['eager', false, 'commands'],
  ['compiled', true, 'dispatches'],
  ['compiled', true, 'commands'],
  ['fused', 'fused', 'dispatches'],
  ['fused', 'fused', 'commands'],
] as const;

export async function measureWebgpu(rounds = 7): Promise<WebgpuResult> {
  let gpu;
  try {
    gpu = await createWebGPUBackend();
  } catch (e) {
    return { adapter: null, reason: (e as Error).message.split('\n')[0]! };
  }
  const rows: WebgpuCompileRow[] = [];
  // time inside submit, to separate the host's own work from the kernels' (see hostMicros)
  const queue = gpu.device.queue;
  const submit = queue.submit.bind(queue);
  let inSubmit = 0;
  queue.submit = (b: Iterable<GPUCommandBuffer>) => {
    const t = performance.now();
    submit(b);
    inSubmit += performance.now() - t;
  };
  for (const algo of ALGOS) {
    const runs = MODES.map(([, compiled, replay]) => {
      gpu.replay = replay; // a compiled function's programs take the mode at their trace
      const f = update(algo, gpu, { compiled });
      for (let w = 0; w < 3; w++) f();
      return { f, times: [] as number[], host: [] as number[], dispatches: 0, submits: 0 };
    });
    await gpu.sync();
    for (let r = 0; r < rounds; r++) {
      for (const run of runs) {
        const s0 = gpu.stats();
        const t0 = performance.now();
        inSubmit = 0;
        for (let k = 0; k < 5; k++) run.f();
        run.host.push(((performance.now() - t0 - inSubmit) * 1000) / 5);
        await gpu.sync();
        run.times.push(((performance.now() - t0) * 1000) / 5);
        const s1 = gpu.stats();
        run.dispatches += s1.dispatches - s0.dispatches;
        run.submits += s1.submits - s0.submits;
      }
    }
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[rounds >> 1]!;
    const mode = (i: number): WebgpuMode => {
      const run = runs[i]!;
      return {
        dispatches: run.dispatches / (rounds * 5),
        submits: run.submits / (rounds * 5),
        micros: median(run.times),
        hostMicros: median(run.host),
      };
    };
    rows.push({
      algo,
      eager: mode(0),
      compiled: { dispatches: mode(1), commands: mode(2) },
      fused: { dispatches: mode(3), commands: mode(4) },
    });
  }
  delete (queue as { submit?: unknown }).submit;
  const adapter = describeAdapter(await webgpuInfo());
  gpu.destroy();
  return { adapter, rows };
}
