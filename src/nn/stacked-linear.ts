/**
 * StackedLinear: S Linear layers of the same shape as one module, for a population of
 * networks. weight [S, in, out], bias [S, out]; forward maps x [S, ..., in] to
 * [S, ..., out] with one `stackedLinear` kernel call, slice k computed exactly as member
 * k's Linear computes it alone.
 */
import { stackedLinear } from '../autograd/ops/stacked-linear.js';
import type { Tensor } from '../autograd/tensor.js';
import type { Activation } from '../kernels/backend.js';
import type { Linear } from './linear.js';
import { Module } from './module.js';
import { stackMembers } from './population.js';

export class StackedLinear extends Module {
  readonly population: number;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly activation: Activation;
  /** [S, inFeatures, outFeatures] */
  readonly weight: Tensor;
  /** [S, outFeatures], or null without bias */
  readonly bias: Tensor | null;

  /** Stacks the members' current values (they are copied; the members stay independent). */
  constructor(members: readonly Linear[]) {
    super();
    if (members.length === 0) throw new RangeError('StackedLinear: needs at least one member layer');
    const first = members[0]!;
    members.forEach((l, k) => {
      if (l.activation !== first.activation || (l.bias === null) !== (first.bias === null))
        throw new RangeError(
          `StackedLinear: member ${k} has activation '${l.activation}'${l.bias ? ' with' : ' without'} bias, member 0 '${first.activation}'${first.bias ? ' with' : ' without'} bias`,
        );
    });
    this.population = members.length;
    this.inFeatures = first.inFeatures;
    this.outFeatures = first.outFeatures;
    this.activation = first.activation;
    const weights = members.map((l) => l.weight);
    this.weight = this.registerParameter('weight', stackMembers('StackedLinear', 'weight', weights));
    this.bias = first.bias
      ? this.registerParameter(
          'bias',
          stackMembers(
            'StackedLinear',
            'bias',
            members.map((l) => l.bias!),
          ),
        )
      : null;
  }

  /** x [S, ..., inFeatures] → [S, ..., outFeatures] */
  forward(x: Tensor): Tensor {
    return stackedLinear(x, this.weight, this.bias, this.activation);
  }
}
