import { describe, expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import { Adam, clipGradNorm, globalNorm, MLP, SGD } from '../../src/nn/index.js';

/**
 * A tiny problem with hand-computable gradients: loss = ½·Σ a·(p − c)² over two
 * parameters (a 2×3 matrix and a 3-vector), so ∂loss/∂p = a·(p − c).
 */
const A = [
  [0.5, 2, 1.5, 3, 0.25, 1],
  [4, 0.1, 2],
];
const C = [
  [1, -2, 0.5, 3, -1, 0.25],
  [-0.5, 1, 2],
];
const P0 = [
  [0.1, 0.2, -0.3, 0.4, 0.5, -0.6],
  [1.5, -2.5, 0.7],
];
const SHAPES = [[2, 3], [3]];

function makeParams(): sr.Tensor[] {
  return P0.map((p, i) => sr.tensor(new Float64Array(p), { shape: SHAPES[i], requiresGrad: true }));
}

function backward(params: sr.Tensor[]): void {
  let loss: sr.Tensor | null = null;
  params.forEach((p, i) => {
    const a = sr.tensor(new Float64Array(A[i]!), { shape: SHAPES[i] });
    const c = sr.tensor(new Float64Array(C[i]!), { shape: SHAPES[i] });
    const term = a.mul(p.sub(c).square()).sum().mul(0.5);
    loss = loss ? loss.add(term) : term;
  });
  loss!.backward();
}

const refGrads = (ps: number[][]): number[][] =>
  ps.map((p, i) => p.map((x, j) => A[i]![j]! * (x - C[i]![j]!)));

/** Scales grads to global norm maxNorm when above it (the reference for clipping); returns the pre-clip norm. */
function refClip(gs: number[][], maxNorm: number | undefined): number {
  const norm = Math.sqrt(gs.flat().reduce((s, g) => s + g * g, 0));
  if (maxNorm !== undefined && norm > maxNorm)
    for (const g of gs) g.forEach((x, j) => (g[j] = (x * maxNorm) / norm));
  return norm;
}

const values = (ps: sr.Tensor[]): number[][] => ps.map((p) => Array.from(p.dataSync()));

function expectClose(got: number[][], want: number[][], tol: number): void {
  got.forEach((g, i) =>
    g.forEach((x, j) =>
      expect(Math.abs(x - want[i]![j]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]![j]!))),
    ),
  );
}

describe('Adam', () => {
  test.each([
    { lr: 0.1, weightDecay: 0, maxGradNorm: undefined },
    { lr: 0.05, weightDecay: 0.1, maxGradNorm: undefined },
    { lr: 0.1, weightDecay: 0.01, maxGradNorm: 1.5 },
  ])('steps equal float64 reference formulas (%o)', ({ lr, weightDecay, maxGradNorm }) => {
    const [b1, b2, eps] = [0.8, 0.95, 1e-6];
    const params = makeParams();
    const opt = new Adam(params, { lr, betas: [b1, b2], eps, weightDecay, maxGradNorm });
    // reference, written as PyTorch's AdamW does it: decay first, then the Adam step
    const p = P0.map((x) => x.slice());
    const m = p.map((x) => x.map(() => 0));
    const v = p.map((x) => x.map(() => 0));
    for (let t = 1; t <= 6; t++) {
      opt.zeroGrad();
      backward(params);
      opt.step();
      const g = refGrads(p);
      const norm = refClip(g, maxGradNorm);
      if (maxGradNorm !== undefined) expect(opt.lastGradNorm!.item()).toBeCloseTo(norm, 12);
      p.forEach((pi, i) =>
        pi.forEach((x, j) => {
          m[i]![j] = b1 * m[i]![j]! + (1 - b1) * g[i]![j]!;
          v[i]![j] = b2 * v[i]![j]! + (1 - b2) * g[i]![j]! ** 2;
          const mHat = m[i]![j]! / (1 - b1 ** t);
          const vHat = v[i]![j]! / (1 - b2 ** t);
          pi[j] = x * (1 - lr * weightDecay) - (lr * mHat) / (Math.sqrt(vHat) + eps);
        }),
      );
      expectClose(values(params), p, 1e-12);
    }
    expect(opt.stepCount).toBe(6);
  });

  test('updates storage in place, outside the graph; parameters without a gradient stay put', () => {
    const params = makeParams();
    const extra = sr.tensor(new Float64Array([1, 2]), { requiresGrad: true });
    const [w, b] = params;
    const storage = w!.storage;
    const opt = new Adam([...params, extra], { lr: 0.1 });
    backward(params);
    opt.step();
    expect(w!.storage).toBe(storage);
    expect(w!.isLeaf && w!.requiresGrad).toBe(true);
    expect(b!.node).toBeNull();
    expect(extra.toArray()).toEqual([1, 2]);
    expect(w!.toArray()).not.toEqual([P0[0]!.slice(0, 3), P0[0]!.slice(3)]);
  });

  test('bad hyperparameters name the field, the value and what is allowed', () => {
    const ps = makeParams();
    expect(() => new Adam(ps, { lr: -1 })).toThrow('Adam: lr must be a finite number >= 0, got -1');
    expect(() => new Adam(ps, { betas: [1, 0.9] })).toThrow(
      'Adam: beta1 must be a finite number >= 0 and < 1, got 1',
    );
    expect(() => new Adam(ps, { maxGradNorm: 0 })).toThrow(
      'Adam: maxGradNorm must be a finite number > 0, got 0',
    );
    expect(() => new Adam([...ps, ps[0]!])).toThrow("Adam: parameters '0' and '2' are the same tensor");
    expect(() => new Adam([sr.zeros([2])])).toThrow(
      "Adam: parameter '0' must be a leaf tensor that requires gradients",
    );
  });
});

