/** Comparisons: 1 where the relation holds, else 0, in the operands' dtype. They carry no gradient. */
import type { CompareOp } from '../../kernels/backend.js';
import { constantResult } from '../record.js';
import type { Tensor } from '../tensor.js';
import { broadcastOrThrow, pair, type TensorLike } from './helpers.js';

function compare(op: CompareOp, x: TensorLike, z: TensorLike): Tensor {
  const [a, b] = pair(op, x, z);
  const shape = broadcastOrThrow(op, a.shape, b.shape);
  return constantResult(
    op,
    a.backend.compare(op, a.storage, a.shape, b.storage, b.shape, shape),
    shape,
    a.backend,
    [a, b],
  );
}

export const lt = (a: TensorLike, b: TensorLike): Tensor => compare('lt', a, b);
export const le = (a: TensorLike, b: TensorLike): Tensor => compare('le', a, b);
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare('gt', a, b);
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare('ge', a, b);
export const eq = (a: TensorLike, b: TensorLike): Tensor => compare('eq', a, b);
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare('ne', a, b);
