/**
 * Every differentiable op against central finite differences in float64, on random
 * shapes, including broadcasting (whose gradients must be summed back to each input's
 * shape). A second table checks second derivatives of the ops that the MLP, the
 * Gaussian KL/Jeffrey's divergence and a PGD step use.
 */
import { describe, expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import { positiveF64, randF64 } from './helpers.js';

type Case = { name: string; fn: (...xs: sr.Tensor[]) => sr.Tensor; inputs: () => sr.Tensor[] };

// Inputs away from kinks (relu at 0, abs at 0, max ties) so finite differences are valid.
const awayFromZero = (shape: number[], seed: number): sr.Tensor => {
  const t = randF64(shape, seed);
  return t.add(t.sign().mul(0.1));
};

const cases: Case[] = [
  {
    name: 'add (same shape)',
    fn: (a, b) => a.add(b),
    inputs: () => [randF64([3, 4], 1), randF64([3, 4], 2)],
  },
  {
    name: 'add (broadcast [3,1]+[4])',
    fn: (a, b) => a.add(b),
    inputs: () => [randF64([3, 1], 1), randF64([4], 2)],
  },
  {
    name: 'sub (broadcast [2,3,4]-[3,1])',
    fn: (a, b) => a.sub(b),
    inputs: () => [randF64([2, 3, 4], 1), randF64([3, 1], 2)],
  },
  {
    name: 'mul (broadcast scalar tensor)',
    fn: (a, b) => a.mul(b),
    inputs: () => [randF64([2, 3], 1), randF64([], 2)],
  },
  {
    name: 'div (broadcast [1,4]/[3,1])',
    fn: (a, b) => a.div(b),
    inputs: () => [randF64([1, 4], 1), positiveF64([3, 1], 2)],
  },
  {
    name: 'pow (variable base and exponent)',
    fn: (a, b) => a.pow(b),
    inputs: () => [positiveF64([2, 3], 1), randF64([2, 3], 2)],
  },
  { name: 'pow (number exponent)', fn: (a) => a.pow(3), inputs: () => [randF64([5], 1)] },
  { name: 'maximum', fn: (a, b) => sr.maximum(a, b), inputs: () => [randF64([3, 4], 1), randF64([4], 2)] },
  { name: 'minimum', fn: (a, b) => sr.minimum(a, b), inputs: () => [randF64([3, 4], 1), randF64([3, 1], 2)] },
  { name: 'neg', fn: (a) => a.neg(), inputs: () => [randF64([4], 1)] },
  { name: 'exp', fn: (a) => a.exp(), inputs: () => [randF64([2, 3], 1)] },
  { name: 'log', fn: (a) => a.log(), inputs: () => [positiveF64([2, 3], 1)] },
  { name: 'sqrt', fn: (a) => a.sqrt(), inputs: () => [positiveF64([2, 3], 1)] },
  { name: 'tanh', fn: (a) => a.tanh(), inputs: () => [randF64([2, 3], 1, -2, 2)] },
  { name: 'relu', fn: (a) => a.relu(), inputs: () => [awayFromZero([3, 3], 1)] },
  { name: 'sigmoid', fn: (a) => a.sigmoid(), inputs: () => [randF64([2, 3], 1, -3, 3)] },
  { name: 'softplus', fn: (a) => a.softplus(), inputs: () => [randF64([2, 3], 1, -3, 3)] },
  { name: 'abs', fn: (a) => a.abs(), inputs: () => [awayFromZero([5], 1)] },
  { name: 'square', fn: (a) => a.square(), inputs: () => [randF64([2, 3], 1)] },
  { name: 'reciprocal', fn: (a) => a.reciprocal(), inputs: () => [positiveF64([2, 3], 1)] },
  { name: 'clamp (number bounds)', fn: (a) => a.clamp(-0.5, 0.5), inputs: () => [randF64([10], 3)] },
  {
    name: 'clamp (tensor bounds)',
    fn: (a, lo, hi) => a.clamp(lo, hi),
    inputs: () => [randF64([2, 5], 3), randF64([5], 4, -1, -0.3), randF64([2, 1], 5, 0.3, 1)],
  },
  { name: 'sum (all)', fn: (a) => a.sum(), inputs: () => [randF64([2, 3, 4], 1)] },
  {
    name: 'sum (axes [0,2], keepdims)',
    fn: (a) => a.sum([0, 2], true),
    inputs: () => [randF64([2, 3, 4], 1)],
  },
  { name: 'mean (axis -1)', fn: (a) => a.mean(-1), inputs: () => [randF64([3, 5], 1)] },
  { name: 'max (axis 1)', fn: (a) => a.max(1), inputs: () => [randF64([4, 6], 1)] },
  { name: 'min (all, keepdims)', fn: (a) => a.min(undefined, true), inputs: () => [randF64([3, 3], 1)] },
  {
    name: 'variance (axis 0, sample)',
    fn: (a) => a.variance(0, false, 1),
    inputs: () => [randF64([5, 2], 1)],
  },
  { name: 'logsumexp (axis 1)', fn: (a) => a.logsumexp(1), inputs: () => [randF64([3, 4], 1, -3, 3)] },
  { name: 'matmul 2-D', fn: (a, b) => a.matmul(b), inputs: () => [randF64([3, 4], 1), randF64([4, 5], 2)] },
  {
    name: 'matmul batched with broadcast [2,3,4]@[4,2]',
    fn: (a, b) => a.matmul(b),
    inputs: () => [randF64([2, 3, 4], 1), randF64([4, 2], 2)],
  },
  {
    name: 'matmul batched [2,1,3,4]@[3,4,2]',
    fn: (a, b) => a.matmul(b),
    inputs: () => [randF64([2, 1, 3, 4], 1), randF64([3, 4, 2], 2)],
  },
  {
    name: 'matmul vector·matrix and matrix·vector',
    fn: (v, m, w) => v.matmul(m).matmul(w),
    inputs: () => [randF64([3], 1), randF64([3, 4], 2), randF64([4], 3)],
  },
  {
    name: 'mm transA',
    fn: (a, b) => sr.mm(a, b, true, false),
    inputs: () => [randF64([4, 3], 1), randF64([4, 5], 2)],
  },
  {
    name: 'mm transB',
    fn: (a, b) => sr.mm(a, b, false, true),
    inputs: () => [randF64([3, 4], 1), randF64([5, 4], 2)],
  },
  {
    name: 'mm transA transB',
    fn: (a, b) => sr.mm(a, b, true, true),
    inputs: () => [randF64([4, 3], 1), randF64([5, 4], 2)],
  },
  {
    name: 'linear tanh',
    fn: (x, w, b) => sr.linear(x, w, b, 'tanh'),
    inputs: () => [randF64([5, 3], 1), randF64([3, 4], 2), randF64([4], 3)],
  },
  {
    name: 'linear relu',
    fn: (x, w, b) => sr.linear(x, w, b, 'relu'),
    inputs: () => [randF64([5, 3], 1), randF64([3, 4], 2), randF64([4], 3, 0.2, 0.5)],
  },
  {
    name: 'linear sigmoid, 3-D input',
    fn: (x, w, b) => sr.linear(x, w, b, 'sigmoid'),
    inputs: () => [randF64([2, 5, 3], 1), randF64([3, 4], 2), randF64([4], 3)],
  },
  {
    name: 'linear no bias',
    fn: (x, w) => sr.linear(x, w),
    inputs: () => [randF64([5, 3], 1), randF64([3, 4], 2)],
  },
  {
    name: 'reshape',
    fn: (a) => a.reshape([4, -1]).mul(a.reshape([4, 3])),
    inputs: () => [randF64([2, 6], 1)],
  },
  { name: 'permute', fn: (a) => a.permute([2, 0, 1]), inputs: () => [randF64([2, 3, 4], 1)] },
  { name: 'transpose / T', fn: (a) => a.T.mul(a.transpose()), inputs: () => [randF64([3, 4], 1)] },
  { name: 'broadcastTo', fn: (a) => a.broadcastTo([2, 3, 4]), inputs: () => [randF64([3, 1], 1)] },
  {
    name: 'expandDims / squeeze',
    fn: (a) => a.expandDims(1).squeeze(1).mul(a),
    inputs: () => [randF64([3, 4], 1)],
  },
  {
    name: 'slice with steps and negatives',
    fn: (a) => a.slice([1, -4], [3, undefined], [1, 2]),
    inputs: () => [randF64([4, 5], 1)],
  },
  {
    name: 'concat axis 1',
    fn: (a, b) => sr.concat([a, b, a], 1),
    inputs: () => [randF64([2, 3], 1), randF64([2, 2], 2)],
  },
  {
    name: 'concat and stack of one tensor',
    fn: (a) => sr.concat([a], 1).mul(sr.stack([a], 0).sum(0)),
    inputs: () => [randF64([2, 3], 1)],
  },
  {
    name: 'stack axis -1',
    fn: (a, b) => sr.stack([a, b], -1),
    inputs: () => [randF64([2, 3], 1), randF64([2, 3], 2)],
  },
  {
    name: 'split',
    fn: (a) => {
      const [p, q] = a.split([1, 2], 1);
      return p!.mul(q!.sum(1, true));
    },
    inputs: () => [randF64([3, 3], 1)],
  },
  {
    name: 'gather (repeated indices)',
    fn: (a) => a.gather([2, 0, 2, 1], 0),
    inputs: () => [randF64([3, 4], 1)],
  },
  {
    name: 'gather axis 1, 2-D indices',
    fn: (a) =>
      a.gather(
        sr.tensor(
          [
            [0, 3],
            [1, 1],
          ],
          { dtype: 'int32' },
        ),
        1,
      ),
    inputs: () => [randF64([2, 4, 2], 1)],
  },
  {
    name: 'where (broadcast)',
    fn: (a, b) => sr.where(a.gt(0), a, b),
    inputs: () => [awayFromZero([3, 4], 1), randF64([4], 2)],
  },
  {
    name: 'cast f64→f32→f64 chain',
    fn: (a) => a.cast('float32').cast('float64').mul(a),
    inputs: () => [randF64([3], 1)],
  },
];

describe('gradcheck: every differentiable op', () => {
  for (const c of cases) {
    test(c.name, () => {
      const inputs = c.inputs();
      // float32 round trip loses precision, so its tolerance is looser
      const tol = c.name.startsWith('cast') ? { atol: 1e-4, rtol: 1e-4, eps: 1e-3 } : {};
      const r = sr.gradcheck(c.fn, inputs, { ...tol, raise: false });
      expect(r.ok, JSON.stringify(r.worst)).toBe(true);
      expect(r.checked).toBe(inputs.reduce((s, x) => s + x.size, 0));
    });
  }
});

const secondOrder: Case[] = [
  {
    name: 'MLP layer (linear tanh, then linear)',
    fn: (x, w1, b1, w2) => sr.linear(sr.linear(x, w1, b1, 'tanh'), w2),
    inputs: () => [randF64([3, 2], 1), randF64([2, 4], 2), randF64([4], 3), randF64([4, 2], 4)],
  },
  {
    name: 'linear relu',
    fn: (x, w, b) => sr.linear(x, w, b, 'relu'),
    inputs: () => [randF64([3, 2], 1), randF64([2, 3], 2), randF64([3], 3, 0.3, 0.6)],
  },
  {
    name: 'linear sigmoid',
    fn: (x, w, b) => sr.linear(x, w, b, 'sigmoid'),
    inputs: () => [randF64([3, 2], 1), randF64([2, 3], 2), randF64([3], 3)],
  },
  {
    name: 'Gaussian KL terms: log, exp, square, div, sub, sum',
    fn: (mu1, ls1, mu2, ls2) =>
      ls2
        .sub(ls1)
        .add(ls1.mul(2).exp().add(mu1.sub(mu2).square()).div(ls2.mul(2).exp().mul(2)))
        .sub(0.5)
        .sum(-1),
    inputs: () => [randF64([3, 2], 1), randF64([2], 2), randF64([3, 2], 3), randF64([2], 4)],
  },
  {
    name: 'PGD step pieces: sign-free ascent objective and clamp',
    fn: (x, d, w) =>
      sr
        .linear(x.add(d.clamp(-0.5, 0.5)), w, null, 'tanh')
        .sub(sr.linear(x, w, null, 'tanh'))
        .square()
        .mean(),
    inputs: () => [randF64([4, 3], 1), randF64([4, 3], 2, -0.4, 0.4), randF64([3, 2], 3)],
  },
  {
    name: 'matmul batched',
    fn: (a, b) => a.matmul(b),
    inputs: () => [randF64([2, 2, 3], 1), randF64([3, 2], 2)],
  },
  {
    name: 'mm transposes',
    fn: (a, b) => sr.mm(a, b, true, true).add(sr.mm(b, a).T),
    inputs: () => [randF64([3, 2], 1), randF64([4, 3], 2)],
  },
  {
    name: 'sqrt, reciprocal, pow',
    fn: (a, b) => a.sqrt().mul(b.reciprocal()).add(a.pow(b)),
    inputs: () => [positiveF64([4], 1), positiveF64([4], 2)],
  },
  {
    name: 'softplus, sigmoid, logsumexp',
    fn: (a) => a.softplus().add(a.sigmoid()).logsumexp(0),
    inputs: () => [randF64([3, 2], 1)],
  },
  {
    name: 'reductions and movement: mean, max, slice, concat, gather, broadcast',
    fn: (a) =>
      sr
        .concat([a.slice([1]).mean(0, true), a.max(0, true), a.gather([0, 0], 0).sum(0, true)], 0)
        .mul(a.sum(0, true).broadcastTo([3, 3])),
    inputs: () => [randF64([3, 3], 1)],
  },
  {
    name: 'where and maximum',
    fn: (a, b) => sr.where(a.gt(0), a.square(), b.exp()).mul(sr.maximum(a, b)),
    inputs: () => [awayFromZero([4], 1), randF64([4], 2)],
  },
];

describe('gradgradcheck: second derivatives', () => {
  for (const c of secondOrder) {
    test(c.name, () => {
      const r = sr.gradgradcheck(c.fn, c.inputs(), { raise: false });
      expect(r.ok, JSON.stringify(r.worst)).toBe(true);
    });
  }
});

describe('gradcheck reports failures', () => {
  test('a wrong gradient (hook that doubles it) is caught with the worst element named', () => {
    const bad = (a: sr.Tensor): sr.Tensor => {
      const y = a.mul(1);
      y.registerHook((g) => g.mul(2));
      return y.square();
    };
    expect(() => sr.gradcheck(bad, [randF64([3], 1)])).toThrow(
      /gradcheck failed: input 0 \(shape \[3\]\) element \d+: analytic .*numeric/,
    );
  });
  test('float32 inputs are refused', () => {
    expect(() => sr.gradcheck((a) => a.exp(), [sr.ones([2])])).toThrow(/float64/);
  });
});
