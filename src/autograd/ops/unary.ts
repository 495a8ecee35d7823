/**
 * Elementwise unary ops. Each entry is the op's whole definition: the backend kernel
 * name and its gradient written with differentiable ops (x = input, y = output).
 */
import type { Activation, UnaryOp } from '../../kernels/backend.js';
import { record } from '../record.js';
import type { Tensor } from '../tensor.js';
import { assertFloat, assertTensor } from './helpers.js';
import { mul, div } from './binary.js';
import { activationGrad } from './linear.js';

type GradRule = (x: Tensor, y: Tensor, g: Tensor) => Tensor | null;

const GRADS: Record<UnaryOp, GradRule> = {
  neg: (_x, _y, g) => neg(g),
  exp: (_x, y, g) => mul(g, y),
  log: (x, _y, g) => div(g, x),
  sqrt: (_x, y, g) => div(g, mul(y, 2)),
  tanh: (_x, y, g) => activationGrad('tanh' satisfies Activation, y, g),
  relu: (_x, y, g) => activationGrad('relu', y, g),
  sigmoid: (_x, y, g) => activationGrad('sigmoid', y, g),
  softplus: (x, _y, g) => mul(g, sigmoid(x)),
  abs: (x, _y, g) => mul(g, sign(x)),
  sign: () => null, // zero almost everywhere
  square: (x, _y, g) => mul(g, mul(x, 2)),
  reciprocal: (_x, y, g) => neg(mul(g, square(y))),
};

function unary(op: UnaryOp, x: Tensor): Tensor {
  assertTensor(op, x);
  assertFloat(op, x);
  const y: Tensor = record(op, x.backend.unary(op, x.storage), x.shape, x.backend, [x], (g) => [
    GRADS[op](x, y, g),
  ]);
  return y;
}

export const neg = (x: Tensor): Tensor => unary('neg', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
export const log = (x: Tensor): Tensor => unary('log', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
export const relu = (x: Tensor): Tensor => unary('relu', x);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
export const softplus = (x: Tensor): Tensor => unary('softplus', x);
export const abs = (x: Tensor): Tensor => unary('abs', x);
export const sign = (x: Tensor): Tensor => unary('sign', x);
export const square = (x: Tensor): Tensor => unary('square', x);
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
