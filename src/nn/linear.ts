/**
 * Linear: y = act(x·W + b) with W [in, out], computed by the engine's fused `linear` op,
 * so a forward pass is one kernel call (matmul, bias and activation together).
 */
import { linear } from '../autograd/ops/linear.js';
import type { Tensor } from '../autograd/tensor.js';
import { ACTIVATIONS, type Activation } from '../kernels/backend.js';
import { checkOneOf, checkPositiveInt } from './checks.js';
import { initialize, toRng, type InitName, type Initializer, type RngLike } from './init.js';
import { Module, type ModuleOptions } from './module.js';

export interface LinearOptions extends ModuleOptions {
  /** Add a bias (default true). */
  bias?: boolean;
  /** Fused activation (default 'none'). */
  activation?: Activation;
  /** Weight initializer (default glorotUniform, as in garage). */
  init?: Initializer | InitName;
  /** Bias initializer (default zeros). */
  biasInit?: Initializer | InitName;
  /** Generator for the initial values (default: seed 0; pass one so separate layers differ). */
  rng?: RngLike;
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly activation: Activation;
  /** [inFeatures, outFeatures] */
  readonly weight: Tensor;
  /** [outFeatures], or null without bias */
  readonly bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    this.inFeatures = checkPositiveInt('Linear', 'inFeatures', inFeatures);
    this.outFeatures = checkPositiveInt('Linear', 'outFeatures', outFeatures);
    this.activation = checkOneOf('Linear', 'activation', opts.activation ?? 'none', ACTIVATIONS);
    const rng = toRng(opts.rng);
    const where = { rng, dtype: opts.dtype ?? 'float32', backend: opts.backend } as const;
    this.weight = this.registerParameter(
      'weight',
      initialize(opts.init ?? 'glorotUniform', [inFeatures, outFeatures], where),
    );
    this.bias =
      opts.bias === false
        ? null
        : this.registerParameter('bias', initialize(opts.biasInit ?? 'zeros', [outFeatures], where));
  }

  /** x [..., inFeatures] → [..., outFeatures] */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias, this.activation);
  }
}
