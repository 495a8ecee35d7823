/**
 * Variant choice for families with several kernels. Rules come from bench/webgpu on the
 * adapters we have measured (see README.md, "Choosing a variant"); SR2L_WEBGPU_MATMUL and
 * SR2L_WEBGPU_REDUCE (or WebGPUBackend.forceKernel) override them.
 */
import type { AdapterCaps } from './registry.js';

export type MatmulVariant = 'matmul_naive' | 'matmul_tiled' | 'matmul_skinny';
export type ReduceVariant = 'reduce_rows' | 'reduce_workgroup';

export function chooseMatmul(m: number, n: number, k: number, caps: AdapterCaps): MatmulVariant {
  if (caps.software) {
    // llvmpipe: lanes of one workgroup run as SIMD on one core; barriers and workgroup
    // memory cost more than they save, except that the skinny kernel's reuse of each B
    // load across 8 rows wins for tall narrow products.
    return m >= 64 && n <= 128 ? 'matmul_skinny' : 'matmul_naive';
  }
  if (n <= 128 && k <= 1024 && m >= 64) return 'matmul_skinny';
  return m * n >= 64 * 64 ? 'matmul_tiled' : 'matmul_naive';
}

export function chooseReduce(outputs: number, reduced: number, caps: AdapterCaps): ReduceVariant {
  // one workgroup per output pays off when few outputs each reduce many elements
  const minReduced = caps.software ? 4096 : 256;
  return reduced >= minReduced && outputs <= 256 ? 'reduce_workgroup' : 'reduce_rows';
}
