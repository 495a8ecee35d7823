/**
 * DDPG's networks (garage19 ContinuousMLPPolicy / ContinuousMLPQFunction, Lillicrap et
 * al. 2015): a deterministic actor s → a and a critic (s, a) → Q whose action joins at
 * the second layer. Every layer is one fused `linear` kernel; weights Glorot-uniform,
 * biases zero (garage's defaults).
 *
 * Built from a list of members instead of options, each network is a population: its
 * layers are stacked (StackedLinear), inputs and outputs carry the members on a leading
 * axis ([S, B, ...]), and member k computes exactly what members[k] computes alone.
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import type { Activation, Backend } from '../../kernels/backend.js';
import type { FloatDType } from '../../kernels/dtype.js';
import { linear } from '../../autograd/ops/linear.js';
import { stackedLinear } from '../../autograd/ops/stacked-linear.js';
import { Linear } from '../../nn/linear.js';
import { glorotUniform } from '../../nn/init.js';
import { MLP } from '../../nn/mlp.js';
import { Module } from '../../nn/module.js';
import { StackedLinear } from '../../nn/stacked-linear.js';
import { StackedMLP } from '../../nn/stacked-mlp.js';
import type { Rng } from '../../util/rng.js';

export interface NetworkOptions {
  /** hidden layer widths (paper §5 and garage: [64, 64]) */
  hidden: readonly number[];
  /** hidden activation (garage: relu) */
  activation: Activation;
  dtype: FloatDType;
  backend?: Backend;
  rng: Rng;
  /**
   * gain of the output layer's Glorot-uniform weights (default 1: garage19). Small values
   * (Lillicrap et al. 2015 use ±3e-3) start the actor away from tanh saturation.
   */
  outputGain?: number;
}

/** μ(s) = center + halfRange ⊙ tanh(MLP(s)): tanh output scaled to the action bounds. */
export class DeterministicActor extends Module {
  readonly net: MLP | StackedMLP;
  private readonly center: Tensor | null;
  private readonly halfRange: Tensor | null;

  /** From options (one network), or from members (their population, values copied). */
  constructor(
    obsDim: number,
    low: ArrayLike<number>,
    high: ArrayLike<number>,
    opts: NetworkOptions | readonly DeterministicActor[],
  ) {
    super();
    const actDim = low.length;
    this.net = this.registerModule(
      'net',
      isMembers(opts)
        ? new StackedMLP(opts.map((a) => singleOf(a.net, 'DeterministicActor')))
        : new MLP([obsDim, ...opts.hidden, actDim], {
            hidden: opts.activation,
            output: 'tanh',
            outputInit: glorotUniform({ gain: opts.outputGain ?? 1 }),
            dtype: opts.dtype,
            backend: opts.backend,
            rng: opts.rng,
          }),
    );
    const center = Array.from({ length: actDim }, (_, i) => (high[i]! + low[i]!) / 2);
    const half = Array.from({ length: actDim }, (_, i) => (high[i]! - low[i]!) / 2);
    for (let i = 0; i < actDim; i++)
      if (!Number.isFinite(half[i]!) || half[i]! <= 0)
        throw new RangeError(
          `DeterministicActor: action bounds must be finite with low < high, entry ${i} is [${low[i]}, ${high[i]}]`,
        );
    // the common [−1, 1] box needs no scaling op
    const identity = center.every((c) => c === 0) && half.every((h) => h === 1);
    const first = this.net.layers.at(0).weight;
    const like = { dtype: first.dtype, backend: first.backend };
    this.center = identity ? null : sr.tensor(center, like);
    this.halfRange = identity ? null : sr.tensor(half, like);
  }

  /**
   * obs [B, obsDim] → actions [B, actDim] within the bounds ([S, B, ·] for a population). `frozen`: the parameters
   * enter as constants, so a backward pass computes only input gradients (PGD's inner
   * loop, and the critic inside the actor's loss, need no weight gradients).
   */
  forward(obs: Tensor, frozen = false): Tensor {
    const squashed = mlpForward(this.net, obs, frozen);
    if (!this.halfRange) return squashed;
    return squashed.mul(this.halfRange).add(this.center!);
  }
}

/** Q(s, a): obs → hidden[0] (act), then [hidden[0], a] → hidden[1] → ... → 1. */
export class Critic extends Module {
  readonly first: Linear | StackedLinear;
  readonly rest: MLP | StackedMLP;

  /** From options (one network), or from members (their population, values copied). */
  constructor(obsDim: number, actDim: number, opts: NetworkOptions | readonly Critic[]) {
    super();
    if (isMembers(opts)) {
      const firsts = opts.map((c) => singleOf(c.first, 'Critic'));
      this.first = this.registerModule('first', new StackedLinear(firsts));
      this.rest = this.registerModule('rest', new StackedMLP(opts.map((c) => singleOf(c.rest, 'Critic'))));
      return;
    }
    if (opts.hidden.length < 2)
      throw new RangeError(
        `Critic: the action joins at the second layer, so hidden needs ≥ 2 sizes, got [${opts.hidden.join(', ')}]`,
      );
    const where = { dtype: opts.dtype, backend: opts.backend };
    this.first = this.registerModule(
      'first',
      new Linear(obsDim, opts.hidden[0]!, {
        activation: opts.activation,
        rng: opts.rng.fork('first'),
        ...where,
      }),
    );
    this.rest = this.registerModule(
      'rest',
      new MLP([opts.hidden[0]! + actDim, ...opts.hidden.slice(1), 1], {
        hidden: opts.activation,
        output: 'none',
        outputInit: glorotUniform({ gain: opts.outputGain ?? 1 }),
        rng: opts.rng.fork('rest'),
        ...where,
      }),
    );
  }

  /** obs [B, obsDim], action [B, actDim] → Q [B] ([S, B, ·] → [S, B]); `frozen` as in DeterministicActor.forward */
  forward(obs: Tensor, action: Tensor, frozen = false): Tensor {
    const h = linearForward(this.first, obs, frozen);
    const q = mlpForward(this.rest, sr.concat([h, action], -1), frozen);
    return q.reshape(q.shape.slice(0, -1));
  }
}

function isMembers<M>(opts: NetworkOptions | readonly M[]): opts is readonly M[] {
  return Array.isArray(opts);
}

/** A member's module, which must be a single network (a population is not stacked again). */
function singleOf<M extends Linear | MLP>(m: M | StackedLinear | StackedMLP, who: string): M {
  if (m instanceof StackedLinear || m instanceof StackedMLP)
    throw new TypeError(`${who}: members must be single networks, got a population`);
  return m;
}

function linearForward(layer: Linear | StackedLinear, x: Tensor, frozen: boolean): Tensor {
  if (!frozen) return layer.forward(x);
  const op = layer instanceof StackedLinear ? stackedLinear : linear;
  return op(x, layer.weight.detach(), layer.bias?.detach() ?? null, layer.activation);
}

function mlpForward(net: MLP | StackedMLP, x: Tensor, frozen: boolean): Tensor {
  for (const layer of net.layers) x = linearForward(layer, x, frozen);
  return x;
}
