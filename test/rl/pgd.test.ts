/** The PGD inner maximization: stays in the ℓ∞ ball, beats random points, ε = 0 gives a zero regularizer. */
import { describe, expect, it } from 'vitest';
import * as sr from '../../src/index.js';
import { sharedStdJeffreys } from '../../src/rl/trpo/distributions.js';
import { GaussianMlpPolicy } from '../../src/rl/trpo/gaussian-policy.js';
import { trpoObjective } from '../../src/rl/trpo/objective.js';
import { pgdMaximize } from '../../src/rl/smoothness/index.js';

const B = 64;
const obsDim = 11;
const policy = new GaussianMlpPolicy({ obsDim, actDim: 3, dtype: 'float64', rng: 11 });
const states = sr.rng(2).randn([B, obsDim], { dtype: 'float64' });
const divergence = (s: sr.Tensor, sp: sr.Tensor) =>
  sharedStdJeffreys(policy.mean(s), policy.mean(sp), policy.logStd.detach());

describe('PGD inner maximization', () => {
  for (const ascent of ['sign', 'gradient'] as const) {
    it(`(${ascent} ascent) keeps δ in the ball and finds at least the divergence of random points`, () => {
      const eps = 0.05;
      // raw-gradient steps need a step size on the gradient's scale; sign steps use the paper's 0.2ε
      const stepSize = ascent === 'sign' ? 0.2 * eps : 1;
      const r = pgdMaximize(states, divergence, { eps, ascent, stepSize, generator: sr.rng(9) });
      expect(r.delta.shape).toEqual([B, obsDim]);
      const d = r.delta.dataSync();
      for (const x of d) expect(Math.abs(x)).toBeLessThanOrEqual(eps);
      const found = r.divergence.dataSync();
      // the best of 20 uniform random points of the ball, per state
      const gen = sr.rng(4);
      const best = new Float64Array(B);
      for (let k = 0; k < 20; k++) {
        const rand = divergence(
          states,
          states.add(gen.uniform([B, obsDim], -eps, eps, { dtype: 'float64' })),
        ).dataSync();
        rand.forEach((v, i) => (best[i] = Math.max(best[i]!, v)));
      }
      const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0) / a.length;
      expect(mean(found)).toBeGreaterThan(mean(best));
      // and per state it beats the best random point almost everywhere (fixed-size sign steps
      // can end one step off a corner on a rare state)
      let beaten = 0;
      found.forEach((v, i) => (beaten += v >= best[i]! ? 1 : 0));
      expect(beaten).toBeGreaterThanOrEqual(0.9 * B);
    });
  }

  it('ε = 0 gives δ = 0 and a zero regularizer', () => {
    const r = pgdMaximize(states, divergence, { eps: 0, generator: sr.rng(1) });
    expect(Array.from(r.delta.dataSync()).every((x) => x === 0)).toBe(true);
    const obj = trpoObjective(
      policy,
      {
        obs: states,
        actions: sr.zeros([B, 3], { dtype: 'float64' }),
        advantages: sr.zeros([B], { dtype: 'float64' }),
        oldLogLik: sr.zeros([B], { dtype: 'float64' }),
        perturbedObs: states.add(r.delta),
      },
      10,
    );
    expect(obj.regularizer!(policy.paramList()).item()).toBe(0);
  });

  it('rejects bad options naming the option', () => {
    const generator = sr.rng(0);
    expect(() => pgdMaximize(states, divergence, { eps: -1, generator })).toThrow(/eps must be .* got -1/);
    expect(() => pgdMaximize(states, divergence, { eps: 0.1, steps: 1.5, generator })).toThrow(/steps/);
    expect(() => pgdMaximize(states, divergence, { eps: 0.1, ascent: 'adam' as 'sign', generator })).toThrow(
      /ascent must be one of sign, gradient/,
    );
  });
});
