/** The strided gather's fast path: one element broadcast to a whole shape. */
import { expect, test } from 'vitest';
import { CpuBackend } from '../../../src/kernels/cpu/index.js';

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
