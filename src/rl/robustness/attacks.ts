/**
 * Observation attacks, all in the ℓ∞ ball of radius ε (paper §5; SA-MDP's suite):
 *   none    δ = 0
 *   random  δ ~ U[−ε, ε]ⁿ, fresh each step
 *   mad     δ maximizing the policy divergence (Jeffrey's / squared ℓ2) by the shared PGD
 *   critic  δ minimizing Q(s, μ(s + δ)) by the same PGD (actor-critic agents)
 *   sarsa   the same with Q learned for the fixed policy by Robust Sarsa (robust-sarsa.ts; any agent)
 *   optimal δ from an adversary policy trained with TRPO against the victim (optimal-attack.ts)
 * With a per-dimension scale (ε in units of the observation std) the ball is searched in
 * u = δ / scale and δ = scale ⊙ u is applied.
 */
import type { Generator, Tensor } from '../../autograd/index.js';
import * as sr from '../../autograd/index.js';
import { type AscentRule, ASCENT_RULES, pgdMaximize } from '../smoothness/index.js';
import { criticObjective, inScaledBall, policyDivergence } from './objectives.js';
import type { Adversary } from './optimal-attack.js';
import type { Critic, EvalAgent } from './policy.js';

export const ATTACKS = ['none', 'random', 'mad', 'critic', 'sarsa', 'optimal'] as const;
export type AttackName = (typeof ATTACKS)[number];

export interface PgdSettings {
  /** ascent steps (paper: 10) */
  steps: number;
  /** step size as a fraction of ε (paper: 0.2; SA-MDP: 0.1) */
  stepFraction: number;
  /** 'sign' (default) or 'gradient' */
  ascent: AscentRule;
}
export const PAPER_PGD: PgdSettings = { steps: 10, stepFraction: 0.2, ascent: 'sign' };

export function checkPgdSettings(p: Partial<PgdSettings> = {}): PgdSettings {
  const out = { ...PAPER_PGD, ...p };
  if (!(Number.isInteger(out.steps) && out.steps >= 0))
    throw new RangeError(`pgd steps must be an integer ≥ 0, got ${out.steps}`);
  if (!(Number.isFinite(out.stepFraction) && out.stepFraction > 0))
    throw new RangeError(`pgd step fraction must be a number > 0, got ${out.stepFraction}`);
  if (!ASCENT_RULES.includes(out.ascent))
    throw new RangeError(`pgd ascent must be one of ${ASCENT_RULES.join(', ')}, got '${out.ascent}'`);
  return out;
}

export function checkAttackName(name: string): AttackName {
  if (!(ATTACKS as readonly string[]).includes(name))
    throw new RangeError(`unknown attack '${name}'; allowed: ${ATTACKS.join(', ')}`);
  return name as AttackName;
}

export const NO_CRITIC = `the 'critic' attack needs a critic (DDPG agents); this agent has none`;

export interface Perturbation {
  /** what the agent's observation is moved by, raw units [B, n] */
  delta: Tensor;
  /** the same in ball units (δ / scale), ‖unit‖∞ ≤ ε per row */
  unit: Tensor;
}

export interface AttackSetup {
  agent: EvalAgent;
  pgd: PgdSettings;
  /** per-dimension scale of the ball [n], or null for raw units */
  scale: Tensor | null;
  /** the Robust Sarsa Q of the policy (attack 'sarsa') */
  sarsaCritic?: Critic;
  /** the adversary trained for the current ε (attack 'optimal') */
  adversary?: Adversary;
}

/** The perturbation of `attack` at radius `eps` for true observations `states` [B, n]; null for 'none'. */
export function perturb(
  attack: AttackName,
  states: Tensor,
  eps: number,
  setup: AttackSetup,
  generator: Generator,
): Perturbation | null {
  if (attack === 'none') return null;
  let unit: Tensor;
  if (attack === 'random') {
    unit = generator.uniform(states.shape, -eps, eps, { dtype: states.dtype, backend: states.backend });
  } else if (attack === 'optimal') {
    if (!setup.adversary) throw new Error("the 'optimal' attack needs an adversary trained for this ε");
    unit = setup.adversary.perturbation(states);
  } else {
    const { policy } = setup.agent;
    const critic = attack === 'sarsa' ? setup.sarsaCritic : setup.agent.critic;
    if (attack === 'critic' && !critic) throw new Error(NO_CRITIC);
    if (attack === 'sarsa' && !critic)
      throw new Error("the 'sarsa' attack needs the Robust Sarsa Q trained first");
    const objective = attack === 'mad' ? policyDivergence(policy) : criticObjective(policy, critic!);
    unit = pgdMaximize(states, inScaledBall(objective, setup.scale), {
      eps,
      steps: setup.pgd.steps,
      stepSize: setup.pgd.stepFraction * eps,
      ascent: setup.pgd.ascent,
      generator,
    }).delta;
  }
  const delta = setup.scale ? sr.noGrad(() => unit.mul(setup.scale!)) : unit;
  return { delta, unit };
}
