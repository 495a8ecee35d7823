/**
 * Op methods on Tensor (a.add(b), a.matmul(b), ...), each delegating to the op function
 * of the same name, plus backward(). Attached to the prototype here so tensor.ts needs
 * no import of the ops (which import Tensor).
 */
import type { Activation } from '../kernels/backend.js';
import type { DType } from '../kernels/dtype.js';
import { fmtShape } from '../kernels/shape.js';
import { onesLike } from './creation.js';
import { runBackward, type BackwardOptions } from './engine.js';
import * as ops from './ops/index.js';
import type { TensorLike } from './ops/helpers.js';
import { Tensor } from './tensor.js';

declare module './tensor.js' {
  interface Tensor {
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    pow(b: TensorLike): Tensor;
    maximum(b: TensorLike): Tensor;
    minimum(b: TensorLike): Tensor;
    lt(b: TensorLike): Tensor;
    le(b: TensorLike): Tensor;
    gt(b: TensorLike): Tensor;
    ge(b: TensorLike): Tensor;
    eq(b: TensorLike): Tensor;
    ne(b: TensorLike): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    tanh(): Tensor;
    relu(): Tensor;
    sigmoid(): Tensor;
    softplus(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    square(): Tensor;
    reciprocal(): Tensor;
    clamp(lo?: TensorLike, hi?: TensorLike): Tensor;
    sum(axes?: ops.Axes, keepdims?: boolean): Tensor;
    mean(axes?: ops.Axes, keepdims?: boolean): Tensor;
    max(axes?: ops.Axes, keepdims?: boolean): Tensor;
    min(axes?: ops.Axes, keepdims?: boolean): Tensor;
    variance(axes?: ops.Axes, keepdims?: boolean, correction?: number): Tensor;
    logsumexp(axes?: ops.Axes, keepdims?: boolean): Tensor;
    matmul(b: Tensor): Tensor;
    linear(w: Tensor, b?: Tensor | null, act?: Activation): Tensor;
    reshape(shape: readonly number[]): Tensor;
    flatten(): Tensor;
    expandDims(axis: number): Tensor;
    squeeze(axes?: number | readonly number[]): Tensor;
    permute(perm: readonly number[]): Tensor;
    transpose(axis0?: number, axis1?: number): Tensor;
    /** The transpose of a 2-D tensor (reverses the axes of an N-D one). */
    readonly T: Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    slice(
      starts: readonly number[],
      ends?: readonly (number | undefined)[],
      steps?: readonly number[],
    ): Tensor;
    gather(indices: Tensor | readonly number[], axis?: number): Tensor;
    split(sizes: number | readonly number[], axis?: number): Tensor[];
    cast(dtype: DType): Tensor;
    detach(): Tensor;
    /**
     * Reverse-mode pass from this tensor: gradients accumulate into .grad of leaves (and
     * of tensors that retainGrad). A non-scalar needs an explicit output gradient.
     */
    backward(gradient?: Tensor, opts?: BackwardOptions): void;
  }
}

type Method = (this: Tensor, ...args: never[]) => unknown;
const methods: Record<string, Method> = {};
const binaryNames = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'lt',
  'le',
  'gt',
  'ge',
  'eq',
  'ne',
] as const;
for (const n of binaryNames)
  methods[n] = function (this: Tensor, b: TensorLike) {
    return ops[n](this, b);
  };
const unaryNames = [
  'neg',
  'exp',
  'log',
  'sqrt',
  'tanh',
  'relu',
  'sigmoid',
  'softplus',
  'abs',
  'sign',
  'square',
  'reciprocal',
  'flatten',
  'detach',
] as const;
for (const n of unaryNames)
  methods[n] = function (this: Tensor) {
    return ops[n](this);
  };
const withArgs = [
  'clamp',
  'sum',
  'mean',
  'max',
  'min',
  'variance',
  'logsumexp',
  'matmul',
  'linear',
  'reshape',
  'expandDims',
  'squeeze',
  'permute',
  'transpose',
  'broadcastTo',
  'slice',
  'gather',
  'split',
  'cast',
] as const;
for (const n of withArgs) {
  const f = ops[n] as (x: Tensor, ...rest: unknown[]) => unknown;
  methods[n] = function (this: Tensor, ...rest: unknown[]) {
    return f(this, ...rest);
  } as Method;
}
for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}

Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return this.ndim <= 2
      ? ops.transpose(this)
      : ops.permute(
          this,
          this.shape.map((_, i) => this.ndim - 1 - i),
        );
  },
  configurable: true,
});

Tensor.prototype.backward = function (this: Tensor, gradient?: Tensor, opts: BackwardOptions = {}): void {
  this.assertAlive('backward');
  if (!this.requiresGrad) {
    throw new Error(
      'backward: this tensor does not require a gradient (no input requires one, or it was built under noGrad)',
    );
  }
  let g = gradient;
  if (!g) {
    if (this.size !== 1) {
      throw new Error(
        `backward: called on a tensor of shape ${fmtShape(this.shape)} without a gradient; pass one of that shape or reduce to a scalar first`,
      );
    }
    g = onesLike(this);
  } else if (
    g.size !== this.size ||
    g.shape.length !== this.shape.length ||
    g.shape.some((d, i) => d !== this.shape[i])
  ) {
    throw new RangeError(
      `backward: gradient shape ${fmtShape(g.shape)} differs from the tensor's ${fmtShape(this.shape)}`,
    );
  }
  runBackward([this], [g], { createGraph: opts.createGraph ?? false, accumulate: true });
};
