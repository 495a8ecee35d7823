/**
 * bench/ddpg: gradient updates per second of one DDPG / DDPG-SR-A / DDPG-SR-C update
 * (batch 64, HalfCheetah sizes 17 → 64 → 64 → 6, critic with the action at layer 2,
 * Adam, Polyak targets; SR variants run the 10-step batched PGD) on sr2l's CPU backend
 * and the same update in TensorFlow.js (cpu and wasm backends), in one run. Prints
 * medians, the ratio sr2l / tfjs-cpu rate, and each SR variant's cost relative to plain
 * DDPG; `--json` prints the same as JSON. BENCH_MAX_TIME sets seconds per case.
 * sr2l runs four ways: the CPU backend with its default (SIMD) kernels, the same compiled
 * (sr.compile: traced once, replayed; the compiled ÷ eager column), the CPU backend
 * with plain-loop kernels (issue 6's comparison), and WebGPU when an adapter exists
 * (timed in rounds that end with a device sync, since dispatches run asynchronously).
 */
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { interleavedMicros, medianMicros } from '../mlp/measure.js';
import { registerTfjsGradients } from '../mlp/tfjs-gradients.js';
import { ALGOS, BATCH } from './setup.js';
import * as ours from './sr2l-ddpg.js';
import { CpuBackend, createWebGPUBackend, describeAdapter, webgpuInfo } from '../../src/index.js';
import * as theirs from './tfjs-ddpg.js';

const json = process.argv.includes('--json');
const maxTime = Number(process.env.BENCH_MAX_TIME ?? 2);

registerTfjsGradients();
const require = createRequire(import.meta.url);
setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

const perSecond = (micros: number): number => 1e6 / micros;
const sr2l = ALGOS.map((a) => perSecond(medianMicros(`sr2l ${a}`, ours.update(a), { maxTime })));
// the same update through sr.compile (issue 14): traced once, replayed after
const sr2lCompiled = ALGOS.map((a) =>
  perSecond(medianMicros(`sr2l compiled ${a}`, ours.update(a, undefined, { compiled: true }), { maxTime })),
);
const plainLoops = new CpuBackend({ kernels: 'js' });
const sr2lJs = ALGOS.map((a) =>
  perSecond(medianMicros(`sr2l js ${a}`, ours.update(a, plainLoops), { maxTime })),
);

/** WebGPU: median over rounds of 5 updates, each round ending when the device is idle. */
async function webgpuRates(): Promise<
  { adapter: string; rates: number[] } | { adapter: null; reason: string }
> {
  let gpu;
  try {
    gpu = await createWebGPUBackend();
  } catch (e) {
    return { adapter: null, reason: (e as Error).message.split('\n')[0]! };
  }
  const rates: number[] = [];
  for (const a of ALGOS) {
    const f = ours.update(a, gpu);
    for (let w = 0; w < 3; w++) f();
    await gpu.sync();
    const times: number[] = [];
    for (let r = 0; r < 7; r++) {
      const t0 = performance.now();
      for (let k = 0; k < 5; k++) f();
      await gpu.sync();
      times.push(((performance.now() - t0) * 1000) / 5);
    }
    rates.push(perSecond(times.sort((x, y) => x - y)[3]!));
  }
  const adapter = describeAdapter(await webgpuInfo());
  gpu.destroy();
  return { adapter, rates };
}
const webgpu = await webgpuRates();
const tfjsRates: Record<string, number[]> = {};
for (const backend of ['cpu', 'wasm']) {
  if (!(await tf.setBackend(backend)))
    throw new Error(`bench/ddpg: tfjs backend '${backend}' failed to load`);
  tfjsRates[backend] = ALGOS.map((a) =>
    perSecond(medianMicros(`tfjs-${backend} ${a}`, theirs.update(a), { maxTime })),
  );
}

const rows = ALGOS.map((algo, i) => ({
  algo,
  batch: BATCH,
  sr2l: sr2l[i]!,
  sr2lCompiled: sr2lCompiled[i]!,
  compiledSpeedup: sr2lCompiled[i]! / sr2l[i]!,
  sr2lPlainLoops: sr2lJs[i]!,
  simdSpeedup: sr2l[i]! / sr2lJs[i]!,
  sr2lWebgpu: webgpu.adapter ? webgpu.rates[i]! : null,
  tfjsCpu: tfjsRates.cpu![i]!,
  tfjsWasm: tfjsRates.wasm![i]!,
  speedupVsTfjsCpu: sr2l[i]! / tfjsRates.cpu![i]!,
  speedupVsTfjsWasm: sr2l[i]! / tfjsRates.wasm![i]!,
  costVsDdpg: sr2l[0]! / sr2l[i]!,
}));

// On a shared machine the load drifts between benchmark.js's back-to-back cases; the SR cost
// ratio is also measured with the three updates interleaved (interleavedMicros).
const inter = interleavedMicros(ALGOS.map((a) => ours.update(a)));
const interleaved = ALGOS.map((algo, i) => ({ algo, micros: inter[i]!, costVsDdpg: inter[i]! / inter[0]! }));

if (json)
  console.log(
    JSON.stringify(
      {
        suite: 'ddpg',
        unit: 'updates/s (median)',
        webgpu: webgpu.adapter ?? `unavailable: ${webgpu.reason}`,
        rows,
        interleaved,
      },
      null,
      2,
    ),
  );
else {
  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
  console.log(
    '| update (B=64) | sr2l cpu /s | sr2l cpu compiled /s | compiled ÷ eager | sr2l cpu plain loops /s | simd ÷ plain | sr2l webgpu /s | tfjs-cpu /s | tfjs-wasm /s | sr2l ÷ tfjs-cpu | sr2l ÷ tfjs-wasm | cost vs DDPG |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.algo} | ${f(r.sr2l)} | ${f(r.sr2lCompiled)} | ${r.compiledSpeedup.toFixed(2)}× | ${f(r.sr2lPlainLoops)} | ${r.simdSpeedup.toFixed(2)}× | ${r.sr2lWebgpu === null ? 'n/a' : f(r.sr2lWebgpu)} | ${f(r.tfjsCpu)} | ${f(r.tfjsWasm)} | ${r.speedupVsTfjsCpu.toFixed(2)}× | ${r.speedupVsTfjsWasm.toFixed(2)}× | ${r.costVsDdpg.toFixed(2)}× |`,
    );
  console.log(
    `sr2l interleaved (15 rounds × 5 updates, median µs): ${interleaved.map((r) => `${r.algo} ${r.micros.toFixed(0)} (${r.costVsDdpg.toFixed(2)}×)`).join(', ')}`,
  );
  console.log(
    `goals: DDPG ≥ 2× tfjs-cpu; each SR variant ≤ 2.5× the cost of DDPG; (issue 6) DDPG-SR-A with SIMD ≥ 3× plain loops. WebGPU: ${webgpu.adapter ?? `unavailable: ${webgpu.reason}`}`,
  );
}
