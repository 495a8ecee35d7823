/**
 * matmul_skinny: C = act(op(A)·op(B) + bias) for tall, narrow products (batch × 64 by
 * 64 × 64, the MLP's layers and their gradients). A workgroup owns 8 rows of C and 64
 * columns: it stages those 8 rows of A in workgroup memory 64 K-entries at a time, and
 * each invocation (one column j) streams B's column j once per stage, accumulating 8 rows
 * in registers, so each B load feeds 8 multiply-adds.
 * Layout: see matmul-common.ts. Dispatch (ceil(N/64), ceil(M/8), batch).
 * Workgroup 64: one invocation per column of a 64-wide block (the MLP's width).
 */
import { registerKernel } from '../registry.js';
import { matmulPrelude, type MatmulConfig } from './matmul-common.js';

const SKINNY_ROWS = 8;
const SKINNY_COLS = 64;

export const matmulSkinny = registerKernel<MatmulConfig>({
  name: 'matmul_skinny',
  family: 'matmul',
  alsoServes: ['linear', 'stackedLinear'],
  tile: [SKINNY_ROWS, SKINNY_COLS],
  source: (c) => /* wgsl */ `${matmulPrelude(c)}
const R = ${SKINNY_ROWS}u;
const KC = 64u;
var<workgroup> As: array<f32, ${SKINNY_ROWS * 64}>; // [R rows][KC]
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  loadDims();
  let kLen = P(2u); // a uniform value: the loop around workgroupBarrier() must be uniform
  let row0 = wid.y * R;
  let j = wid.x * 64u + li;
  let off = batchOffsets(wid.z);
  var acc: array<f32, ${SKINNY_ROWS}>;
  for (var r = 0u; r < R; r++) { acc[r] = 0.0; }
  for (var k0 = 0u; k0 < kLen; k0 += KC) {
    for (var t = li; t < R * KC; t += 64u) {
      let ai = row0 + t / KC;
      let ak = k0 + t % KC;
      var av = 0.0;
      if (ai < M && ak < K) { av = loadA(off.x, ai, ak); }
      As[t] = av;
    }
    workgroupBarrier();
    let kn = min(KC, K - k0);
    if (j < N) {
      for (var kk = 0u; kk < kn; kk++) {
        let b = loadB(off.y, k0 + kk, j);
        for (var r = 0u; r < R; r++) { acc[r] = fma(As[r * KC + kk], b, acc[r]); }
      }
    }
    workgroupBarrier();
  }
  if (j < N) {
    for (var r = 0u; r < R; r++) {
      let i = row0 + r;
      if (i < M) { store(wid.z, i, j, acc[r]); }
    }
  }
}
`,
});
