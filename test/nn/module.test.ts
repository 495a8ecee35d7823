import { describe, expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import { Linear, MLP, Module, ModuleList, init } from '../../src/nn/index.js';

const close = (a: sr.Tensor, b: sr.Tensor, tol: number): void => {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(tol);
};

describe('Linear', () => {
  test('shapes, parameter names and counts', () => {
    const l = new Linear(3, 5, { rng: 1 });
    expect(l.weight.shape).toEqual([3, 5]);
    expect(l.bias!.shape).toEqual([5]);
    expect([...l.namedParameters().keys()]).toEqual(['weight', 'bias']);
    expect(l.numParameters()).toBe(20);
    expect(l.forward(sr.zeros([7, 3])).shape).toEqual([7, 5]);
    expect(l.forward(sr.zeros([2, 4, 3])).shape).toEqual([2, 4, 5]);
    expect(new Linear(3, 5, { bias: false }).parameters()).toHaveLength(1);
    expect(l.weight.requiresGrad && l.bias!.requiresGrad).toBe(true);
  });

  test.each(['none', 'tanh', 'relu', 'sigmoid'] as const)(
    'forward (%s) equals x·W + b then the activation computed with separate ops',
    (act) => {
      const g = sr.rng(3);
      const l = new Linear(4, 3, { activation: act, dtype: 'float64', rng: 2, biasInit: init.normal() });
      const x = g.randn([6, 4], { dtype: 'float64' });
      const z = x.matmul(l.weight).add(l.bias!);
      const ref = act === 'none' ? z : z[act]();
      close(l.forward(x), ref, 1e-12);
    },
  );

  test('forward is one fused linear op in the graph', () => {
    const l = new Linear(2, 2, { activation: 'tanh' });
    const y = l.forward(sr.ones([1, 2]));
    expect(y.node?.op).toBe('linear');
    expect(y.node?.inputs).toHaveLength(3);
  });

  test('bad options name the field and the value', () => {
    expect(() => new Linear(0, 2)).toThrow('Linear: inFeatures must be a positive integer, got 0');
    expect(() => new Linear(2, 1.5)).toThrow('outFeatures must be a positive integer, got 1.5');
    expect(() => new Linear(2, 2, { activation: 'gelu' as 'tanh' })).toThrow(
      "Linear: activation must be one of 'none', 'tanh', 'relu', 'sigmoid', got 'gelu'",
    );
    expect(() => new Linear(2, 2, { init: 'kaiming' as 'zeros' })).toThrow(
      "init must be one of 'orthogonal'",
    );
  });

  test('inputs of the wrong dtype or width are reported by the linear op', () => {
    const l = new Linear(3, 2);
    expect(() => l.forward(sr.zeros([1, 3], { dtype: 'float64' }))).toThrow(
      'linear: dtype mismatch (float64 and float32)',
    );
    expect(() => l.forward(sr.zeros([1, 4]))).toThrow(
      'linear: expected x [..., in], W [in, out], b [out]; got x [1, 4], W [3, 2], b [2]',
    );
  });

  test('dtype and seed: float64 layers; same seed same weights, different seed different', () => {
    const a = new Linear(3, 4, { rng: 5, dtype: 'float64' });
    expect(a.weight.dtype).toBe('float64');
    expect(new Linear(3, 4, { rng: 5, dtype: 'float64' }).weight.toArray()).toEqual(a.weight.toArray());
    expect(new Linear(3, 4, { rng: 6, dtype: 'float64' }).weight.toArray()).not.toEqual(a.weight.toArray());
  });
});

describe('MLP', () => {
  test('layers, names, shapes and fused activations', () => {
    const m = new MLP([17, 64, 64, 6], { hidden: 'tanh', output: 'none' });
    expect([...m.namedParameters().keys()]).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'layers.2.weight',
      'layers.2.bias',
    ]);
    expect(m.numParameters()).toBe(17 * 64 + 64 + 64 * 64 + 64 + 64 * 6 + 6);
    expect([...m.layers].map((l) => l.activation)).toEqual(['tanh', 'tanh', 'none']);
    expect(m.layers.at(1).weight.name).toBe('layers.1.weight');
    expect(m.forward(sr.zeros([10, 17])).shape).toEqual([10, 6]);
    // layers draw from different forks, so equal shapes get different weights
    expect(m.layers.at(1).weight.toArray()).not.toEqual(new MLP([64, 64]).layers.at(0).weight.toArray());
  });

  test('forward equals the layers applied by separate ops', () => {
    const m = new MLP([3, 5, 2], { hidden: 'relu', output: 'sigmoid', dtype: 'float64', rng: 9 });
    const x = sr.rng(1).randn([4, 3], { dtype: 'float64' });
    const [l0, l1] = [m.layers.at(0), m.layers.at(1)];
    const ref = x.matmul(l0.weight).add(l0.bias!).relu().matmul(l1.weight).add(l1.bias!).sigmoid();
    close(m.forward(x), ref, 1e-12);
  });

  test('outputInit sets the last layer only', () => {
    const m = new MLP([2, 3, 2], { init: 'orthogonal', outputInit: init.constant(0.5) });
    expect(
      m.layers
        .at(1)
        .weight.dataSync()
        .every((v) => v === 0.5),
    ).toBe(true);
    expect(
      m.layers
        .at(0)
        .weight.dataSync()
        .every((v) => v === 0.5),
    ).toBe(false);
  });

  test('bad sizes are reported', () => {
    expect(() => new MLP([3])).toThrow('MLP: sizes must list at least an input and an output size, got [3]');
    expect(() => new MLP([3, -1, 2])).toThrow('MLP: sizes[1] must be a positive integer, got -1');
    expect(() => new MLP([3, 2], { hidden: 'elu' as 'tanh' })).toThrow('MLP: hidden must be one of');
  });

  test('zeroGrad clears every gradient', () => {
    const m = new MLP([2, 3, 1]);
    m.forward(sr.ones([4, 2]))
      .sum()
      .backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });
});

