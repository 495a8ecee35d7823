/**
 * bench/mlp: MLP 17→64→64→6 (tanh hidden, linear output), forward + backward of the mean
 * squared output w.r.t. all parameters, at several batch sizes; the per-op overhead of a
 * 1-element add with gradient tracking; and a 10-step input PGD at batch 64. sr2l's CPU
 * backend against TensorFlow.js (cpu and wasm backends) in the same run. Prints medians
 * in µs per step and the ratios sr2l / tfjs; `--json` prints the same as JSON.
 */
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as ours from './sr2l-mlp.js';
import * as theirs from './tfjs-mlp.js';
import { medianMicros } from './measure.js';
import { registerTfjsGradients } from './tfjs-gradients.js';
import { BATCHES, PGD } from './sizes.js';

const json = process.argv.includes('--json');
const maxTime = Number(process.env.BENCH_MAX_TIME ?? 1);

interface Case {
  name: string;
  ours: () => () => void;
  tfjs: () => () => void;
}

const cases: Case[] = [
  ...BATCHES.map((b) => ({
    name: `train step B=${b}`,
    ours: () => ours.trainStep(b),
    tfjs: () => theirs.trainStep(b),
  })),
  { name: 'tiny op (1-element add)', ours: ours.tinyOp, tfjs: theirs.tinyOp },
  { name: `PGD ${PGD.steps} steps B=${PGD.batch}`, ours: ours.pgd, tfjs: theirs.pgd },
];

registerTfjsGradients();

// The wasm backend reads its .wasm files from node_modules (no network); one thread, SIMD on.
const require = createRequire(import.meta.url);
setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

const run = (name: string, make: () => () => void): number => medianMicros(name, make(), { maxTime });

const sr2l = cases.map((c) => run(`sr2l ${c.name}`, c.ours));
const tfjsTimes: Record<string, number[]> = {};
for (const backend of ['cpu', 'wasm']) {
  if (!(await tf.setBackend(backend))) throw new Error(`bench/mlp: tfjs backend '${backend}' failed to load`);
  tfjsTimes[backend] = cases.map((c) => run(`tfjs-${backend} ${c.name}`, c.tfjs));
}

const rows = cases.map((c, i) => ({
  case: c.name,
  sr2l: sr2l[i]!,
  tfjsCpu: tfjsTimes.cpu![i]!,
  tfjsWasm: tfjsTimes.wasm![i]!,
  ratioCpu: sr2l[i]! / tfjsTimes.cpu![i]!,
  ratioWasm: sr2l[i]! / tfjsTimes.wasm![i]!,
}));

if (json) {
  console.log(
    JSON.stringify(
      { suite: 'mlp', unit: 'µs (median)', kernels: process.env.SR2L_CPU_KERNELS ?? 'default', rows },
      null,
      2,
    ),
  );
} else {
  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
  console.log('| case | sr2l µs | tfjs-cpu µs | tfjs-wasm µs | sr2l/tfjs-cpu | sr2l/tfjs-wasm |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.case} | ${f(r.sr2l)} | ${f(r.tfjsCpu)} | ${f(r.tfjsWasm)} | ${r.ratioCpu.toFixed(2)} | ${r.ratioWasm.toFixed(2)} |`,
    );
}
