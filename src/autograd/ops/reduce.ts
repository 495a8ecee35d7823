/** Reductions over axes, with keepdims. `axes` undefined = all axes. */
import type { ReduceOp } from '../../kernels/backend.js';
import { normAxes, reducedShape, sizeOf } from '../../kernels/shape.js';
import { record } from '../record.js';
import type { Tensor } from '../tensor.js';
import { assertFloat, assertTensor } from './helpers.js';
import { add, div, mul, sub } from './binary.js';
import { eq } from './compare.js';
import { broadcastTo, detach, reshape } from './movement.js';
import { exp, log, neg } from './unary.js';

export type Axes = number | readonly number[] | undefined;

function finalShape(shape: readonly number[], axes: number[], keepdims: boolean): number[] {
  return keepdims ? reducedShape(shape, axes) : shape.filter((_, i) => !axes.includes(i));
}

function reduce(op: ReduceOp, x: Tensor, axesIn: Axes, keepdims: boolean): Tensor {
  assertTensor(op, x);
  assertFloat(op, x);
  const axes = normAxes(axesIn, x.ndim, op);
  const keep = reducedShape(x.shape, axes);
  if (op === 'max' && axes.some((a) => x.shape[a] === 0)) {
    throw new RangeError(`max: cannot reduce an empty axis of shape [${x.shape.join(', ')}]`);
  }
  const yKeep: Tensor = record(
    op,
    x.backend.reduce(op, x.storage, x.shape, axes),
    keep,
    x.backend,
    [x],
    (g) => {
      if (op === 'sum') return [broadcastTo(g, x.shape)];
      // max: the gradient goes to the maximal elements, shared equally among ties
      const mask = eq(x, detach(yKeep));
      const count = sum(mask, axes, true);
      return [mul(broadcastTo(div(g, count), x.shape), mask)];
    },
  );
  return keepdims ? yKeep : reshape(yKeep, finalShape(x.shape, axes, false));
}

export function sum(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return reduce('sum', x, axes, keepdims);
}

export function max(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return reduce('max', x, axes, keepdims);
}

export function min(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return neg(max(neg(x), axes, keepdims));
}

export function mean(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  const ax = normAxes(axes, x.ndim, 'mean');
  const n = sizeOf(ax.map((a) => x.shape[a]!));
  return div(sum(x, ax, keepdims), n);
}

/** Variance (population by default; correction = 1 for the sample variance). */
export function variance(x: Tensor, axes?: Axes, keepdims = false, correction = 0): Tensor {
  const ax = normAxes(axes, x.ndim, 'variance');
  const n = sizeOf(ax.map((a) => x.shape[a]!));
  const d = sub(x, mean(x, ax, true));
  return div(sum(mul(d, d), ax, keepdims), n - correction);
}

/** log Σ exp(x), shifted by the (constant) max for stability. */
export function logsumexp(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  const ax = normAxes(axes, x.ndim, 'logsumexp');
  const m = detach(max(x, ax, true));
  const r = add(log(sum(exp(sub(x, m)), ax, true)), m);
  return keepdims ? r : reshape(r, finalShape(x.shape, ax, false));
}
