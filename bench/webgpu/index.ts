/**
 * bench/webgpu: the WebGPU backend on whatever adapter is present, against the CPU backend
 * and against @tensorflow/tfjs-backend-webgpu on the same Dawn adapter, in one run.
 *   - matmul GFLOP/s per kernel variant at 64³, 256³, 1024³ and 1000×64·64×64
 *   - the MLP 17→64→64→6 forward+backward (loss + all gradients, loss read back) at B = 64,
 *     1000, 4096, and a 10-step PGD on the input at B = 64 (δ read back once at the end)
 *   - the round trip of one tiny dispatch + readback
 * Medians over benchmark.js samples. `--json` prints one JSON object instead of tables.
 */
import * as sr from '../../src/index.js';
import type { Storage } from '../../src/index.js';
import { createWebGPUBackend, describeAdapter, kernelsFor } from '../../src/kernels/webgpu/index.js';
import { chooseMatmul } from '../../src/kernels/webgpu/select.js';
import { medianMs } from './timing.js';
import { setupTfjsWebGPU, type Tf } from './tfjs.js';
import { mlpParams, mlpStep, pgd, MLP_SIZES, type PgdOptions } from './workload.js';

const json = process.argv.includes('--json');
/** --quick: two matmul shapes and B = 64 only; --mlp: skip the matmul table */
const quick = process.argv.includes('--quick');
const mlpOnly = process.argv.includes('--mlp');
const log = (s = ''): void => {
  if (!json) console.log(s);
};

const gpu = await createWebGPUBackend();
const adapterName = describeAdapter(gpu.adapter);
const tfjs = await setupTfjsWebGPU(gpu.adapter);
const tf = tfjs.tf;
const tfNote = tf ? 'tfjs-webgpu on the same adapter' : `tfjs-webgpu unavailable: ${tfjs.reason}`;

function table(title: string, head: string[], rows: (string | number)[][]): void {
  log(`\n${title}\nadapter: ${adapterName}; ${tfNote}`);
  const cells = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
  log(line(head));
  log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
  for (const r of cells.slice(1)) log(line(r));
}

const fmt = (x: number | null, d = 2): string => (x === null ? 'n/a' : x.toFixed(d));
const ratio = (a: number | null, b: number | null): string => (a && b ? `${(a / b).toFixed(2)}×` : 'n/a');
const results: Record<string, unknown> = { adapter: gpu.adapter, tfjs: tfjs.reason || 'ok' };

// --- matmul -------------------------------------------------------------------------------

const g = sr.rng(1);
const matShapes: [number, number, number][] = mlpOnly
  ? []
  : quick
    ? [
        [64, 64, 64],
        [1000, 64, 64],
      ]
    : [
        [64, 64, 64],
        [256, 256, 256],
        [1024, 1024, 1024],
        [1000, 64, 64],
      ];