describe('SGD', () => {
  test.each([0, 0.9])('steps equal the reference with momentum %d (and with clipping)', (momentum) => {
    for (const maxGradNorm of [undefined, 2]) {
      const lr = 0.05;
      const params = makeParams();
      const opt = new SGD(params, { lr, momentum, maxGradNorm });
      const p = P0.map((x) => x.slice());
      const buf = p.map((x) => x.map(() => 0));
      for (let t = 1; t <= 5; t++) {
        opt.zeroGrad();
        backward(params);
        opt.step();
        const g = refGrads(p);
        refClip(g, maxGradNorm);
        p.forEach((pi, i) =>
          pi.forEach((x, j) => {
            buf[i]![j] = momentum * buf[i]![j]! + g[i]![j]!;
            pi[j] = x - lr * buf[i]![j]!;
          }),
        );
        expectClose(values(params), p, 1e-13);
      }
    }
  });
  test('bad hyperparameters; a state with momentum does not load into plain SGD', () => {
    expect(() => new SGD(makeParams(), { momentum: 1 })).toThrow(
      'SGD: momentum must be a finite number >= 0 and < 1, got 1',
    );
    const withMomentum = new SGD(makeParams(), { momentum: 0.5 }).stateDict();
    expect(() => new SGD(makeParams()).loadStateDict(withMomentum)).toThrow(
      'sgd.loadStateDict: momentum 0.5 does not match this optimizer, built with momentum 0',
    );
  });
});

describe('clipGradNorm', () => {
  test('scales the global norm exactly to maxNorm and returns the norm before clipping', () => {
    const params = makeParams();
    backward(params);
    const g = refGrads(P0.map((x) => x.slice()));
    const norm = Math.sqrt(g.flat().reduce((s, x) => s + x * x, 0));
    expect(norm).toBeGreaterThan(3);
    expect(clipGradNorm(params, 3)).toBeCloseTo(norm, 12);
    expect(globalNorm(params.map((p) => p.grad!))!.item()).toBeCloseTo(3, 13);
    params.forEach((p, i) =>
      Array.from(p.grad!.dataSync()).forEach((x, j) => expect(x).toBeCloseTo((g[i]![j]! * 3) / norm, 13)),
    );
    // below the limit: unchanged
    const before = values(params.map((p) => p.grad!));
    expect(clipGradNorm(params, 100)).toBeCloseTo(3, 13);
    expect(values(params.map((p) => p.grad!))).toEqual(before);
  });

  test('a gradient tensor shared by two parameters is scaled once for each', () => {
    const a = sr.tensor(new Float64Array([1, 2]), { requiresGrad: true });
    const b = sr.tensor(new Float64Array([3, 4]), { requiresGrad: true });
    a.add(b)
      .mul(sr.tensor(new Float64Array([3, 4])))
      .sum()
      .backward();
    // both grads are [3, 4]: global norm sqrt(50)
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(Math.sqrt(50), 13);
    expect(Array.from(a.grad!.dataSync())).toEqual(Array.from(b.grad!.dataSync()));
    expect(a.grad!.dataSync()[0]).toBeCloseTo(3 / Math.sqrt(50), 14);
  });

  test('no gradients: norm 0; bad maxNorm is reported', () => {
    const ps = makeParams();
    expect(clipGradNorm(ps, 1)).toBe(0);
    backward(ps);
    expect(() => clipGradNorm(ps, -1)).toThrow('clipGradNorm: maxNorm must be a finite number > 0, got -1');
  });
});

