/**
 * The SIMD products keep every output element's summation order, bit for bit: a float32
 * product, then a float32 add onto the running sum, p ascending from 0 within each panel
 * of KC = 256, each later panel's sum added onto C. Compiled and eager training results
 * (a resumable sweep among them) rely on these bits staying what they are, so the kernels
 * are checked against a plain loop written in that order, on every transpose variant and
 * on ragged edges (rows past the last 4-row block, the last 1–7 columns), and the fused
 * linear layer's bias and activation against the same layer computed column block by
 * column block.
 */
import { describe, expect, test } from 'vitest';
import type { Activation } from '../../../src/kernels/backend.js';
import { CpuBackend } from '../../../src/kernels/cpu/index.js';
import { Rng } from '../../../src/util/rng.js';

// every float32 tensor in the arena, so the SIMD kernels take even the smallest shapes
const simd = new CpuBackend({ kernels: 'simd', arenaMinElements: 1 });
const rng = new Rng(7);
const f32 = Math.fround;
const KC = 256;

function randn(n: number): Float32Array {
  const a = new Float32Array(n);
  rng.fillNormal(a, 0, 1);
  return a;
}

/** C = op(A)·op(B) in the kernels' order: per element, p ascending, panels of KC added onto C. */
function referenceProduct(
  A: Float32Array,
  B: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): Float32Array {
  const a = (i: number, p: number): number => (transA ? A[p * m + i]! : A[i * k + p]!);
  const b = (p: number, j: number): number => (transB ? B[j * k + p]! : B[p * n + j]!);
  const C = new Float32Array(m * n);
  for (let p0 = 0; p0 < Math.max(k, 1); p0 += KC) {
    const p1 = Math.min(p0 + KC, k);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = p0; p < p1; p++) s = f32(s + f32(a(i, p) * b(p, j)));
        C[i * n + j] = p0 === 0 ? s : f32(s + C[i * n + j]!);
      }
  }
  return C;
}

/** Indices where two float32 arrays differ in bits (NaN payloads included). */
function bitDiffs(x: Float32Array, y: ArrayLike<number>): string[] {
  const xb = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const yb = new Uint32Array(Float32Array.from(y).buffer);
  const out: string[] = [];
  for (let i = 0; i < x.length && out.length < 3; i++)
    if (xb[i] !== yb[i]) out.push(`[${i}] ${x[i]} vs ${y[i]}`);
  return out;
}

const M = [1, 3, 4, 5, 7, 64, 65];
const N = [1, 3, 4, 5, 6, 7, 8, 9, 17, 64, 70];
const K = [1, 6, 17, 23, 64, 70];

describe('SIMD matmul: the summation order of a plain loop, bit for bit', () => {
  for (const transA of [false, true])
    for (const transB of [false, true])
      test(`transA=${transA} transB=${transB}: m ∈ {${M}}, n ∈ {${N}}, k ∈ {${K}} and k past one panel`, () => {
        const failures: string[] = [];
        const shapes: [number, number, number][] = [];
        for (const m of M) for (const n of N) for (const k of K) shapes.push([m, k, n]);
        shapes.push([5, 300, 9], [64, 600, 6], [3, 257, 17]);
        // TRPO's batch-1000 products: k = 1000 (three full panels and a ragged one of 232),
        // and m = 1000 rows (250 row blocks) in the forward and input-gradient products
        shapes.push(
          [64, 1000, 64],
          [17, 1000, 64],
          [64, 1000, 6],
          [6, 1000, 64],
          [1000, 17, 64],
          [1000, 64, 6],
        );
        for (const [m, k, n] of shapes) {
          const A = randn(m * k);
          const B = randn(k * n);
          const aShape = transA ? [k, m] : [m, k];
          const bShape = transB ? [n, k] : [k, n];
          const got = simd.readSync(
            simd.matmul(simd.upload(A), aShape, simd.upload(B), bShape, transA, transB, [m, n]),
          );
          const diffs = bitDiffs(referenceProduct(A, B, m, k, n, transA, transB), got);
          if (diffs.length > 0) failures.push(`[${m}, ${k}, ${n}]: ${diffs.join(', ')}`);
        }
        expect(failures).toEqual([]);
      });
});

describe('SIMD linear layer: bias and activation bit for bit', () => {
  const ACTS: Activation[] = ['none', 'relu', 'tanh', 'sigmoid'];
  for (const act of ACTS)
    test(`${act}: every width, against the same columns computed inside a width that is a multiple of 4`, () => {
      // an output element depends only on its row of x and column of w (each block sums p
      // from 0 in order), so a width-n layer's columns equal the first n columns of a
      // wider layer whose rows are whole vectors, whichever way the kernel walks them
      const failures: string[] = [];
      for (const m of [1, 3, 5, 64, 65])
        for (const n of [1, 2, 3, 5, 6, 7, 9, 17])
          for (const bias of [false, true]) {
            const k = 23;
            const wide = (n + 3) & ~3;
            const X = randn(m * k).map((v) => 3 * v); // tanh and sigmoid over their range
            const Wwide = randn(k * wide);
            const bWide = randn(wide);
            const W = new Float32Array(k * n);
            for (let p = 0; p < k; p++) W.set(Wwide.subarray(p * wide, p * wide + n), p * n);
            const b = bWide.slice(0, n);
            const run = (w: Float32Array, bv: Float32Array, width: number): Float32Array =>
              simd
                .readSync(
                  simd.linear(
                    simd.upload(X),
                    simd.upload(w),
                    bias ? simd.upload(bv) : null,
                    m,
                    k,
                    width,
                    act,
                  ),
                )
                .slice() as Float32Array;
            const got = run(W, b, n);
            const full = run(Wwide, bWide, wide);
            const ref = new Float32Array(m * n);
            for (let i = 0; i < m; i++) ref.set(full.subarray(i * wide, i * wide + n), i * n);
            const diffs = bitDiffs(ref, got);
            if (diffs.length > 0) failures.push(`[${m}, ${k}, ${n}] bias=${bias}: ${diffs.join(', ')}`);
          }
      expect(failures).toEqual([]);
    });

  test('tanh and relu layers equal the product, a float32 bias add and the elementwise kernel', () => {
    const failures: string[] = [];
    for (const [m, k, n] of [
      [64, 64, 6],
      [64, 17, 64],
      [7, 5, 3],
      [65, 70, 9],
    ] as [number, number, number][])
      for (const act of ['tanh', 'relu'] as const) {
        const X = randn(m * k).map((v) => 2 * v);
        const W = randn(k * n);
        const b = randn(n);
        const got = simd.readSync(simd.linear(simd.upload(X), simd.upload(W), simd.upload(b), m, k, n, act));
        const z = referenceProduct(X, W, m, k, n, false, false).map((v, i) => f32(v + b[i % n]!));
        // the elementwise tanh kernel is the same polynomial, lane for lane
        const ref =
          act === 'tanh' ? simd.readSync(simd.unary('tanh', simd.upload(z))) : z.map((v) => (v < 0 ? 0 : v));
        const diffs = bitDiffs(Float32Array.from(ref), got);
        if (diffs.length > 0) failures.push(`${act} [${m}, ${k}, ${n}]: ${diffs.join(', ')}`);
      }
    expect(failures).toEqual([]);
  });
});
