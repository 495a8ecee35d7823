/**
 * Conjugate gradient for a population: three independent SPD systems solved with one
 * batched product per iteration give each member exactly (bit for bit) what the single
 * solver gives for its system, including a member that stops early; members that stopped
 * are not asked for products.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/util/rng.js';
import { conjugateGradient, conjugateGradientPopulation } from '../../../src/rl/trpo/conjugate-gradient.js';

/** A random SPD matrix MᵀM + I of size n and its product. */
function system(n: number, seed: number): { Av: (v: Float64Array) => Float64Array; b: Float64Array } {
  const rng = new Rng(seed);
  const M = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
  const A = M.map((_, i) =>
    M.map((__, j) => M.reduce((s, row) => s + row[i]! * row[j]!, 0) + (i === j ? 1 : 0)),
  );
  const Av = (v: Float64Array) =>
    Float64Array.from(A.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0)));
  return { Av, b: Float64Array.from({ length: n }, () => rng.normal()) };
}

describe('conjugateGradientPopulation', () => {
  it('member k equals the single solver on system k, with per-member α, β and stopping', async () => {
    const systems = [
      system(6, 1),
      { Av: (v: Float64Array) => v.map((x) => 2 * x), b: Float64Array.from([1, 1, 1, 1, 1, 1]) }, // stops after 1
      system(6, 3),
    ];
    const asked: boolean[][] = [];
    const got = await conjugateGradientPopulation(
      (ps, active) => {
        asked.push(active.slice());
        return ps.map((p, k) => (active[k] ? systems[k]!.Av(p) : new Float64Array(p.length).fill(NaN)));
      },
      systems.map((s) => s.b),
      10,
      1e-10,
    );
    for (const [k, s] of systems.entries()) {
      const want = await conjugateGradient(s.Av, s.b, 10, 1e-10);
      expect(Array.from(got[k]!.x), `x of member ${k}`).toEqual(Array.from(want.x));
      expect(got[k]!.iterations).toBe(want.iterations);
      expect(got[k]!.residual).toBe(want.residual);
    }
    expect(got[1]!.iterations).toBe(1);
    expect(got[0]!.iterations).toBeGreaterThan(1);
    // after its first iteration member 1 is never asked again (its NaN entries above are never read)
    expect(asked[0]).toEqual([true, true, true]);
    expect(asked.slice(1).every((a) => a[1] === false)).toBe(true);
  });

  it('names the member whose matrix is not positive definite', async () => {
    await expect(
      conjugateGradientPopulation(
        (ps) => [ps[0]!.map((x) => 2 * x), ps[1]!.map((x) => -x)],
        [Float64Array.from([1, 0]), Float64Array.from([1, 0])],
      ),
    ).rejects.toThrow(/at iteration 0 \(member 1\); the matrix is not positive definite/);
  });
});
