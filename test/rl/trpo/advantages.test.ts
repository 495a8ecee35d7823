/** GAE on hand-computed cases; the linear feature baseline recovers an exactly linear value function. */
import { describe, expect, it } from 'vitest';
import { LinearFeatureBaseline } from '../../../src/rl/trpo/baselines/linear-feature.js';
import { centered, discountedReturns, gae } from '../../../src/rl/trpo/gae.js';
import type { Segment } from '../../../src/rl/trpo/sampler.js';

const seg = (start: number, end: number, terminated: boolean): Segment => ({
  start,
  end,
  terminated,
  nextObs: terminated ? null : new Float64Array(1),
  nextT: 0,
});

describe('GAE', () => {
  it('matches the recursion by hand, with a terminal end and a bootstrapped cut', () => {
    const r = Float64Array.from([1, 2, 3, 4]);
    const v = Float64Array.from([0.5, 0.25, 1, 2]);
    const [g, l] = [0.9, 0.8];
    // segment 0: steps 0-1, terminated; segment 1: steps 2-3, cut, bootstrap V = 10
    const out = gae(r, v, [seg(0, 2, true), seg(2, 4, false)], [0, 10], g, l);
    const d1 = 2 + 0 - 0.25;
    const d0 = 1 + g * 0.25 - 0.5;
    const d3 = 4 + g * 10 - 2;
    const d2 = 3 + g * 2 - 1;
    const want = [d0 + g * l * d1, d1, d2 + g * l * d3, d3];
    want.forEach((w, i) => expect(out.advantages[i]).toBeCloseTo(w, 12));
    want.forEach((w, i) => expect(out.returns[i]).toBeCloseTo(w + v[i]!, 12));
  });

  it('with λ = 1 and V = 0 gives discounted returns; centering gives mean 0, std 1', () => {
    const r = Float64Array.from([1, 1, 1]);
    const out = gae(r, new Float64Array(3), [seg(0, 3, true)], [0], 0.5, 1);
    expect(Array.from(out.advantages)).toEqual([1.75, 1.5, 1]);
    const c = centered(Float64Array.from([1, 2, 3, 4]));
    expect(c.reduce((s, x) => s + x, 0)).toBeCloseTo(0, 12);
    expect(Math.sqrt(c.reduce((s, x) => s + x * x, 0) / 4)).toBeCloseTo(1, 6);
  });
});

describe("discounted returns (garage's baseline targets)", () => {
  it('restart at each segment: 0 after a terminal end, the bootstrap after a cut', () => {
    const r = Float64Array.from([1, 2, 3, 4]);
    const out = discountedReturns(r, [seg(0, 2, true), seg(2, 4, false)], [0, 10], 0.5);
    expect(Array.from(out)).toEqual([1 + 0.5 * 2, 2, 3 + 0.5 * (4 + 0.5 * 10), 4 + 0.5 * 10]);
  });
});

describe('LinearFeatureBaseline', () => {
  it('predicts 0 before fitting and recovers a value that is linear in its features', async () => {
    const b = new LinearFeatureBaseline(2);
    const rows = 200;
    const obs = Float64Array.from({ length: rows * 2 }, (_, i) => Math.sin(i * 1.7) * 3);
    const t = Int32Array.from({ length: rows }, (_, i) => i % 150);
    expect(Array.from(await b.predict(obs, t, rows)).every((x) => x === 0)).toBe(true);
    // V = 2 o₀ − o₁² + 0.5 (t/100)³ + 1
    const target = Float64Array.from({ length: rows }, (_, i) => {
      const [o0, o1, s] = [obs[2 * i]!, obs[2 * i + 1]!, t[i]! / 100];
      return 2 * o0 - o1 * o1 + 0.5 * s ** 3 + 1;
    });
    await b.fit(obs, t, target, rows);
    const pred = await b.predict(obs, t, rows);
    pred.forEach((p, i) => expect(p).toBeCloseTo(target[i]!, 3));
  });
});
