/**
 * Gaussian MLP policy as garage's GaussianMLPPolicy (rl-anchors §2.1): mean = nn.MLP
 * with tanh hidden layers (paper §5: 64, 64) and a linear output, Glorot-uniform weights
 * and zero biases (nn's defaults), plus a state-independent log-std parameter starting
 * at log(initStd) (garage: std 1.0).
 *
 * `mean(obs, params)` runs the same layers with an explicit parameter list, so the
 * engine's transforms (grad, hvp) can differentiate with respect to the parameters.
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import type { Backend } from '../../kernels/backend.js';
import type { FloatDType } from '../../kernels/dtype.js';
import { MLP, Module, type RngLike } from '../../nn/index.js';
import { gaussianLogLikelihood } from './distributions.js';

export interface GaussianPolicyOptions {
  obsDim: number;
  actDim: number;
  /** hidden layer sizes (paper §5: [64, 64]) */
  hidden?: readonly number[];
  /** initial standard deviation (garage: 1.0) */
  initStd?: number;
  dtype?: FloatDType;
  backend?: Backend;
  /** initial weights are drawn from this generator */
  rng?: RngLike;
}

/** [mean.layers.0.weight, mean.layers.0.bias, …, logStd]: the order of `paramList()`. */
export type PolicyParams = readonly Tensor[];

export class GaussianMlpPolicy extends Module {
  readonly obsDim: number;
  readonly actDim: number;
  readonly dtype: FloatDType;
  readonly net: MLP;
  readonly logStd: Tensor;

  constructor(opts: GaussianPolicyOptions) {
    super();
    this.obsDim = opts.obsDim;
    this.actDim = opts.actDim;
    this.dtype = opts.dtype ?? 'float32';
    const like = { dtype: this.dtype, ...(opts.backend ? { backend: opts.backend } : {}) };
    this.net = this.registerModule(
      'mean',
      new MLP([this.obsDim, ...(opts.hidden ?? [64, 64]), this.actDim], {
        hidden: 'tanh',
        output: 'none',
        init: 'glorotUniform',
        biasInit: 'zeros',
        rng: opts.rng,
        ...like,
      }),
    );
    this.logStd = this.registerParameter('logStd', sr.full([this.actDim], Math.log(opts.initStd ?? 1), like));
  }

  /** The live parameters in PolicyParams order (MLP layers first, logStd last). */
  paramList(): Tensor[] {
    return [...this.net.parameters(), this.logStd];
  }

  /** Names matching paramList(), as in the state dict. */
  paramNames(): string[] {
    return [...[...this.net.namedParameters().keys()].map((n) => `mean.${n}`), 'logStd'];
  }

  /** μ(obs) for obs [B, obsDim], with the given parameters (default: the live ones). */
  mean(obs: Tensor, params: PolicyParams = this.paramList()): Tensor {
    let x = obs;
    let i = 0;
    for (const layer of this.net.layers) {
      x = sr.linear(x, params[i]!, params[i + 1]!, layer.activation);
      i += 2;
    }
    return x;
  }

  logStdOf(params: PolicyParams = this.paramList()): Tensor {
    return params[params.length - 1]!;
  }

  logLikelihood(obs: Tensor, actions: Tensor, params: PolicyParams = this.paramList()): Tensor {
    return gaussianLogLikelihood(this.mean(obs, params), this.logStdOf(params), actions);
  }

  /** A [rows, n] tensor in this policy's dtype and backend from host numbers. */
  toTensor(data: Float64Array, rows: number): Tensor {
    return sr.tensor(data, {
      shape: [rows, data.length / rows],
      dtype: this.dtype,
      backend: this.logStd.backend,
    });
  }

  // the sampler's forward pass, one observation per env step: replayed after the first.
  // Its result is the program's own buffer (read before the next step), so a step
  // allocates and copies nothing but the observation: with a fresh copy per step the
  // compiled pass cost as much as the eager one
  private readonly forwardOne = sr.compile((x: Tensor) => this.net.forward(x), {
    name: 'policy forward',
    outputs: 'reuse',
  });

  /** μ(obs) for one host observation, into `out` (read back with `await data()`: any backend). */
  async meanAt(obs: Float64Array, out: Float64Array): Promise<void> {
    // not disposed: a replay's result belongs to the program; an eager result (SR2L_COMPILE=0,
    // the tracing call) is freed with the layers' intermediates when collected
    const m = await sr.noGrad(() => this.forwardOne(this.toTensor(obs, 1))).data();
    for (let i = 0; i < this.actDim; i++) out[i] = m[i]!;
  }

  /** σ as host numbers. */
  async std(): Promise<Float64Array> {
    return Float64Array.from(await this.logStd.data(), Math.exp);
  }
}
