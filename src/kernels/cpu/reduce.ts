/** Sum and max over any set of axes, one pass over the input in memory order. */
import type { ReduceOp } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import { reducedShape, stridesOf, type Shape } from '../shape.js';
import { stridedLoop } from './strided-loop.js';

export function reduceKernel(
  op: ReduceOp,
  X: TypedArray,
  shape: Shape,
  axes: readonly number[],
  O: TypedArray,
): void {
  if (axes.length === 1 && axes[0] === shape.length - 1) return lastAxis(op, X, shape[shape.length - 1]!, O);
  const outShape = reducedShape(shape, axes);
  // Output strides with 0 on reduced axes: walking the input in order maps each element
  // to the output slot it reduces into.
  const ost = stridesOf(outShape);
  for (const a of axes) ost[a] = 0;
  const none: number[] = [];
  let k = 0;
  if (op === 'sum') {
    O.fill(0);
    stridedLoop(shape, ost, none, none, 0, 0, 0, (n, o, s) => {
      if (s === 0) {
        let acc = O[o]!;
        for (let i = 0; i < n; i++) acc += X[k++]!;
        O[o] = acc;
      } else {
        for (let i = 0; i < n; i++, o += s) O[o] += X[k++]!;
      }
    });
  } else {
    O.fill(-Infinity);
    stridedLoop(shape, ost, none, none, 0, 0, 0, (n, o, s) => {
      for (let i = 0; i < n; i++, o += s) {
        const x = X[k++]!;
        // NaN wins, as in NumPy
        if (x > O[o]! || x !== x) O[o] = x;
      }
    });
  }
}

/**
 * A reduction over the last axis only (row sums and maxima of a batch), without the
 * general loop's callback per row: the same order and arithmetic (sums accumulate in
 * double and round once, NaN wins a maximum), so the same bits.
 */
function lastAxis(op: ReduceOp, X: TypedArray, n: number, O: TypedArray): void {
  for (let r = 0, k = 0; r < O.length; r++) {
    if (op === 'sum') {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += X[k++]!;
      O[r] = acc;
    } else {
      let m = -Infinity;
      for (let i = 0; i < n; i++) {
        const x = X[k++]!;
        if (x > m || x !== x) m = x;
      }
      O[r] = m;
    }
  }
}
