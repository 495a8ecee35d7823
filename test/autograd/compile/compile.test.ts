/**
 * sr.compile on the CPU: a replay equals the eager function bit for bit (float32 with the
 * SIMD kernels and float64), including backward passes, an hvp and in-place optimizer
 * steps; new shapes trace again; the cache keeps its size; results can be reused.
 */
import { describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { MLP } from '../../../src/nn/index.js';
import { mlpTrainer } from './trainer.js';

const bits = (t: Tensor): number[] => Array.from(t.dataSync());

function mlp(seed: number, dtype: 'float32' | 'float64' = 'float32'): MLP {
  return new MLP([5, 32, 32, 3], { hidden: 'tanh', rng: seed, dtype });
}

function data(seed: number, rows = 64, dtype: 'float32' | 'float64' = 'float32') {
  const g = sr.rng(seed);
  return { x: g.randn([rows, 5], { dtype }), y: g.randn([rows, 3], { dtype }) };
}

describe('compile: replay equals eager', () => {
  it('an MLP loss and its gradients (float32, SIMD kernels)', () => {
    const net = mlp(1);
    const params = net.parameters();
    const lossAndGrads = (x: Tensor, y: Tensor) => {
      const [loss, grads] = sr.valueAndGrad(
        (...ps: Tensor[]) => {
          void ps;
          return net.forward(x).sub(y).square().mean();
        },
        params.map((_, i) => i),
      )(...params) as [Tensor, Tensor[]];
      return { loss, grads };
    };
    const compiled = sr.compile(lossAndGrads);
    for (let call = 0; call < 4; call++) {
      const { x, y } = data(10 + call);
      const eager = lossAndGrads(x, y);
      const fast = compiled(x, y);
      expect(bits(fast.loss)).toEqual(bits(eager.loss));
      fast.grads.forEach((g, i) => expect(bits(g)).toEqual(bits(eager.grads[i]!)));
    }
    expect(compiled.traces).toBe(1);
    expect(compiled.replays).toBe(3);
  });

  it('training steps with backward() and Adam over 20 calls (parameters and moments)', () => {
    const make = () => mlpTrainer(2);
    const eager = make();
    const comp = make();
    const step = sr.compile(comp.step);
    for (let i = 0; i < 20; i++) {
      const { x, y } = data(100 + i);
      expect(bits(step(x, y))).toEqual(bits(eager.step(x, y)));
    }
    expect(step.replays).toBe(19);
    expect(comp.opt.stepCount).toBe(20);
    eager.net.parameters().forEach((p, i) => expect(bits(comp.net.parameters()[i]!)).toEqual(bits(p)));
    const se = eager.opt.stateDict();
    const sc = comp.opt.stateDict();
    for (const [k, t] of se.tensors) expect(bits(sc.tensors.get(k)!)).toEqual(bits(t));
  });

  it('a Hessian-vector product (float64)', () => {
    const w = sr.rng(3).randn([6, 4], { dtype: 'float64' });
    const f = (p: Tensor): Tensor =>
      sr
        .linear(p.reshape([4, 6]), w, null, 'tanh')
        .square()
        .sum();
    const hv = (p: Tensor, v: Tensor): Tensor => sr.hvp(f, [p], [v])[0]!;
    const compiled = sr.compile(hv);
    for (let i = 0; i < 3; i++) {
      const g = sr.rng(20 + i);
      const p = g.randn([24], { dtype: 'float64' });
      const v = g.randn([24], { dtype: 'float64' });
      expect(bits(compiled(p, v))).toEqual(bits(hv(p, v)));
    }
    expect(compiled.replays).toBe(2);
  });

  it('randomness: replays draw from the same generator stream as eager calls', () => {
    const ge = sr.rng(7);
    const gc = sr.rng(7);
    const noisy = (g: sr.Generator) => (x: Tensor) => x.add(g.uniform(x.shape, -1, 1)).mul(g.randn([1]));
    const eager = noisy(ge);
    const compiled = sr.compile(noisy(gc));
    const x = sr.rng(1).randn([64, 8]);
    for (let i = 0; i < 5; i++) expect(bits(compiled(x))).toEqual(bits(eager(x)));
    expect(gc.getState()).toEqual(ge.getState());
  });
});

describe('compile: signatures and results', () => {
  it('traces again for a new shape and keeps at most cacheSize programs', () => {
    const f = sr.compile((x: Tensor) => x.tanh().sum(1), { cacheSize: 2 });
    const at = (rows: number) => sr.rng(rows).randn([rows, 4]);
    f(at(2));
    f(at(2));
    f(at(3));
    expect(f.traces).toBe(2);
    const y = f(at(3));
    expect(y.shape).toEqual([3]);
    expect(bits(y)).toEqual(bits(at(3).tanh().sum(1)));
    f(at(4)); // evicts [2, 4], the least recently used
    f(at(3));
    expect(f.traces).toBe(3);
    f(at(2));
    expect(f.traces).toBe(4);
    // a static argument is part of the signature
    const g = sr.compile((x: Tensor, k: number) => x.mul(k));
    g(at(2), 2);
    g(at(2), 3);
    expect(bits(g(at(2), 3))).toEqual(bits(at(2).mul(3)));
    expect(g.traces).toBe(2);
  });

  it("outputs: 'reuse' returns the same tensors every call; 'copy' fresh ones", () => {
    const f = (x: Tensor) => x.exp();
    const reuse = sr.compile(f, { outputs: 'reuse' });
    const copy = sr.compile(f);
    const x = sr.rng(1).randn([16]);
    reuse(x);
    copy(x);
    const a = reuse(x);
    expect(reuse(x)).toBe(a);
    const c = copy(x);
    expect(copy(x)).not.toBe(c);
    expect(bits(c)).toEqual(bits(x.exp()));
  });

  it('SR2L_COMPILE=0 runs eagerly', () => {
    const f = sr.compile((x: Tensor) => x.neg());
    process.env.SR2L_COMPILE = '0';
    try {
      f(sr.ones([2]));
      f(sr.ones([2]));
      expect(f.traces).toBe(0);
      expect(f.explain()).toMatch(/SR2L_COMPILE=0/);
    } finally {
      delete process.env.SR2L_COMPILE;
    }
    process.env.SR2L_COMPILE = 'yes';
    try {
      expect(() => f(sr.ones([2]))).toThrow(/SR2L_COMPILE='yes' must be 0/);
    } finally {
      delete process.env.SR2L_COMPILE;
    }
  });
});
