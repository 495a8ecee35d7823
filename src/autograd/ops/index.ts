/** Every op as a function. */
export { add, sub, mul, div, pow, maximum, minimum } from './binary.js';
export { lt, le, gt, ge, eq, ne } from './compare.js';
export {
  neg,
  exp,
  log,
  sqrt,
  tanh,
  relu,
  sigmoid,
  softplus,
  abs,
  sign,
  square,
  reciprocal,
} from './unary.js';
export { sum, mean, max, min, variance, logsumexp, type Axes } from './reduce.js';
export { mm, matmul } from './matmul.js';
export { linear, activationGrad } from './linear.js';
export { stackedLinear } from './stacked-linear.js';
export {
  reshape,
  flatten,
  expandDims,
  squeeze,
  permute,
  transpose,
  broadcastTo,
  sumTo,
  slice,
  concat,
  stack,
  split,
  gather,
  scatterAdd,
  where,
  cast,
  detach,
} from './movement.js';
export { clamp } from './composite.js';
