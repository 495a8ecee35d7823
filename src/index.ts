/**
 * sr2l: robust and smooth deep reinforcement learning on a TypeScript autodiff engine.
 * `import * as sr from 'sr2l'`.
 */
export * from './autograd/index.js';
export * from './nn/index.js';
export * as nn from './nn/index.js';
export type { Backend, Storage, Activation } from './kernels/backend.js';
export type { DType, FloatDType, TypedArray } from './kernels/dtype.js';
export { CpuBackend, cpuBackend } from './kernels/cpu/index.js';
export { Rng, type RngState } from './util/rng.js';

export { version } from './version.js';
