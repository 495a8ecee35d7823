/**
 * Global-norm gradient clipping: every gradient is scaled by min(1, maxNorm / ‖g‖) where
 * ‖g‖ is the L2 norm of all gradients together, so a clipped set has norm exactly maxNorm.
 * The norm and the scale stay on the device (no readback) until a number is asked for.
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { add, div, minimum, mul } from '../../autograd/ops/binary.js';
import { cast } from '../../autograd/ops/movement.js';
import { sum } from '../../autograd/ops/reduce.js';
import { sqrt, square } from '../../autograd/ops/unary.js';
import type { Tensor } from '../../autograd/tensor.js';
import { checkNumber } from '../checks.js';
import { namedParams, type ParamsLike } from './params.js';

/** The L2 norm of all tensors together, a scalar in the first one's dtype; null for none. */
export function globalNorm(ts: readonly Tensor[]): Tensor | null {
  if (ts.length === 0) return null;
  return noGrad(() => {
    const dtype = ts[0]!.dtype;
    let total: Tensor | null = null;
    for (const t of ts) {
      const s = sum(square(t.dtype === dtype ? t : cast(t, dtype)));
      total = total ? add(total, s) : s;
    }
    return sqrt(total!);
  });
}

/** Copies of `grads` scaled so their global norm is at most maxNorm, and the norm before clipping. */
export function clipTensors(
  grads: readonly Tensor[],
  maxNorm: number,
): { norm: Tensor | null; clipped: Tensor[] } {
  checkNumber('clipGradNorm', 'maxNorm', maxNorm, { min: 0, minExclusive: true });
  const norm = globalNorm(grads);
  if (!norm) return { norm, clipped: [] };
  const clipped = noGrad(() => {
    const scale = minimum(div(maxNorm, norm), 1);
    return grads.map((g) => mul(g, g.dtype === scale.dtype ? scale : cast(scale, g.dtype)));
  });
  return { norm, clipped };
}

/**
 * Scales the gradients of `params` (replacing each .grad; gradients may be shared between
 * tensors, so they are never changed in place) to a global norm of at most maxNorm.
 * Returns the norm before clipping (0 when no parameter has a gradient). Reads one number,
 * so it needs a synchronous backend; optimizers' `maxGradNorm` clips without reading.
 */
export function clipGradNorm(params: ParamsLike, maxNorm: number): number {
  const withGrad = [...namedParams(params, 'clipGradNorm').values()].filter((p) => p.grad);
  const { norm, clipped } = clipTensors(
    withGrad.map((p) => p.grad!),
    maxNorm,
  );
  withGrad.forEach((p, i) => (p.grad = clipped[i]!));
  return norm ? norm.item() : 0;
}
