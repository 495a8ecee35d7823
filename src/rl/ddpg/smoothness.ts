/**
 * SR²L's regularizers for DDPG (paper §3.2, Algorithms 2 and 3), built on the shared
 * batched PGD (`smoothness/pgd.ts`):
 *  - actor (DDPG-SR-A, eq. 7): R = mean_i ‖μ(s_i) − μ(s̃_i)‖², s̃_i maximizing the same distance;
 *  - critic (DDPG-SR-C): R = mean_i (Q(s_i, a_i) − Q(s̃_i, a_i))², s̃_i maximizing it, with the
 *    clean value Q(s_i, a_i) a constant (the parameters before the update) unless asked otherwise.
 * The inner maximization (the ε ball, or §4's Wasserstein dual) finds s̃ with gradients
 * w.r.t. δ only; the returned penalty is then differentiable
 * w.r.t. the network's parameters. Nothing is read back to the host.
 * For a population (stacked networks, states [S, B, n]) every mean is per member ([S]).
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import type { Critic, DeterministicActor } from './networks.js';
import { type Divergence, type InnerMaxSettings, findPerturbation } from '../smoothness/index.js';
import { perMemberMean } from '../population/member-mean.js';

/**
 * How the inner maximization runs: ball or Wasserstein form, ε raw or per-dimension std;
 * for a population, one generator per member.
 */
export type PerturbationOptions = InnerMaxSettings;

export interface SmoothnessPenalty {
  /** mean divergence at s̃ ([S]: per member), differentiable w.r.t. the network's parameters (unweighted by λ) */
  penalty: Tensor;
  /** mean ‖δ‖∞ and mean ‖δ‖₂ of the perturbations found, detached */
  perturbation: { linf: Tensor; l2: Tensor };
}

/** Squared ℓ2 distance per row: [..., B, n], [..., B, n] → [..., B]. */
function rowSquaredDistance(x: Tensor, y: Tensor): Tensor {
  return x.sub(y).square().sum(-1);
}

function meanRowNorms(delta: Tensor): { linf: Tensor; l2: Tensor } {
  return sr.noGrad(() => ({
    linf: perMemberMean(delta.abs().max(-1)),
    l2: perMemberMean(delta.square().sum(-1).sqrt()),
  }));
}

/**
 * D_A(s, s') = ‖μ(s) − μ(s')‖² per row, what DDPG-SR-A's PGD maximizes. μ(s) is passed in
 * (it does not depend on δ) and the actor runs frozen: PGD needs gradients w.r.t. δ only.
 */
export function actorDivergence(actor: DeterministicActor, cleanAction: Tensor): Divergence {
  const clean = cleanAction.detach();
  return (_s, perturbed) => rowSquaredDistance(clean, actor.forward(perturbed, true));
}

/** D_C(s, s') = (Q(s, a) − Q(s', a))² per row, what DDPG-SR-C's PGD maximizes (Q(s, a) passed in). */
export function criticDivergence(critic: Critic, actions: Tensor, cleanQ: Tensor): Divergence {
  const clean = cleanQ.detach();
  return (_s, perturbed) => clean.sub(critic.forward(perturbed, actions, true)).square();
}

/**
 * DDPG-SR-A's penalty mean ‖μ(s) − μ(s̃)‖², both terms differentiable (Algorithm 2).
 * `cleanAction` is μ(s) with its graph (the actor loss has it already).
 */
export function actorSmoothnessPenalty(
  actor: DeterministicActor,
  obs: Tensor,
  cleanAction: Tensor,
  opts: PerturbationOptions,
): SmoothnessPenalty {
  const { delta } = findPerturbation(obs, actorDivergence(actor, cleanAction), opts);
  const penalty = perMemberMean(rowSquaredDistance(cleanAction, actor.forward(obs.add(delta))));
  return { penalty, perturbation: meanRowNorms(delta) };
}

/**
 * DDPG-SR-C's penalty mean (Q(s, a) − Q(s̃, a))². `cleanQ` is Q(s, a) with its graph (the
 * critic loss has it); with `bothTerms` false it is a constant, as Algorithm 3 writes it.
 */
export function criticSmoothnessPenalty(
  critic: Critic,
  obs: Tensor,
  actions: Tensor,
  cleanQ: Tensor,
  bothTerms: boolean,
  opts: PerturbationOptions,
): SmoothnessPenalty {
  const { delta } = findPerturbation(obs, criticDivergence(critic, actions, cleanQ), opts);
  const clean = bothTerms ? cleanQ : cleanQ.detach();
  const penalty = perMemberMean(clean.sub(critic.forward(obs.add(delta), actions)).square());
  return { penalty, perturbation: meanRowNorms(delta) };
}
