/** Forward values of the ops against independent references (mathjs, closed forms). */
import { describe, expect, test } from 'vitest';
import * as math from 'mathjs';
import * as sr from '../../src/index.js';
import { randF64 } from './helpers.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
};

describe('forward values', () => {
  test('matmul (every transpose variant, odd sizes) equals mathjs', () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [3, 5, 2],
      [17, 9, 13],
      [4, 7, 65],
    ] as const) {
      const a = randF64([m, k], m + k);
      const b = randF64([k, n], k + n);
      const ref = (math.multiply(a.toArray() as number[][], b.toArray() as number[][]) as number[][]).flat();
      close(a.matmul(b).dataSync(), ref);
      close(sr.mm(a.T, b, true, false).dataSync(), ref);
      close(sr.mm(a, b.T, false, true).dataSync(), ref);
      close(sr.mm(a.T, b.T, true, true).dataSync(), ref);
    }
  });

  test('float32 matmul is within float32 rounding of the float64 result', () => {
    const a = randF64([33, 64], 1);
    const b = randF64([64, 20], 2);
    close(a.cast('float32').matmul(b.cast('float32')).dataSync(), a.matmul(b).dataSync(), 1e-5);
  });

  test('batched matmul equals per-batch products', () => {
    const a = randF64([2, 3, 4], 1);
    const b = randF64([2, 4, 5], 2);
    const c = a.matmul(b);
    for (let i = 0; i < 2; i++) {
      const ref = a
        .slice([i], [i + 1])
        .reshape([3, 4])
        .matmul(b.slice([i], [i + 1]).reshape([4, 5]));
      close(
        c
          .slice([i], [i + 1])
          .reshape([3, 5])
          .dataSync(),
        ref.dataSync(),
      );
    }
  });

  test('reductions equal mathjs sum/max/mean/var over axes', () => {
    const x = randF64([3, 4, 5], 3);
    const arr = x.toArray() as number[][][];
    close(x.sum().dataSync(), [math.sum(arr.flat(2))]);
    close(
      x.max(2).dataSync(),
      arr.flat().map((r) => math.max(r)),
    );
    close(
      x.mean([0, 1]).dataSync(),
      [0, 1, 2, 3, 4].map((k) => math.mean(arr.flat().map((r) => r[k]!))),
    );
    close(
      x.variance(2, false, 1).dataSync(),
      arr.flat().map((r) => math.variance(r) as unknown as number),
    );
    const lse = x.logsumexp(1).dataSync();
    expect(lse[0]).toBeCloseTo(Math.log(arr[0]!.reduce((s, r) => s + Math.exp(r[0]!), 0)), 12);
  });

  test('logsumexp is stable for large inputs', () => {
    expect(sr.tensor([1000, 1000], { dtype: 'float64' }).logsumexp().item()).toBeCloseTo(
      1000 + Math.log(2),
      10,
    );
  });

  test('elementwise ops match Math', () => {
    const v = [-2.5, -0.3, 0, 0.7, 3];
    const x = sr.tensor(v, { dtype: 'float64' });
    const check = (t: sr.Tensor, f: (a: number) => number): void => close(t.dataSync(), v.map(f));
    check(x.exp(), Math.exp);
    check(x.tanh(), Math.tanh);
    check(x.relu(), (a) => Math.max(a, 0));
    check(x.sigmoid(), (a) => 1 / (1 + Math.exp(-a)));
    check(x.softplus(), (a) => Math.log(1 + Math.exp(a)));
    check(x.abs(), Math.abs);
    check(x.sign(), Math.sign);
    check(x.square(), (a) => a * a);
    check(x.clamp(-1, 1), (a) => Math.min(1, Math.max(-1, a)));
    check(x.pow(2), (a) => a ** 2);
    // clamp without a gradient to carry (maximum/minimum kernels) gives the values of the
    // tracked form (compare + where), bounds hit exactly and tensor bounds broadcast
    const m = sr.tensor([-3, -1, -0.5, 0, 0.5, 1, 3, 2, -2], { shape: [3, 3], dtype: 'float32' });
    const lo = sr.tensor([-1, -0.5, 0], { dtype: 'float32' });
    const hi = sr.tensor([1, 0.5, 2], { dtype: 'float32' });
    const tracked = m.detach().requireGrad(true);
    expect(sr.noGrad(() => m.clamp(lo, hi)).toArray()).toEqual(tracked.clamp(lo, hi).toArray());
    expect(m.clamp(-1, 1).toArray()).toEqual(tracked.clamp(-1, 1).toArray());
    expect(m.clamp(undefined, 0).toArray()).toEqual(tracked.clamp(undefined, 0).toArray());
    // stable sigmoid/softplus at extremes
    expect(sr.tensor([-800, 800], { dtype: 'float64' }).sigmoid().toArray()).toEqual([0, 1]);
    expect(sr.tensor([800], { dtype: 'float64' }).softplus().item()).toBe(800);
  });

  test('movement ops', () => {
    const x = sr.arange(12).reshape([3, 4]);
    expect(x.T.toArray()).toEqual([
      [0, 4, 8],
      [1, 5, 9],
      [2, 6, 10],
      [3, 7, 11],
    ]);
    expect(x.slice([1, 1], [3, undefined], [1, 2]).toArray()).toEqual([
      [5, 7],
      [9, 11],
    ]);
    expect(x.slice([-1]).toArray()).toEqual([[8, 9, 10, 11]]);
    expect(sr.concat([x.slice([0], [1]), x.slice([2])], 0).toArray()).toEqual([
      [0, 1, 2, 3],
      [8, 9, 10, 11],
    ]);
    // a concat or stack of one tensor is a copy: writes to the input do not reach it
    const one = sr.tensor([1, 2]);
    const [cat, st] = [sr.concat([one]), sr.stack([one])];
    one.dispose();
    expect([cat.toArray(), st.toArray()]).toEqual([[1, 2], [[1, 2]]]);
    expect(sr.stack([sr.tensor([1, 2]), sr.tensor([3, 4])], 1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(x.gather([2, 0], 1).toArray()).toEqual([
      [2, 0],
      [6, 4],
      [10, 8],
    ]);
    expect(sr.tensor([1, 2]).broadcastTo([2, 2]).toArray()).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(sr.where(x.gt(5), x, 0).toArray()).toEqual([
      [0, 0, 0, 0],
      [0, 0, 6, 7],
      [8, 9, 10, 11],
    ]);
    expect(x.permute([1, 0]).reshape([12]).toArray()).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(x.split(2, 1).map((t) => t.shape)).toEqual([
      [3, 2],
      [3, 2],
    ]);
    expect(sr.tensor([1.7, -1.7]).cast('int32').toArray()).toEqual([1, -1]);
  });

  test('comparisons return 0/1 in the operand dtype', () => {
    const a = sr.tensor([1, 2, 3]);
    expect(a.lt(2).toArray()).toEqual([1, 0, 0]);
    expect(a.le(2).toArray()).toEqual([1, 1, 0]);
    expect(a.ge(2).toArray()).toEqual([0, 1, 1]);
    expect(a.eq(2).toArray()).toEqual([0, 1, 0]);
    expect(a.ne(2).toArray()).toEqual([1, 0, 1]);
    expect(a.gt(2).dtype).toBe('float32');
  });

  test('max and maximum propagate NaN like NumPy', () => {
    expect(sr.tensor([1, NaN, 3]).max().item()).toBeNaN();
    expect(sr.maximum(sr.tensor([NaN, 1]), sr.tensor([0, NaN])).toArray()).toEqual([NaN, NaN]);
  });
});

