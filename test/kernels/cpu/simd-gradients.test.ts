/**
 * Gradients with the SIMD kernels selected: float32 gradients of an MLP loss (fused
 * linear layers, tanh, relu, sigmoid, matmul in every transpose variant through the
 * backward pass) match float64 gradients from the plain loops, and float64 gradcheck
 * and gradgradcheck still pass on a SIMD-selected backend.
 */
import { describe, expect, test } from 'vitest';
import * as sr from '../../../src/index.js';
import type { Activation } from '../../../src/kernels/backend.js';
import { CpuBackend } from '../../../src/kernels/cpu/index.js';

const simd = new CpuBackend({ kernels: 'simd', arenaMinElements: 1 });
const js = new CpuBackend({ kernels: 'js' });

function mlpGrads(
  backend: CpuBackend,
  dtype: 'float32' | 'float64',
  acts: Activation[],
  batch: number,
): Float64Array[] {
  const g = sr.rng(5);
  const sizes = [17, 64, 65, 6];
  const params: sr.Tensor[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    // draw in float64 on the plain backend so both runs start from the same numbers
    const w = g
      .randn([sizes[l]!, sizes[l + 1]!], { dtype: 'float64', std: 1 / Math.sqrt(sizes[l]!) })
      .dataSync();
    const b = g.randn([sizes[l + 1]!], { dtype: 'float64', std: 0.1 }).dataSync();
    params.push(sr.tensor(w, { shape: [sizes[l]!, sizes[l + 1]!], dtype, backend, requiresGrad: true }));
    params.push(sr.tensor(b, { dtype, backend, requiresGrad: true }));
  }
  const xData = g.randn([batch, 17], { dtype: 'float64' }).dataSync();
  const x = sr.tensor(xData, { shape: [batch, 17], dtype, backend });
  let h = x;
  for (let l = 0; l < 3; l++) h = sr.linear(h, params[2 * l]!, params[2 * l + 1]!, acts[l]!);
  // a matmul with transposes and a plain tanh, so their SIMD paths are differentiated too
  const gram = sr.mm(h, sr.tanh(h), true, false);
  const loss = sr.add(sr.mean(sr.square(h)), sr.mul(sr.mean(gram), 0.01));
  loss.backward();
  return params.map((p) => Float64Array.from(p.grad!.dataSync()));
}

describe('gradients with SIMD kernels', () => {
  for (const acts of [
    ['tanh', 'tanh', 'none'],
    ['relu', 'sigmoid', 'tanh'],
  ] as Activation[][]) {
    test(`MLP ${acts.join('/')} at batch 1, 63 and 1000: float32 SIMD vs float64 plain loops`, () => {
      for (const batch of [1, 63, 1000]) {
        const ref = mlpGrads(js, 'float64', acts, batch);
        const got = mlpGrads(simd, 'float32', acts, batch);
        ref.forEach((r, i) => {
          let scale = 0;
          let worst = 0;
          for (let k = 0; k < r.length; k++) {
            scale = Math.max(scale, Math.abs(r[k]!));
            worst = Math.max(worst, Math.abs(r[k]! - got[i]![k]!));
          }
          expect(worst / scale, `param ${i}, batch ${batch}`).toBeLessThan(1e-4);
        });
      }
    });
  }

  test('gradcheck and gradgradcheck (float64) pass on a SIMD-selected backend', () => {
    const g = sr.rng(9);
    const x = g.randn([5, 4], { dtype: 'float64', backend: simd });
    const w = g.randn([4, 3], { dtype: 'float64', backend: simd });
    const b = g.randn([3], { dtype: 'float64', backend: simd });
    const f = (x: sr.Tensor, w: sr.Tensor, b: sr.Tensor): sr.Tensor => sr.tanh(sr.linear(x, w, b, 'tanh'));
    expect(sr.gradcheck(f, [x, w, b]).ok).toBe(true);
    expect(sr.gradgradcheck(f, [x, w, b]).ok).toBe(true);
  });
});
