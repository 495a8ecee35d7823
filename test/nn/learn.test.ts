import { expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import { Adam, MLP } from '../../src/nn/index.js';

/** n points evenly spaced over [lo, hi] as [n, 1], with targets sin(2x). */
function data(n: number, lo: number, hi: number): [sr.Tensor, sr.Tensor] {
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = lo + ((hi - lo) * i) / (n - 1);
    y[i] = Math.sin(2 * x[i]!);
  }
  return [sr.tensor(x, { shape: [n, 1] }), sr.tensor(y, { shape: [n, 1] })];
}

test('MLP [1, 32, 32, 1] (tanh) fits y = sin(2x) on [-2, 2] with Adam to MSE < 0.01 in 300 steps', () => {
  const [x, y] = data(128, -2, 2);
  const m = new MLP([1, 32, 32, 1], { hidden: 'tanh', rng: 0 });
  const opt = new Adam(m, { lr: 0.01 });
  const mse = (a: sr.Tensor, b: sr.Tensor): number =>
    sr.noGrad(() => m.forward(a).sub(b).square().mean().item());
  const initial = mse(x, y);
  expect(initial).toBeGreaterThan(0.1);
  for (let step = 0; step < 300; step++) {
    opt.zeroGrad();
    m.forward(x).sub(y).square().mean().backward();
    opt.step();
  }
  expect(mse(x, y)).toBeLessThan(0.01);
  // between the training points too, not just on them
  const [xs, ys] = data(101, -1.99, 1.99);
  expect(mse(xs, ys)).toBeLessThan(0.01);
});
