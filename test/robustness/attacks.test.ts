import { describe, expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import {
  type AttackName,
  type AttackSetup,
  PAPER_PGD,
  actionChange,
  criticObjective,
  inScaledBall,
  lipschitzRatio,
  mlpPolicy,
  perturb,
  policyDivergence,
} from '../../src/rl/robustness/index.js';
import { pgdMaximize } from '../../src/rl/smoothness/index.js';
import { quadraticCritic, randomPolicy, randomStates } from './helpers.js';

const n = 6;
const m = 2;
const policy = randomPolicy(n, m, 1, true);
const agent = { policy, critic: quadraticCritic(m) };
const states = randomStates(128, n);
const scale = sr.tensor([1, 0.5, 2, 0, 1e-3, 3], { dtype: 'float64' });

const rows = (t: sr.Tensor): number[][] => t.toArray() as number[][];

describe('attacks', () => {
  for (const scaled of [false, true]) {
    for (const attack of ['random', 'mad', 'critic'] as AttackName[]) {
      test(`${attack}${scaled ? ' (ε in units of a per-dimension scale)' : ''}: δ stays in the ℓ∞ ball`, () => {
        const setup: AttackSetup = { agent, pgd: PAPER_PGD, scale: scaled ? scale : null };
        const eps = 0.07;
        const p = perturb(attack, states, eps, setup, sr.rng(3))!;
        const s = scaled ? (scale.toArray() as number[]) : new Array<number>(n).fill(1);
        let reached = 0;
        rows(p.unit).forEach((u, r) => {
          const d = rows(p.delta)[r]!;
          u.forEach((x, j) => {
            expect(Math.abs(x)).toBeLessThanOrEqual(eps);
            expect(Math.abs(d[j]!)).toBeLessThanOrEqual(eps * s[j]! + 1e-15);
            expect(d[j]).toBeCloseTo(x * s[j]!, 14);
            reached = Math.max(reached, Math.abs(x));
          });
        });
        expect(reached).toBeGreaterThan(0.9 * eps); // the ball is used, not just a point near 0
      });
    }
  }

  test('mad reaches at least the divergence of random at the same ε, state by state', () => {
    const D = policyDivergence(policy);
    for (const eps of [0.01, 0.1, 0.5]) {
      const setup: AttackSetup = { agent, pgd: PAPER_PGD, scale: null };
      const rand = perturb('random', states, eps, setup, sr.rng(4))!;
      const mad = perturb('mad', states, eps, setup, sr.rng(4))!;
      const dRand = D(states, states.add(rand.delta)).toArray() as number[];
      const dMad = D(states, states.add(mad.delta)).toArray() as number[];
      dMad.forEach((v, i) => expect(v).toBeGreaterThanOrEqual(dRand[i]!));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(dMad)).toBeGreaterThan(1.5 * mean(dRand));
    }
  });

  test('critic lowers Q(s, μ(s + δ)) below its clean value', () => {
    const setup: AttackSetup = { agent, pgd: PAPER_PGD, scale: null };
    const p = perturb('critic', states, 0.1, setup, sr.rng(5))!;
    const obj = criticObjective(policy, agent.critic);
    const clean = (obj(states, states).toArray() as number[]).map((v) => -v);
    const attacked = (obj(states, states.add(p.delta)).toArray() as number[]).map((v) => -v);
    attacked.forEach((q, i) => expect(q).toBeLessThanOrEqual(clean[i]! + 1e-12));
    expect(() => perturb('critic', states, 0.1, { ...setup, agent: { policy } }, sr.rng(5))).toThrow(
      /needs a critic/,
    );
  });

  test('ε = 0 gives δ = 0 exactly for every attack', () => {
    const setup: AttackSetup = { agent, pgd: PAPER_PGD, scale };
    for (const attack of ['random', 'mad', 'critic'] as AttackName[]) {
      const p = perturb(attack, states, 0, setup, sr.rng(6))!;
      expect((p.delta.toArray() as number[][]).flat().every((x) => x === 0)).toBe(true);
      expect(perturb('none', states, 0.1, setup, sr.rng(6))).toBeNull();
    }
  });

  test('the Lipschitz ratio of a linear policy a = w·s is ‖w‖₁, reached at the δ that maximizes the action change', () => {
    const w = [0.5, -2, 1];
    const lin = mlpPolicy({
      weights: [
        sr.tensor(
          w.map((x) => [x]),
          { dtype: 'float64' },
        ),
      ],
      biases: [sr.zeros([1], { dtype: 'float64' })],
    });
    const s = randomStates(16, 3, 7);
    for (const [sc, expected] of [
      [null, 3.5],
      // with a per-dimension scale the ratio is in ball units: ‖w ⊙ scale‖₁
      [sr.tensor([2, 0.5, 1], { dtype: 'float64' }), 3],
    ] as const) {
      const { delta } = pgdMaximize(s, inScaledBall(actionChange(lin), sc), {
        eps: 0.05,
        generator: sr.rng(8),
      });
      const ratio = lipschitzRatio(lin, sc)(s, s.add(delta));
      for (const v of ratio.toArray() as number[]) expect(v).toBeCloseTo(expected, 10);
    }
  });
});
