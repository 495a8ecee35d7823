/**
 * A population of Gaussian MLP policies as one module: the mean network is a StackedMLP
 * (weights [S, in, out]) and logStd is [S, actDim]. Member k is seed k's GaussianMlpPolicy
 * bit for bit: `StackedGaussianMlpPolicy.seeded` draws member k's initial weights from
 * rngs[k] exactly as the single policy does, and the parameter names are the single
 * policy's, so member k's state dict (nn/population.ts) loads into a GaussianMlpPolicy.
 */
import type { Tensor } from '../../autograd/index.js';
import { Module, StackedMLP, type RngLike } from '../../nn/index.js';
import { stackedLinear } from '../../autograd/ops/stacked-linear.js';
import { stackMembers } from '../../nn/population.js';
import { GaussianMlpPolicy, type GaussianPolicyOptions, type PolicyParams } from './gaussian-policy.js';

export class StackedGaussianMlpPolicy extends Module {
  readonly population: number;
  readonly obsDim: number;
  readonly actDim: number;
  readonly net: StackedMLP;
  /** [S, actDim] */
  readonly logStd: Tensor;

  /** Stacks the members' current values (copied: the members stay independent). */
  constructor(members: readonly GaussianMlpPolicy[]) {
    super();
    if (members.length === 0)
      throw new RangeError('StackedGaussianMlpPolicy: needs at least one member policy');
    this.population = members.length;
    this.obsDim = members[0]!.obsDim;
    this.actDim = members[0]!.actDim;
    this.net = this.registerModule('mean', new StackedMLP(members.map((m) => m.net)));
    this.logStd = this.registerParameter(
      'logStd',
      stackMembers(
        'StackedGaussianMlpPolicy',
        'logStd',
        members.map((m) => m.logStd),
      ),
    );
  }

  /** Member k initialized as `new GaussianMlpPolicy({ ...opts, rng: rngs[k] })`, for every k. */
  static seeded(
    opts: Omit<GaussianPolicyOptions, 'rng'>,
    rngs: readonly RngLike[],
  ): StackedGaussianMlpPolicy {
    if (rngs.length === 0)
      throw new RangeError('StackedGaussianMlpPolicy.seeded: needs one generator per member, got none');
    const members = rngs.map((rng) => new GaussianMlpPolicy({ ...opts, rng }));
    const stacked = new StackedGaussianMlpPolicy(members);
    for (const m of members) for (const p of m.parameters()) p.dispose();
    return stacked;
  }

  /** The live parameters, in GaussianMlpPolicy's order (mean layers first, logStd last). */
  paramList(): Tensor[] {
    return [...this.net.parameters(), this.logStd];
  }

  /** μ(obs) for obs [S, B, obsDim] → [S, B, actDim], with the given parameters (default: the live ones). */
  mean(obs: Tensor, params: PolicyParams = this.paramList()): Tensor {
    let x = obs;
    let i = 0;
    for (const layer of this.net.layers) {
      x = stackedLinear(x, params[i]!, params[i + 1]!, layer.activation);
      i += 2;
    }
    return x;
  }

  /** log σ as [S, 1, actDim], to broadcast against [S, B, actDim] means. */
  logStdOf(params: PolicyParams = this.paramList()): Tensor {
    return params[params.length - 1]!.reshape([this.population, 1, this.actDim]);
  }
}
