/** L-BFGS: exact on a quadratic within n + a few steps, solves Rosenbrock, never increases f, checks its options. */
import { describe, expect, it } from 'vitest';
import { lbfgsMinimize, type Objective } from '../../src/nn/optim/lbfgs.js';

const quadratic: Objective = async (x) => {
  // f = ½ xᵀAx − bᵀx with A = diag(1, 10, 100), b = (1, 2, 3): minimum at x = (1, 0.2, 0.03)
  const a = [1, 10, 100];
  const b = [1, 2, 3];
  let value = 0;
  const grad = new Float64Array(3);
  for (let i = 0; i < 3; i++) {
    value += 0.5 * a[i]! * x[i]! ** 2 - b[i]! * x[i]!;
    grad[i] = a[i]! * x[i]! - b[i]!;
  }
  return { value, grad };
};

const rosenbrock: Objective = async (x) => {
  const [u, v] = [x[0]!, x[1]!];
  return {
    value: (1 - u) ** 2 + 100 * (v - u * u) ** 2,
    grad: Float64Array.from([-2 * (1 - u) - 400 * u * (v - u * u), 200 * (v - u * u)]),
  };
};

describe('lbfgsMinimize', () => {
  it('finds the minimum of an ill-conditioned quadratic', async () => {
    const r = await lbfgsMinimize(quadratic, new Float64Array(3), { maxIterations: 30, gradTol: 1e-10 });
    expect(r.x[0]).toBeCloseTo(1, 8);
    expect(r.x[1]).toBeCloseTo(0.2, 8);
    expect(r.x[2]).toBeCloseTo(0.03, 8);
  });

  it('solves Rosenbrock from (−1.2, 1), monotonically', async () => {
    const values: number[] = [];
    const traced: Objective = async (x) => {
      const r = await rosenbrock(x);
      values.push(r.value);
      return r;
    };
    const r = await lbfgsMinimize(traced, Float64Array.from([-1.2, 1]), {
      maxIterations: 200,
      gradTol: 1e-9,
    });
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
    expect(r.value).toBeLessThan(1e-10);
    expect(r.value).toBeLessThanOrEqual(values[0]!);
  });

  it('stops after maxIterations and checks its options', async () => {
    const r = await lbfgsMinimize(rosenbrock, Float64Array.from([-1.2, 1]), { maxIterations: 3 });
    expect(r.iterations).toBe(3);
    expect(r.value).toBeLessThan(24.2); // f(−1.2, 1) = 24.2
    await expect(lbfgsMinimize(rosenbrock, new Float64Array(2), { history: 0 })).rejects.toThrow(
      /history must be an integer ≥ 1, got 0/,
    );
    const bad: Objective = async () => ({ value: NaN, grad: new Float64Array(2) });
    await expect(lbfgsMinimize(bad, new Float64Array(2))).rejects.toThrow(/f\(x0\) is NaN/);
  });
});
