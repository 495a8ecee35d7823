/**
 * The RL building blocks are one-liners over the op set: a diagonal-Gaussian log-prob,
 * the KL and Jeffrey's divergences of two Gaussians, an MSE and a tanh-squashed action.
 * Each is checked against its closed form, and the KL's gradient against gradcheck.
 */
import { expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import { randF64 } from './helpers.js';

const LOG_2PI = Math.log(2 * Math.PI);
type T = sr.Tensor;

const logProb = (a: T, mu: T, logStd: T): T =>
  a.sub(mu).div(logStd.exp()).square().add(logStd.mul(2)).add(LOG_2PI).sum(-1).mul(-0.5);
const kl = (mu1: T, ls1: T, mu2: T, ls2: T): T =>
  ls2
    .sub(ls1)
    .add(ls1.mul(2).exp().add(mu1.sub(mu2).square()).div(ls2.mul(2).exp().mul(2)))
    .sub(0.5)
    .sum(-1);
const jeffreys = (mu1: T, ls1: T, mu2: T, ls2: T): T => kl(mu1, ls1, mu2, ls2).add(kl(mu2, ls2, mu1, ls1));
const mse = (p: T, y: T): T => p.sub(y).square().mean();
const squash = (u: T, low: T, high: T): T => u.tanh().add(1).mul(high.sub(low).mul(0.5)).add(low);

test('diagonal Gaussian log-prob', () => {
  const a = sr.tensor([[0.5, -1]], { dtype: 'float64' });
  const mu = sr.tensor([[0, 0]], { dtype: 'float64' });
  const ls = sr.tensor([0, Math.log(2)], { dtype: 'float64' });
  const ref = -0.5 * (0.25 + LOG_2PI) + -0.5 * (0.25 + 2 * Math.log(2) + LOG_2PI);
  expect(logProb(a, mu, ls).item()).toBeCloseTo(ref, 12);
});

test('KL and Jeffrey’s divergence of Gaussians; equal std gives ‖Δμ‖²/σ² for Jeffrey’s', () => {
  const mu1 = randF64([5, 3], 1);
  const mu2 = randF64([5, 3], 2);
  const ls = sr.full([3], Math.log(0.7), { dtype: 'float64' });
  const j = jeffreys(mu1, ls, mu2, ls).dataSync();
  const ref = mu1.sub(mu2).square().sum(-1).div(0.49).dataSync();
  for (let i = 0; i < 5; i++) expect(j[i]).toBeCloseTo(ref[i]!, 12);
  expect(kl(mu1, ls, mu1, ls).sum().item()).toBe(0);
  const r = sr.gradcheck(
    (m1, l1, m2, l2) => kl(m1, l1, m2, l2),
    [mu1, randF64([3], 3), mu2, randF64([3], 4)],
    { raise: false },
  );
  expect(r.ok).toBe(true);
});

test('MSE and tanh-squashed action', () => {
  expect(mse(sr.tensor([1, 2, 3]), sr.tensor([1, 0, 0])).item()).toBeCloseTo(13 / 3, 6);
  const a = squash(sr.tensor([-100, 0, 100]), sr.tensor([-2, -2, -2]), sr.tensor([1, 1, 1])).toArray();
  expect(a).toEqual([-2, -0.5, 1]);
});
