/**
 * What the matmul kernels share: bindings, operand loads for each transpose variant,
 * broadcast batch offsets, and the fused epilogue (bias + activation) that makes them
 * serve Backend.linear and Backend.stackedLinear too (a stacked bias is [batch, N]).
 * Params: [M, N, K, batchRank, batchShape[4], aBatchStrides[4], bBatchStrides[4]]
 * (words 0, 1, 2, 3, 4, 8, 12); batch strides are in elements, 0 where a side broadcasts.
 * Bindings: 1 A, 2 B, then 3 bias when fused with one, then C (read_write).
 * Dispatch z = flat batch index. Kernels call loadDims() first, then use M, N, K.
 */
import type { KernelConfig } from '../registry.js';
import { activationWGSL, PARAMS_WGSL } from '../wgsl.js';

export interface MatmulConfig extends KernelConfig {
  transA: boolean;
  transB: boolean;
  bias: boolean;
  act: string;
  /** the bias has one row per batch (stackedLinear) instead of one row for all */
  stackedBias: boolean;
}

export function matmulPrelude({ transA, transB, bias, act, stackedBias }: MatmulConfig): string {
  // A is [M, K] (or [K, M] when transposed), B is [K, N] (or [N, K]).
  const a = transA ? 'A[ao + p * M + i]' : 'A[ao + i * K + p]';
  const b = transB ? 'B[bo + j * K + p]' : 'B[bo + p * N + j]';
  return /* wgsl */ `${PARAMS_WGSL}${activationWGSL(act)}
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
${bias ? '@group(0) @binding(3) var<storage, read> bias: array<f32>;' : ''}
@group(0) @binding(${bias ? 4 : 3}) var<storage, read_write> C: array<f32>;
// dims read once per invocation: P() in the inner loop costs an index split per load
var<private> M: u32;
var<private> N: u32;
var<private> K: u32;
fn loadDims() { M = P(0u); N = P(1u); K = P(2u); }
fn loadA(ao: u32, i: u32, p: u32) -> f32 { return ${a}; }
fn loadB(bo: u32, p: u32, j: u32) -> f32 { return ${b}; }
/** Element offsets of batch z's A and B matrices. */
fn batchOffsets(z: u32) -> vec2<u32> {
  var rem = z;
  var off = vec2<u32>(0u, 0u);
  for (var d = i32(P(3u)) - 1; d >= 0; d--) {
    let n = P(4u + u32(d));
    let idx = rem % n;
    rem = rem / n;
    off += idx * vec2<u32>(P(8u + u32(d)), P(12u + u32(d)));
  }
  return off;
}
fn store(z: u32, i: u32, j: u32, v: f32) {
  C[(z * M + i) * N + j] = act(v${bias ? (stackedBias ? ' + bias[z * N + j]' : ' + bias[j]') : ''});
}
`;
}
