/**
 * Parity of the WebAssembly SIMD kernels with the plain-loop kernels on awkward shapes
 * (1, 3, 17, 63, 64, 65, 1000 per dimension, every transpose variant), float32
 * tolerance. The kernel sets run in one process as CpuBackend instances: `simd` with the
 * default arena threshold (small operands on the heap, staged by copying) and `simdAll`
 * with every float32 tensor in the arena, so the SIMD kernels see the tiny shapes too.
 */
import { describe, expect, test } from 'vitest';
import type { Activation, BinaryOp } from '../../../src/kernels/backend.js';
import { CpuBackend } from '../../../src/kernels/cpu/index.js';
import { Rng } from '../../../src/util/rng.js';

const js = new CpuBackend({ kernels: 'js' });
const simdDefault = new CpuBackend({ kernels: 'simd' });
const simdAll = new CpuBackend({ kernels: 'simd', arenaMinElements: 1 });
const SIMD = [simdDefault, simdAll];
const rng = new Rng(2024);

function randn(n: number): Float32Array {
  const a = new Float32Array(n);
  rng.fillNormal(a, 0, 1);
  return a;
}

/** max |x − y| / (1 + |x|): absolute near zero, relative for large values. */
function worstError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  expect(y.length).toBe(x.length);
  let w = 0;
  for (let i = 0; i < x.length; i++) {
    const e = Math.abs(x[i]! - y[i]!) / (1 + Math.abs(x[i]!));
    if (!(e <= w)) w = e; // NaN propagates as a failure
  }
  return w;
}

/** float32 rounding of a length-k dot product, with room for a different summation order. */
const tol = (k: number): number => 4e-7 * Math.sqrt(Math.max(k, 1)) * 8;

const DIMS = [1, 3, 17, 63, 64, 65];
const BIG: [number, number, number][] = [
  [1000, 17, 64],
  [1000, 64, 6],
  [64, 1000, 65],
  [63, 1000, 3],
  [3, 65, 1000],
  [1000, 1000, 1],
  [1, 1000, 1000],
  // 5 and 6 trailing columns: one 4×8 block storing part of its columns
  [64, 64, 6],
  [67, 17, 5],
];

function matmulBoth(m: number, k: number, n: number, transA: boolean, transB: boolean): number {
  const aShape = transA ? [k, m] : [m, k];
  const bShape = transB ? [n, k] : [k, n];
  const A = randn(m * k);
  const B = randn(k * n);
  const run = (be: CpuBackend): ArrayLike<number> =>
    be.readSync(be.matmul(be.upload(A), aShape, be.upload(B), bShape, transA, transB, [m, n]));
  const ref = run(js);
  return Math.max(...SIMD.map((be) => worstError(ref, run(be))));
}

describe('matmul: SIMD vs plain loops', () => {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      test(`transA=${transA} transB=${transB}, every m, k, n in {${DIMS.join(', ')}} and shapes with 1000`, () => {
        const failures: string[] = [];
        for (const m of DIMS)
          for (const k of DIMS)
            for (const n of DIMS) {
              const e = matmulBoth(m, k, n, transA, transB);
              if (!(e <= tol(k))) failures.push(`[${m}, ${k}, ${n}]: ${e}`);
            }
        for (const [m, k, n] of BIG) {
          const e = matmulBoth(m, k, n, transA, transB);
          if (!(e <= tol(k))) failures.push(`[${m}, ${k}, ${n}]: ${e}`);
        }
        expect(failures).toEqual([]);
      });
    }
  }

  test('batched with a broadcast batch dimension', () => {
    const aShape = [3, 1, 17, 65];
    const bShape = [4, 65, 9];
    const outShape = [3, 4, 17, 9];
    const A = randn(3 * 17 * 65);
    const B = randn(4 * 65 * 9);
    const run = (be: CpuBackend): ArrayLike<number> =>
      be.readSync(be.matmul(be.upload(A), aShape, be.upload(B), bShape, false, false, outShape));
    for (const be of SIMD) expect(worstError(run(js), run(be))).toBeLessThan(tol(65));
  });

  test('k = 0 gives zeros (recycled arena blocks are not pre-zeroed)', () => {
    for (const be of SIMD) {
      for (let i = 0; i < 3; i++) be.dispose(be.upload(new Float32Array(64 * 64).fill(7)));
      const z = be.fill('float32', 0, 0);
      const got = be.readSync(be.matmul(z, [64, 0], z, [0, 64], false, false, [64, 64]));
      expect(Array.from(got).every((v) => v === 0)).toBe(true);
    }
  });
});

