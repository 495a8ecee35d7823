/**
 * One DDPG update: the critic target with terminal masking, the SR regularizers'
 * gradients (finite differences in float64), the batched PGD staying in the ℓ∞ ball and
 * beating random points, and what each phase changes.
 */
import { describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { Adam } from '../../../src/nn/index.js';
import { Critic, DeterministicActor } from '../../../src/rl/ddpg/networks.js';
import { actorDivergence, criticDivergence } from '../../../src/rl/ddpg/smoothness.js';
import {
  criticTarget,
  ddpgUpdate,
  type DdpgLearner,
  type UpdateSettings,
} from '../../../src/rl/ddpg/update.js';
import { hardUpdate } from '../../../src/rl/ddpg/polyak.js';
import { pgdMaximize } from '../../../src/rl/smoothness/index.js';
import { Rng } from '../../../src/util/rng.js';

const OBS = 4;
const ACT = 2;
const B = 8;
const f64 = { dtype: 'float64' as const };
const netOpts = (seed: number) => ({
  hidden: [6, 5],
  activation: 'tanh' as const,
  dtype: 'float64' as const,
  rng: new Rng(seed),
});

function learner(): DdpgLearner {
  const actor = new DeterministicActor(OBS, [-2, -1], [2, 1], netOpts(1));
  const critic = new Critic(OBS, ACT, netOpts(2));
  const targetActor = new DeterministicActor(OBS, [-2, -1], [2, 1], netOpts(3));
  const targetCritic = new Critic(OBS, ACT, netOpts(4));
  return {
    actor,
    critic,
    targetActor,
    targetCritic,
    actorOpt: new Adam(actor.namedParameters(), { lr: 1e-2 }),
    criticOpt: new Adam(critic.namedParameters(), { lr: 1e-2 }),
  };
}

function batch(seed: number) {
  const g = sr.rng(seed);
  return {
    obs: g.randn([B, OBS], f64),
    action: g.uniform([B, ACT], -1, 1, f64),
    reward: g.randn([B], f64),
    nextObs: g.randn([B, OBS], f64),
    terminal: sr.tensor(Float64Array.from({ length: B }, (_, i) => (i % 3 === 0 ? 1 : 0))),
  };
}

const values = (t: Tensor): number[] => Array.from(t.dataSync());
const params = (m: { parameters(): Tensor[] }): number[][] => m.parameters().map(values);

describe('critic target', () => {
  it('y = r for terminal transitions and r + γ·Q′(s′, μ′(s′)) otherwise', () => {
    const l = learner();
    const b = batch(1);
    const gamma = 0.9;
    const y = values(criticTarget(l.targetActor, l.targetCritic, b, gamma));
    const q = values(l.targetCritic.forward(b.nextObs, l.targetActor.forward(b.nextObs)));
    const r = values(b.reward);
    const done = values(b.terminal);
    for (let i = 0; i < B; i++) {
      if (done[i] === 1) expect(y[i]).toBe(r[i]);
      else expect(y[i]).toBeCloseTo(r[i]! + gamma * q[i]!, 14);
    }
    expect(done.filter((d) => d === 1).length).toBeGreaterThan(0);
    expect(criticTarget(l.targetActor, l.targetCritic, b, gamma).requiresGrad).toBe(false);
  });
});

describe('SR regularizers: gradients w.r.t. the parameters pass gradcheck (float64)', () => {
  const b = batch(2);
  const delta = sr.rng(3).uniform([B, OBS], -0.05, 0.05, f64);
  const perturbed = b.obs.add(delta);

  it('DDPG-SR-A: mean ‖μ(s) − μ(s̃)‖², both terms differentiated', () => {
    const actor = new DeterministicActor(OBS, [-2, -1], [2, 1], netOpts(5));
    const ps = actor.parameters();
    const penalty = (...xs: Tensor[]): Tensor => actorPenaltyWith(xs, b.obs, perturbed);
    const x0 = ps.map((p) => sr.tensor(p.dataSync(), { shape: p.shape.slice() }));
    expect(sr.gradcheck(penalty, x0).ok).toBe(true);
  });

  it('DDPG-SR-C: mean (Q(s, a) − Q(s̃, a))² with the clean term held fixed, and with both terms', () => {
    const critic = new Critic(OBS, ACT, netOpts(6));
    const ps = critic.parameters();
    const x0 = ps.map((p) => sr.tensor(p.dataSync(), { shape: p.shape.slice() }));
    const cleanFixed = critic.forward(b.obs, b.action).detach();
    const fixed = (...xs: Tensor[]): Tensor =>
      cleanFixed
        .sub(criticWith(xs, perturbed, b.action))
        .square()
        .mean();
    const both = (...xs: Tensor[]): Tensor =>
      criticWith(xs, b.obs, b.action)
        .sub(criticWith(xs, perturbed, b.action))
        .square()
        .mean();
    expect(sr.gradcheck(fixed, x0).ok).toBe(true);
    expect(sr.gradcheck(both, x0).ok).toBe(true);
    // the two differ: the clean term's gradient is the difference
    const gFixed = sr.grad(fixed, [0])(...x0) as Tensor[];
    const gBoth = sr.grad(both, [0])(...x0) as Tensor[];
    expect(values(gFixed[0]!)).not.toEqual(values(gBoth[0]!));
  });
});

/** The actor's forward with explicit parameters [W0, b0, W1, b1, W2, b2] (relu/tanh as DeterministicActor with tanh hidden). */
function actorWith(xs: Tensor[], s: Tensor): Tensor {
  let h = sr.linear(s, xs[0]!, xs[1]!, 'tanh');
  h = sr.linear(h, xs[2]!, xs[3]!, 'tanh');
  const out = sr.linear(h, xs[4]!, xs[5]!, 'tanh');
  return out.mul(sr.tensor([2, 1], f64));
}
function actorPenaltyWith(xs: Tensor[], s: Tensor, sTilde: Tensor): Tensor {
  return actorWith(xs, s).sub(actorWith(xs, sTilde)).square().sum(1).mean();
}
function criticWith(xs: Tensor[], s: Tensor, a: Tensor): Tensor {
  const h = sr.linear(s, xs[0]!, xs[1]!, 'tanh');
  const h2 = sr.linear(sr.concat([h, a], 1), xs[2]!, xs[3]!, 'tanh');
  const q = sr.linear(h2, xs[4]!, xs[5]!, 'none');
  return q.reshape([q.shape[0]!]);
}

describe('explicit-parameter forwards match the modules (so the gradchecks above check the modules’ math)', () => {
  it('actor and critic', () => {
    const b = batch(4);
    const actor = new DeterministicActor(OBS, [-2, -1], [2, 1], netOpts(7));
    const critic = new Critic(OBS, ACT, netOpts(8));
    expect(values(actorWith(actor.parameters(), b.obs))).toEqual(values(actor.forward(b.obs)));
    expect(values(actorWith(actor.parameters(), b.obs))).toEqual(values(actor.forward(b.obs, true)));
    expect(values(criticWith(critic.parameters(), b.obs, b.action))).toEqual(
      values(critic.forward(b.obs, b.action)),
    );
  });
});

describe('batched PGD on the DDPG divergences', () => {
  const eps = 0.1;
  for (const which of ['actor', 'critic'] as const) {
    it(`${which}: every δ stays in the ℓ∞ ball and beats 20 random points per state`, () => {
      const l = learner();
      const b = batch(5);
      const div =
        which === 'actor'
          ? actorDivergence(l.actor, l.actor.forward(b.obs))
          : criticDivergence(l.critic, b.action, l.critic.forward(b.obs, b.action));
      const { delta, divergence } = pgdMaximize(b.obs, div, { eps, generator: sr.rng(6) });
      expect(Math.max(...values(delta).map(Math.abs))).toBeLessThanOrEqual(eps + 1e-12);
      const found = values(divergence);
      const g = sr.rng(7);
      let bestRandom = new Array<number>(B).fill(-Infinity);
      for (let k = 0; k < 20; k++) {
        const d = values(div(b.obs, b.obs.add(g.uniform([B, OBS], -eps, eps, f64))));
        bestRandom = bestRandom.map((v, i) => Math.max(v, d[i]!));
      }
      for (let i = 0; i < B; i++) expect(found[i]).toBeGreaterThanOrEqual(bestRandom[i]!);
      // the divergence of a state with itself is 0, so PGD found a real increase
      expect(Math.min(...found)).toBeGreaterThan(0);
    });
  }
});

describe('ddpgUpdate', () => {
  const settings = (algo: UpdateSettings['algo']): UpdateSettings => ({
    algo,
    gamma: 0.9,
    tau: 0.01,
    lambda: 1,
    criticRegBothTerms: false,
    perturbation: { eps: 0.05, steps: 3, stepSize: 0.01, ascent: 'sign', generator: sr.rng(8) },
  });

  it('updates critic, actor and both targets (by τ toward the new parameters); statistics are tensors', () => {
    for (const algo of ['ddpg', 'ddpg-sr-a', 'ddpg-sr-c'] as const) {
      const l = learner();
      hardUpdate(l.targetActor, l.actor);
      hardUpdate(l.targetCritic, l.critic);
      const before = { actor: params(l.actor), critic: params(l.critic), target: params(l.targetCritic) };
      const stats = ddpgUpdate(l, batch(9), settings(algo));
      expect(params(l.actor)).not.toEqual(before.actor);
      expect(params(l.critic)).not.toEqual(before.critic);
      const now = params(l.critic);
      params(l.targetCritic).forEach((t, i) =>
        t.forEach((v, j) =>
          expect(v).toBeCloseTo(before.target[i]![j]! + 0.01 * (now[i]![j]! - before.target[i]![j]!), 14),
        ),
      );
      for (const t of Object.values(stats)) expect(t.size).toBe(1);
      const reg = stats.regularizer.item();
      if (algo === 'ddpg') expect(reg).toBe(0);
      else expect(reg).toBeGreaterThan(0);
    }
  });

  it('with λ = 0 the SR variants make the same update as DDPG (the penalty is the only difference)', () => {
    const run = (algo: UpdateSettings['algo']) => {
      const l = learner();
      ddpgUpdate(l, batch(10), { ...settings(algo), lambda: 0 });
      return [...params(l.actor), ...params(l.critic)];
    };
    const plain = run('ddpg');
    expect(run('ddpg-sr-a')).toEqual(plain);
    expect(run('ddpg-sr-c')).toEqual(plain);
  });
});
