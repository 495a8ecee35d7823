/**
 * matmul_tiled: C = act(op(A)·op(B) + bias) through workgroup memory with register blocking.
 * A workgroup computes a 32×32 block of C: each K step of 16 stages a 32×16 tile of A and a
 * 16×32 tile of B in workgroup memory (transposes are resolved while staging), then each
 * invocation accumulates a 4×4 register block from them. Rows/columns of an invocation's
 * block are interleaved by 8 (i = ty + 8r), so neighbouring invocations read neighbouring
 * workgroup-memory words. This is the GPU kernel for large square-ish products.
 * Layout: see matmul-common.ts. Dispatch (ceil(N/32), ceil(M/32), batch).
 * Workgroup 8×8: 64 invocations × 16 outputs each; 4 KiB of workgroup memory.
 */
import { registerKernel } from '../registry.js';
import { matmulPrelude, type MatmulConfig } from './matmul-common.js';

const TILED_TILE = 32;

export const matmulTiled = registerKernel<MatmulConfig>({
  name: 'matmul_tiled',
  family: 'matmul',
  alsoServes: ['linear', 'stackedLinear'],
  tile: [TILED_TILE, TILED_TILE],
  source: (c) => /* wgsl */ `${matmulPrelude(c)}
const TS = 32u;
const KS = 16u;
var<workgroup> As: array<f32, 512>; // [TS rows][KS]
var<workgroup> Bs: array<f32, 512>; // [KS][TS cols]
@compute @workgroup_size(8, 8, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  loadDims();
  let kLen = P(2u); // a uniform value: the loop around workgroupBarrier() must be uniform
  let row0 = wid.y * TS;
  let col0 = wid.x * TS;
  let off = batchOffsets(wid.z);
  var acc: array<array<f32, 4>, 4>;
  for (var r = 0u; r < 4u; r++) { for (var q = 0u; q < 4u; q++) { acc[r][q] = 0.0; } }
  for (var k0 = 0u; k0 < kLen; k0 += KS) {
    for (var t = li; t < 512u; t += 64u) {
      let ai = row0 + t / KS;
      let ak = k0 + t % KS;
      var av = 0.0;
      if (ai < M && ak < K) { av = loadA(off.x, ai, ak); }
      As[t] = av;
      let bk = k0 + t / TS;
      let bj = col0 + t % TS;
      var bv = 0.0;
      if (bk < K && bj < N) { bv = loadB(off.y, bk, bj); }
      Bs[t] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < KS; kk++) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var r = 0u; r < 4u; r++) { a[r] = As[(lid.y + 8u * r) * KS + kk]; }
      for (var q = 0u; q < 4u; q++) { b[q] = Bs[kk * TS + lid.x + 8u * q]; }
      for (var r = 0u; r < 4u; r++) {
        for (var q = 0u; q < 4u; q++) { acc[r][q] = fma(a[r], b[q], acc[r][q]); }
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < 4u; r++) {
    let i = row0 + lid.y + 8u * r;
    for (var q = 0u; q < 4u; q++) {
      let j = col0 + lid.x + 8u * q;
      if (i < M && j < N) { store(wid.z, i, j, acc[r][q]); }
    }
  }
}
`,
});
