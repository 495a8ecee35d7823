/**
 * compile's `hoist` option: kernels that read only the hoisted arguments and captured
 * tensors run once and are reused (until another tensor is passed or refresh()), the rest
 * on every call; results equal eager bit for bit. Functions with in-place writes or draws
 * are refused at trace time.
 */
import { describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { meanSquareHvp, mlpTrainer } from './trainer.js';

const bits = (t: Tensor): number[] => Array.from(t.dataSync());

/** H·v of a small MLP's mean squared output over the states x, w.r.t. its parameters */
function setup() {
  const { params, hv } = meanSquareHvp({ dtype: 'float64' });
  const tangentsOf = (seed: number): Tensor[] => {
    const g = sr.rng(seed);
    return params.map((p) => g.randn(p.shape, { dtype: 'float64' }));
  };
  return { params, hv, tangentsOf };
}

describe('compile: hoist', () => {
  it.each([false, true])(
    'a Hessian-vector product with its forward and first backward pass hoisted equals eager (fuse %s)',
    (fuse) => {
      const { hv, tangentsOf } = setup();
      const compiled = sr.compile(hv, { hoist: [0], outputs: 'reuse', fuse });
      const x = sr.rng(1).randn([32, 5], { dtype: 'float64' });
      for (let i = 0; i < 5; i++) {
        const v = tangentsOf(10 + i);
        const eager = hv(x, v).map(bits);
        expect(eager[0]!.some((e) => e !== 0)).toBe(true);
        expect(compiled(x, v).map(bits)).toEqual(eager);
      }
      expect(compiled.traces).toBe(1);
      expect(compiled.explain()).toContain('(hoisted part)');
    },
  );

  it('the hoisted part runs again for another tensor, or after refresh() when a captured tensor changed', () => {
    const { params, hv, tangentsOf } = setup();
    const compiled = sr.compile(hv, { hoist: [0], outputs: 'reuse' });
    const v = tangentsOf(3);
    const x1 = sr.rng(1).randn([32, 5], { dtype: 'float64' });
    compiled(x1, v);
    compiled(x1, v);
    // a new tensor in the hoisted position: the prefix reruns on its own
    const x2 = sr.rng(2).randn([32, 5], { dtype: 'float64' });
    expect(compiled(x2, v).map(bits)).toEqual(hv(x2, v).map(bits));

    // a parameter changed in place: stale until refresh()
    const before = hv(x2, v).map(bits);
    const w = params[0]!;
    sr.noGrad(() => w.backend.assign(w.storage, w.mul(1.5).storage));
    const after = hv(x2, v).map(bits);
    expect(after).not.toEqual(before);
    expect(compiled(x2, v).map(bits)).not.toEqual(after);
    compiled.refresh();
    expect(compiled(x2, v).map(bits)).toEqual(after);
  });

  it('refuses functions that write in place or draw, and bad positions', () => {
    const { step } = mlpTrainer(2);
    const g = sr.rng(5);
    const x = g.randn([8, 5]);
    const y = g.randn([8, 3]);
    const hoistedStep = sr.compile(step, { hoist: [0], name: 'adam step' });
    expect(() => hoistedStep(x, y)).toThrow(
      /compile\(adam step\): hoist needs a function without in-place writes/,
    );
    const noisy = sr.compile((a: Tensor) => a.add(g.randn(a.shape)), { hoist: [0], name: 'noisy' });
    expect(() => noisy(x)).toThrow(/compile\(noisy\): hoist needs .* a draw/);
    expect(() => sr.compile((a: Tensor) => a, { hoist: [-1] })).toThrow(/hoist must list argument positions/);
  });
});
