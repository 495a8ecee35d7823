/** ‖got − want‖₂ / ‖want‖₂ of two tensors of the same shape (read from any backend). */
import { expect } from 'vitest';
import type * as sr from '../../../src/index.js';

export async function relErr(got: sr.Tensor, want: sr.Tensor): Promise<number> {
  expect(got.shape).toEqual(want.shape);
  const [a, b] = await Promise.all([got.data(), want.data()]);
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}
