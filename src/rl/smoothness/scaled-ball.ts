/**
 * ε per observation dimension: with scale = each dimension's std the ball ‖u‖∞ ≤ ε is
 * searched in u and the observation moves by δ = scale ⊙ u (SA-MDP's convention of ε in
 * units of the state's std). Shared by training (TRPO-SR, DDPG-SR) and `sr2l eval`.
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import type { Divergence } from './pgd.js';

export const EPS_SCALES = ['raw', 'obs-std'] as const;
export type EpsScale = (typeof EPS_SCALES)[number];

/**
 * An objective over a per-dimension scaled ball: the ascent searches u and the objective
 * sees δ = scale ⊙ u. A null scale leaves the objective as it is (raw units).
 */
export function inScaledBall(objective: Divergence, scale: Tensor | null): Divergence {
  if (!scale) return objective;
  return (s, p) => objective(s, s.add(p.sub(s).mul(scale)));
}

/**
 * Per-column (population) std of a batch of observations [B, n] → [n], detached; for a
 * population of members' batches [S, B, n] → [S, 1, n], each member's std over its own batch.
 */
export function columnStd(states: Tensor): Tensor {
  if (states.ndim === 3)
    return sr.noGrad(() => states.sub(states.mean(1, true)).square().mean(1, true).sqrt());
  if (states.ndim !== 2)
    throw new RangeError(`columnStd: states must be [B, n] or [S, B, n], got [${states.shape.join(', ')}]`);
  return sr.noGrad(() => states.sub(states.mean(0)).square().mean(0).sqrt());
}
