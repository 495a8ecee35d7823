/**
 * Variant choice for families with several kernels. Rules come from bench/webgpu on the
 * adapters we have measured (see README.md, "Choosing a variant"); SR2L_WEBGPU_MATMUL and
 * SR2L_WEBGPU_REDUCE (or WebGPUBackend.forceKernel) override them.
 */
import type { AdapterCaps } from './registry.js';

export type MatmulVariant = 'matmul_naive' | 'matmul_tiled' | 'matmul_skinny' | 'matmul_blocked';
export type ReduceVariant = 'reduce_rows' | 'reduce_workgroup';

export function chooseMatmul(m: number, n: number, k: number, caps: AdapterCaps): MatmulVariant {
  // llvmpipe (measured): workgroup memory is plain memory and barriers cost, so the
  // register-blocked kernel wins at every size we run (3–8× naive/tiled at 1000×64·64×64).
  if (caps.software) return 'matmul_blocked';
  // GPUs (not yet measured here; the usual shape split): shared-memory tiles once both
  // output sides fill a 32×32 tile many times over, register blocking for skinny products.
  if (m >= 256 && n >= 256 && k >= 64) return 'matmul_tiled';
  return 'matmul_blocked';
}

export function chooseReduce(outputs: number, reduced: number, caps: AdapterCaps): ReduceVariant {
  // one workgroup per output pays off when few outputs each reduce many elements
  const minReduced = caps.software ? 4096 : 256;
  return reduced >= minReduced && outputs <= 256 ? 'reduce_workgroup' : 'reduce_rows';
}