describe('optimizer state', () => {
  function train(m: MLP, opt: Adam | SGD, steps: number): void {
    const x = sr.rng(5).randn([8, 2], { dtype: 'float64' });
    for (let i = 0; i < steps; i++) {
      opt.zeroGrad();
      m.forward(x).square().mean().backward();
      opt.step();
    }
  }
  const make = (kind: 'adam' | 'sgd', seed: number): [MLP, Adam | SGD] => {
    const m = new MLP([2, 4, 1], { dtype: 'float64', rng: seed });
    return [
      m,
      kind === 'adam'
        ? new Adam(m, { lr: 0.01, weightDecay: 0.1, maxGradNorm: 0.5 })
        : new SGD(m, { lr: 0.1, momentum: 0.9 }),
    ];
  };

  test.each(['adam', 'sgd'] as const)('%s: a restored state continues identically', (kind) => {
    const [m1, o1] = make(kind, 1);
    train(m1, o1, 3);
    const params = m1.stateDict();
    const state = o1.stateDict();
    train(m1, o1, 4);
    const [m2, o2] = make(kind, 2);
    m2.loadStateDict(params);
    o2.loadStateDict(state);
    expect(o2.stepCount).toBe(3);
    train(m2, o2, 4);
    for (const [n, p] of m2.namedParameters())
      expect(p.toArray()).toEqual(m1.namedParameters().get(n)!.toArray());
    // hyperparameters come back too
    o1.lr = 123;
    o1.loadStateDict(state);
    expect(o1.lr).toBe(kind === 'adam' ? 0.01 : 0.1);
  });

  test('bad states are reported before anything changes', () => {
    const [m, o] = make('adam', 1);
    train(m, o, 1);
    const good = o.stateDict();
    expect([...good.tensors.keys()]).toContain('m.layers.0.weight');
    expect(() => o.loadStateDict({ ...good, kind: 'sgd' })).toThrow(
      "adam.loadStateDict: the state is for 'sgd', not 'adam'",
    );
    const extraKey = new Map(good.tensors).set('q.layers.0.weight', sr.zeros([2, 4], { dtype: 'float64' }));
    expect(() => o.loadStateDict({ ...good, tensors: extraKey }, { source: 'opt.safetensors' })).toThrow(
      "adam.loadStateDict (opt.safetensors): unexpected key 'q.layers.0.weight'",
    );
    const badShape = new Map(good.tensors).set('v.layers.0.bias', sr.zeros([5], { dtype: 'float64' }));
    expect(() => o.loadStateDict({ ...good, tensors: badShape })).toThrow(
      "adam.loadStateDict: 'v.layers.0.bias' is float64 [5], the parameter 'layers.0.bias' is float64 [4]",
    );
    const noV = new Map(good.tensors);
    noV.delete('v.layers.1.bias');
    expect(() => o.loadStateDict({ ...good, tensors: noV })).toThrow(
      "adam.loadStateDict: missing 'v.layers.1.bias'",
    );
    const { eps: _eps, ...noEps } = good.hyper;
    expect(() => o.loadStateDict({ ...good, step: 5, hyper: noEps })).toThrow(
      'adam.loadStateDict: hyperparameters missing: eps',
    );
    expect(() => o.loadStateDict({ ...good, hyper: { ...good.hyper, lr: 5, beta2: 2 } })).toThrow(
      'adam.loadStateDict: beta2 must be a finite number >= 0 and < 1, got 2',
    );
    expect([o.stepCount, o.lr]).toEqual([1, 0.01]);
  });
});
