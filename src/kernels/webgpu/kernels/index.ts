/** Registers every kernel: adding a kernel is one file here and one line below. */
export { fill } from './fill.js';
export { unary } from './unary.js';
export { binary } from './binary.js';
export { where } from './where.js';
export { cast } from './cast.js';
export { reduceRows } from './reduce_rows.js';
export { reduceWorkgroup } from './reduce_workgroup.js';
export { matmulNaive } from './matmul_naive.js';
export { matmulTiled } from './matmul_tiled.js';
export { matmulSkinny } from './matmul_skinny.js';
export { activationGrad } from './activation_grad.js';
export { strided } from './strided.js';
export { scatterStrided } from './scatter_strided.js';
export { gather } from './gather.js';
export { scatterAdd } from './scatter_add.js';
export { adam } from './adam.js';
export { axpy } from './axpy.js';
