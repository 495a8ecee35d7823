/**
 * Entry point of kernels.wasm (built by scripts/build-wasm.mjs with `asc --enable simd`).
 * Every export takes byte offsets into the module's one linear memory, which the
 * JavaScript side shares with its float32 tensor arena (src/kernels/cpu/wasm/arena.ts).
 */
export { gemm } from './gemm';
export { linear, tanh, activationGrad, binary, sumRows } from './elementwise';
export { adam, axpy } from './optim';
export { copyRows } from './movement';

/** Where the tensor arena may start: after the module's static data, 16-byte aligned. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
