/**
 * Matrix products. `mm` is the primitive: op(A)·op(B) with optional transposes and
 * broadcast batch dimensions; its gradients are mm's again with other transpose flags,
 * so the backward pass never materializes a transposed copy. `matmul` adds NumPy's 1-D rules.
 */
import { fmtShape } from '../../kernels/shape.js';
import { record } from '../record.js';
import type { Tensor } from '../tensor.js';
import { assertFloat, broadcastOrThrow, pair } from './helpers.js';
import { expandDims, squeeze, sumTo } from './movement.js';

export function mm(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  [a, b] = pair('matmul', a, b);
  assertFloat('matmul', a);
  if (a.ndim < 2 || b.ndim < 2)
    throw new RangeError(
      `matmul: mm needs operands of rank >= 2, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  const ar = a.ndim;
  const br = b.ndim;
  const m = transA ? a.shape[ar - 1]! : a.shape[ar - 2]!;
  const ka = transA ? a.shape[ar - 2]! : a.shape[ar - 1]!;
  const kb = transB ? b.shape[br - 1]! : b.shape[br - 2]!;
  const n = transB ? b.shape[br - 2]! : b.shape[br - 1]!;
  if (ka !== kb) {
    throw new RangeError(
      `matmul: inner dimensions differ: ${fmtShape(a.shape)}${transA ? 'ᵀ' : ''} @ ${fmtShape(b.shape)}${transB ? 'ᵀ' : ''} (${ka} vs ${kb})`,
    );
  }
  const batch = broadcastOrThrow('matmul', a.shape.slice(0, ar - 2), b.shape.slice(0, br - 2));
  const outShape = [...batch, m, n];
  return record(
    'matmul',
    a.backend.matmul(a.storage, a.shape, b.storage, b.shape, transA, transB, outShape),
    outShape,
    a.backend,
    [a, b],
    (g, needs) => {
      let ga: Tensor | null = null;
      let gb: Tensor | null = null;
      if (needs[0])
        ga = transA
          ? transB
            ? mm(b, g, true, true)
            : mm(b, g, false, true)
          : transB
            ? mm(g, b)
            : mm(g, b, false, true);
      if (needs[1])
        gb = transA
          ? transB
            ? mm(g, a, true, true)
            : mm(a, g)
          : transB
            ? mm(g, a, true, false)
            : mm(a, g, true, false);
      return [ga && sumTo(ga, a.shape), gb && sumTo(gb, b.shape)];
    },
    { transA, transB },
  );
}

/** NumPy matmul: 1-D operands are treated as a row (left) or column (right) vector and squeezed out. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  [a, b] = pair('matmul', a, b);
  if (a.ndim === 0 || b.ndim === 0)
    throw new RangeError('matmul: operands must have at least one dimension (use mul for scalars)');
  const a2 = a.ndim === 1 ? expandDims(a, 0) : a;
  const b2 = b.ndim === 1 ? expandDims(b, 1) : b;
  let y = mm(a2, b2);
  if (b.ndim === 1) y = squeeze(y, -1);
  if (a.ndim === 1) y = squeeze(y, y.ndim === 1 && b.ndim === 1 ? 0 : -2);
  return y;
}
