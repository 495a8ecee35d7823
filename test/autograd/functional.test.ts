import { describe, expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import { randF64 } from './helpers.js';

// A smooth scalar function of two tensors: a small tanh network with a quadratic head.
const f = (x: sr.Tensor, w: sr.Tensor): sr.Tensor =>
  sr.linear(x, w, null, 'tanh').square().sum().add(w.pow(3).sum());

function dot(a: sr.Tensor[], b: sr.Tensor[]): number {
  return a.reduce((s, t, i) => s + sr.sum(t.mul(b[i]!)).item(), 0);
}

describe('functional transforms', () => {
  test('grad equals backward() and valueAndGrad returns the value', () => {
    const x = randF64([4, 3], 1);
    const w = randF64([3, 2], 2);
    const [v, gs] = sr.valueAndGrad(f, [0, 1])(x, w) as [sr.Tensor, sr.Tensor[]];
    const xl = x.detach().requireGrad();
    const wl = w.detach().requireGrad();
    const y = f(xl, wl);
    y.backward();
    expect(v.item()).toBe(y.item());
    expect(Array.from(gs[0]!.dataSync())).toEqual(Array.from(xl.grad!.dataSync()));
    expect(Array.from(gs[1]!.dataSync())).toEqual(Array.from(wl.grad!.dataSync()));
    // functional transforms never touch .grad
    expect(x.grad).toBeNull();
  });

  test('hvp matches finite differences of the gradient', () => {
    const x = randF64([4, 3], 3);
    const w = randF64([3, 2], 4);
    const vx = randF64([4, 3], 5);
    const vw = randF64([3, 2], 6);
    const hv = sr.hvp(f, [x, w], [vx, vw]);
    const eps = 1e-6;
    const g = (s: number): sr.Tensor[] =>
      sr.grad(f, [0, 1])(x.add(vx.mul(s)), w.add(vw.mul(s))) as sr.Tensor[];
    const gp = g(eps);
    const gm = g(-eps);
    for (let i = 0; i < 2; i++) {
      const fd = gp[i]!.sub(gm[i]!)
        .div(2 * eps)
        .dataSync();
      const an = hv[i]!.dataSync();
      for (let k = 0; k < fd.length; k++) expect(an[k]).toBeCloseTo(fd[k]!, 6);
    }
  });

  test('hvpAt: many products at one point equal hvp, bit for bit, and reject wrong tangents', () => {
    const x = randF64([4, 3], 12);
    const w = randF64([3, 2], 13);
    const at = sr.hvpAt(f, [x, w]);
    for (let k = 0; k < 3; k++) {
      const v = [randF64([4, 3], 20 + k), randF64([3, 2], 30 + k)];
      const a = at(v);
      const b = sr.hvp(f, [x, w], v);
      for (let i = 0; i < 2; i++) expect(Array.from(a[i]!.dataSync())).toEqual(Array.from(b[i]!.dataSync()));
    }
    // symmetric: vᵀ(H u) = uᵀ(H v)
    const u = [randF64([4, 3], 40), randF64([3, 2], 41)];
    const v = [randF64([4, 3], 42), randF64([3, 2], 43)];
    expect(dot(v, at(u))).toBeCloseTo(dot(u, at(v)), 10);
    expect(() => at([randF64([3, 2], 1), randF64([3, 2], 2)])).toThrow(
      /hvpAt: tangent 0 has shape \[3, 2\], primal \[4, 3\]/,
    );
    expect(() => at([u[0]!])).toThrow(/hvpAt: 2 primals but 1 tangents/);
  });

  test('jvp and vjp agree: uᵀ(Jv) = (Jᵀu)ᵀv', () => {
    const g = (x: sr.Tensor, w: sr.Tensor): sr.Tensor => sr.linear(x, w, null, 'sigmoid').mul(x.sum(1, true));
    const x = randF64([4, 3], 7);
    const w = randF64([3, 5], 8);
    const v = [randF64([4, 3], 9), randF64([3, 5], 10)];
    const [y, jv] = sr.jvp(g, [x, w], v);
    const u = randF64(y.shape.slice(), 11);
    const [, back] = sr.vjp(g, [x, w]);
    const jtu = back(u);
    expect(sr.sum(u.mul(jv)).item()).toBeCloseTo(dot(jtu, v), 10);
  });

  test('jvp matches a finite difference of the function', () => {
    const x = randF64([3], 12);
    const v = randF64([3], 13);
    const h = (a: sr.Tensor): sr.Tensor => a.exp().mul(a).tanh();
    const [, jv] = sr.jvp(h, [x], [v]);
    const eps = 1e-6;
    const fd = h(x.add(v.mul(eps)))
      .sub(h(x.sub(v.mul(eps))))
      .div(2 * eps)
      .dataSync();
    const an = jv.dataSync();
    for (let k = 0; k < 3; k++) expect(an[k]).toBeCloseTo(fd[k]!, 7);
  });

  test('grad nests: grad(grad(x³)) = 6x, and third order works', () => {
    const cube = (x: sr.Tensor): sr.Tensor => x.pow(3).sum();
    const d1 = (x: sr.Tensor): sr.Tensor => (sr.grad(cube)(x) as sr.Tensor).sum();
    const d2 = (x: sr.Tensor): sr.Tensor => (sr.grad(d1)(x) as sr.Tensor).sum();
    const x = sr.tensor([1, -2, 0.5], { dtype: 'float64' });
    expect(Array.from((sr.grad(d1)(x) as sr.Tensor).dataSync())).toEqual([6, -12, 3]);
    expect(Array.from((sr.grad(d2)(x) as sr.Tensor).dataSync())).toEqual([6, 6, 6]);
  });

  test('backward(createGraph) gives a differentiable .grad', () => {
    const x = sr.tensor([0.3, -0.7], { dtype: 'float64', requiresGrad: true });
    x.tanh().sum().backward(undefined, { createGraph: true });
    const g = x.grad!; // 1 - tanh²(x), recorded
    expect(g.requiresGrad).toBe(true);
    x.zeroGrad();
    g.sum().backward();
    const t = [Math.tanh(0.3), Math.tanh(-0.7)];
    const second = x.grad!.dataSync();
    expect(second[0]).toBeCloseTo(-2 * t[0]! * (1 - t[0]! ** 2), 12);
    expect(second[1]).toBeCloseTo(-2 * t[1]! * (1 - t[1]! ** 2), 12);
  });

  test('gradients w.r.t. unused inputs are zeros of the right shape', () => {
    const gs = sr.grad((a: sr.Tensor, _b: sr.Tensor) => a.sum(), [0, 1])(
      randF64([2], 1),
      randF64([3, 2], 2),
    ) as sr.Tensor[];
    expect(gs[1]!.shape).toEqual([3, 2]);
    expect(Array.from(gs[1]!.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('transforms work inside noGrad and return plain tensors there', () => {
    const g = sr.noGrad(
      () => sr.grad((a: sr.Tensor) => a.square().sum())(sr.tensor([3], { dtype: 'float64' })) as sr.Tensor,
    );
    expect(g.item()).toBe(6);
    expect(g.requiresGrad).toBe(false);
  });

  test('bad arguments are named', () => {
    expect(() => sr.grad((a: sr.Tensor) => a)(sr.ones([2]))).toThrow(
      /grad: the function must return a scalar, got shape \[2\]/,
    );
    expect(() => sr.grad((a: sr.Tensor) => a.sum(), 3)(sr.ones([2]))).toThrow(/argnum 3 is out of range/);
    expect(() => sr.jvp((a) => a, [sr.ones([2])], [sr.ones([3])])).toThrow(/tangent 0 has shape \[3\]/);
  });
});
