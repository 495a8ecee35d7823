/**
 * Elementwise binary ops with NumPy broadcasting. Gradients are summed back to each
 * input's shape (sumTo), so broadcast operands get correctly reduced gradients.
 */
import type { BinaryOp } from '../../kernels/backend.js';
import { record } from '../record.js';
import type { Tensor } from '../tensor.js';
import { assertFloat, broadcastOrThrow, pair, type TensorLike } from './helpers.js';
import { sumTo } from './movement.js';
import { eq, gt } from './compare.js';
import { log, neg } from './unary.js';

type GradRule = (a: Tensor, b: Tensor, y: Tensor, g: Tensor) => [Tensor | null, Tensor | null];

const GRADS: Record<BinaryOp, GradRule> = {
  add: (a, b, _y, g) => [a.requiresGrad ? g : null, b.requiresGrad ? g : null],
  sub: (a, b, _y, g) => [a.requiresGrad ? g : null, b.requiresGrad ? neg(g) : null],
  mul: (a, b, _y, g) => [a.requiresGrad ? mul(g, b) : null, b.requiresGrad ? mul(g, a) : null],
  div: (a, b, y, g) => [a.requiresGrad ? div(g, b) : null, b.requiresGrad ? neg(div(mul(g, y), b)) : null],
  pow: (a, b, y, g) => [
    a.requiresGrad ? mul(g, mul(b, pow(a, sub(b, 1)))) : null,
    // only asked for when the exponent is a variable; log(a) needs a > 0 there
    b.requiresGrad ? mul(g, mul(y, log(a))) : null,
  ],
  maximum: (a, b, _y, g) => splitByMask(a, b, g, tieMask(a, b)),
  minimum: (a, b, _y, g) => splitByMask(a, b, g, tieMask(b, a)),
};

/** 1 where a wins, 0 where b wins, 1/2 on ties (the subgradient PyTorch uses). */
function tieMask(a: Tensor, b: Tensor): Tensor {
  return add(gt(a, b), mul(eq(a, b), 0.5));
}

function splitByMask(a: Tensor, b: Tensor, g: Tensor, m: Tensor): [Tensor | null, Tensor | null] {
  return [a.requiresGrad ? mul(g, m) : null, b.requiresGrad ? mul(g, sub(1, m)) : null];
}

function binary(op: BinaryOp, x: TensorLike, z: TensorLike): Tensor {
  const [a, b] = pair(op, x, z);
  assertFloat(op, a);
  const shape = broadcastOrThrow(op, a.shape, b.shape);
  const y: Tensor = record(
    op,
    a.backend.binary(op, a.storage, a.shape, b.storage, b.shape, shape),
    shape,
    a.backend,
    [a, b],
    (g) => {
      const [ga, gb] = GRADS[op](a, b, y, g);
      return [ga && sumTo(ga, a.shape), gb && sumTo(gb, b.shape)];
    },
  );
  return y;
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b);
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('pow', a, b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b);
