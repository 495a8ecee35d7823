import { describe, expect, test, vi } from 'vitest';
import * as sr from '../../src/index.js';

describe('backward()', () => {
  test('accumulates into leaves across calls; zeroGrad clears', () => {
    const x = sr.tensor([1, 2], { requiresGrad: true });
    x.mul(3).sum().backward();
    x.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([6, 6]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  test('a reused non-leaf (b = a + a; c = b + b) gets its gradient summed once per use', () => {
    const a = sr.tensor([1.5], { requiresGrad: true });
    const b = a.add(a);
    const c = b.add(b);
    c.sum().backward();
    expect(a.grad!.item()).toBe(4);
  });

  test('a given output gradient seeds a non-scalar backward', () => {
    const x = sr.tensor([1, 2, 3], { requiresGrad: true });
    x.square().backward(sr.tensor([1, 0, 2]));
    expect(x.grad!.toArray()).toEqual([2, 0, 12]);
  });

  test('detach and noGrad cut the graph', () => {
    const x = sr.tensor([2], { requiresGrad: true });
    const y = x.mul(x.detach());
    y.sum().backward();
    expect(x.grad!.item()).toBe(2);
    const z = sr.noGrad(() => x.mul(5));
    expect(z.requiresGrad).toBe(false);
    expect(z.node).toBeNull();
    expect(sr.isGradEnabled()).toBe(true);
    expect(() => sr.noGrad(() => Promise.resolve(1))).toThrow(/must be synchronous/);
  });

  test('hooks see the gradient and may replace it; remove() stops them', () => {
    const x = sr.tensor([1, 2], { requiresGrad: true });
    const h = x.mul(2);
    const seen: number[][] = [];
    const handle = h.registerHook((g) => {
      seen.push(Array.from(g.dataSync()));
      return g.mul(10);
    });
    h.sum().backward();
    expect(seen).toEqual([[1, 1]]);
    expect(x.grad!.toArray()).toEqual([20, 20]);
    handle.remove();
    x.zeroGrad();
    h.sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 2]);
  });

  test('hooks on leaves change what accumulates into .grad', () => {
    const x = sr.tensor([1, 2], { requiresGrad: true });
    x.registerHook((g) => g.clamp(-0.5, 0.5));
    x.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([0.5, 0.5]);
  });

  test('retainGrad keeps a non-leaf gradient; others are not stored', () => {
    const x = sr.tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3).retainGrad();
    const k = h.exp();
    k.sum().backward();
    expect(h.grad).not.toBeNull();
    expect(Array.from(h.grad!.dataSync())).toEqual(Array.from(k.dataSync()));
    expect(k.grad).toBeNull();
  });

  test('very deep graphs do not overflow the stack (iterative traversal)', () => {
    const x = sr.tensor([1], { dtype: 'float64', requiresGrad: true });
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.add(1e-6);
    y.sum().backward();
    expect(x.grad!.item()).toBe(1);
  });

  test('only gradients on a path to the requested inputs are computed (no weight gradients for an input gradient)', () => {
    const W = sr.rng(0).randn([3, 4], { requiresGrad: true });
    const b = sr.zeros([4], { requiresGrad: true });
    const x = sr.rng(1).randn([5, 3]);
    const spy = vi.spyOn(x.backend, 'matmul');
    const gx = sr.grad((s: sr.Tensor) => sr.linear(s, W, b, 'tanh').square().sum())(x) as sr.Tensor;
    // one product for ∂/∂x; none for ∂/∂W (W requires grad but was not asked for)
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![5]).toBe(true); // gz · Wᵀ
    spy.mockRestore();
    expect(gx.shape).toEqual([5, 3]);
    expect(W.grad).toBeNull();
  });

  test('gradients are reduced to the shape of broadcast inputs', () => {
    const b = sr.tensor([1, 2, 3], { requiresGrad: true });
    const x = sr.ones([4, 3]);
    x.mul(b).sum().backward();
    expect(b.grad!.toArray()).toEqual([4, 4, 4]);
  });
});