describe('Module state dicts', () => {
  test('round trip: a snapshot, loaded in place into another module', () => {
    const a = new MLP([3, 4, 2], { rng: 1 });
    const b = new MLP([3, 4, 2], { rng: 2 });
    const state = a.stateDict();
    const w = b.layers.at(0).weight;
    b.loadStateDict(state);
    expect(b.layers.at(0).weight).toBe(w); // same Tensor object, new values
    for (const [n, p] of b.namedParameters())
      expect(p.toArray()).toEqual(a.namedParameters().get(n)!.toArray());
    // the snapshot does not follow later changes
    sr.noGrad(() => a.layers.at(0).bias!.backend.axpy(a.layers.at(0).bias!.storage, sr.ones([4]).storage, 1));
    expect(state.get('layers.0.bias')!.toArray()).toEqual([0, 0, 0, 0]);
    // plain objects work too
    b.loadStateDict(Object.fromEntries(a.stateDict()));
    expect(b.layers.at(0).bias!.toArray()).toEqual([1, 1, 1, 1]);
  });

  test('missing, unexpected, shape and dtype errors name the key; nothing is written on error', () => {
    const m = new MLP([3, 4, 2], { rng: 1 });
    const before = m.layers.at(0).weight.toArray();
    const s = new MLP([3, 4, 2], { rng: 2 }).stateDict();
    s.delete('layers.1.bias');
    s.set('layers.9.weight', sr.zeros([1]));
    expect(() => m.loadStateDict(s, { source: 'ckpt.safetensors' })).toThrow(
      'loadStateDict (ckpt.safetensors): missing keys: layers.1.bias; unexpected keys: layers.9.weight',
    );
    const wrongShape = new MLP([3, 5, 2]).stateDict();
    expect(() => m.loadStateDict(wrongShape)).toThrow(
      "loadStateDict: shape mismatch for 'layers.0.weight': the module has [3, 4], the state has [3, 5]",
    );
    const wrongDtype = new MLP([3, 4, 2], { dtype: 'float64' }).stateDict();
    expect(() => m.loadStateDict(wrongDtype)).toThrow(
      "loadStateDict: dtype mismatch for 'layers.0.weight': the module has float32, the state has float64",
    );
    expect(m.layers.at(0).weight.toArray()).toEqual(before);
  });

  test('a backend chosen at construction holds the parameters; state dicts load across backends', () => {
    const other = new sr.CpuBackend();
    const m = new MLP([2, 3, 1], { backend: other, rng: 3 });
    expect(m.parameters().every((p) => p.backend === other)).toBe(true);
    expect(() => m.forward(sr.zeros([1, 2]))).toThrow('operands live on different backends');
    expect(m.forward(sr.zeros([1, 2], { backend: other })).backend).toBe(other);
    const src = new MLP([2, 3, 1], { rng: 4 });
    m.loadStateDict(src.stateDict());
    expect(m.layers.at(0).weight.toArray()).toEqual(src.layers.at(0).weight.toArray());
  });

  test('custom modules: registration rules, nested names, shared tensors listed once', () => {
    class Two extends Module {
      readonly a = this.registerModule('a', new Linear(2, 2));
      readonly heads = this.registerModule('heads', new ModuleList([new Linear(2, 1), new Linear(2, 1)]));
      readonly scale = this.registerParameter('scale', sr.ones([1]));
    }
    const m = new Two();
    expect([...m.namedParameters().keys()]).toEqual([
      'scale',
      'a.weight',
      'a.bias',
      'heads.0.weight',
      'heads.0.bias',
      'heads.1.weight',
      'heads.1.bias',
    ]);
    expect(() => m.registerParameter('scale', sr.ones([1]))).toThrow("Module: 'scale' is already registered");
    expect(() => m.registerParameter('a.b', sr.ones([1]))).toThrow("contain no '.'");
    expect(() => m.heads.at(5)).toThrow('ModuleList: index 5 is out of range for length 2');
    const tied = new Module();
    const w = sr.ones([2]);
    tied.registerParameter('x', w);
    tied.registerParameter('y', w);
    expect([...tied.namedParameters().keys()]).toEqual(['x']);
  });
});
