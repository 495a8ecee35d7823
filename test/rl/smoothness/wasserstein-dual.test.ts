/**
 * §4's distributionally robust regularizer through its Lagrangian dual: per state,
 * max_δ D(s, s + δ) − γ‖δ‖². Checked against the closed form of a linear-Gaussian policy
 * with a quadratic divergence, in the γ → ∞ limit (zero regularizer), by gradcheck of the
 * inner objective, and through TRPO-SR's objective.
 */
import { describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import { sharedStdJeffreys } from '../../../src/rl/trpo/distributions.js';
import { GaussianMlpPolicy } from '../../../src/rl/trpo/gaussian-policy.js';
import { trpoObjective } from '../../../src/rl/trpo/objective.js';
import { DeterministicActor } from '../../../src/rl/ddpg/networks.js';
import { actorSmoothnessPenalty } from '../../../src/rl/ddpg/smoothness.js';
import { Rng } from '../../../src/util/rng.js';
import {
  findPerturbation,
  penalizedDivergence,
  wassersteinDualMaximize,
} from '../../../src/rl/smoothness/index.js';

const f64 = { dtype: 'float64' } as const;

describe('Wasserstein dual: a linear-Gaussian policy against a reference Gaussian', () => {
  // μ(s) = W s + b, σ per action dim; D(s, s') = Σ_j (μ_j(s') − m_j)² / σ_j² (the §5 Jeffrey's
  // form between π(·|s') and N(m, σ²)). With r = W s + b − m, Σ = diag(σ²), M = WᵀΣ⁻¹W and
  // g = WᵀΣ⁻¹r: φ(δ) = (r + Wδ)ᵀΣ⁻¹(r + Wδ) − γ‖δ‖², maximized at δ* = (γI − M)⁻¹ g for γ > λmax(M),
  // with value φ* = rᵀΣ⁻¹r + gᵀδ*.
  const W = [
    [0.8, -0.3],
    [0.2, 0.5],
  ];
  const b = [0.1, -0.2];
  const sigma = [0.7, 1.3];
  const m = [0.4, 0.3];
  const S = [
    [0.5, -1.0],
    [2.0, 0.3],
    [-0.7, 0.9],
  ];
  const Wt = sr.tensor(W.flat(), { shape: [2, 2], ...f64 }).transpose();
  const bias = sr.tensor(b, { shape: [2], ...f64 });
  const logStd = sr.tensor(sigma.map(Math.log), { shape: [2], ...f64 });
  const ref = sr.tensor(
    S.flatMap(() => m),
    { shape: [3, 2], ...f64 },
  );
  const mean = (x: sr.Tensor): sr.Tensor => x.matmul(Wt).add(bias);
  const divergence = (_s: sr.Tensor, p: sr.Tensor): sr.Tensor => sharedStdJeffreys(ref, mean(p), logStd);

  const iS = sigma.map((x) => 1 / x ** 2);
  const M = [0, 1].map((i) =>
    [0, 1].map((j) => W[0]![i]! * iS[0]! * W[0]![j]! + W[1]![i]! * iS[1]! * W[1]![j]!),
  );
  const lambdaMax = (() => {
    const tr = M[0]![0]! + M[1]![1]!;
    const det = M[0]![0]! * M[1]![1]! - M[0]![1]! * M[1]![0]!;
    return tr / 2 + Math.sqrt((tr * tr) / 4 - det);
  })();
  const closedForm = (s: number[], gamma: number): { delta: number[]; value: number } => {
    const r = [0, 1].map((j) => W[j]![0]! * s[0]! + W[j]![1]! * s[1]! + b[j]! - m[j]!);
    const g = [0, 1].map((i) => W[0]![i]! * iS[0]! * r[0]! + W[1]![i]! * iS[1]! * r[1]!);
    const A = [
      [gamma - M[0]![0]!, -M[0]![1]!],
      [-M[1]![0]!, gamma - M[1]![1]!],
    ];
    const det = A[0]![0]! * A[1]![1]! - A[0]![1]! * A[1]![0]!;
    const delta = [
      (A[1]![1]! * g[0]! - A[0]![1]! * g[1]!) / det,
      (A[0]![0]! * g[1]! - A[1]![0]! * g[0]!) / det,
    ];
    const value = r[0]! ** 2 * iS[0]! + r[1]! ** 2 * iS[1]! + g[0]! * delta[0]! + g[1]! * delta[1]!;
    return { delta, value };
  };
  const states = sr.tensor(S.flat(), { shape: [3, 2], ...f64 });

  for (const factor of [1.5, 4, 50]) {
    it(`γ = ${factor}·λmax(M): the ascent reaches the closed-form δ* and φ*`, () => {
      const gamma = factor * lambdaMax;
      // the error contracts by λmax/γ per step (1/(2γ) steps), so 1.5·λmax needs the most steps
      const steps = Math.ceil(Math.log(1e-12) / Math.log(1 / factor));
      const r = wassersteinDualMaximize(states, divergence, {
        gamma,
        steps,
        startRadius: 0.1,
        generator: sr.rng(3),
      });
      const delta = r.delta.dataSync();
      const value = r.penalized.dataSync();
      S.forEach((s, i) => {
        const want = closedForm(s, gamma);
        expect(delta[2 * i]).toBeCloseTo(want.delta[0]!, 8);
        expect(delta[2 * i + 1]).toBeCloseTo(want.delta[1]!, 8);
        expect(value[i]).toBeCloseTo(want.value, 9);
      });
      // the robust value is at least the nominal one (δ = 0 is feasible)
      const nominal = divergence(states, states).dataSync();
      value.forEach((v, i) => expect(v).toBeGreaterThanOrEqual(nominal[i]!));
    });
  }

  it('the inner objective D − γ‖δ‖² has the gradients finite differences give (f64 gradcheck)', () => {
    const objective = penalizedDivergence(divergence, 2.5);
    const delta0 = sr.rng(5).randn([3, 2], f64);
    expect(sr.gradcheck((d: sr.Tensor) => objective(states, states.add(d)), [delta0]).ok).toBe(true);
  });
});

describe('Wasserstein dual on a tanh MLP policy (the TRPO-SR regularizer)', () => {
  const B = 32;
  const obsDim = 5;
  const policy = new GaussianMlpPolicy({ obsDim, actDim: 2, dtype: 'float64', rng: 7 });
  const states = sr.rng(2).randn([B, obsDim], f64);
  const divergence = (s: sr.Tensor, sp: sr.Tensor): sr.Tensor =>
    sharedStdJeffreys(policy.mean(s), policy.mean(sp), policy.logStd.detach());
  const solve = (gamma: number) =>
    wassersteinDualMaximize(states, divergence, {
      gamma,
      steps: 10,
      startRadius: 0.05,
      generator: sr.rng(1),
    });
  const meanOf = (t: sr.Tensor): number => t.mean().item();
  const maxAbs = (t: sr.Tensor): number => t.abs().max().item();

  it('γ → ∞ drives δ and the regularizer to zero', () => {
    // the exact φ_γ falls as γ grows; the ascent is a local method, so compare well-separated γ
    const values = [0.1, 0.3, 100].map((g) => {
      const r = solve(g);
      return { value: meanOf(r.penalized), d: meanOf(r.divergence), delta: maxAbs(r.delta) };
    });
    for (let k = 1; k < values.length; k++) {
      expect(values[k]!.delta).toBeLessThan(values[k - 1]!.delta);
      expect(values[k]!.value).toBeLessThan(values[k - 1]!.value);
    }
    const last = (({ penalized, divergence: d, delta }) => ({
      value: meanOf(penalized),
      d: meanOf(d),
      delta: maxAbs(delta),
    }))(solve(1e8));
    expect(last.delta).toBeLessThan(1e-8);
    expect(last.d).toBeLessThan(1e-15);
    expect(Math.abs(last.value)).toBeLessThan(1e-10);
    // and TRPO-SR's loss term at those states vanishes with it
    const r = solve(1e8);
    const obj = trpoObjective(
      policy,
      {
        obs: states,
        actions: sr.zeros([B, 2], f64),
        advantages: sr.zeros([B], f64),
        oldLogLik: sr.zeros([B], f64),
        perturbedObs: states.add(r.delta),
      },
      10,
    );
    expect(Math.abs(obj.regularizer!(policy.paramList()).item())).toBeLessThan(1e-10);
  });

  it('the ascent improves on its random start, and small γ moves further than the ε ball would', () => {
    const start = sr.rng(1).uniform([B, obsDim], -0.05, 0.05, f64);
    const atStart = meanOf(penalizedDivergence(divergence, 0.1)(states, states.add(start)));
    const r = solve(0.1);
    expect(meanOf(r.penalized)).toBeGreaterThan(atStart);
    expect(maxAbs(r.delta)).toBeGreaterThan(0.05);
  });

  it('findPerturbation routes the wasserstein form and checks γ', () => {
    const via = findPerturbation(states, divergence, {
      form: 'wasserstein',
      eps: 0.05,
      steps: 10,
      stepSize: 0.01,
      ascent: 'sign',
      gamma: 1,
      generator: sr.rng(1),
    });
    expect(Array.from(via.delta.dataSync())).toEqual(Array.from(solve(1).delta.dataSync()));
    expect(() =>
      wassersteinDualMaximize(states, divergence, {
        gamma: 0,
        steps: 1,
        startRadius: 0.1,
        generator: sr.rng(1),
      }),
    ).toThrow(/gamma must be a finite number > 0, got 0/);
  });
});

describe('Wasserstein dual in DDPG-SR-A', () => {
  it('the actor penalty is differentiable in the weights, and vanishes as γ → ∞', () => {
    const actor = new DeterministicActor(4, [-2, -1], [2, 1], {
      hidden: [16, 16],
      activation: 'relu',
      dtype: 'float64',
      rng: new Rng(3),
    });
    const obs = sr.rng(4).randn([24, 4], { ...f64, std: 2 });
    const penalty = (gamma: number) =>
      actorSmoothnessPenalty(actor, obs, actor.forward(obs), {
        form: 'wasserstein',
        eps: 0.05,
        steps: 10,
        stepSize: 0.01,
        ascent: 'sign',
        gamma,
        generator: sr.rng(5),
      });
    const small = penalty(0.05);
    expect(small.penalty.item()).toBeGreaterThan(0);
    actor.zeroGrad();
    small.penalty.backward();
    const gradNorm = actor.parameters().reduce((a, p) => a + (p.grad ? p.grad.square().sum().item() : 0), 0);
    expect(gradNorm).toBeGreaterThan(0);
    expect(small.perturbation.linf.item()).toBeGreaterThan(0.05); // no ball
    const huge = penalty(1e8);
    expect(huge.penalty.item()).toBeLessThan(1e-12);
    expect(huge.perturbation.linf.item()).toBeLessThan(1e-6);
  });
});

describe('ε in units of each observation dimension’s std (training option)', () => {
  it('scales δ per dimension by the batch std and stays inside the scaled ball', () => {
    const B = 40;
    const scales = [1, 100, 0.01];
    const base = sr.rng(8).randn([B, 3], f64);
    const states = base.mul(sr.tensor(scales, { shape: [3], ...f64 }));
    // a divergence that sees only the standardized input: δ must scale with each column's std
    const std = sr.tensor(
      [0, 1, 2].map((j) => {
        const col = Array.from({ length: B }, (_, i) => states.dataSync()[i * 3 + j]!);
        const mu = col.reduce((a, x) => a + x, 0) / B;
        return Math.sqrt(col.reduce((a, x) => a + (x - mu) ** 2, 0) / B);
      }),
      { shape: [3], ...f64 },
    );
    const div = (s: sr.Tensor, p: sr.Tensor): sr.Tensor => p.sub(s).div(std).tanh().square().sum(-1);
    const eps = 0.1;
    const r = findPerturbation(states, div, {
      eps,
      steps: 10,
      stepSize: 0.02,
      ascent: 'sign',
      epsScale: 'obs-std',
      generator: sr.rng(2),
    });
    const d = r.delta.dataSync();
    const sd = std.dataSync();
    for (let i = 0; i < B; i++)
      for (let j = 0; j < 3; j++) {
        const u = Math.abs(d[i * 3 + j]!) / sd[j]!;
        expect(u).toBeLessThanOrEqual(eps * (1 + 1e-9));
        expect(u).toBeGreaterThan(0.99 * eps); // sign ascent on this objective ends on the corner
      }
    // raw ε on the same states moves every dimension by at most ε, whatever its std
    const raw = findPerturbation(states, div, {
      eps,
      steps: 10,
      stepSize: 0.02,
      ascent: 'sign',
      generator: sr.rng(2),
    });
    for (const x of raw.delta.dataSync()) expect(Math.abs(x)).toBeLessThanOrEqual(eps);
  });
});
