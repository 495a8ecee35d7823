/** Ops built from other ops: their gradients (of any order) come from the pieces. */
import { isGradEnabled } from '../grad-mode.js';
import { Tensor } from '../tensor.js';
import { maximum, minimum } from './binary.js';
import { gt, lt } from './compare.js';
import type { TensorLike } from './helpers.js';
import { where } from './movement.js';

/**
 * Limits x to [lo, hi] (either bound may be omitted). The gradient passes where
 * lo ≤ x ≤ hi and goes to a tensor bound where that bound is active.
 */
export function clamp(x: Tensor, lo?: TensorLike, hi?: TensorLike): Tensor {
  const tracked = isGradEnabled() && [x, lo, hi].some((t) => t instanceof Tensor && t.requiresGrad);
  if (!tracked) {
    // no gradient to route: one maximum and one minimum kernel instead of a compare and a
    // where per bound (the PGD projection runs this every ascent step); same values
    let y = x;
    if (lo !== undefined) y = maximum(y, lo);
    if (hi !== undefined) y = minimum(y, hi);
    return y;
  }
  let y = x;
  if (lo !== undefined) y = where(lt(y, lo), lo, y);
  if (hi !== undefined) y = where(gt(y, hi), hi, y);
  return y;
}
