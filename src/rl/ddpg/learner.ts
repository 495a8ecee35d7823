/**
 * The networks and optimizers a DDPG update works on (update.ts's DdpgLearner), built the
 * one way training builds them: an actor and a critic, targets that start as their copies,
 * and Adam on each; or, for a population, the members' networks stacked along a leading
 * axis with Adam on the stacked parameters.
 */
import { Adam } from '../../nn/optim/adam.js';
import { Critic, DeterministicActor, type NetworkOptions } from './networks.js';
import { hardUpdate } from './polyak.js';
import type { DdpgLearner } from './update.js';

/** What fixes a learner's shape and optimizers: the task's sizes and action box, Adam's rates. */
export interface LearnerSpec {
  obsDim: number;
  low: ArrayLike<number>;
  high: ArrayLike<number>;
  actorLr: number;
  criticLr: number;
}

export type LearnerRole = 'actor' | 'critic' | 'targetActor' | 'targetCritic';

/**
 * A learner whose networks take `net(role)`'s options, called in the order actor, critic,
 * target actor, target critic (so generators forked inside `net` are drawn in that order).
 * The targets' own initialization is overwritten: they start as copies.
 */
export function buildLearner(spec: LearnerSpec, net: (role: LearnerRole) => NetworkOptions): DdpgLearner {
  const { obsDim, low, high } = spec;
  const actor = new DeterministicActor(obsDim, low, high, net('actor'));
  const critic = new Critic(obsDim, low.length, net('critic'));
  const targetActor = new DeterministicActor(obsDim, low, high, net('targetActor'));
  const targetCritic = new Critic(obsDim, low.length, net('targetCritic'));
  hardUpdate(targetActor, actor);
  hardUpdate(targetCritic, critic);
  return withOptimizers(spec, { actor, critic, targetActor, targetCritic });
}

/** The members' learners stacked (member k's networks are slice k), with fresh Adam state. */
export function stackLearners(spec: LearnerSpec, members: readonly DdpgLearner[]): DdpgLearner {
  const { obsDim, low, high } = spec;
  const actors = (role: 'actor' | 'targetActor') =>
    new DeterministicActor(
      obsDim,
      low,
      high,
      members.map((l) => l[role]),
    );
  const critics = (role: 'critic' | 'targetCritic') =>
    new Critic(
      obsDim,
      low.length,
      members.map((l) => l[role]),
    );
  return withOptimizers(spec, {
    actor: actors('actor'),
    critic: critics('critic'),
    targetActor: actors('targetActor'),
    targetCritic: critics('targetCritic'),
  });
}

function withOptimizers(spec: LearnerSpec, nets: Pick<DdpgLearner, LearnerRole>): DdpgLearner {
  return {
    ...nets,
    actorOpt: new Adam(nets.actor.namedParameters(), { lr: spec.actorLr }),
    criticOpt: new Adam(nets.critic.namedParameters(), { lr: spec.criticLr }),
  };
}