const variants = kernelsFor('matmul').map((k) => k.name); // every registered matmul kernel
const matRows: (string | number)[][] = [];
const matJson: unknown[] = [];
for (const [m, k, n] of matShapes) {
  const flop = 2 * m * n * k;
  const reps = Math.max(1, Math.floor(2e7 / flop));
  const a = gpu.upload(g.randn([m, k]).dataSync());
  const b = gpu.upload(g.randn([k, n]).dataSync());
  const maxTime = m >= 1024 ? 2 : 0.5;
  const auto = chooseMatmul(m, n, k, gpu.caps);
  for (const v of variants) {
    gpu.forceKernel('matmul', v);
    const ms = await medianMs(
      async () => {
        const outs: Storage[] = [];
        for (let r = 0; r < reps; r++) outs.push(gpu.matmul(a, [m, k], b, [k, n], false, false, [m, n]));
        await gpu.sync();
        for (const o of outs) gpu.dispose(o);
      },
      { maxTime, minSamples: 3 },
    );
    const gflops = (flop * reps) / (ms * 1e6);
    matRows.push([`${m}×${k}·${k}×${n}`, v + (v === auto ? ' (auto)' : ''), fmt(ms / reps, 3), fmt(gflops)]);
    matJson.push({ m, k, n, variant: v, auto: v === auto, msPerMatmul: ms / reps, gflops });
  }
  gpu.forceKernel('matmul', null);
  if (tf) {
    const ta = tf.randomNormal([m, k]);
    const tb = tf.randomNormal([k, n]);
    const ms = await medianMs(
      async () => {
        const outs = [];
        for (let r = 0; r < reps; r++) outs.push(tf.matMul(ta, tb));
        await outs[outs.length - 1]!.data();
        tf.dispose(outs);
      },
      { maxTime, minSamples: 3 },
    );
    const gflops = (flop * reps) / (ms * 1e6);
    matRows.push([`${m}×${k}·${k}×${n}`, 'tfjs-webgpu', fmt(ms / reps, 3), fmt(gflops)]);
    matJson.push({ m, k, n, variant: 'tfjs-webgpu', msPerMatmul: ms / reps, gflops });
    tf.dispose([ta, tb]);
  }
  gpu.dispose(a);
  gpu.dispose(b);
}
results.matmul = matJson;
table(
  'matmul (ms per product incl. its share of one sync; GFLOP/s)',
  ['shape', 'variant', 'ms', 'GFLOP/s'],
  matRows,
);

// --- MLP step and PGD -------------------------------------------------------------------------

function tfModel(tf: Tf, seed: number) {
  // the same parameters as mlpParams(seed), copied from the CPU backend
  const ps = mlpParams(sr.cpuBackend, seed).map((p) =>
    tf.variable(tf.tensor(p.dataSync(), p.shape as number[])),
  );
  type T2 = import('@tensorflow/tfjs-core').Tensor2D;
  const forward = (x: T2): T2 => {
    let h = x;
    for (let l = 0; l < 3; l++) {
      const z = tf.fused.matMul({ a: h, b: ps[2 * l] as never, bias: ps[2 * l + 1] });
      h = (l < 2 ? tf.tanh(z) : z) as T2;
    }
    return h;
  };
  return { ps, forward };
}

const PGD: PgdOptions = { eps: 0.1, alpha: 0.025, steps: 10 };
const mlpRows: (string | number)[][] = [];
const mlpJson: unknown[] = [];

async function workloadRow(
  label: string,
  run: {
    cpu: () => Promise<unknown>;
    gpu: () => Promise<unknown>;
    tfjs: (() => Promise<unknown>) | null;
  },
): Promise<void> {
  const opts = { maxTime: 1, minSamples: 5 };
  const cpuMs = await medianMs(run.cpu, opts);
  const gpuMs = await medianMs(run.gpu, opts);
  const tfMs = run.tfjs ? await medianMs(run.tfjs, opts) : null;
  const met = tfMs === null ? 'n/a' : tfMs / gpuMs >= 2 ? 'yes' : 'no';
  mlpRows.push([label, fmt(cpuMs), fmt(gpuMs), fmt(tfMs), ratio(tfMs, gpuMs), ratio(cpuMs, gpuMs), met]);
  mlpJson.push({ workload: label, cpuMs, webgpuMs: gpuMs, tfjsMs: tfMs, goal2xMet: met });
}