describe('linear and activationGrad: SIMD vs plain loops', () => {
  const acts: Activation[] = ['none', 'tanh', 'relu', 'sigmoid'];
  const shapes: [number, number, number][] = [
    [1, 17, 64],
    [3, 64, 6],
    [64, 17, 64],
    [65, 63, 65],
    [1000, 64, 6],
  ];
  for (const act of acts) {
    test(`linear ${act}, with and without bias`, () => {
      for (const [m, k, n] of shapes) {
        for (const withBias of [true, false]) {
          const X = randn(m * k);
          const W = randn(k * n);
          const b = randn(n);
          const run = (be: CpuBackend): Float32Array =>
            be.readSync(
              be.linear(be.upload(X), be.upload(W), withBias ? be.upload(b) : null, m, k, n, act),
            ) as Float32Array;
          for (const be of SIMD)
            expect(worstError(run(js), run(be)), `[${m}, ${k}, ${n}] bias=${withBias}`).toBeLessThan(tol(k));
        }
      }
    });
    test(`activationGrad ${act}`, () => {
      for (const len of [1, 3, 17, 255, 256, 4097]) {
        const Y = act === 'sigmoid' ? randn(len).map((v) => 1 / (1 + Math.exp(-v))) : randn(len);
        const G = randn(len);
        const run = (be: CpuBackend): Float32Array =>
          be.readSync(be.activationGrad(act, be.upload(Y), be.upload(G))) as Float32Array;
        for (const be of SIMD) expect(worstError(run(js), run(be))).toBeLessThan(1e-6);
      }
    });
  }
});

describe('elementwise and reductions: SIMD vs plain loops', () => {
  test('tanh over its whole range, tiny arguments, ±Inf and NaN', () => {
    const xs = new Float32Array(4096);
    for (let i = 0; i < 4000; i++) xs[i] = (i - 2000) / 200; // [-10, 10)
    xs.set(
      [1e-3, -1e-3, 3e-4, -3e-4, 1e-6, -1e-30, 0, -0, Infinity, -Infinity, NaN, 20, -20, 7.9, 8.1],
      4000,
    );
    const ref = js.readSync(js.unary('tanh', js.upload(xs)));
    const got = simdDefault.readSync(simdDefault.unary('tanh', simdDefault.upload(xs)));
    const tiny = xs.subarray(4000, 4015);
    const tinyGot = simdAll.readSync(simdAll.unary('tanh', simdAll.upload(tiny)));
    expect(Array.from(tinyGot)).toEqual(Array.from(got.subarray(4000, 4015)));
    let worstAbs = 0;
    let worstRel = 0;
    for (let i = 0; i < xs.length; i++) {
      if (Number.isNaN(ref[i]!)) {
        expect(got[i]).toBeNaN();
        continue;
      }
      worstAbs = Math.max(worstAbs, Math.abs(ref[i]! - got[i]!));
      if (ref[i] !== 0) worstRel = Math.max(worstRel, Math.abs(ref[i]! - got[i]!) / Math.abs(ref[i]!));
    }
    expect(worstAbs).toBeLessThan(1e-6);
    expect(worstRel).toBeLessThan(2e-6);
  });

  test('same-shape add, sub, mul, div', () => {
    for (const op of ['add', 'sub', 'mul', 'div'] as BinaryOp[]) {
      for (const shape of [[1000], [17, 65], [4, 64, 3]]) {
        const n = shape.reduce((x, y) => x * y, 1);
        const A = randn(n);
        const B = randn(n);
        const run = (be: CpuBackend): Float32Array =>
          be.readSync(be.binary(op, be.upload(A), shape, be.upload(B), shape, shape)) as Float32Array;
        for (const be of SIMD) expect(run(be), `${op} ${shape}`).toEqual(run(js)); // one rounding: bit-identical
      }
    }
  });

  test('sum over leading axes (the bias gradient), including a small heap output', () => {
    const cases: [number[], number[]][] = [
      [[1000, 64], [0]],
      [[64, 6], [0]],
      [
        [5, 7, 65],
        [0, 1],
      ],
      [[300, 1], [0]],
      [
        [17, 63],
        [0, 1],
      ],
    ];
    for (const [shape, axes] of cases) {
      const n = shape.reduce((x, y) => x * y, 1);
      const X = randn(n);
      const run = (be: CpuBackend): Float32Array =>
        be.readSync(be.reduce('sum', be.upload(X), shape, axes)) as Float32Array;
      for (const be of SIMD)
        expect(worstError(run(js), run(be)), `${shape} over ${axes}`).toBeLessThan(tol(n));
    }
  });

  test('float64 stays on the plain loops with SIMD selected', () => {
    const s = simdAll.upload(new Float64Array(1000).fill(0.1));
    expect(simdAll.readSync(s)).toBeInstanceOf(Float64Array);
    const y = simdAll.readSync(simdAll.unary('tanh', s));
    expect(y[0]).toBe(Math.tanh(0.1));
  });
});
