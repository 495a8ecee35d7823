/**
 * A population of Gaussian MLP policies as one module: the mean network is a StackedMLP
 * (weights [S, in, out]) and logStd is [S, actDim]. Member k is seed k's GaussianMlpPolicy
 * bit for bit: `StackedGaussianMlpPolicy.seeded` draws member k's initial weights from
 * rngs[k] exactly as the single policy does, and the parameter names are the single
 * policy's, so member k's state dict (nn/population.ts) loads into a GaussianMlpPolicy.
 */
import * as sr from '../../autograd/index.js';
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

  /**
   * Takes the members' current values (one per member, in order), in place: the parameter
   * tensors stay the same objects, so compiled programs that read them by reference
   * (meanAtRows) see the new values.
   */
  restackFrom(members: readonly GaussianMlpPolicy[]): void {
    if (members.length !== this.population)
      throw new RangeError(
        `StackedGaussianMlpPolicy.restackFrom: needs ${this.population} member policies, got ${members.length}`,
      );
    const own = this.paramList();
    const theirs = members.map((m) => m.paramList());
    own.forEach((p, i) => {
      const next = stackMembers(
        'StackedGaussianMlpPolicy.restackFrom',
        `parameter ${i}`,
        theirs.map((ps) => ps[i]!),
      );
      if (next.shape.join() !== p.shape.join())
        throw new RangeError(
          `StackedGaussianMlpPolicy.restackFrom: the members' parameter ${i} stacks to [${next.shape.join(', ')}], the population's is [${p.shape.join(', ')}]`,
        );
      p.backend.assign(p.storage, next.storage);
      next.dispose();
    });
  }

  // the samplers' forward pass, one [S, 1, obsDim] batch per env step: replayed after the
  // first (as GaussianMlpPolicy's per-step pass). Its result is the program's own buffer,
  // read before the next step, so a step allocates nothing but the observations' tensor
  private readonly forwardRows = sr.compile((x: Tensor) => this.mean(x), {
    name: 'population policy forward',
    outputs: 'reuse',
  });

  /** The compiled per-step forward pass (traces at the first call; `traces`/`replays` for tests). */
  get samplingForward(): sr.CompiledFunction<[Tensor], Tensor> {
    return this.forwardRows;
  }

  /**
   * μ for one observation per member, obs [S × obsDim] (member k's at k·obsDim) → [S × actDim]
   * host numbers. The same kernels as `mean` on an [S, 1, obsDim] batch, so member k's row
   * is its own policy's μ bit for bit.
   */
  async meanAtRows(obs: Float64Array): Promise<Float64Array> {
    const { dtype, backend } = this.logStd;
    const x = sr.tensor(obs, { shape: [this.population, 1, this.obsDim], dtype, backend });
    // not disposed: a replay's result belongs to the program; an eager one (SR2L_COMPILE=0,
    // the tracing call) is freed with the layers' intermediates when collected
    const mu = sr.noGrad(() => this.forwardRows(x));
    const out = Float64Array.from(await mu.data());
    x.dispose();
    return out;
  }

  /** log σ as [S, 1, actDim], to broadcast against [S, B, actDim] means. */
  logStdOf(params: PolicyParams = this.paramList()): Tensor {
    return params[params.length - 1]!.reshape([this.population, 1, this.actDim]);
  }
}
