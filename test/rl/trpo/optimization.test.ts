/** Conjugate gradient on a known SPD system; the backtracking line search's accept/reject/restore rules. */
import { describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import { conjugateGradient } from '../../../src/rl/trpo/conjugate-gradient.js';
import { backtrackingLineSearch } from '../../../src/rl/trpo/line-search.js';
import { readFlat } from '../../../src/rl/params.js';

describe('conjugate gradient', () => {
  it('solves a known SPD system in n iterations', async () => {
    const n = 6;
    const rng = new sr.Rng(5);
    const M = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
    // A = MᵀM + I is symmetric positive definite
    const A = M.map((_, i) =>
      M.map((__, j) => M.reduce((s, row) => s + row[i]! * row[j]!, 0) + (i === j ? 1 : 0)),
    );
    const xTrue = Float64Array.from({ length: n }, (_, i) => i - 2.5);
    const b = Float64Array.from(A.map((row) => row.reduce((s, a, j) => s + a * xTrue[j]!, 0)));
    const Av = (v: Float64Array) =>
      Float64Array.from(A.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0)));
    const r = await conjugateGradient(Av, b, n, 0);
    r.x.forEach((x, i) => expect(x).toBeCloseTo(xTrue[i]!, 8));
    expect(r.iterations).toBe(n);
    expect(r.residual).toBeLessThan(1e-12);
  });

  it('stops early once the residual is below the tolerance, and rejects an indefinite matrix', async () => {
    const r = await conjugateGradient((v) => v.map((x) => 2 * x), Float64Array.from([1, 1, 1]), 10, 1e-10);
    expect(r.iterations).toBe(1);
    expect(Array.from(r.x)).toEqual([0.5, 0.5, 0.5]);
    await expect(conjugateGradient((v) => v.map((x) => -x), Float64Array.from([1, 0]), 10)).rejects.toThrow(
      /not positive definite/,
    );
  });
});

describe('backtracking line search', () => {
  const setup = () => {
    const p = [
      sr.tensor([0.1, -0.7, 1 / 3], { requiresGrad: true }),
      sr.tensor([[2.5e-8]], { requiresGrad: true }),
    ];
    const bytes = () => p.map((t) => Array.from(new Uint8Array((t.dataSync() as Float32Array).buffer)));
    return { p, bytes };
  };
  // loss = ‖θ − target‖², "KL" = ‖θ − θ₀‖²
  const problem =
    (p: sr.Tensor[], target: number[], theta0: Float64Array) => async (): Promise<[number, number]> => {
      const th = await readFlat(p);
      return [
        th.reduce((s, x, i) => s + (x - target[i]!) ** 2, 0),
        th.reduce((s, x, i) => s + (x - theta0[i]!) ** 2, 0),
      ];
    };

  it('rejects a step that never improves and restores the parameters bit for bit', async () => {
    const { p, bytes } = setup();
    const before = bytes();
    const theta0 = await readFlat(p);
    const evalFn = problem(p, Array.from(theta0), theta0); // θ₀ is the minimum: every step is worse
    const [loss0] = await evalFn();
    const step = Float64Array.from([0.3, 0.1, -0.2, 0.05]);
    const r = await backtrackingLineSearch(p, step, loss0, evalFn, {
      maxKl: 1,
      maxBacktracks: 15,
      backtrackRatio: 0.8,
    });
    expect(r.accepted).toBe(false);
    expect(r.steps).toBe(15);
    expect(bytes()).toEqual(before);
  });

  it('rejects improving steps outside the trust region, then accepts the first inside it', async () => {
    const { p } = setup();
    const theta0 = await readFlat(p);
    const target = Array.from(theta0, (x) => x + 1);
    const evalFn = problem(p, target, theta0);
    const [loss0] = await evalFn();
    const step = Float64Array.from([1, 1, 1, 1]); // KL of the full step: 4
    const r = await backtrackingLineSearch(p, step, loss0, evalFn, { maxKl: 1.5, backtrackRatio: 0.5 });
    // fractions 1 (KL 4 > 1.5: rejected though improving), 0.5 (KL 1: accepted)
    expect(r.accepted).toBe(true);
    expect(r.steps).toBe(2);
    expect(r.fraction).toBe(0.5);
    expect(r.kl).toBeCloseTo(1, 5);
    const after = await readFlat(p);
    after.forEach((x, i) => expect(x).toBeCloseTo(theta0[i]! + 0.5, 6));
  });

  it('treats a non-finite loss as a rejection', async () => {
    const { p, bytes } = setup();
    const before = bytes();
    const r = await backtrackingLineSearch(p, new Float64Array(4).fill(1), 1, async () => [NaN, 0], {
      maxKl: 1,
    });
    expect(r.accepted).toBe(false);
    expect(bytes()).toEqual(before);
  });
});
