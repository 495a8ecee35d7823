/**
 * sr2l's core, which runs in a web page as well as in Node: the engine (autograd, CPU
 * backend with its WebAssembly kernels, WebGPU through `navigator.gpu`), nn, the
 * environments (MuJoCo loaded on first use) and the safetensors format as bytes. A bundler
 * targeting the browser resolves `import * as sr from 'sr2l'` here (package.json's
 * `browser` condition); Node gets index.ts, which adds file and worker-thread helpers.
 */
export * from './autograd/index.js';
export * from './nn/index.js';
export * as nn from './nn/index.js';
export * from './envs/index.js';
export * as envs from './envs/index.js';
export type { Backend, Storage, Activation } from './kernels/backend.js';
export type { DType, FloatDType, TypedArray } from './kernels/dtype.js';
export { CpuBackend, cpuBackend } from './kernels/cpu/index.js';
export { loadCpuKernels } from './kernels/cpu/wasm/module.js';
export { Rng, type RngState } from './util/rng.js';
// acquires a device only when a backend is created (Dawn under Node, navigator.gpu in a page)
export {
  createWebGPUBackend,
  webgpuInfo,
  describeAdapter,
  WebGPUBackend,
  type AdapterReport,
  type ReplayMode,
  type WebGPUBackendOptions,
} from './kernels/webgpu/index.js';

export { version } from './version.js';
