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

/** [∂/∂a, ∂/∂b] given the output gradient g; `na`/`nb` say which of the two are wanted. */
type GradRule = (
  a: Tensor,
  b: Tensor,
  y: Tensor,
  g: Tensor,
  na: boolean,
  nb: boolean,
) => [Tensor | null, Tensor | null];

const GRADS: Record<BinaryOp, GradRule> = {
  add: (_a, _b, _y, g, na, nb) => [na ? g : null, nb ? g : null],
  sub: (_a, _b, _y, g, na, nb) => [na ? g : null, nb ? neg(g) : null],
  mul: (a, b, _y, g, na, nb) => [na ? mul(g, b) : null, nb ? mul(g, a) : null],
  div: (_a, b, y, g, na, nb) => [na ? div(g, b) : null, nb ? neg(div(mul(g, y), b)) : null],
  pow: (a, b, y, g, na, nb) => [
    na ? mul(g, mul(b, pow(a, sub(b, 1)))) : null,
    // only asked for when the exponent is a variable; log(a) needs a > 0 there
    nb ? mul(g, mul(y, log(a))) : null,
  ],
  maximum: (a, b, _y, g, na, nb) => splitByMask(g, tieMask(a, b), na, nb),
  minimum: (a, b, _y, g, na, nb) => splitByMask(g, tieMask(b, a), na, nb),
};

/** 1 where a wins, 0 where b wins, 1/2 on ties (the subgradient PyTorch uses). */
function tieMask(a: Tensor, b: Tensor): Tensor {
  return add(gt(a, b), mul(eq(a, b), 0.5));
}

function splitByMask(g: Tensor, m: Tensor, na: boolean, nb: boolean): [Tensor | null, Tensor | null] {
  return [na ? mul(g, m) : null, nb ? mul(g, sub(1, m)) : null];
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
    (g, needs) => {
      const [ga, gb] = GRADS[op](a, b, y, g, needs[0]!, needs[1]!);
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
