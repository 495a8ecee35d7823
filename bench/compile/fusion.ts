/**
 * One PGD ascent step, clamp(δ + α·sign(g), −ε, ε), on the CPU backend at several sizes,
 * three ways side by side: the five unfused kernels (as a compiled replay runs them, into
 * planned buffers), the fused JavaScript loop (cpu/fused.ts), and the generated
 * WebAssembly SIMD function (cpu/fused-wasm.ts). Medians of interleaved rounds of this
 * process's CPU time, µs per step. It is what decides which fused runs pay (CpuBackend.fusionPays).
 */
import type { FusedSpec, Storage } from '../../src/kernels/backend.js';
import { fusedKernel } from '../../src/kernels/cpu/fused.js';
import { CpuBackend } from '../../src/kernels/cpu/index.js';
import type { TypedArray } from '../../src/kernels/dtype.js';
import { cpuMillis, interleavedMicros } from '../mlp/measure.js';

export interface FusionRow {
  n: number;
  unfused: number;
  loop: number;
  simd: number;
}

/** The spec fuse.ts makes for the step: inputs g, α, δ, −ε, ε; one output. */
export function pgdSpec(n: number): FusedSpec {
  return {
    n,
    dtype: 'float32',
    scalar: [false, true, false, true, true],
    ops: [
      { op: 'sign', args: [{ input: 0 }] },
      { op: 'mul', args: [{ value: 0 }, { input: 1 }] },
      { op: 'add', args: [{ input: 2 }, { value: 1 }] },
      { op: 'maximum', args: [{ value: 2 }, { input: 3 }] },
      { op: 'minimum', args: [{ value: 3 }, { input: 4 }] },
    ],
    stores: [{ value: 4, out: 0 }],
  };
}

export function measureFusion(sizes: readonly number[], rounds: number): FusionRow[] {
  const be = new CpuBackend({ kernels: 'simd' });
  return sizes.map((n) => {
    const vec = (scale: number): Storage =>
      be.upload(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * scale));
    const scalar = (v: number): Storage => be.upload(new Float32Array([v]));
    const [g, d] = [vec(1), vec(0.1)];
    const [alpha, lo, hi] = [scalar(0.02), scalar(-0.1), scalar(0.1)];
    // planned buffers, reused every call as a replay does
    const t = Array.from({ length: 5 }, () => be.fill('float32', n, 0));
    const shape = [n];
    const one = [1];
    const unfused = (): void => {
      be.writeNextInto(t[0]!);
      be.unary('sign', g);
      be.writeNextInto(t[1]!);
      be.binary('mul', t[0]!, shape, alpha, one, shape);
      be.writeNextInto(t[2]!);
      be.binary('add', d, shape, t[1]!, shape, shape);
      be.writeNextInto(t[3]!);
      be.binary('maximum', t[2]!, shape, lo, one, shape);
      be.writeNextInto(t[4]!);
      be.binary('minimum', t[3]!, shape, hi, one, shape);
    };
    const spec = pgdSpec(n);
    const ins = [g, alpha, d, lo, hi];
    const out = [t[4]!];
    const loopFn = fusedKernel(spec);
    const arrays = (): TypedArray[] => [...ins, ...out].map((s) => be.readSync(s));
    const loop = (): void => loopFn(Math.fround, n, ...arrays());
    const simd = (): void => be.fusedElementwise(spec, ins, out);
    const perRound = Math.max(5, Math.round(100_000 / n));
    const [u, l, s] = interleavedMicros([unfused, loop, simd], rounds, perRound, cpuMillis);
    return { n, unfused: u!, loop: l!, simd: s! };
  });
}
