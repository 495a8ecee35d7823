/**
 * matmul_blocked: C = act(op(A)·op(B) + bias) with a 4×4 register block per invocation and
 * no workgroup memory. Each K step loads 4 entries of A and 4 of B and does 16 multiply-adds
 * into four vec4 accumulators. An invocation's 4 columns are interleaved by 8 (j = j0 + 8q), so
 * the 8 invocations of a workgroup row (SIMD lanes on llvmpipe, a coalesced group on a GPU)
 * read 8 adjacent B entries per load, and share their rows of A. Indices past the matrix edge are not
 * branched on: their loads are clamped by WebGPU's robust buffer access and their results
 * are never stored, so the inner loop is branch-free. On CPU rasterizers (llvmpipe), where
 * workgroup memory is ordinary memory and barriers are costly, this is the fastest variant;
 * on GPUs it relies on the cache instead of shared tiles.
 * Layout: see matmul-common.ts. Dispatch (ceil(N/32), ceil(M/32), batch).
 * Workgroup 8×8: 64 invocations (portable) covering a 32×32 block of C; an invocation owns
 * rows i0..i0+3 and columns j0, j0+8, j0+16, j0+24.
 */
import { registerKernel } from '../registry.js';
import { matmulPrelude, type MatmulConfig } from './matmul-common.js';

const BLOCKED_TILE = 32;

export const matmulBlocked = registerKernel<MatmulConfig>({
  name: 'matmul_blocked',
  family: 'matmul',
  alsoServes: ['linear', 'stackedLinear'],
  tile: [BLOCKED_TILE, BLOCKED_TILE],
  source: (c) => /* wgsl */ `${matmulPrelude(c)}
@compute @workgroup_size(8, 8, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  loadDims();
  let i0 = wid.y * 32u + lid.y * 4u;
  let j0 = wid.x * 32u + lid.x;
  if (i0 >= M || j0 >= N) { return; }
  let off = batchOffsets(wid.z);
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var p = 0u; p < K; p++) {
    let b = vec4<f32>(loadB(off.y, p, j0), loadB(off.y, p, j0 + 8u), loadB(off.y, p, j0 + 16u), loadB(off.y, p, j0 + 24u));
    acc0 = fma(vec4<f32>(loadA(off.x, i0, p)), b, acc0);
    acc1 = fma(vec4<f32>(loadA(off.x, i0 + 1u, p)), b, acc1);
    acc2 = fma(vec4<f32>(loadA(off.x, i0 + 2u, p)), b, acc2);
    acc3 = fma(vec4<f32>(loadA(off.x, i0 + 3u, p)), b, acc3);
  }
  storeRow(wid.z, i0, j0, acc0);
  storeRow(wid.z, i0 + 1u, j0, acc1);
  storeRow(wid.z, i0 + 2u, j0, acc2);
  storeRow(wid.z, i0 + 3u, j0, acc3);
}
fn storeRow(z: u32, i: u32, j0: u32, v: vec4<f32>) {
  if (i >= M) { return; }
  for (var q = 0u; q < 4u; q++) {
    if (j0 + 8u * q < N) { store(z, i, j0 + 8u * q, v[q]); }
  }
}
`,
});
