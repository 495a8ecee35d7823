/**
 * Gaussian MLP policy as garage's GaussianMLPPolicy (rl-anchors §2.1): mean = MLP(obs)
 * with tanh hidden layers and a linear output, Glorot-uniform weights, zero biases, and
 * a state-independent log-std parameter starting at log(initStd) (std 1.0 by default).
 *
 * The forward pass is a function of an explicit parameter list, so the engine's
 * transforms (grad, hvp) can differentiate with respect to the parameters directly.
 */
import * as sr from '../autograd/index.js';
import type { Generator, Tensor } from '../autograd/index.js';
import type { FloatDType } from '../kernels/dtype.js';
import type { Backend } from '../kernels/backend.js';
import { gaussianLogLikelihood } from './distributions.js';

export interface GaussianPolicyOptions {
  obsDim: number;
  actDim: number;
  /** hidden layer sizes (paper §5: 64, 64) */
  hidden?: readonly number[];
  /** initial standard deviation (garage: 1.0) */
  initStd?: number;
  dtype?: FloatDType;
  backend?: Backend;
}

/** Parameters of the policy: [W₁, b₁, …, W_L, b_L, logStd], W as [in, out]. */
export type PolicyParams = readonly Tensor[];

export class GaussianMlpPolicy {
  readonly obsDim: number;
  readonly actDim: number;
  readonly hidden: readonly number[];
  readonly dtype: FloatDType;
  /** the live parameters, updated in place by TRPO */
  readonly params: Tensor[];
  /** names matching params, for checkpoints and gradient logs */
  readonly paramNames: string[];

  constructor(opts: GaussianPolicyOptions, gen: Generator) {
    this.obsDim = opts.obsDim;
    this.actDim = opts.actDim;
    this.hidden = opts.hidden ?? [64, 64];
    this.dtype = opts.dtype ?? 'float32';
    const like = { dtype: this.dtype, ...(opts.backend ? { backend: opts.backend } : {}) };
    const sizes = [this.obsDim, ...this.hidden, this.actDim];
    this.params = [];
    this.paramNames = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const [fanIn, fanOut] = [sizes[i]!, sizes[i + 1]!];
      const limit = Math.sqrt(6 / (fanIn + fanOut)); // Glorot uniform
      this.params.push(gen.uniform([fanIn, fanOut], -limit, limit, like).requireGrad(true));
      this.params.push(sr.zeros([fanOut], like).requireGrad(true));
      this.paramNames.push(`mean.${i}.weight`, `mean.${i}.bias`);
    }
    this.params.push(sr.full([this.actDim], Math.log(opts.initStd ?? 1), like).requireGrad(true));
    this.paramNames.push('logStd');
    this.params.forEach((p, i) => p.named(this.paramNames[i]!));
  }

  get logStd(): Tensor {
    return this.params[this.params.length - 1]!;
  }

  /** μ(obs) for obs [B, obsDim] with the given parameters (default: the live ones). */
  mean(obs: Tensor, params: PolicyParams = this.params): Tensor {
    const layers = (params.length - 1) / 2;
    let x = obs;
    for (let i = 0; i < layers; i++) {
      x = sr.linear(x, params[2 * i]!, params[2 * i + 1]!, i + 1 < layers ? 'tanh' : 'none');
    }
    return x;
  }

  logStdOf(params: PolicyParams = this.params): Tensor {
    return params[params.length - 1]!;
  }

  logLikelihood(obs: Tensor, actions: Tensor, params: PolicyParams = this.params): Tensor {
    return gaussianLogLikelihood(this.mean(obs, params), this.logStdOf(params), actions);
  }

  /** A tensor [B, obsDim] of this policy's dtype/backend from host observations. */
  obsTensor(obs: Float64Array, rows: number): Tensor {
    return sr.tensor(obs, {
      shape: [rows, this.obsDim],
      dtype: this.dtype,
      backend: this.params[0]!.backend,
    });
  }

  /** μ(obs) for one host observation, written into `out` (reads back with `await data()`, any backend). */
  async meanAt(obs: Float64Array, out: Float64Array): Promise<void> {
    const mu = sr.noGrad(() => this.mean(this.obsTensor(obs, 1)));
    const m = await mu.data();
    mu.dispose();
    for (let i = 0; i < this.actDim; i++) out[i] = m[i]!;
  }

  /** σ as host numbers. */
  async std(): Promise<Float64Array> {
    return Float64Array.from(await this.logStd.data(), Math.exp);
  }
}