for (const B of quick ? [64] : [64, 1000, 4096]) {
  const data = sr.rng(B);
  const x = data.randn([B, MLP_SIZES[0]]).dataSync();
  const y = data.randn([B, MLP_SIZES[3]]).dataSync();
  const on = (backend: sr.Backend) => ({
    params: mlpParams(backend, 0),
    x: sr.tensor(x, { backend, shape: [B, MLP_SIZES[0]] }),
    y: sr.tensor(y, { backend, shape: [B, MLP_SIZES[3]] }),
  });
  const c = on(sr.cpuBackend);
  const w = on(gpu);
  let tfjsStep: (() => Promise<unknown>) | null = null;
  if (tf) {
    const { ps, forward } = tfModel(tf, 0);
    const tx = tf.tensor2d(x as Float32Array, [B, MLP_SIZES[0]]);
    const ty = tf.tensor2d(y as Float32Array, [B, MLP_SIZES[3]]);
    tfjsStep = async () => {
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(forward(tx), ty))) as never);
        tf.keep(value);
        void grads;
        return value;
      });
      await loss.data();
      loss.dispose();
      void ps;
    };
  }
  await workloadRow(`MLP fwd+bwd B=${B}`, {
    cpu: async () => mlpStep(c.params, c.x, c.y)[0].data(),
    gpu: async () => mlpStep(w.params, w.x, w.y)[0].data(),
    tfjs: tfjsStep,
  });

  if (B === 64) {
    const d0 = data.uniform([B, MLP_SIZES[0]], -PGD.eps, PGD.eps).dataSync();
    const cd0 = sr.tensor(d0, { shape: [B, MLP_SIZES[0]] });
    const wd0 = sr.tensor(d0, { backend: gpu, shape: [B, MLP_SIZES[0]] });
    let tfjsPgd: (() => Promise<unknown>) | null = null;
    if (tf) {
      const { forward } = tfModel(tf, 0);
      const tx = tf.tensor2d(x as Float32Array, [B, MLP_SIZES[0]]);
      const td0 = tf.tensor2d(d0 as Float32Array, [B, MLP_SIZES[0]]);
      tfjsPgd = async () => {
        const delta = tf.tidy(() => {
          const fx = forward(tx);
          const gradOf = tf.grad((d: import('@tensorflow/tfjs-core').Tensor) =>
            tf.sum(tf.square(tf.sub(forward(tf.add(tx, d) as never), fx))),
          );
          let d: import('@tensorflow/tfjs-core').Tensor = td0;
          for (let s = 0; s < PGD.steps; s++) {
            d = tf.clipByValue(tf.add(d, tf.mul(tf.sign(gradOf(d)), PGD.alpha)), -PGD.eps, PGD.eps);
          }
          return d;
        });
        await delta.data();
        delta.dispose();
      };
    }
    await workloadRow(`PGD 10 steps B=${B}`, {
      cpu: async () => pgd(c.params, c.x, cd0, PGD).data(),
      gpu: async () => pgd(w.params, w.x, wd0, PGD).data(),
      tfjs: tfjsPgd,
    });
  }
}
results.mlp = mlpJson;
table(
  'MLP 17→64→64→6 (tanh) and PGD: median ms per call',
  ['workload', 'cpu', 'webgpu (ours)', 'tfjs-webgpu', 'tfjs/ours', 'cpu/ours', '≥2× tfjs'],
  mlpRows,
);

// --- round trip ------------------------------------------------------------------------------

const one = sr.tensor([1], { backend: gpu });
const oursRt = await medianMs(async () => one.add(1).data(), { maxTime: 1, minSamples: 20 });
let tfRt: number | null = null;
if (tf) {
  const t1 = tf.tensor1d([1]);
  tfRt = await medianMs(
    async () => {
      const r = tf.add(t1, 1);
      await r.data();
      r.dispose();
    },
    { maxTime: 1, minSamples: 20 },
  );
}
results.roundTrip = { webgpuMs: oursRt, tfjsMs: tfRt };
table(
  'one tiny dispatch + readback (ms)',
  ['', 'webgpu (ours)', 'tfjs-webgpu'],
  [['round trip', fmt(oursRt, 3), fmt(tfRt, 3)]],
);
results.memory = gpu.memory();
results.stats = gpu.stats();
log(`\npool: ${JSON.stringify(gpu.memory())}; ${JSON.stringify(gpu.stats())}`);
if (json) console.log(JSON.stringify(results, null, 2));
gpu.destroy();
process.exit(0); // tfjs keeps its own Dawn device alive