describe('creation', () => {
  test('constructors', () => {
    expect(sr.zeros([2, 2]).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(sr.full([2], 7, { dtype: 'float64' }).dtype).toBe('float64');
    expect(sr.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(sr.eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(sr.tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] }).dtype).toBe('float64');
    expect(sr.tensor(5).shape).toEqual([]);
    expect(sr.tensor(5).item()).toBe(5);
    expect(() => sr.ones([2]).item()).toThrow(/item: tensor of shape \[2\] has 2 elements/);
  });

  test('seeded generators: same seed, same tensors; forks differ; known values pinned', () => {
    const a = sr.rng(123).randn([4], { dtype: 'float64' });
    const b = sr.rng(123).randn([4], { dtype: 'float64' });
    expect(a.toArray()).toEqual(b.toArray());
    expect(a.toArray()).toMatchSnapshot();
    const g = sr.rng(5);
    expect(g.fork('init').rand([3]).toArray()).not.toEqual(g.fork('init').rand([3]).toArray());
    const u = sr.rng(1).uniform([1000], -2, 3);
    const d = u.dataSync();
    expect(Math.min(...d)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...d)).toBeLessThan(3);
    expect(
      sr
        .rng(2)
        .randint([50], 4)
        .dataSync()
        .every((v) => v >= 0 && v < 4),
    ).toBe(true);
  });

  test('await data() works and returns a copy', async () => {
    const t = sr.tensor([1, 2]);
    const d = await t.data();
    d[0] = 99;
    expect(t.toArray()).toEqual([1, 2]);
  });
});
