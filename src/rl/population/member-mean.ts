/**
 * Losses of a population. Tensors of a population carry the members on leading axes
 * ([S, B, ...]); a single run's have none ([B, ...]). The population's loss is the sum over
 * members of each member's own batch mean, so the gradient reaching member k's parameters
 * is exactly the gradient of member k's loss alone (a mean over all S·B rows would scale
 * it by 1/S and mix rounding across members).
 */
import type { Tensor } from '../../autograd/tensor.js';

/** The mean over the last (batch) axis, per member: [S, B] → [S], [B] → []. */
export function perMemberMean(x: Tensor): Tensor {
  return x.mean(-1);
}

/** A population's loss from per-member losses: [S] → their sum; a single run's scalar as is. */
export function sumOverMembers(perMember: Tensor): Tensor {
  return perMember.ndim === 0 ? perMember : perMember.sum();
}

/** Σ over members of each member's batch mean: [S, B] → [], and [B] → its plain mean. */
export function memberMeanLoss(x: Tensor): Tensor {
  return sumOverMembers(perMemberMean(x));
}
