/**
 * The functions the attacks and the smoothness metric maximize, in the `Divergence` form
 * of the shared PGD (src/rl/smoothness): D(S, S + δ) → [B].
 */
import type { Tensor } from '../../autograd/index.js';
import { sharedStdJeffreys } from '../trpo/distributions.js';
import type { Divergence } from '../smoothness/index.js';
import type { Critic, EvalPolicy } from './policy.js';

/** ‖μ(s) − μ(s + δ)‖₂²: the change of the deterministic action (eq. 7). */
export function actionChange(policy: EvalPolicy): Divergence {
  return (s, p) => policy.mean(s).sub(policy.mean(p)).square().sum(-1);
}

/**
 * The paper's policy divergence: Jeffrey's ‖Δμ‖²/σ² (§5's form, as in TRPO-SR) for
 * Gaussian policies, squared ℓ2 ‖Δμ‖² for deterministic ones (eq. 7). `mad` maximizes it.
 */
export function policyDivergence(policy: EvalPolicy): Divergence {
  const { logStd } = policy;
  if (!logStd) return actionChange(policy);
  return (s, p) => sharedStdJeffreys(policy.mean(s), policy.mean(p), logStd.detach());
}

/** −Q(s, μ(s + δ)): maximizing it minimizes the critic's value of the action taken (`critic` attack). */
export function criticObjective(policy: EvalPolicy, critic: Critic): Divergence {
  return (s, p) => critic(s, policy.mean(p)).neg();
}

/**
 * The empirical local Lipschitz ratio ‖μ(s) − μ(s + δ)‖₂ / ‖u‖∞ with δ = scale ⊙ u (Yang et
 * al. 2020, output change in ℓ2): the denominator is in the units of the ball searched.
 * The evaluation finds u by ascent on `actionChange` (the ratio itself is scale-invariant
 * in u, which sign steps handle badly at the corners of the ball) and reports this ratio there.
 */
export function lipschitzRatio(policy: EvalPolicy, scale: Tensor | null): Divergence {
  return (s, p) => {
    const u = p.sub(s);
    const moved = scale ? s.add(u.mul(scale)) : p;
    const num = policy.mean(s).sub(policy.mean(moved)).square().sum(-1).add(1e-30).sqrt();
    return num.div(u.abs().max(-1));
  };
}

/** (the scaled ball lives with the shared ascent code) */
export { inScaledBall } from '../smoothness/index.js';
