/**
 * One DDPG gradient step on a minibatch (garage19 `tf/algos/ddpg.py` order): critic,
 * then actor, then both target networks. DDPG-SR-C adds its penalty to the critic loss
 * (Algorithm 3: PGD with the critic before its update); DDPG-SR-A adds its penalty to the
 * actor loss (Algorithm 2: PGD with the actor before its update, after the critic's).
 *
 * Nothing here reads a number back to the host: the statistics come back as scalar
 * tensors for the caller to accumulate and read once per log interval.
 *
 * A population (networks built from members, batch tensors [S, B, ...]) updates every
 * member in this one call: each loss is the sum of the members' own means, so member k's
 * gradients, Adam steps and targets are its single run's, and each statistic is [S].
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import type { Adam } from '../../nn/optim/adam.js';
import type { DdpgAlgo } from './config.js';
import type { Critic, DeterministicActor } from './networks.js';
import { actorSmoothnessPenalty, criticSmoothnessPenalty, type PerturbationOptions } from './smoothness.js';
import { polyakUpdate } from './polyak.js';
import { perMemberMean, sumOverMembers } from '../population/member-mean.js';

/** The networks and optimizers one update changes. */
export interface DdpgLearner {
  actor: DeterministicActor;
  critic: Critic;
  targetActor: DeterministicActor;
  targetCritic: Critic;
  actorOpt: Adam;
  criticOpt: Adam;
}

/** A minibatch as tensors: obs/nextObs [B, obsDim], action [B, actDim], reward/terminal [B] (each [S, ...] for a population). */
export interface BatchTensors {
  obs: Tensor;
  action: Tensor;
  reward: Tensor;
  nextObs: Tensor;
  terminal: Tensor;
}

export interface UpdateSettings {
  algo: DdpgAlgo;
  gamma: number;
  tau: number;
  /** λ_s */
  lambda: number;
  /** DDPG-SR-C: differentiate the clean Q term too */
  criticRegBothTerms: boolean;
  perturbation: PerturbationOptions;
}

/** Scalar statistics of one update ([S] for a population), detached (0 where a quantity does not apply). */
export interface UpdateStats {
  criticLoss: Tensor;
  actorLoss: Tensor;
  qMean: Tensor;
  regularizer: Tensor;
  /** mean ‖δ‖∞ and ‖δ‖₂ over the minibatch */
  perturbationLinf: Tensor;
  perturbationL2: Tensor;
}

/** y = r + γ(1 − terminal)·Q′(s′, μ′(s′)), without gradients. */
export function criticTarget(
  targetActor: DeterministicActor,
  targetCritic: Critic,
  batch: Pick<BatchTensors, 'reward' | 'nextObs' | 'terminal'>,
  gamma: number,
): Tensor {
  return sr.noGrad(() => {
    const next = targetCritic.forward(batch.nextObs, targetActor.forward(batch.nextObs));
    const alive = batch.terminal.neg().add(1);
    return batch.reward.add(alive.mul(next).mul(gamma));
  });
}

export function ddpgUpdate(l: DdpgLearner, batch: BatchTensors, s: UpdateSettings): UpdateStats {
  const members = batch.reward.shape.slice(0, -1);
  const zero = (): Tensor => sr.zeros(members, { dtype: batch.obs.dtype, backend: batch.obs.backend });
  let regularizer: Tensor | null = null;
  let perturbation: { linf: Tensor; l2: Tensor } | null = null;

  // critic: mean (y − Q(s, a))² [+ λ·mean (Q(s, a) − Q(s̃, a))²]
  const y = criticTarget(l.targetActor, l.targetCritic, batch, s.gamma);
  l.critic.zeroGrad();
  const q = l.critic.forward(batch.obs, batch.action);
  const tdPerMember = perMemberMean(q.sub(y).square());
  const tdLoss = sumOverMembers(tdPerMember);
  let criticLoss = tdLoss;
  if (s.algo === 'ddpg-sr-c') {
    const reg = criticSmoothnessPenalty(
      l.critic,
      batch.obs,
      batch.action,
      q,
      s.criticRegBothTerms,
      s.perturbation,
    );
    criticLoss = tdLoss.add(sumOverMembers(reg.penalty.mul(s.lambda)));
    regularizer = reg.penalty.detach();
    perturbation = reg.perturbation;
  }
  criticLoss.backward();
  l.criticOpt.step();

  // actor: −mean Q(s, μ(s)) [+ λ·mean ‖μ(s) − μ(s̃)‖²], with the updated critic
  l.actor.zeroGrad();
  const mu = l.actor.forward(batch.obs);
  // the critic enters frozen: its weight gradients would be thrown away
  const policyPerMember = perMemberMean(l.critic.forward(batch.obs, mu, true)).neg();
  const policyLoss = sumOverMembers(policyPerMember);
  let actorLoss = policyLoss;
  if (s.algo === 'ddpg-sr-a') {
    const reg = actorSmoothnessPenalty(l.actor, batch.obs, mu, s.perturbation);
    actorLoss = policyLoss.add(sumOverMembers(reg.penalty.mul(s.lambda)));
    regularizer = reg.penalty.detach();
    perturbation = reg.perturbation;
  }
  actorLoss.backward();
  l.actorOpt.step();

  polyakUpdate(l.targetCritic, l.critic, s.tau);
  polyakUpdate(l.targetActor, l.actor, s.tau);

  return {
    criticLoss: tdPerMember.detach(),
    actorLoss: policyPerMember.detach(),
    qMean: sr.noGrad(() => perMemberMean(q)),
    regularizer: regularizer ?? zero(),
    perturbationLinf: perturbation?.linf ?? zero(),
    perturbationL2: perturbation?.l2 ?? zero(),
  };
}
