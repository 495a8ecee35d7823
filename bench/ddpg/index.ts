/**
 * bench/ddpg: gradient updates per second of one DDPG / DDPG-SR-A / DDPG-SR-C update
 * (batch 64, HalfCheetah sizes 17 → 64 → 64 → 6, critic with the action at layer 2,
 * Adam, Polyak targets; SR variants run the 10-step batched PGD) on sr2l's CPU backend
 * and the same update in TensorFlow.js (cpu and wasm backends), in one run. Prints
 * medians, the ratio sr2l / tfjs-cpu rate, and each SR variant's cost relative to plain
 * DDPG; `--json` prints the same as JSON. BENCH_MAX_TIME sets seconds per case.
 * The WebGPU backend is not in this tree yet, so it has no column.
 */
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { medianMicros } from '../mlp/measure.js';
import { registerTfjsGradients } from '../mlp/tfjs-gradients.js';
import { ALGOS, BATCH } from './setup.js';
import * as ours from './sr2l-ddpg.js';
import * as theirs from './tfjs-ddpg.js';

const json = process.argv.includes('--json');
const maxTime = Number(process.env.BENCH_MAX_TIME ?? 2);

registerTfjsGradients();
const require = createRequire(import.meta.url);
setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

const perSecond = (micros: number): number => 1e6 / micros;
const sr2l = ALGOS.map((a) => perSecond(medianMicros(`sr2l ${a}`, ours.update(a), { maxTime })));
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
  tfjsCpu: tfjsRates.cpu![i]!,
  tfjsWasm: tfjsRates.wasm![i]!,
  speedupVsTfjsCpu: sr2l[i]! / tfjsRates.cpu![i]!,
  speedupVsTfjsWasm: sr2l[i]! / tfjsRates.wasm![i]!,
  costVsDdpg: sr2l[0]! / sr2l[i]!,
}));

if (json)
  console.log(
    JSON.stringify(
      { suite: 'ddpg', unit: 'updates/s (median)', webgpu: 'not available in this tree', rows },
      null,
      2,
    ),
  );
else {
  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
  console.log(
    '| update (B=64) | sr2l cpu /s | tfjs-cpu /s | tfjs-wasm /s | sr2l ÷ tfjs-cpu | sr2l ÷ tfjs-wasm | cost vs DDPG |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.algo} | ${f(r.sr2l)} | ${f(r.tfjsCpu)} | ${f(r.tfjsWasm)} | ${r.speedupVsTfjsCpu.toFixed(2)}× | ${r.speedupVsTfjsWasm.toFixed(2)}× | ${r.costVsDdpg.toFixed(2)}× |`,
    );
  console.log(
    'goals: DDPG ≥ 2× tfjs-cpu; each SR variant ≤ 2.5× the cost of DDPG. WebGPU: no backend in this tree yet.',
  );
}
