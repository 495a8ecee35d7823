/**
 * MLP: a stack of Linear layers, each with its activation fused into its kernel.
 * `new MLP([17, 64, 64, 6], { hidden: 'tanh', output: 'none' })`.
 */
import type { Tensor } from '../autograd/tensor.js';
import { ACTIVATIONS, type Activation } from '../kernels/backend.js';
import { checkOneOf, checkPositiveInt } from './checks.js';
import { toRng, type InitName, type Initializer, type RngLike } from './init.js';
import { Linear } from './linear.js';
import { Module, ModuleList, type ModuleOptions } from './module.js';

export interface MLPOptions extends ModuleOptions {
  /** Activation after every hidden layer (default 'tanh'). */
  hidden?: Activation;
  /** Activation after the last layer (default 'none'). */
  output?: Activation;
  /** Weight initializer of the hidden layers (default glorotUniform). */
  init?: Initializer | InitName;
  /** Weight initializer of the last layer (default: the same as `init`). */
  outputInit?: Initializer | InitName;
  /** Bias initializer of every layer (default zeros). */
  biasInit?: Initializer | InitName;
  /** Biases on every layer (default true). */
  bias?: boolean;
  /** Generator for the initial values (default seed 0); layer i draws from its fork 'layers.i'. */
  rng?: RngLike;
}

export class MLP extends Module {
  readonly sizes: readonly number[];
  readonly layers: ModuleList<Linear>;

  constructor(sizes: readonly number[], opts: MLPOptions = {}) {
    super();
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new RangeError(
        `MLP: sizes must list at least an input and an output size, got ${JSON.stringify(sizes)}`,
      );
    }
    sizes.forEach((s, i) => checkPositiveInt('MLP', `sizes[${i}]`, s));
    const hidden = checkOneOf('MLP', 'hidden', opts.hidden ?? 'tanh', ACTIVATIONS);
    const output = checkOneOf('MLP', 'output', opts.output ?? 'none', ACTIVATIONS);
    this.sizes = sizes.slice();
    const rng = toRng(opts.rng);
    const last = sizes.length - 2;
    const layers: Linear[] = [];
    for (let i = 0; i <= last; i++) {
      const init = i === last ? (opts.outputInit ?? opts.init) : opts.init;
      layers.push(
        new Linear(sizes[i]!, sizes[i + 1]!, {
          activation: i === last ? output : hidden,
          bias: opts.bias ?? true,
          rng: rng.fork(`layers.${i}`),
          init,
          biasInit: opts.biasInit,
          dtype: opts.dtype,
          backend: opts.backend,
        }),
      );
    }
    this.layers = this.registerModule('layers', new ModuleList(layers));
  }

  /** x [..., sizes[0]] → [..., sizes[last]] */
  forward(x: Tensor): Tensor {
    for (const layer of this.layers) x = layer.forward(x);
    return x;
  }
}
