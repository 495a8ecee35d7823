/**
 * Sums the SIMD row-sum kernel takes (cpu/simd.ts blockSum): leading axes, and a run of
 * middle axes (a stacked bias gradient [S, B, n] over B), that leave the last axis, equal
 * to the plain loop bit for bit; sums over the last axis stay on the plain loop, whose
 * last-axis fast path accumulates in double and lets NaN win a maximum, so a vector's sum
 * equals each row's sum of a stack of such vectors (single runs vs populations).
 */
import { describe, expect, test } from 'vitest';
import { reduceKernel } from '../../../src/kernels/cpu/reduce.js';
import { CpuBackend } from '../../../src/kernels/cpu/index.js';
import { blockSum } from '../../../src/kernels/cpu/simd.js';
import { Rng } from '../../../src/util/rng.js';

const js = new CpuBackend({ kernels: 'js' });
const simd = new CpuBackend({ kernels: 'simd' });

describe('row sums', () => {
  test('which sums are row sums', () => {
    expect(blockSum([64, 64], [0])).toEqual([1, 64, 64]);
    expect(blockSum([64, 1], [0, 1])).toBeNull(); // reaches the last axis
    expect(blockSum([1000], [0])).toBeNull();
    expect(blockSum([5, 64, 6], [1])).toEqual([5, 64, 6]);
    expect(blockSum([2, 3, 4, 5], [1, 2])).toEqual([2, 12, 5]);
    expect(blockSum([5, 64, 17], [2])).toBeNull(); // the last axis, not leading
    expect(blockSum([2, 3, 4], [0, 2])).toBeNull(); // not consecutive
  });

  test.each([
    [[5, 64, 64], [1]],
    [[5, 64, 6], [1]],
    [
      [3, 7, 11, 13],
      [1, 2],
    ],
    [[64, 64], [0]],
    [[10, 64, 1], [1]],
  ])('sum of %j over %j equals the plain loop bit for bit', (shape, axes) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = new Float32Array(n);
    new Rng(n).fillNormal(x, 0, 3);
    const [a, b] = [js, simd].map((be) =>
      Array.from(be.readSync(be.reduce('sum', be.upload(x), shape, axes))),
    );
    expect(b).toEqual(a);
  });

  test.each([200, 256, 1000, 4096])(
    'a vector of %i sums as each row of a stack of such vectors (a single run vs a population)',
    (n) => {
      const x = new Float32Array(3 * n);
      new Rng(n).fillNormal(x, 0, 3);
      const rows = Array.from(simd.readSync(simd.reduce('sum', simd.upload(x), [3, n], [1])));
      const alone = [0, 1, 2].map(
        (k) => simd.readSync(simd.reduce('sum', simd.upload(x.slice(k * n, (k + 1) * n)), [n], [0]))[0],
      );
      expect(rows).toEqual(alone);
    },
  );

  test('last-axis sums (double accumulator, one rounding) and maxima (NaN wins)', () => {
    const x = new Float32Array([1e8, 1, -1e8, 0.5, 3, Number.NaN, 2, -Infinity, -0, -0, -0, -0]);
    const sums = new Float32Array(3);
    reduceKernel('sum', x, [3, 4], [1], sums);
    // rounding after every add would lose the 1: (1e8 + 1) is 1e8 in float32
    expect(Array.from(sums)).toEqual([Math.fround(1.5), Number.NaN, 0]);
    expect(Object.is(sums[2], 0)).toBe(true); // 0 + (−0) is +0
    const maxima = new Float32Array(3);
    reduceKernel('max', x, [3, 4], [1], maxima);
    expect(Array.from(maxima)).toEqual([1e8, Number.NaN, -0]);
    const empty = new Float32Array(2);
    reduceKernel('max', new Float32Array(0), [2, 0], [1], empty);
    expect(Array.from(empty)).toEqual([-Infinity, -Infinity]);
  });
});
