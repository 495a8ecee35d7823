/**
 * bench/mlp: MLP 17→64→64→6 (tanh hidden, linear output), forward + backward of the mean
 * squared output w.r.t. all parameters, at several batch sizes; the per-op overhead of a
 * 1-element add with gradient tracking; and a 10-step input PGD at batch 64. sr2l's CPU
 * backend (WebAssembly SIMD kernels, and plain-loop kernels) against TensorFlow.js (cpu
 * and wasm backends) in the same run. Prints medians in µs per step and the ratios
 * sr2l / tfjs; `--json` prints the same as JSON.
 *
 * The machine may be shared, so the four systems run back to back per case, in
 * BENCH_ROUNDS rounds (default 3), and each keeps its best median: load from other
 * processes only ever adds time. BENCH_MAX_TIME sets benchmark.js's seconds per case.
 */
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { CpuBackend } from '../../src/kernels/cpu/index.js';
import type { Backend } from '../../src/kernels/backend.js';
import * as ours from './sr2l-mlp.js';
import * as theirs from './tfjs-mlp.js';
import { medianMicros } from './measure.js';
import { registerTfjsGradients } from './tfjs-gradients.js';
import { BATCHES, PGD } from './sizes.js';

const json = process.argv.includes('--json');
const maxTime = Number(process.env.BENCH_MAX_TIME ?? 1);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

interface Case {
  name: string;
  ours: (backend: Backend) => () => void;
  tfjs: () => () => void;
}

const cases: Case[] = [
  ...BATCHES.map((b) => ({
    name: `train step B=${b}`,
    ours: (be: Backend) => ours.trainStep(be, b),
    tfjs: () => theirs.trainStep(b),
  })),
  { name: 'tiny op (1-element add)', ours: ours.tinyOp, tfjs: theirs.tinyOp },
  { name: `PGD ${PGD.steps} steps B=${PGD.batch}`, ours: ours.pgd, tfjs: theirs.pgd },
];

const simd = new CpuBackend({ kernels: 'simd' });
const plain = new CpuBackend({ kernels: 'js' });

registerTfjsGradients();

// The wasm backend reads its .wasm files from node_modules (no network); one thread, SIMD on.
const require = createRequire(import.meta.url);
setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

const run = (name: string, make: () => () => void): number => medianMicros(name, make(), { maxTime });

interface Row {
  case: string;
  sr2l: number;
  sr2lPlain: number;
  tfjsCpu: number;
  tfjsWasm: number;
}

async function measure(c: Case): Promise<Row> {
  const row: Row = {
    case: c.name,
    sr2l: Infinity,
    sr2lPlain: Infinity,
    tfjsCpu: Infinity,
    tfjsWasm: Infinity,
  };
  for (let r = 0; r < rounds; r++) {
    row.sr2l = Math.min(
      row.sr2l,
      run(`sr2l-simd ${c.name}`, () => c.ours(simd)),
    );
    row.sr2lPlain = Math.min(
      row.sr2lPlain,
      run(`sr2l-js ${c.name}`, () => c.ours(plain)),
    );
    for (const backend of ['cpu', 'wasm'] as const) {
      if (!(await tf.setBackend(backend)))
        throw new Error(`bench/mlp: tfjs backend '${backend}' failed to load`);
      const t = run(`tfjs-${backend} ${c.name}`, c.tfjs);
      if (backend === 'cpu') row.tfjsCpu = Math.min(row.tfjsCpu, t);
      else row.tfjsWasm = Math.min(row.tfjsWasm, t);
    }
  }
  return row;
}

const rows: (Row & { vsTfjsCpu: number; vsTfjsWasm: number; vsPlain: number })[] = [];
for (const c of cases) {
  const r = await measure(c);
  rows.push({
    ...r,
    vsTfjsCpu: r.sr2l / r.tfjsCpu,
    vsTfjsWasm: r.sr2l / r.tfjsWasm,
    vsPlain: r.sr2l / r.sr2lPlain,
  });
}

if (json) {
  console.log(
    JSON.stringify(
      { suite: 'mlp', unit: 'µs per step (best median of rounds)', rounds, maxTime, rows },
      null,
      2,
    ),
  );
} else {
  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
  console.log(
    '| case | sr2l simd µs | sr2l js µs | tfjs-cpu µs | tfjs-wasm µs | simd/tfjs-cpu | simd/tfjs-wasm | simd/js |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.case} | ${f(r.sr2l)} | ${f(r.sr2lPlain)} | ${f(r.tfjsCpu)} | ${f(r.tfjsWasm)} | ${r.vsTfjsCpu.toFixed(2)} | ${r.vsTfjsWasm.toFixed(2)} | ${r.vsPlain.toFixed(2)} |`,
    );
}