describe('inspection', () => {
  test('graph export lists ops, shapes, names and gradient norms; DOT is well formed', () => {
    const x = sr.tensor([[3, 4]], { requiresGrad: true, name: 'x' });
    const w = sr.tensor([[1], [1]], { requiresGrad: true, name: 'W' });
    const loss = x.matmul(w).tanh().sum().named('loss');
    loss.backward();
    const g = sr.exportGraph(loss);
    const byName = Object.fromEntries(g.nodes.filter((n) => n.name).map((n) => [n.name, n]));
    expect(byName.x!.op).toBe('leaf');
    expect(byName.x!.gradNorm).toBeCloseTo(Math.hypot(1 - Math.tanh(7) ** 2, 1 - Math.tanh(7) ** 2), 6);
    expect(byName.W!.shape).toEqual([2, 1]);
    expect(g.nodes.map((n) => n.op)).toEqual(expect.arrayContaining(['matmul', 'tanh', 'sum']));
    expect(g.edges.length).toBe(g.nodes.length - 1); // a tree: every node but the root feeds one op
    const dot = sr.toDot(loss);
    expect(dot.startsWith('digraph sr2l {')).toBe(true);
    expect(dot.trim().endsWith('}')).toBe(true);
    expect(dot).toContain('x (leaf)');
    expect((dot.match(/->/g) ?? []).length).toBe(g.edges.length);
  });

  test('anomaly mode names the first op producing NaN/Inf and its input shapes', () => {
    const x = sr.tensor([[1, -1]], { requiresGrad: true });
    expect(() => sr.detectAnomaly(() => x.log().sum())).toThrow(
      /anomaly: 'log' produced NaN at flat index 1; input shapes \[1, 2\]/,
    );
    // in the backward pass the message says whose rule ran the op
    const z = sr.tensor([0, 1], { requiresGrad: true });
    const y = z.sqrt().sum();
    expect(() => sr.detectAnomaly(() => y.backward())).toThrow(/in the backward pass of 'sqrt'/);
    // off by default
    expect(() => x.log()).not.toThrow();
  });
});

describe('clear errors', () => {
  test('shape mismatch names the op and both shapes', () => {
    expect(() => sr.ones([2, 3]).add(sr.ones([4]))).toThrow(
      'add: shapes [2, 3] and [4] cannot be broadcast together',
    );
    expect(() => sr.ones([2, 3]).matmul(sr.ones([4, 5]))).toThrow(
      /matmul: inner dimensions differ: \[2, 3\] @ \[4, 5\]/,
    );
    expect(() => sr.ones([2, 3]).reshape([4])).toThrow(/reshape: cannot reshape 6 elements into shape \[4\]/);
  });
  test('dtype mix', () => {
    expect(() => sr.ones([2]).mul(sr.ones([2], { dtype: 'float64' }))).toThrow(
      /mul: dtype mismatch \(float32 and float64\)/,
    );
  });
  test('backward on a non-scalar without a gradient', () => {
    const x = sr.ones([2, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(
      /backward: called on a tensor of shape \[2, 2\] without a gradient/,
    );
    expect(() => sr.ones([1]).backward()).toThrow(/does not require a gradient/);
  });
  test('an op on a disposed tensor', () => {
    const x = sr.ones([3]).named('obs');
    x.dispose();
    expect(x.disposed).toBe(true);
    expect(() => x.exp()).toThrow("exp: tensor 'obs' of shape [3] was disposed");
    expect(() => sr.ones([3]).add(x)).toThrow(/add: tensor 'obs' of shape \[3\] was disposed/);
  });
  test('bad axes, indices, arguments', () => {
    expect(() => sr.ones([2, 3]).sum(2)).toThrow(/sum: axis 2 is out of range for a tensor of rank 2/);
    expect(() => sr.ones([3]).gather([5])).toThrow(/gather: index 5 is out of range for axis 0 of size 3/);
    expect(() => sr.add([1, 2] as unknown as sr.Tensor, 1)).toThrow(/wrap it with tensor/);
    expect(() => sr.tensor([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => sr.zeros([2, -1])).toThrow(/shape must be an array of non-negative integers/);
    expect(() => sr.ones([2], { dtype: 'int32' }).requireGrad()).toThrow(
      /int32 tensors cannot require gradients/,
    );
    expect(() => sr.linear(sr.ones([2, 3]), sr.ones([3, 4]), null, 'gelu' as 'tanh')).toThrow(
      /unknown activation 'gelu'/,
    );
  });
});
