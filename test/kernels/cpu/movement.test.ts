/**
 * The strided gather's fast path (one element broadcast to a whole shape) and the row
 * copies that concatenation and 2-D slices use on arena blocks.
 */
import { describe, expect, test } from 'vitest';
import type { Storage } from '../../../src/kernels/backend.js';
import { CpuBackend } from '../../../src/kernels/cpu/index.js';
import type { CpuStorage } from '../../../src/kernels/cpu/storage.js';
import { Rng } from '../../../src/util/rng.js';

test.each(['js', 'simd'] as const)(
  'strided with all-zero strides fills with the element at offset (%s)',
  (kernels) => {
    const be = new CpuBackend({ kernels });
    const x = be.upload(new Float32Array([1, 2, 3, 4, 5]));
    expect(Array.from(be.readSync(be.strided(x, [3, 4], [0, 0], 2)))).toEqual(new Array(12).fill(3));
    expect(Array.from(be.readSync(be.strided(x, [300], [0], 4)))).toEqual(new Array(300).fill(5));
    expect(be.readSync(be.strided(x, [0, 4], [0, 0], 1)).length).toBe(0);
    // a non-zero stride still gathers
    expect(Array.from(be.readSync(be.strided(x, [2, 2], [0, 2], 0)))).toEqual([1, 3, 1, 3]);
  },
);

// Arena-resident float32 operands take the WebAssembly row copies; the plain loops are the reference.
describe('row copies between arena blocks', () => {
  const js = new CpuBackend({ kernels: 'js' });
  const simd = new CpuBackend({ kernels: 'simd' });
  const draw = (n: number, seed: number): Float32Array => {
    const a = new Float32Array(n);
    new Rng(seed).fillNormal(a, 0, 1);
    return a;
  };
  const same = (f: (be: CpuBackend) => Storage): void => {
    const [a, b] = [js, simd].map((be) => Array.from(be.readSync(f(be))));
    expect(b).toEqual(a);
  };

  test('concat along the last axis and the first, with one operand on the heap', () => {
    const h = draw(64 * 64, 1);
    const act = draw(64 * 6, 2);
    const obs = draw(64 * 17, 3);
    const q = draw(64, 4); // 64 elements: on the heap, so the plain loop runs
    same((be) =>
      be.concat(
        [be.upload(h), be.upload(act)],
        [
          [64, 64],
          [64, 6],
        ],
        1,
        [64, 70],
      ),
    );
    same((be) =>
      be.concat(
        [be.upload(obs), be.upload(act)],
        [
          [64, 17],
          [64, 6],
        ],
        1,
        [64, 23],
      ),
    );
    same((be) =>
      be.concat(
        [be.upload(h), be.upload(obs)],
        [
          [64, 64],
          [17, 64],
        ],
        0,
        [81, 64],
      ),
    );
    same((be) =>
      be.concat(
        [be.upload(h), be.upload(q)],
        [
          [64, 64],
          [64, 1],
        ],
        1,
        [64, 65],
      ),
    );
    const out = simd.concat(
      [simd.upload(obs), simd.upload(act)],
      [
        [64, 17],
        [64, 6],
      ],
      1,
      [64, 23],
    );
    expect((out as CpuStorage).arena).not.toBeNull();
  });

  test('2-D and 1-D slices and their scatter (the backward of a slice)', () => {
    const x = draw(64 * 23, 5);
    same((be) => be.strided(be.upload(x), [64, 17], [23, 1], 0));
    same((be) => be.strided(be.upload(x), [64, 6], [23, 1], 17));
    same((be) => be.strided(be.upload(x), [1000], [1], 300));
    // a transposing view keeps the plain loop
    same((be) => be.strided(be.upload(x), [23, 64], [1, 23], 0));
    const g = draw(64 * 17, 6);
    same((be) => be.scatterStrided(be.upload(g), [64, 17], [64, 23], [23, 1], 0));
    same((be) => be.scatterStrided(be.upload(g), [64, 17], [64, 23], [23, 1], 6));
    same((be) => be.scatterStrided(be.upload(draw(600, 7)), [600], [1000], [1], 400));
  });
});

test('3-D slices and their scatter (a stacked batch) take one row copy per slab', () => {
  const js = new CpuBackend({ kernels: 'js' });
  const simd = new CpuBackend({ kernels: 'simd' });
  const x = new Float32Array(5 * 64 * 70);
  new Rng(8).fillNormal(x, 0, 1);
  const run = (f: (be: CpuBackend) => Storage): void =>
    expect(Array.from(simd.readSync(f(simd)))).toEqual(Array.from(js.readSync(f(js))));
  run((be) => be.strided(be.upload(x), [5, 64, 64], [64 * 70, 70, 1], 6));
  run((be) => be.strided(be.upload(x), [5, 64, 6], [64 * 70, 70, 1], 64));
  const g = x.subarray(0, 5 * 64 * 64);
  run((be) => be.scatterStrided(be.upload(g), [5, 64, 64], [5, 64, 70], [64 * 70, 70, 1], 6));
});
