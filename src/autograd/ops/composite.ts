/** Ops built from other ops: their gradients (of any order) come from the pieces. */
import type { Tensor } from '../tensor.js';
import { gt, lt } from './compare.js';
import type { TensorLike } from './helpers.js';
import { where } from './movement.js';

/**
 * Limits x to [lo, hi] (either bound may be omitted). The gradient passes where
 * lo ≤ x ≤ hi and goes to a tensor bound where that bound is active.
 */
export function clamp(x: Tensor, lo?: TensorLike, hi?: TensorLike): Tensor {
  let y = x;
  if (lo !== undefined) y = where(lt(y, lo), lo, y);
  if (hi !== undefined) y = where(gt(y, hi), hi, y);
  return y;
}
